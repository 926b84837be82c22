"""Document and case numbers: per kind and year, issued inside the saving transaction, never reused."""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from .entities import DocumentCounter


def next_number(session: Session, kind: str, year: int) -> int:
    """The next number of this kind in this year.

    The UPDATE comes first so that the write lock is taken before the number is read: two programs
    saving at the same moment cannot both get the same number. A number whose transaction is rolled
    back may be issued again; a committed one never is, even if its record is later deleted.
    On the server (PostgreSQL) the UPDATE's row lock makes the second workstation wait for the first one's
    commit; the first number of a year is made with ON CONFLICT, so two workstations cannot both create it.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(DocumentCounter).values(kind=kind, year=year, last_number=0)
                        .on_conflict_do_nothing(index_elements=["kind", "year"]))
        return session.execute(
            update(DocumentCounter)
            .where(DocumentCounter.kind == kind, DocumentCounter.year == year)
            .values(last_number=DocumentCounter.last_number + 1)
            .returning(DocumentCounter.last_number)
        ).scalar_one()
    bumped = session.execute(
        update(DocumentCounter)
        .where(DocumentCounter.kind == kind, DocumentCounter.year == year)
        .values(last_number=DocumentCounter.last_number + 1)
    )
    if bumped.rowcount == 0:
        session.execute(insert(DocumentCounter).values(kind=kind, year=year, last_number=1))
        return 1
    return session.scalar(
        select(DocumentCounter.last_number).where(DocumentCounter.kind == kind, DocumentCounter.year == year)
    )


def office_abbrev(office) -> str:
    """The office's abbreviation in document numbers ("UBND" unless the office settings say otherwise)."""
    text = (getattr(office, "agency_abbrev", "") or "").strip() if office is not None else ""
    return text or "UBND"


def document_number(number: int | None, kind: str, office_or_abbrev=None) -> str | None:
    """The number as the paper prints it: "07/BC-UBND" (NĐ 30/2020: number / kind - issuing body). `kind`:
    BC (báo cáo), QĐ (quyết định), KH (kế hoạch), BB (biên bản). None when the paper has no number yet."""
    if number is None:
        return None
    abbrev = office_or_abbrev if isinstance(office_or_abbrev, str) else office_abbrev(office_or_abbrev)
    return f"{number:02d}/{kind}-{abbrev.strip() or 'UBND'}"
