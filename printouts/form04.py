"""Mẫu số 04 — Kế hoạch hỗ trợ, can thiệp: one plan version, filled, or the blank form.

Wording: resources/forms/mau04.json (official text). Header "ỦY BAN NHÂN DÂN" (the commune's name from the
office settings) with "Số: …/KH-UBND" once approved; 1 objectives (the printed ones chosen and the free
ones), 2 the kinds of activity the plan uses, 3 the table "Stt | Tên hoạt động | Cán bộ thực hiện | Cán bộ
phối hợp | Thời gian thực hiện" (header repeated on each page), 4 "Kinh phí" with the total, signatures of
the worker and "TM. ỦY BAN NHÂN DÂN"; then the detailed cost estimate the form refers to ("kèm theo"), which
carries what Điều 28.3 adds per activity (service provider mobilised, cost).

Every version prints as it was saved: an approved version is frozen by the data layer, so its printout is
the approved plan; a version not yet approved is marked "DỰ THẢO" and has no number.
"""
from __future__ import annotations

import re
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from models.entities import Case, Office
from models.process_entities import PlanVersion, SupportPlan
from models.services import plan as plan_service

from . import admin_layout as L
from . import process_layout as P

FORM = "04"
COLUMN_WIDTHS = [11 * mm, 55 * mm, 33 * mm, 33 * mm, 33 * mm]
ANNEX_WIDTHS = [11 * mm, 72 * mm, 50 * mm, 32 * mm]


def _spec() -> dict[str, Any]:
    return P.spec(FORM)


# --- Choosing a version -----------------------------------------------------------------------------------
def pick_version(case: Case, which: Any = None) -> PlanVersion:
    """A plan version of the case: None → the latest version of the latest plan; N → version N of the
    latest plan; "P.N" → plan P, version N; a PlanVersion is taken as it is."""
    if isinstance(which, PlanVersion):
        return which
    plans: list[SupportPlan] = list(getattr(case, "plans", []) or [])
    if not plans:
        raise P.NotPrintable("Hồ sơ này chưa có kế hoạch hỗ trợ, can thiệp (Mẫu số 04).")
    plan, number = plans[-1], None
    if isinstance(which, str) and "." in which:
        p_no, _, v_no = which.partition(".")
        plan = next((pl for pl in plans if str(pl.plan_no) == p_no.strip()), None)
        if plan is None:
            raise P.NotPrintable(f"Hồ sơ này không có kế hoạch số {p_no.strip()}.")
        number = int(v_no)
    elif which is not None:
        number = int(which)
    if number is None:
        return plan.versions[-1]
    version = next((v for v in plan.versions if v.version == number), None)
    if version is None:
        raise P.NotPrintable(f"Kế hoạch {plan.plan_no} không có phiên bản {number}.")
    return version


# --- Parts ------------------------------------------------------------------------------------------------
def _header(office: Office | None, version: PlanVersion | None) -> Flowable:
    """"ỦY BAN NHÂN DÂN …" over an empty cell (the form has no "Số:" line); the date of approval."""
    head = _spec()["header"]
    agency = P.agency_of(office) or f"{head['agency']} {L.WRITE_GAP}"
    approval = version.approval if version is not None else None
    day = P.local_day(approval.approved_at) if approval is not None else None
    return L.header_block(agency, "", P.place_date(office, day))


def attached_line(office: Office | None, version: PlanVersion | None) -> list[Flowable]:
    """"(Kèm theo Quyết định số 01/QĐ-UBND ngày 24 tháng 11 năm 2026 của Chủ tịch …)" under the title of a
    plan that has its decision (approved, or submitted with the draft decision: number and date dotted)."""
    if version is None or (version.approval is None and version.submitted_at is None):
        return []
    approval = version.approval
    if approval is not None:
        number = plan_service.decision_number(approval, P.abbrev_of(office))
        day = L.date_words(P.local_day(approval.approved_at))
    else:
        number = f"{L.WRITE_GAP}/{P.spec('05')['header']['number_kind']}-{P.abbrev_of(office)}"
        day = L.date_words(None)
    values = {"decision_number": number, "decision_date": day,
              "commune": P.commune_words(office) or P.BLANK_GAP}
    groups = re.split(r"\s(?=\{decision_date\})|(?<=\{decision_date\})\s", _spec()["attached_to"])
    return [P.grouped_para([P.fill(g, values) for g in groups], "attached_to", L.FRAME_WIDTH)]


def _objectives(version: PlanVersion | None) -> list[Flowable]:
    part = _spec()["objectives"]
    printed = {o["id"]: o["text"] for o in part["printed"]}
    out: list[Flowable] = [P.heading(part["heading"])]
    if version is None:
        out += P.dash_lines(printed.values())
        out.append(L.para_markup("- " + L.dots(L.FRAME_WIDTH - 20), "blank"))
        return out
    # In the form's order: its printed objectives first (as the form lists them), then the plan's own.
    order = {o["id"]: i for i, o in enumerate(part["printed"])}
    chosen = sorted((o for o in version.objectives if o.printed_id), key=lambda o: order.get(o.printed_id, len(order)))
    texts = [printed.get(o.printed_id, "") for o in chosen] + [o.text for o in version.objectives if not o.printed_id]
    return out + (P.dash_lines(texts) or [P.p(L.BLANK)])


def _kinds(version: PlanVersion | None) -> list[Flowable]:
    part = _spec()["activity_kinds"]
    kinds = part["kinds"]
    if version is not None:
        used = {a.kind for a in version.activities}
        kinds = [k for k in kinds if k["id"] in used] or kinds
    texts = [L.clean(k["text"]).strip() for k in kinds]
    if version is not None and texts:  # a shortened list still ends with a full stop
        texts[-1] = texts[-1].rstrip(";.") + "."
    return [P.heading(part["heading"]), *P.dash_lines(texts)]


def _period(activity) -> str:
    return f"{P.fmt_day(activity.start_on)} - {P.fmt_day(activity.end_on)}"


def _organisation(version: PlanVersion | None) -> list[Flowable]:
    part = _spec()["organisation"]
    rows: list[list[Any]] = [P.head_cells(part["columns"])]
    if version is None:
        for i in range(int(part.get("blank_rows", 3))):
            rows.append([P.cell(str(i + 1), "cell_center"), P.cell(""), P.cell(""), P.cell(""), P.cell("")])
        rows.append([P.cell(" ") for _ in range(5)])
    else:
        for i, a in enumerate(version.activities, start=1):
            rows.append([P.cell(str(i), "cell_center"), P.cell(a.name), P.cell(P.value(a.responsible)),
                         P.cell(P.value(a.coordinating)), P.cell(_period(a), "cell_center")])
    min_heights = [0] + [24] * (len(rows) - 1) if version is None else None  # room to write by hand
    table = P.grid(rows, COLUMN_WIDTHS, min_heights=min_heights)
    return [*P.table_heading(part["heading"], 35 * mm), table, Spacer(1, 4)]


def _budget(version: PlanVersion | None) -> list[Flowable]:
    part = _spec()["budget"]
    if version is None:
        return [P.heading(part["heading"]), P.p(part["note"], "body")]
    total = f"{part['total_label']}: <b>{P.fmt_money(version.total_cost)} đồng</b> {L.esc(part['note'])}"
    return [P.heading(part["heading"]), P.pm(total, "body")]


def _signatures(version: PlanVersion | None, story: list[Flowable]) -> Flowable:
    sig = _spec()["signatures"]
    left = P.Signer([sig["left"]["title"]], "", version.drafted_by if version else "")
    right_lines = [sig["right"]["title"]]
    name = ""
    approval = version.approval if version is not None else None
    if approval is not None:
        caps = P.spec("05")["signing_capacities"]
        right_lines += caps.get(approval.signing_capacity, caps["chu_tich"])["lines"]
        name = approval.approved_by
    return P.signatures(left, P.Signer(right_lines, "", name), keep_with=P.tail(story))


def _annex(version: PlanVersion) -> list[Flowable]:
    part = _spec()["budget"]
    rows: list[list[Any]] = [P.head_cells(part["annex_columns"])]
    for i, a in enumerate(version.activities, start=1):
        rows.append([P.cell(str(i), "cell_center"), P.cell(a.name), P.cell(P.value(a.provider)),
                     P.cell(P.fmt_money(a.cost), "cell_right")])
    rows.append([P.cell(""), P.cell(part["total_label"], "cell_bold"), P.cell(""),
                 P.cell_markup(f"<b>{P.fmt_money(version.total_cost)}</b>", "cell_right")])
    title = L.para(part["annex_title"], "title")
    return [PageBreak(), title, Spacer(1, 10), P.grid(rows, ANNEX_WIDTHS)]


def _story(office: Office | None, version: PlanVersion | None, case: Case | None = None) -> list[Flowable]:
    s = _spec()
    story: list[Flowable] = [*P.form_code(FORM)]
    if version is not None and version.approval is None:
        story.append(P.draft_mark())
    story.append(_header(office, version))
    story += P.title(s["title"], s["subtitle"])
    story += attached_line(office, version)
    story += _objectives(version)
    story += _kinds(version)
    story += _organisation(version)
    story += _budget(version)
    story.append(_signatures(version, story))
    if version is not None and version.activities:
        story += _annex(version)
    return story


def plan_of(case: Case, version: PlanVersion) -> SupportPlan | None:
    """The plan a version belongs to, found among the case's loaded plans (version.plan is not loaded
    once the session has closed)."""
    return next((pl for pl in getattr(case, "plans", []) or [] if any(v is version or v.id == version.id
                                                                      for v in pl.versions)), None)


def version_label(case: Case, version: PlanVersion) -> str:
    """"1.2" (plan 1, version 2)."""
    plan = plan_of(case, version)
    return f"{plan.plan_no}.{version.version}" if plan is not None else str(version.version)


def outline(case: Case, version: PlanVersion) -> str:
    return P.outline_title(FORM, version_label(case, version))


def document(case: Case, office: Office | None = None, version: PlanVersion | None = None) -> P.Doc:
    version = version or pick_version(case)
    return P.Doc(_story(office, version, case), P.metadata(FORM, case.code), outline(case, version))


def blank_document(office: Office | None = None) -> P.Doc:
    return P.Doc(_story(office, None), P.metadata(FORM), P.outline_title(FORM))


def render(case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(case, office, pick_version(case, version)).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    blank_document(office).build(out)
