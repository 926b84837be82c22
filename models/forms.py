"""The registry of forms: every paper of the case process and every screen step, said once.

Each form has one code, used everywhere (the database's stages and to-do items, the screens, the printouts,
the command line, JSON output): "01" … "07" for Mẫu số 01–07 of Nghị định 56/2017/NĐ-CP, "bien_ban_hop" for
the meeting minutes, "bao_cao_vu_viec" for the incident report to the level above. `normalise` turns what a
person types ("1", "minutes", "bao-cao-vu-viec" …) into that code; nothing else may.

Where each fact lives:
  * the wording of a form (its name, its fields, its signature lines, whether it is the decree's text):
    resources/forms/mauNN.json or <code>.json, read through models.wording;
  * which paper a case has, and in which legal order: `FORMS` below (order) and `Form.records` (the case's
    relationship that holds the records);
  * the screen that fills the form (`screen`, a class under desktop/process/) and the printout that prints it
    (`printout`, a module under printouts/ with `render(case, office, out, *, version=None)` and, when the form
    has a blank, `render_blank(office, out)`).

A new form: its wording file under resources/forms/, its tables and service under models/, its screen under
desktop/process/, its printout under printouts/, and one line here. docs/architecture.md says the same.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import UserError


class UnknownForm(UserError):
    """A form code nobody knows (what a person typed on the command line, or a bug)."""


@dataclass(frozen=True)
class Form:
    code: str  # the one code of the form
    short: str  # what a person calls it: "Mẫu số 02", "Biên bản họp"
    article: str  # the provision that asks for this paper
    filled_by: str  # who writes it
    signed_by: str  # who signs it
    printout: str  # module under printouts/
    screen: str  # "module.Class" under desktop/process/ ("" when the paper is written in the intake wizard)
    step_button: str  # the case view's button for the step that fills it ("" when there is none)
    records: str  # the Case relationship holding its records (one per case, or several)
    blank: bool = True  # a blank form to fill in by hand exists
    local_wording: bool = True  # an office may replace its wording (models.wording)
    aliases: tuple[str, ...] = ()  # other spellings accepted from a person (command line)
    # What one printout of the form is about: "case" (Mẫu 01–07, a case file), or, for alternative care, "carer"
    # (Mẫu 08, 11), "child" (Mẫu 10, 14: a CareNeed / FacilityChild), "placement" (Mẫu 12, 13, 15, 16), "office"
    # (Mẫu 09, the commune's list). The screen's package follows: desktop/process/ for a case, desktop/care/
    # otherwise; a care form's printout is `render(record, office, out, *, version=None)`.
    subject: str = "case"

    @property
    def screen_package(self) -> str:
        return "process" if self.subject == "case" else "care"

    @property
    def file_name(self) -> str:
        """The printout's file name stem: "mau02", "bien-ban-hop"."""
        return f"mau{self.code}" if self.code.isdigit() else self.code.replace("_", "-")


@dataclass(frozen=True)
class Step:
    """A screen of the process that is not a form of its own (carrying out the plan, closing the file)."""

    code: str
    screen: str
    step_button: str
    title: str


NĐ56 = "Nghị định 56/2017/NĐ-CP"
WORKER = "người làm công tác bảo vệ trẻ em cấp xã"
CHAIRMAN = "Chủ tịch Ủy ban nhân dân cấp xã (hoặc Phó Chủ tịch ký thay)"

# In the legal order of the case file (printouts.dossier interleaves the records of one case in this order).
FORMS: tuple[Form, ...] = (
    Form("01", "Mẫu số 01", f"khoản 1 Điều 25 {NĐ56}", "nơi tiếp nhận thông tin (cán bộ tiếp nhận)",
         "cán bộ tiếp nhận thông tin", "form01", "", "", "intake", aliases=("1",)),
    Form("02", "Mẫu số 02", f"khoản 2 Điều 26 {NĐ56}", WORKER, WORKER, "form02",
         "initial_assessment.InitialAssessmentDialog", "Làm Mẫu 02…", "initial_assessment", aliases=("2",)),
    Form("07", "Mẫu số 07", f"khoản 2 Điều 32 {NĐ56}", WORKER + " (dự thảo)", CHAIRMAN, "form07",
         "separation.SeparationDialog", "Mở Mẫu 07 (cách ly)…", "separations", aliases=("7",)),
    Form("03", "Mẫu số 03", f"khoản 1 Điều 27 {NĐ56}", WORKER, WORKER, "form03",
         "risk_assessment.RiskAssessmentDialog", "Làm Mẫu 03…", "risk_assessments", aliases=("3",)),
    Form("bien_ban_hop", "Biên bản họp", f"khoản 2 Điều 27 và điểm b khoản 2 Điều 28 {NĐ56}",
         "thư ký cuộc họp", "chủ trì và thư ký cuộc họp", "minutes", "meeting.MeetingDialog",
         "Ghi biên bản họp…", "meetings", aliases=("minutes", "bien-ban", "bienban", "bb", "bien-ban-hop")),
    Form("04", "Mẫu số 04", f"khoản 1 Điều 28 {NĐ56}", WORKER, WORKER + " và " + CHAIRMAN, "form04",
         "plan.PlanDialog", "Làm kế hoạch (Mẫu 04)…", "plans", aliases=("4",)),
    Form("05", "Mẫu số 05", f"điểm c khoản 2 Điều 28 {NĐ56}", WORKER + " (dự thảo)", CHAIRMAN, "form05",
         "approval.ApprovalDialog", "Phê duyệt (Mẫu 05)…", "plans", aliases=("5",)),
    Form("06", "Mẫu số 06", f"khoản 2 Điều 30 {NĐ56}", WORKER, WORKER, "form06", "review.ReviewDialog",
         "Rà soát (Mẫu 06)…", "reviews", aliases=("6",)),
    Form("bao_cao_vu_viec", "Báo cáo vụ việc", f"Điều 24 và Điều 33 {NĐ56}",
         WORKER + " (dự thảo)", CHAIRMAN, "incident_report", "incident_report.IncidentReportDialog",
         "Báo cáo vụ việc…", "incident_reports", blank=False, local_wording=False,
         aliases=("bao-cao-vu-viec", "bcvv")),
)

# Alternative care (NĐ 56 Điều 38–48): Mẫu 08–16, in the law's order. Not part of a case file's legal order
# (`legal_order`), printed from the carer, the child's need of care or the placement they are about.
CARE_FORMS: tuple[Form, ...] = (
    Form("08", "Mẫu số 08", f"khoản 1 Điều 39 {NĐ56}", "cá nhân, người đại diện gia đình đăng ký", "người làm đơn",
         "form08", "carers.CarerDialog", "", "", aliases=("8",), subject="carer"),
    Form("09", "Mẫu số 09", f"khoản 1 Điều 40 {NĐ56}", "Ủy ban nhân dân cấp xã", CHAIRMAN, "form09",
         "carers.CarersView", "", "", aliases=("9",), subject="office"),
    Form("10", "Mẫu số 10", f"khoản 3 Điều 38 và khoản 1 Điều 42 {NĐ56}", WORKER, WORKER, "form10",
         "child_side.CareNeedDialog", "", "", subject="child", aliases=("10",)),
    Form("11", "Mẫu số 11", f"khoản 1 Điều 42 {NĐ56}", WORKER, WORKER + "; xác nhận: " + CHAIRMAN, "form11",
         "carer_verification.VerificationDialog", "", "", subject="carer"),
    Form("12", "Mẫu số 12", f"khoản 7 Điều 42 {NĐ56}", WORKER + " (dự thảo)", CHAIRMAN, "form12",
         "placement_dialogs.PlacementDialog", "", "", subject="placement", aliases=("12",)),
    Form("13", "Mẫu số 13", f"khoản 2 Điều 43 {NĐ56}", WORKER, WORKER, "form13",
         "placement_dialogs.FollowupDialog", "", "", subject="placement", aliases=("13",)),
    Form("14", "Mẫu số 14", f"khoản 1 Điều 45 {NĐ56}", "người đứng đầu cơ sở trợ giúp xã hội",
         "người đứng đầu cơ sở trợ giúp xã hội", "form14", "child_side.FacilityChildDialog", "", "", subject="child",
         aliases=("14",)),
    Form("15", "Mẫu số 15", f"khoản 1 Điều 48 {NĐ56}", "cá nhân, đại diện gia đình nhận chăm sóc thay thế",
         "cá nhân, đại diện gia đình nhận chăm sóc thay thế", "form15", "placement_dialogs.EndRequestDialog", "", "",
         subject="placement", aliases=("15",)),
    Form("16", "Mẫu số 16", f"khoản 2 Điều 48 {NĐ56}", WORKER + " (dự thảo)", CHAIRMAN, "form16",
         "placement_dialogs.EndDecisionDialog", "", "", subject="placement", aliases=("16",)),
)

STEPS: tuple[Step, ...] = (
    Step("hoat_dong", "execution.ExecutionDialog", "Ghi tiến độ…", "Thực hiện kế hoạch"),
    Step("dong", "closure.ClosureDialog", "", "Đóng / mở lại hồ sơ"),
)

ALL_FORMS: tuple[Form, ...] = FORMS + CARE_FORMS
BY_CODE: dict[str, Form] = {f.code: f for f in ALL_FORMS}
_SPELLINGS: dict[str, str] = {**{f.code: f.code for f in ALL_FORMS},
                              **{alias: f.code for f in ALL_FORMS for alias in f.aliases}}


def normalise(text: object) -> str:
    """The form's code from what a person typed ("1", "01", "minutes", "bao-cao-vu-viec"…); UnknownForm
    (a Vietnamese message listing the forms) otherwise. ASCII only: "０１" is not a form."""
    key = str(text).strip().lower()
    if key.isascii() and key.isdigit() and len(key) <= 2:
        key = key.zfill(2)
    if key not in _SPELLINGS:
        raise UnknownForm(f"Không có mẫu \"{str(text)[:20]}\". Các mẫu: 01 … 07, bien_ban_hop (biên bản họp, "
                          "cũng viết minutes) hoặc bao_cao_vu_viec (báo cáo vụ việc)"
                          + (f"; chăm sóc thay thế: {', '.join(f.code for f in CARE_FORMS)}" if CARE_FORMS else "")
                          + ".")
    return _SPELLINGS[key]


def get(code: str) -> Form:
    """The form of a code (any accepted spelling)."""
    return BY_CODE[normalise(code)]


def legal_order() -> list[str]:
    """The case file's papers in legal order (Mẫu 01–07 and the two papers of the case process)."""
    return [f.code for f in FORMS]


def care_forms() -> list[Form]:
    """The papers of alternative care (Mẫu 08–16), in the law's order."""
    return list(CARE_FORMS)


def screens() -> dict[str, str]:
    """Step code → "module.Class" under desktop/process/, for every screen of the process."""
    found = {f.code: f.screen for f in FORMS if f.screen}
    found.update({s.code: s.screen for s in STEPS})
    return found


def step_buttons() -> dict[str, str]:
    """Step code → what the case view's button for that step says."""
    found = {f.code: f.step_button for f in FORMS if f.step_button}
    found.update({s.code: s.step_button for s in STEPS if s.step_button})
    return found


def blank_forms() -> list[Form]:
    return [f for f in ALL_FORMS if f.blank]


def forms_with_local_wording() -> tuple[str, ...]:
    return tuple(f.code for f in ALL_FORMS if f.local_wording)


def step_title(code: str) -> str:
    """What a step of the process is called: the form's short name, or the step's own name."""
    for step in STEPS:
        if step.code == code:
            return step.title
    return get(code).short
