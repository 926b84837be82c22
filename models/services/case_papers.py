"""What a case holds, as the case view lists it: one line per record (Mẫu 01–07, minutes, incident reports,
plans and their progress), in process order, with what can be printed and which screen opens it."""
from __future__ import annotations

from dataclasses import dataclass

from .. import numbering
from ..clock import fmt_date, fmt_datetime
from ..entities import Case
from ..process_rules import process_form
from ..wording import form_definition
from .intake import document_number
from .plan import running_version


@dataclass(frozen=True)
class PaperLine:
    """One record of a case as the case view lists it."""

    title: str  # "Mẫu số 03 — Đánh giá nguy cơ cụ thể"
    detail: str  # the short line under it
    text: str  # the full description (tooltip)
    print_code: str  # the form to print ("" when it cannot be printed yet)
    screen: str  # the screen that opens it (models.forms.screens(); "" for none)
    record_id: int | None = None  # the record's id (a signed copy scanned back in is attached to it)


def papers_of(case: Case, office=None) -> list[PaperLine]:
    """Each record of the case, in process order, for the case view (a read-only list: no ORM object leaves)."""
    out: list[PaperLine] = []
    intake = case.intake
    if intake:
        category = form_definition("01")["categories"].get(intake.category, {}).get("label", "")
        number = document_number(intake, office)
        out.append(PaperLine("Mẫu số 01 — Tiếp nhận thông tin", f"số {number}, {fmt_date(intake.received_at)}",
                    f"Báo cáo tiếp nhận thông tin, số {number}, nhận lúc {fmt_datetime(intake.received_at)} ({category})",
                    "01", "", intake.id))
    ia = case.initial_assessment
    if ia is not None:
        concl = {True: "cần can thiệp khẩn cấp", False: "chưa cần can thiệp khẩn cấp"}.get(
            ia.needs_emergency, "chưa có kết luận")
        measures = f"; {len(case.emergency_measures)} biện pháp khẩn cấp" if case.emergency_measures else ""
        out.append(PaperLine("Mẫu số 02 — Đánh giá ban đầu", f"{fmt_date(ia.assessed_at)}: {concl}",
                    f"Đánh giá nguy cơ ban đầu lúc {fmt_datetime(ia.assessed_at)}: {concl}{measures}", "02", "02", ia.id))
    for sep in case.separations:
        if sep.decided_at:
            number = numbering.document_number(sep.doc_number, "QĐ", office)
            short = f"số {number}" + (", đã kết thúc" if sep.outcome else ", đang cách ly")
            full = f"Quyết định tạm thời cách ly số {number}, ký {fmt_datetime(sep.decided_at)}"
        else:
            short = full = "dự thảo, chờ Chủ tịch ký"
        if sep.outcome:
            full += f"; đã kết thúc {fmt_datetime(sep.outcome_at)}"
        out.append(PaperLine("Mẫu số 07 — Tạm thời cách ly", short, full, "07" if sep.decided_at else "", "07", sep.id))
    for rep in (r for r in getattr(case, "incident_reports", None) or () if not r.untracked):
        if rep.issued_at is not None:
            short = f"số {numbering.document_number(rep.doc_number, 'BC', office)}, {fmt_date(rep.report_date)}"
        else:
            short = "dự thảo" + (f"; đã báo cáo bằng điện thoại {fmt_datetime(rep.phoned_at)}" if rep.phoned_at else "")
        out.append(PaperLine("Báo cáo vụ việc lên cấp trên", short, f"Báo cáo vụ việc: {short}",
                    "bao_cao_vu_viec", "bao_cao_vu_viec", rep.id))
    for ra in case.risk_assessments:
        out.append(PaperLine("Mẫu số 03 — Đánh giá nguy cơ cụ thể", fmt_date(ra.assessed_on),
                    f"Thu thập thông tin, đánh giá nguy cơ cụ thể ngày {fmt_date(ra.assessed_on)}", "03", "03", ra.id))
    for m in case.meetings:
        out.append(PaperLine("Biên bản họp", fmt_date(m.held_at), f"Biên bản họp lúc {fmt_datetime(m.held_at)}, {m.place}",
                    "bien_ban_hop", "bien_ban_hop", m.id))
    for plan in case.plans:
        latest = plan.versions[-1]
        state = ("đã phê duyệt" if latest.approval else "chờ phê duyệt" if latest.submitted_at else "dự thảo")
        out.append(PaperLine("Mẫu số 04 — Kế hoạch", f"kế hoạch {plan.plan_no}, phiên bản {latest.version}: {state}",
                    f"Kế hoạch hỗ trợ, can thiệp {plan.plan_no}, phiên bản {latest.version} ({state})", "04", "04",
                    latest.id))
        run = running_version(plan)
        if run is not None:
            out.append(PaperLine("Mẫu số 05 — Quyết định phê duyệt", f"ký {fmt_date(run.approval.approved_at)}",
                        f"Quyết định phê duyệt kế hoạch {plan.plan_no}, ký {fmt_datetime(run.approval.approved_at)}",
                        "05", "05", run.approval.id))
            if not any(r.plan_id == plan.id for r in case.reviews):
                out.append(PaperLine("Thực hiện kế hoạch", "tiến độ các hoạt động",
                            "Trạng thái và ghi chú tiến độ của từng hoạt động", "", "hoat_dong"))
    for review in case.reviews:
        outcome = "kết thúc kế hoạch" if review.outcome == "ket_thuc" else "cần kế hoạch mới"
        out.append(PaperLine("Mẫu số 06 — Rà soát, đánh giá", f"{fmt_date(review.reviewed_on)}: {outcome}",
                    process_form("06")["part5"]["outcomes"][review.outcome], "06", "06", review.id))
    return out
