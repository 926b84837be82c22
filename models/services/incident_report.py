"""Báo cáo vụ việc — a case of abuse reported to the level above: by phone at once ("reported by phone at
HH:MM to …" is recorded) and in writing no later than one day after reception, "Số: NN/BC-UBND" in the
office's report numbering (shared with Mẫu 01), anonymised unless the worker decides otherwise
(NĐ 56 Điều 24, 33). The wording is resources/forms/bao_cao_vu_viec.json."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from .. import validation as v
from ..clock import fmt_datetime, now, today
from ..db import Database
from ..entities import Case
from ..incident_entities import IncidentReport
from .. import numbering
from ..numbering import next_number
from ..security import audit
from ..security.roles import Actor
from .process_common import Checker, ProcessError, apply_values, check_moment, get_case, received_at

FORM = "bao_cao_vu_viec"
ABUSE_CATEGORY = "bi_xam_hai"  # Mẫu 01 footnote (4): the cases that must be reported upward
SIGNING_CAPACITIES = ("chu_tich", "kt_pho_chu_tich")
FIELDS = ("phoned_at", "phoned_to", "phoned_by", "recipient", "summary", "actions_taken", "proposals",
          "anonymised", "signing_capacity", "signer")


def spec() -> dict[str, Any]:
    from ..process_rules import process_form

    return process_form(FORM)


def must_report(case: Case) -> bool:
    """A case of abuse (Mẫu 01 category "bị xâm hại") is reported upward."""
    return case.intake is not None and case.intake.category == ABUSE_CATEGORY


def written_deadline(received: datetime) -> datetime:
    from ..stages import incident_report_deadline

    return incident_report_deadline(received)


def document_number(report: IncidentReport, abbrev: str = "UBND") -> str | None:
    return numbering.document_number(report.doc_number or None, "BC", abbrev)


def _parse(check: Checker, raw: Mapping[str, Any], case: Case, at: datetime | None) -> dict[str, Any]:
    g = raw.get
    phoned_at = check("phoned_at", v.parse_datetime, g("phoned_at"), what="Thời điểm báo cáo bằng điện thoại")
    check_moment(check, "phoned_at", phoned_at, case, "Thời điểm báo cáo bằng điện thoại", at)
    phoned_to = check("phoned_to", v.text, g("phoned_to"), max_len=200, what="Người nhận báo cáo") or ""
    if phoned_at is not None and not phoned_to:
        check.fail("phoned_to", "Ghi đã báo cáo bằng điện thoại cho ai (họ tên, chức vụ, cơ quan).")
    if phoned_to and phoned_at is None and "phoned_at" not in check.errors:
        check.fail("phoned_at", "Ghi giờ, ngày đã báo cáo bằng điện thoại.")
    capacity = str(g("signing_capacity") or "chu_tich")
    if capacity not in SIGNING_CAPACITIES:
        check.fail("signing_capacity", "Chọn thẩm quyền ký: Chủ tịch hoặc KT. Chủ tịch / Phó Chủ tịch.")
    anonymised = g("anonymised")
    return dict(
        phoned_at=phoned_at, phoned_to=phoned_to,
        phoned_by=check("phoned_by", v.text, g("phoned_by"), max_len=120, what="Người gọi điện") or "",
        recipient=check("recipient", v.text, g("recipient"), max_len=300, what="Kính gửi") or "",
        summary=check("summary", v.text, g("summary"), what="Tóm tắt vụ việc") or "",
        actions_taken=check("actions_taken", v.text, g("actions_taken"), what="Các biện pháp đã thực hiện") or "",
        proposals=check("proposals", v.text, g("proposals"), what="Đề xuất, kiến nghị") or "",
        anonymised=True if anonymised is None or anonymised == "" else anonymised is True
        or str(anonymised).strip().lower() in {"1", "true", "yes", "co", "có"},
        signing_capacity=capacity,
        signer=check("signer", v.text, g("signer"), max_len=120, what="Người ký") or "",
    )


def save_incident_report(db: Database, actor: Actor, case_id: int, raw: Mapping[str, Any], *,
                         report_id: int | None = None, at: datetime | None = None) -> int:
    """Record the phone report and draft (or correct) the written report. Returns its id. An issued report
    is not changed (its number and date are on paper)."""
    actor.require("case.edit")
    with db.transaction() as session:
        case = get_case(session, case_id)
        check = Checker()
        values = _parse(check, raw, case, at)
        check.raise_if_any()
        if report_id is None:
            report = IncidentReport(case_id=case_id, created_by=actor.username, created_at=at or now(), **values)
            session.add(report)
            session.flush()
            audit.record(session, actor, "create", "bao_cao_vu_viec", case.code, detail=f"Báo cáo vụ việc #{report.id}")
        else:
            report = _get(session, report_id, case_id)
            if report.issued_at is not None:
                raise ProcessError("Báo cáo đã phát hành (đã có số); không sửa được. Lập báo cáo bổ sung nếu cần.")
            changes = apply_values(report, values, loaded_version=raw.get("row_version"),
                                   conflict=(session, "bao_cao_vu_viec", case.code, "Báo cáo vụ việc"))
            audit.record(session, actor, "update", "bao_cao_vu_viec", case.code,
                         detail=f"Báo cáo vụ việc #{report.id}", changes=changes)
        return report.id


def _get(session, report_id: int, case_id: int | None = None) -> IncidentReport:
    report = session.get(IncidentReport, report_id)
    if report is None or (case_id is not None and report.case_id != case_id):
        raise ProcessError("Không tìm thấy báo cáo vụ việc.")
    return report


def issue_incident_report(db: Database, actor: Actor, report_id: int, *, report_date: Any = None,
                          abbrev: str = "UBND", at: datetime | None = None) -> str:
    """The written report is sent: it gets "Số: NN/BC-UBND" (the office's report numbering) and its date.
    Returns the number as printed."""
    actor.require("case.edit")
    with db.transaction() as session:
        report = _get(session, report_id)
        case = get_case(session, report.case_id)
        if report.issued_at is not None:
            raise ProcessError("Báo cáo này đã phát hành.")
        check = Checker()
        day = check("report_date", v.parse_date, report_date or (at or now()).date(), required=True,
                    what="Ngày báo cáo")
        if day is not None and day < received_at(case).date():
            check.fail("report_date", "Ngày báo cáo không thể trước ngày nhận thông tin.")
        if day is not None and day > (at.date() if at else today()):
            check.fail("report_date", "Ngày báo cáo không thể ở tương lai.")
        for key, what in (("recipient", "Ghi cơ quan cấp trên nhận báo cáo (Kính gửi)."),
                          ("summary", "Ghi tóm tắt vụ việc."), ("signer", "Ghi người ký báo cáo.")):
            if not getattr(report, key).strip():
                check.fail(key, what)
        check.raise_if_any()
        report.doc_year = day.year
        report.doc_number = next_number(session, "BC", day.year)
        report.report_date, report.issued_at, report.issued_by_user = day, at or now(), actor.username
        number = document_number(report, abbrev)
        late = report.issued_at > written_deadline(received_at(case))
        audit.record(session, actor, "create", "bao_cao_vu_viec", case.code,
                     detail=f"Phát hành báo cáo vụ việc số {number}" + (" (quá hạn 01 ngày)" if late else ""))
        return number


def delete_incident_report(db: Database, actor: Actor, report_id: int) -> None:
    """Delete a draft entered by mistake; an issued report is never deleted."""
    actor.require("case.edit")
    with db.transaction() as session:
        report = _get(session, report_id)
        case = get_case(session, report.case_id)
        if report.issued_at is not None:
            raise ProcessError("Báo cáo đã phát hành không xoá được.")
        session.delete(report)
        audit.record(session, actor, "delete", "bao_cao_vu_viec", case.code, detail=f"Báo cáo vụ việc #{report_id}")


def status_text(case: Case) -> str:
    """One line for the screen: what is recorded and what is still due."""
    received = received_at(case)
    due = written_deadline(received)
    reports = list(getattr(case, "incident_reports", []) or [])
    issued = [r for r in reports if r.issued_at is not None]
    phoned = [r for r in reports if r.phoned_at is not None]
    parts = []
    if not must_report(case):
        parts.append("Mẫu 01 không ghi trẻ em bị xâm hại: không bắt buộc báo cáo vụ việc lên cấp trên.")
    parts.append(("Đã báo cáo bằng điện thoại lúc " + fmt_datetime(phoned[-1].phoned_at) + " cho " + phoned[-1].phoned_to + ".")
                 if phoned else "Chưa ghi báo cáo bằng điện thoại (phải báo cáo ngay).")
    if issued:
        parts.append(f"Đã phát hành báo cáo bằng văn bản ngày {issued[-1].report_date.day:02d}/"
                     f"{issued[-1].report_date.month:02d}/{issued[-1].report_date.year}.")
    else:
        parts.append(f"Báo cáo bằng văn bản chậm nhất hết ngày {due.day:02d}/{due.month:02d}/{due.year} "
                     f"(01 ngày sau khi tiếp nhận thông tin lúc {fmt_datetime(received)}).")
    return " ".join(parts)
