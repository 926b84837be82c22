"""The child's side of alternative care: Mẫu 10 with the child's file (what is still missing shown), a child from a
facility's list (Mẫu 14) entered by hand, and the meetings between the child and a prospective carer."""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit

from models.care_entities import Carer, CareNeed, FacilityChild
from models.clock import fmt_date, now
from models.entities import Child
from models.services import care_need
from models.services.carers import STANDINGS, standing
from models.services.register import age_text
from models.wording import form_definition

from desktop.common.fields import RadioChoice, date_edit, multiline
from desktop.process.base import VerticalChecks, qdate
from desktop.care.base import CareDialog, optional_date

PAPERS = (("birth_certificate_on", "Giấy khai sinh (hoặc giấy tờ tùy thân) nhận ngày"),
          ("health_certificate_on", "Giấy khám sức khỏe, ngày cấp"),
          ("photos_taken_on", "Hai ảnh toàn thân 8 x 10 cm, ngày chụp"),
          ("abandonment_record_on", "Biên bản xác nhận trẻ em bị bỏ rơi, ngày (nếu có)"))


def child_line(child: Child) -> str:
    return (f"<b>{escape(child.full_name)}</b> — {escape(age_text(child.date_of_birth, child.estimated_age))}"
            + (f", {escape(child.village)}" if child.village else ""))


class CareNeedDialog(CareDialog):
    """Mẫu 10: the worker's assessment of the child's situation, needs and wishes, and the child's file."""

    FORM = "10"
    TITLE = "Mẫu 10 — Đánh giá trẻ em cần chăm sóc thay thế"
    SAVE_TEXT = "Lưu Mẫu 10"

    def __init__(self, ws, parent=None, *, care_need_id: int | None = None, start: dict[str, Any] | None = None):
        self.care_need_id = care_need_id
        self.start = dict(start or {})
        self.row_version = None
        super().__init__(ws, parent)

    def build(self) -> None:
        spec = form_definition("10")
        need = None
        if self.care_need_id is not None:
            with self.db.session() as s:
                need = s.get(CareNeed, self.care_need_id)
                self.start = {"child_id": need.child_id, "case_id": need.case_id,
                              "facility_child_id": need.facility_child_id, "source": need.source}
                self.row_version = need.row_version
        with self.db.session() as s:
            child = s.get(Child, int(self.start["child_id"]))
            self.set_header(child_line(child) + ("<br>Từ hồ sơ vụ việc có quyết định tạm thời cách ly (Mẫu 07)"
                                                 if self.start.get("case_id") else ""))
        self.add("source", "Trẻ em đến từ", RadioChoice(care_need.source_words(), vertical=True))
        self.widgets["source"].set_value(self.start.get("source"))
        # Where the child comes from is where the worker started: a case's Mẫu 07, a facility's Mẫu 14, or the
        # register (a child living in the community).
        self.widgets["source"].setEnabled(False)
        self.add("grounds", spec["grounds"]["heading"], VerticalChecks(care_need.grounds()))
        self.widgets["grounds"].set_value(self.start.get("grounds") or [])
        self.add("assessed_on", "Ngày đánh giá", date_edit())
        self.add("assessor", "Người đánh giá", QLineEdit(self.actor.full_name))
        for section in spec["sections"]:
            self.add(section["field"], section["label"], multiline(height=60))
        self.add("opinion_not_taken_reason", spec["opinion_not_taken"], multiline(height=40),
                 hint="Chỉ ghi khi chưa lấy được ý kiến của trẻ em từ đủ 07 tuổi.")
        self.add("preferred_form", spec["preferred_form"],
                 RadioChoice(form_definition("12")["forms"], vertical=True, none_label="Chưa đề xuất"))
        self.add_text(spec["file"]["heading"], bold=True)
        for key, label in PAPERS:
            self.add(key, label, optional_date())
        self.checklist = self.add_text("")
        self.checklist.setObjectName("file_checklist")
        if need is not None:
            self.fill({k: getattr(need, k) for k in ("grounds", "assessor", "situation", "health", "needs", "wishes",
                                                     "child_opinion", "opinion_not_taken_reason", "preferred_form")})
            self.widgets["assessed_on"].setDate(qdate(need.assessed_on))
            for key, _ in PAPERS:
                self.widgets[key].setText(fmt_date(getattr(need, key)) if getattr(need, key) else "")
        self.show_checklist()

    def show_checklist(self) -> None:
        if self.care_need_id is None:
            self.checklist.setText("Lưu Mẫu 10 để xem hồ sơ của trẻ em còn thiếu giấy tờ gì.")
            return
        with self.db.session() as s:
            need = s.get(CareNeed, self.care_need_id)
            items = care_need.file_status(need, now().date())
        lines = [f"<span style='color:{'#1b5e20' if i.ok else '#b00020'}'>{'✔' if i.ok else '✗'} "
                 f"{escape(i.text)}: {escape(i.note)}</span>" for i in items]
        self.checklist.setText("Hồ sơ của trẻ em hôm nay:<br>" + "<br>".join(lines))

    def values(self) -> dict[str, Any]:
        values = super().values()
        values.update({k: self.start.get(k) for k in ("child_id", "case_id", "facility_child_id")})
        values["preferred_form"] = values.get("preferred_form") or None
        values["row_version"] = self.row_version
        return values

    def save(self, values: dict[str, Any]) -> str:
        self.care_need_id = care_need.save_care_need(self.db, self.actor, values, care_need_id=self.care_need_id)
        with self.db.session() as s:
            self.row_version = s.get(CareNeed, self.care_need_id).row_version
        self.show_checklist()
        return "Đã lưu Mẫu 10."


class FacilityChildDialog(CareDialog):
    """Mẫu 14: a child on a social assistance facility's list, entered by hand; then the child's Mẫu 10."""

    FORM = "14"
    TITLE = "Mẫu 14 — Trẻ em từ danh sách của cơ sở trợ giúp xã hội"
    SAVE_TEXT = "Lưu vào danh sách"
    HEIGHT = 560

    def build(self) -> None:
        self.facility_child_id: int | None = None
        self.set_header("Ghi một trẻ em trong danh sách trẻ em cần tìm cá nhân, gia đình nhận chăm sóc thay thế do cơ "
                        "sở trợ giúp xã hội gửi (Điều 45 Nghị định 56/2017/NĐ-CP).")
        self.add("facility_name", "Tên cơ sở trợ giúp xã hội", QLineEdit())
        self.add("list_date", "Ngày lập danh sách", date_edit())
        self.add("full_name", "Họ và tên trẻ em", QLineEdit())
        self.add("date_of_birth", "Ngày sinh", optional_date())
        self.add("gender", "Giới tính", RadioChoice({"nam": "Nam", "nu": "Nữ", "khong_biet": "Chưa rõ"}))
        self.add("entered_facility_on", "Ngày vào cơ sở", optional_date())
        self.add("situation", "Hoàn cảnh của trẻ em", multiline(height=60))
        self.add("note", "Ghi chú", multiline(height=40))
        from PySide6.QtWidgets import QPushButton

        self.import_button = QPushButton("Nhập cả danh sách từ tệp Excel của cơ sở…")
        self.import_button.setObjectName("import_list")
        self.import_button.setToolTip("Tệp .xlsx có dòng tiêu đề: Họ và tên trẻ em, Ngày sinh, Giới tính, Ngày vào cơ sở, "
                                      "Hoàn cảnh, Ghi chú. Ghi tên cơ sở và ngày lập danh sách ở trên trước.")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.frame.bar.insertWidget(0, self.import_button)
        self.imported: list[int] = []

    def import_file(self, path: str | None = None) -> bool:
        """The facility's whole list from its workbook (checked as a file from outside, all rows or none)."""
        from PySide6.QtWidgets import QFileDialog

        from models.errors import UserError
        from models.services.process_common import ProcessError

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp danh sách của cơ sở", "", "Tệp Excel (*.xlsx)")
            if not path:
                return False
        self.clear_errors()
        values = self.values()
        try:
            self.imported = care_need.import_facility_list(self.db, self.actor, path,
                                                           facility_name=values["facility_name"],
                                                           list_date=values["list_date"])
        except ProcessError as exc:
            for key, message in exc.errors.items():
                (self.errors.get(key) or self.top_error).show_message(message)
            return False
        except UserError as exc:
            self.top_error.show_message(str(exc))
            return False
        self.notice.setText(f"Đã nhập {len(self.imported)} trẻ em của danh sách. Làm Mẫu 10 cho từng trẻ trong thẻ "
                            "Chăm sóc thay thế (Sổ theo dõi trẻ em: tìm theo tên).")
        self.notice.show()
        self.saved.emit()
        return True

    def save(self, values: dict[str, Any]) -> str:
        if self.facility_child_id is not None:
            return "Trẻ em này đã được ghi."
        self.facility_child_id = care_need.add_facility_child(self.db, self.actor, values)
        return "Đã ghi trẻ em vào danh sách. Bấm «Làm Mẫu 10…» trong thẻ Chăm sóc thay thế để đánh giá trẻ em."

    def start(self) -> dict[str, Any]:
        with self.db.session() as s:
            fc = s.get(FacilityChild, self.facility_child_id)
            return {"child_id": fc.child_id, "facility_child_id": fc.id, "source": "co_so"}


class CareMeetingDialog(CareDialog):
    """A meeting between the child and a prospective carer (at least two before the Mẫu 12 decision)."""

    TITLE = "Ghi buổi gặp giữa trẻ em và người nhận chăm sóc thay thế"
    SAVE_TEXT = "Ghi buổi gặp"
    HEIGHT = 520

    def __init__(self, ws, care_need_id: int, parent=None):
        self.care_need_id = care_need_id
        super().__init__(ws, parent)

    def build(self) -> None:
        with self.db.session() as s:
            need = s.get(CareNeed, self.care_need_id)
            carers = sorted(s.query(Carer).filter(Carer.withdrawn_at.is_(None)), key=lambda c: (c.name_key, c.id))
            choices = [(c.id, f"{c.full_name} — {STANDINGS[standing(c)]}") for c in carers]
            met = [(m.met_on, m.carer.full_name) for m in need.meetings]
            self.set_header(child_line(need.child) + "<br>Thông tư 14/2020/TT-BLĐTBXH: trẻ em và người nhận chăm sóc "
                            "thay thế gặp nhau ít nhất 02 lần trước khi quyết định giao trẻ em.")
        combo = QComboBox()
        combo.addItem("— chọn người nhận —", None)
        for cid, text in choices:
            combo.addItem(text, cid)
        self.add("carer_id", "Người nhận chăm sóc thay thế", combo)
        self.add("met_on", "Ngày gặp", date_edit())
        self.add("place", "Địa điểm", QLineEdit())
        self.add("notes", "Diễn biến, phản ứng của trẻ em", multiline(height=70))
        self.done_label = self.add_text("Các buổi đã gặp: " + ("; ".join(f"{fmt_date(d)} với {escape(n)}" for d, n in met)
                                                               or "chưa có"))

    def save(self, values: dict[str, Any]) -> str:
        care_need.add_meeting(self.db, self.actor, self.care_need_id, values)
        return "Đã ghi buổi gặp."
