"""Báo cáo vụ việc — the written report upward about a case of abuse (NĐ 30 layout: agency, "Số: NN/BC-UBND",
place and date; "BÁO CÁO" and its subject; "Kính gửi"; the body; "Nơi nhận" beside the signature).

Wording: resources/forms/bao_cao_vu_viec.json (no form of the decree: the level above's reporting rule).
Anonymised by default (NĐ 56 Điều 24, 33): the child appears by initials, gender and age only, and the
informant never appears. A report not yet issued prints as "DỰ THẢO" without number or date.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable

from models.entities import Case, Office
from models.wording import form_definition
from models.incident_entities import IncidentReport
from models.services.incident_report import FORM, document_number
from models.vocab import ABUSE_FORMS, GENDERS

from . import admin_layout as L
from . import process_layout as P


def _spec() -> dict[str, Any]:
    return P.spec(FORM)


def pick(case: Case, version: Any = None) -> IncidentReport:
    """The case's report number `version` (1 = the first; None = the latest); drafts withdrawn are not counted."""
    items = [r for r in (getattr(case, "incident_reports", []) or []) if not r.untracked]
    return P.pick(items, version, "Hồ sơ này chưa có báo cáo vụ việc.", "báo cáo vụ việc")


def initials(full_name: str) -> str:
    """"Nguyễn Thị Ánh" → "N.T.A." (the form used for anonymous children in reports; tone marks dropped,
    Đ kept)."""
    import unicodedata

    def bare(ch: str) -> str:
        return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch)
                                                     if unicodedata.category(c) != "Mn"))

    letters = [bare(w[0].upper()) for w in L.clean(full_name).split() if w]
    return ".".join(letters) + "." if letters else L.BLANK


def age_on(birth: date | None, estimated: int | None, day: date) -> str:
    if birth is not None:
        years = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
        return f"{years} tuổi"
    if estimated is not None:
        return f"khoảng {estimated} tuổi"
    return "chưa rõ tuổi"


def _child_line(case: Case, office: Office | None, report: IncidentReport, day: date) -> str:
    lines = _spec()["lines"]
    child = case.child
    gender = GENDERS.get(child.gender, "").lower() if child is not None else ""
    if report.anonymised:
        return P.fill(lines["child_anonymous"], {
            "initials": initials(child.full_name if child else ""), "gender": gender or "chưa rõ giới tính",
            "age": age_on(child.date_of_birth, child.estimated_age, day) if child else "chưa rõ tuổi",
            "case_code": case.code, "commune": P.commune_words(office) or L.BLANK})
    return P.fill(lines["child_named"], {
        "child_name": child.full_name if child else L.BLANK, "gender": gender or "chưa rõ giới tính",
        "child_birth": P.child_birth(case), "child_address": P.child_address(case, office)})


def _body(case: Case, office: Office | None, report: IncidentReport) -> list[Flowable]:
    s = _spec()
    lines, sections = s["lines"], s["sections"]
    intake = case.intake
    day = report.report_date or P.local_day(report.created_at) or date.today()
    commune = P.commune_words(office) or L.BLANK
    out: list[Flowable] = [P.p(P.fill(s["opening"], {"commune": commune}), "article")]
    sources = form_definition("01")["sources"]
    out.append(P.heading(sections["reception"]))
    out.append(P.p(P.fill(lines["received"], {
        "received_at": P.fmt_moment(intake.received_at) if intake else L.BLANK,
        "source": sources.get(intake.source, intake.source) if intake else L.BLANK}), "article"))
    out.append(P.heading(sections["child"]))
    out.append(P.p(_child_line(case, office, report, day), "article"))
    forms = [ABUSE_FORMS.get(f.code, f.code) for f in (case.abuse_forms or [])]
    out.append(P.p(P.fill(lines["forms"], {"forms": ", ".join(forms).lower() or "chưa xác định"}), "article"))
    out.append(P.heading(sections["summary"]))
    out += P.text_block(report.summary, 3)
    out.append(P.heading(sections["actions"]))
    out += P.text_block(report.actions_taken, 2)
    out.append(P.heading(sections["phone"]))
    if report.phoned_at is not None:
        out.append(P.p(P.fill(lines["phoned"], {"phoned_at": P.fmt_moment(report.phoned_at),
                                                "phoned_to": report.phoned_to}), "article"))
    else:
        out.append(P.p(lines["not_phoned"], "article"))
    out.append(P.heading(sections["proposals"]))
    out += P.text_block(report.proposals, 2)
    return out


def story(case: Case, office: Office | None, report: IncidentReport) -> list[Flowable]:
    s = _spec()
    issued = report.issued_at is not None
    number = document_number(report, P.abbrev_of(office)) if issued else None
    agency = P.agency_of(office) or f"{P.spec('04')['header']['agency']} {L.WRITE_GAP}"
    out: list[Flowable] = []
    if not issued:
        out.append(P.draft_mark())
    out.append(L.header_block(agency, L.number_line(number or f"{L.WRITE_GAP}/BC-{P.abbrev_of(office)}"),
                              P.place_date(office, report.report_date if issued else None)))
    out.append(L.para(s["title"], "title"))
    subject = P.fill(s["subject"], {"commune": P.commune_words(office) or L.BLANK})
    out.append(L.balanced_para(subject, "subtitle_cont", L.FRAME_WIDTH - 20 * mm))
    out.append(HRFlowable(width=40 * mm, thickness=L.RULE_THICKNESS, color=colors.black, hAlign="CENTER",
                          spaceBefore=6, spaceAfter=4))
    out.append(P.p(s["secrecy"], "subtitle_note"))
    out.append(P.p(P.fill(s["recipient_line"], {"recipient": report.recipient or L.BLANK}), "centre_bold"))
    out += _body(case, office, report)
    capacities = s["signing_capacities"]
    signer = P.Signer(list(capacities.get(report.signing_capacity, capacities["chu_tich"])["lines"]), "",
                      report.signer if issued else "")
    block = P.recipients_block(s["recipients"]["heading"], s["recipients"]["default"])
    out.append(P.signatures(None, signer, left_block=block, keep_with=P.tail(out)))
    return out


def document(case: Case, office: Office | None = None, report: IncidentReport | None = None) -> P.Doc:
    report = report or pick(case)
    number = document_number(report, P.abbrev_of(office)) if report.issued_at else None
    return P.Doc(story(case, office, report), P.metadata(FORM, L.number_line(number) if number else case.code),
                 P.outline_title(FORM, number or ""))


def render(case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(case, office, pick(case, version)).build(out)
