"""Finding cases: the list (search, filters, sort, fetched page by page) and one case with all it holds."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, false, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session, selectinload

from .. import forms
from ..clock import VN
from ..db import Database
from ..errors import UserError
from ..entities import Case, Child, ChildRelation, Intake
from ..security import audit
from ..security.roles import Actor
from ..stages import stage_expression
from ..field_crypto import name_order, protects
from ..portable import is_postgresql
from ..name_search import escape_like, name_matches
from ..textnorm import fold


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    year: int | None = None
    stage: str | None = None
    order: str = "newest"  # "newest", "oldest", "name", "name_desc"
    month: int | None = None  # 1–12, within `year` (the overview's "cases by month")


@dataclass(frozen=True)
class CaseRow:
    id: int
    code: str
    child_name: str
    date_of_birth: date | None
    estimated_age: int | None
    gender: str
    village: str
    opened_at: datetime
    stage: str
    doc_number: int | None
    doc_year: int | None
    sort_key: str = ""  # where the row stands in name order (the next page starts after it)


def _filtered(session: Session, query: Select, flt: CaseFilter) -> Select:
    stage = stage_expression()
    text = fold(flt.text[:200])  # a pasted page of text is not a search (and would overflow SQLite's LIKE)
    words = text.split()[:20]
    if words:
        # A name has no digits and a case code ("HS-2026-0007") always has some: text with a digit is looked up
        # among the codes, other text among the names. Never both with an OR, which reads every case (the name
        # index and the join from the matching children would not be used).
        if any(c.isdigit() for c in text):
            query = query.where(func.lower(Case.code).like(f"%{escape_like(text)}%", escape="\\"))
        else:
            query = query.where(name_matches(session, words, child_id=Case.child_id))
    if flt.year is not None and not 1 <= flt.year < 9999:
        return query.where(false())
    if flt.year is not None and flt.month is not None and 1 <= flt.month <= 12:
        start = datetime(flt.year, flt.month, 1, tzinfo=VN)
        end = datetime(flt.year + (flt.month == 12), flt.month % 12 + 1, 1, tzinfo=VN)
        query = query.where(Case.opened_at >= start, Case.opened_at < end)
    elif flt.year is not None:
        start = datetime(flt.year, 1, 1, tzinfo=VN)
        end = datetime(flt.year + 1, 1, 1, tzinfo=VN)
        query = query.where(Case.opened_at >= start, Case.opened_at < end)
    if flt.stage:
        query = query.where(stage == flt.stage)
    return query


def _cases_of(session: Session, flt: CaseFilter, *columns, child: bool = True) -> Select:
    """`columns` of the cases the filter keeps, each joined to its child (the count, a page, the whole list).
    `child=False` where no column of the child is asked: on the server the join is left out (the name condition
    is on the case's child id there, through the tokens), and a count of 80,000 cases reads no child row."""
    query = select(*columns)
    if child or not protects(session):
        query = query.join(Child, Case.child_id == Child.id)
    return _filtered(session, query, flt)


def count_cases(session: Session, flt: CaseFilter) -> int:
    return session.scalar(_cases_of(session, flt, func.count(Case.id), child=False)) or 0


def fetch_cases(session: Session, flt: CaseFilter, offset: int = 0, limit: int = 200,
                *, after: CaseRow | None = None) -> list[CaseRow]:
    """A page of the list. With `after` (the last row of the previous page) the page starts right after that
    row through the sort order's index (keyed paging: each page costs the same however deep), else at `offset`."""
    by_name = flt.order in ("name", "name_desc")
    rows = (select(Case.id, Case.code, Child.full_name, Child.date_of_birth, Child.estimated_age, Child.gender,
                   Child.village, Case.opened_at, stage_expression().label("stage"), Intake.doc_number,
                   Intake.doc_year, Child.sort_key)
            .join(Child, Case.child_id == Child.id).outerjoin(Intake, Intake.case_id == Case.id))
    if by_name and protects(session):
        # On the server the names are encrypted: ordered here, after decryption (the server never learns the order).
        page = _by_name_here(session, flt, offset=offset, limit=limit,
                             after=(after.sort_key, after.id) if after is not None else None)
        place = {case_id: i for i, case_id in enumerate(page)}
        return sorted((CaseRow(*row) for row in session.execute(rows.where(Case.id.in_(page)))),
                      key=lambda r: place[r.id])
    if is_postgresql(session):
        # The page's cases first, then their rows with the stage (a dozen correlated subqueries): asked over the
        # whole filter, PostgreSQL prepares those for every case the filter keeps (hashed subplans: 120 ms for a
        # page of 200 at 80,000 cases, against 25 ms so). SQLite works out the stage of the page's rows only.
        ids = _page(_cases_of(session, flt, Case.id, child=by_name), flt, offset, limit, after)
        query = rows.where(Case.id.in_(ids.scalar_subquery())).order_by(*_ORDER[flt.order])
    else:
        query = _page(_filtered(session, rows, flt), flt, offset, limit, after)
    return [CaseRow(*row) for row in session.execute(query)]


def _page(query: Select, flt: CaseFilter, offset: int, limit: int, after: CaseRow | None) -> Select:
    """The rows of `query` in the filter's order from `after` (keyed paging) or from `offset`, `limit` of them."""
    if after is not None:
        query, offset = query.where(_after(flt.order, after)), 0
    return query.order_by(*_ORDER[flt.order]).offset(offset).limit(limit)


def _by_name_here(session: Session, flt: CaseFilter, **page) -> list[int]:
    """The ids of the cases the filter keeps, in the order of the children's names, worked out on this computer."""
    keyed = session.execute(_cases_of(session, flt, Child.sort_key, Case.id)).all()
    return [r[1] for r in name_order(keyed, descending=flt.order == "name_desc", **page)]


def list_all_cases(session: Session, flt: CaseFilter) -> list:
    """Every case the filter keeps, in its order, in one query: rows of (id, code, child_name, opened_at, stage).

    For `bvte cases`, which prints them all: the columns it shows only (no join to the large Mẫu 01 rows for the
    document number), read as plain rows through the session's connection (the same filter, order and stage
    rule as `fetch_cases`, whose pages a list on screen needs)."""
    query = _cases_of(session, flt, Case.id, Case.code, Child.full_name.label("child_name"), Case.opened_at,
                      stage_expression().label("stage"))
    if flt.order in ("name", "name_desc") and protects(session):
        place = {case_id: i for i, case_id in enumerate(_by_name_here(session, flt))}
        return sorted(session.connection().execute(query).fetchall(), key=lambda r: place[r[0]])
    return session.connection().execute(query.order_by(*_ORDER[flt.order])).fetchall()


_ORDER = {
    "newest": (Case.opened_at.desc(), Case.id.desc()),
    "oldest": (Case.opened_at.asc(), Case.id.asc()),
    "name": (Child.sort_key.asc(), Case.id.asc()),
    "name_desc": (Child.sort_key.desc(), Case.id.desc()),
}


def _after(order: str, row: CaseRow):
    """Rows that come after `row` in the given order (ties broken by id, as the ORDER BY does)."""
    key, value = (Case.opened_at, row.opened_at) if order in ("newest", "oldest") else (Child.sort_key, row.sort_key)
    # A row value, which the index seeks to (the same test as an OR of the two, which SQLite answers by scanning
    # the index from its start: every page would cost more than the one before).
    # The value is bound with the column's own type (stored times are UTC text: see models.base.AwareDateTime).
    seek = tuple_(literal(value, key.type), literal(row.id, Case.id.type))
    if order in ("newest", "name_desc"):
        return tuple_(key, Case.id) < seek
    return tuple_(key, Case.id) > seek


def case_years(session: Session) -> list[int]:
    """Years that have cases, newest first (for the year filter)."""
    dates = session.execute(select(func.min(Case.opened_at), func.max(Case.opened_at))).one()
    if dates[0] is None:
        return []
    return list(range(dates[1].year, dates[0].year - 1, -1))


class NoSuchCase(UserError):
    """A case reference that matches no case."""


def find_case(db: Database, ref: int | str) -> int:
    """The id of the case a person named: its id (a number) or its code ("HS-2026-0001"); NoSuchCase otherwise."""
    text = str(ref).strip()
    with db.session() as session:
        if text.isascii() and text.isdigit():
            found = session.scalar(select(Case.id).where(Case.id == int(text))) if len(text) < 12 else None
        else:
            found = session.scalar(select(Case.id).where(Case.code == text.upper()))
    if found is None:
        raise NoSuchCase(f"Không có hồ sơ {text[:40]}.")
    return found


def load_case(db: Database, case_id: int) -> Case | None:
    """One case with its child, the child's family and the Mẫu 01, ready to show or print."""
    with db.session() as session:
        return session.scalar(
            select(Case)
            .where(Case.id == case_id)
            .options(
                selectinload(Case.child).selectinload(Child.relations).joinedload(ChildRelation.person),
                selectinload(Case.intake),
                selectinload(Case.abuse_forms),
            )
        )


def open_case(db: Database, actor: Actor, case_id: int) -> Case | None:
    """A person opens a case: allowed only to roles that read files, and written in the audit trail."""
    actor.require("case.view")
    case = load_case(db, case_id)
    if case is not None:
        with db.transaction() as session:
            audit.record(session, actor, "view", "case", case.code)
    return case


def record_output(db: Database, actor: Actor, action: str, case: Case, what: str) -> None:
    """A printout or an export of a case left the program: who, when, which paper."""
    actor.require("print" if action == "print" else "export")
    with db.transaction() as session:
        audit.record(session, actor, action, "case", case.code, detail=what)


def forms_by_case(session: Session, case_ids: list[int] | None = None) -> dict[int, list[str]]:
    """Which papers each case has (codes of models.forms, in legal order), in one query per form for any
    number of cases. The same rules as `forms_of` for one loaded case (a test holds them equal)."""
    from ..process_entities import (
        CaseMeeting, CaseReview, InitialAssessment, PlanApproval, PlanVersion, RiskAssessment, Separation,
        SupportPlan,
    )
    from ..incident_entities import IncidentReport

    sources = {
        "01": select(Intake.case_id),
        "02": select(InitialAssessment.case_id),
        "03": select(RiskAssessment.case_id),
        "bien_ban_hop": select(CaseMeeting.case_id),
        "04": select(SupportPlan.case_id),
        # Mẫu 05 is the decision: it exists once a version went to the chairman (submitted) or was decided.
        "05": select(SupportPlan.case_id).join(PlanVersion, PlanVersion.plan_id == SupportPlan.id)
              .outerjoin(PlanApproval, PlanApproval.version_id == PlanVersion.id)
              .where(or_(PlanVersion.submitted_at.is_not(None), PlanApproval.id.is_not(None))),
        "06": select(CaseReview.case_id),
        "07": select(Separation.case_id),
        "bao_cao_vu_viec": select(IncidentReport.case_id).where(IncidentReport.untracked.is_not(True)),
    }
    found: dict[int, set[str]] = {}
    for form, query in sources.items():
        if case_ids is not None:
            query = query.where(query.selected_columns[0].in_(case_ids))
        for (case_id,) in session.execute(query.distinct()):
            found.setdefault(case_id, set()).add(form)
    order = forms.legal_order()
    return {case_id: [f for f in order if f in have] for case_id, have in found.items()}


def forms_of(case: Case) -> list[str]:
    """The papers a loaded case has (codes of models.forms, in legal order): what can be printed now."""
    versions = [v for plan in (getattr(case, "plans", None) or ()) for v in plan.versions]
    have = {
        "01": case.intake is not None,
        "02": getattr(case, "initial_assessment", None) is not None,
        "03": bool(getattr(case, "risk_assessments", None)),
        "bien_ban_hop": bool(getattr(case, "meetings", None)),
        "04": bool(getattr(case, "plans", None)),
        "05": any(v.submitted_at is not None or v.approval is not None for v in versions),
        "06": bool(getattr(case, "reviews", None)),
        "07": bool(getattr(case, "separations", None)),
        "bao_cao_vu_viec": any(not r.untracked for r in getattr(case, "incident_reports", None) or ()),
    }
    return [code for code in forms.legal_order() if have[code]]
