"""The screens of the case process (Nghị định 56, Mẫu 02–07, the meeting minutes, carrying out the
plan, closing): one module per screen, opened by the step's `form` (models.stages.NextStep.form)."""
from __future__ import annotations

from importlib import import_module

# form → (module, class, what the button says)
SCREENS: dict[str, tuple[str, str, str]] = {
    "02": ("initial_assessment", "InitialAssessmentDialog", "Mẫu số 02 — Đánh giá nguy cơ ban đầu"),
    "07": ("separation", "SeparationDialog", "Mẫu số 07 — Tạm thời cách ly"),
    "03": ("risk_assessment", "RiskAssessmentDialog", "Mẫu số 03 — Đánh giá nguy cơ cụ thể"),
    "bien_ban_hop": ("meeting", "MeetingDialog", "Biên bản họp"),
    "04": ("plan", "PlanDialog", "Mẫu số 04 — Kế hoạch hỗ trợ, can thiệp"),
    "05": ("approval", "ApprovalDialog", "Mẫu số 05 — Phê duyệt kế hoạch"),
    "hoat_dong": ("execution", "ExecutionDialog", "Thực hiện kế hoạch"),
    "06": ("review", "ReviewDialog", "Mẫu số 06 — Rà soát, đánh giá"),
    "dong": ("closure", "ClosureDialog", "Đóng / mở lại hồ sơ"),
    "bao_cao_vu_viec": ("incident_report", "IncidentReportDialog", "Báo cáo vụ việc lên cấp trên"),
}


def screen_class(form: str):
    module, name, _ = SCREENS[form]
    return getattr(import_module(f"{__name__}.{module}"), name)


def open_screen(form: str, ws, case_id: int, parent=None):
    """Build (not show) the screen that does `form` on the case."""
    return screen_class(form)(ws, case_id, parent)
