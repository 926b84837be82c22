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
    """
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
