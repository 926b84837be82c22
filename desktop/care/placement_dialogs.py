"""The placement's screens: choosing the carer and drafting Mẫu 12 (candidates in the order of preference of NĐ 56
Điều 42.2–42.3, the reason when departing from it), the chairman's signature (Mẫu 12, Mẫu 16), the hand-over
(15 working days), the follow-up report (Mẫu 13), the carer's request to end (Mẫu 15), the draft of Mẫu 16."""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QTableWidget, QTableWidgetItem

from models.care_entities import CareNeed, Placement
from models.clock import fmt_date, fmt_datetime, now
from models.services import placements
from models.services.office import get_office
from models.wording import form_definition

from desktop.common.fields import RadioChoice, date_edit, date_time_edit, multiline, yes_no_answer, yes_no_choice
from desktop.common.frame import fit_columns, read_only_table
from desktop.care.base import CareDialog
from desktop.care.child_side import child_line

def ground_choice(items: list[dict]) -> RadioChoice:
    """The grounds of Luật Trẻ em Điều 69 as radio buttons: a radio button does not wrap, so a long ground is
    shortened on screen (its whole text in the tooltip and on paper)."""
    def short(text: str) -> str:
        return text if len(text) <= 90 else text[:87].rsplit(" ", 1)[0] + " …"

    choice = RadioChoice({i["id"]: short(i["text"]) for i in items}, vertical=True)
    for i in items:
        choice.button(i["id"]).setToolTip(i["text"])
    return choice


CAPACITIES = {"chu_tich": "Chủ tịch", "kt_pho_chu_tich": "KT. Chủ tịch — Phó Chủ tịch"}


def placement_line(p: Placement) -> str:
    who = p.carer.full_name if p.carer else p.facility_name
    return (child_line(p.child) + f"<br>Hình thức: {escape(placements.form_words().get(p.form, p.form))}; người nhận: "
            f"<b>{escape(who)}</b>; {escape(placements.STAGES[placements.stage(p)])}")


class PlacementDialog(CareDialog):
    """Choosing the carer and drafting the decision (Mẫu 12) for the chairman."""

    FORM = "12"
    TITLE = "Mẫu 12 — Chọn người nhận chăm sóc thay thế, dự thảo quyết định giao, nhận trẻ em"
    SAVE_TEXT = "Lưu dự thảo Mẫu 12"

    def __init__(self, ws, care_need_id: int, parent=None, *, placement_id: int | None = None):
        self.care_need_id, self.placement_id = care_need_id, placement_id
        self.row_version = None
        super().__init__(ws, parent)

    def build(self) -> None:
        with self.db.session() as s:
            need = s.get(CareNeed, self.care_need_id)
            self.found = placements.candidates(s, need, now().date(), all_carers=True)
            self.set_header(child_line(need.child) + "<br>Người nhận được xếp theo thứ tự ưu tiên của khoản 2 và khoản 3 Điều 42 "
                            "Nghị định 56/2017/NĐ-CP. Chỉ giao trẻ em cho người đã được xác minh đủ điều kiện (Mẫu 11).")
            existing = s.get(Placement, self.placement_id) if self.placement_id else None
            if existing is not None:
                self.row_version = existing.row_version
                start = {k: getattr(existing, k) for k in ("form", "facility_name", "preference_reason", "support",
                                                          "recipients")}
                start["carer_id"] = existing.carer_id
            else:
                start = {"form": need.preferred_form or "", "recipients": "Như Điều 3;\nLưu: VT."}
        table = QTableWidget(len(self.found), 5)
        table.setHorizontalHeaderLabels(["Người nhận", "Thứ tự ưu tiên", "Tình trạng", "Số lần gặp trẻ", "Lưu ý"])
        read_only_table(table, "candidates")
        for row, c in enumerate(self.found):
            for col, text in enumerate((c.name, c.rank_words, "Đủ điều kiện" if c.standing == "du_dieu_kien"
                                        else "Chưa đủ điều kiện", str(c.meetings), " ".join(c.problems) or "—")):
                table.setItem(row, col, QTableWidgetItem(text))
        table.setMinimumHeight(150)
        table.resizeColumnsToContents()
        fit_columns(table, room=4, room_min=160)
        table.itemSelectionChanged.connect(self._picked)
        self.table = table
        self.add_text("Người nhận chăm sóc thay thế (theo thứ tự ưu tiên):", bold=True)
        self.form.addRow(table)
        self.add("form", "Hình thức chăm sóc thay thế", RadioChoice(placements.form_words(), vertical=True))
        combo = QComboBox()
        combo.addItem("— chọn trong bảng trên —", None)
        for c in self.found:
            combo.addItem(c.name, c.carer_id)
        self.add("carer_id", "Người nhận", combo)
        self.add("facility_name", "Tên cơ sở trợ giúp xã hội (chỉ khi chọn cơ sở)", QLineEdit())
        self.add("preference_reason", "Lý do chọn khác thứ tự ưu tiên", multiline(height=50),
                 hint="Bắt buộc khi có người được ưu tiên hơn mà không chọn (khoản 2 và khoản 3 Điều 42).")
        self.add("support", "Hỗ trợ cho trẻ em và người nhận", multiline(height=50))
        self.add("recipients", "Nơi nhận", multiline(height=50))
        self.fill(start)

    def _picked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            c = self.found[rows[0].row()]
            combo = self.widgets["carer_id"]
            combo.setCurrentIndex(combo.findData(c.carer_id))
            self.widgets["form"].set_value(c.form)

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["row_version"] = self.row_version
        return values

    def save(self, values: dict[str, Any]) -> str:
        self.placement_id = placements.save_placement_draft(self.db, self.actor, self.care_need_id, values,
                                                            placement_id=self.placement_id)
        with self.db.session() as s:
            self.row_version = s.get(Placement, self.placement_id).row_version
        return "Đã lưu dự thảo Mẫu 12; Chủ tịch ký quyết định trong thẻ Chăm sóc thay thế."


class OnePlacementDialog(CareDialog):
    """A screen about one placement. ONCE: what it records is done once (a decision signed, a date recorded, a
    request handed in), so the save button goes off after a save."""

    ONCE = False

    def __init__(self, ws, placement_id: int, parent=None):
        self.placement_id = placement_id
        super().__init__(ws, parent)

    def after_save(self) -> None:
        if self.ONCE:
            self.save_button.setEnabled(False)


class SignDialog(OnePlacementDialog):
    """The chairman signs Mẫu 12 (the placement) or Mẫu 16 (its end): the number "…/QĐ-UBND" is issued."""

    TITLE = "Ký quyết định"
    SAVE_TEXT = "Ký quyết định"
    ONCE = True
    HEIGHT = 460

    def __init__(self, ws, placement_id: int, parent=None, *, which: str = "12"):
        self.which = which
        self.FORM = which
        self.TITLE = ("Mẫu 12 — Ký quyết định giao, nhận trẻ em" if which == "12"
                      else "Mẫu 16 — Ký quyết định chấm dứt chăm sóc thay thế")
        super().__init__(ws, placement_id, parent)

    def build(self) -> None:
        with self.db.session() as s:
            p = s.get(Placement, self.placement_id)
            self.set_header(placement_line(p))
        office = get_office(self.db)
        self.add("decided_by", "Người ký", QLineEdit(getattr(office, "chairman_name", "") or self.actor.full_name))
        self.add("signing_capacity", "Thẩm quyền ký", RadioChoice(CAPACITIES))
        self.widgets["signing_capacity"].set_value("chu_tich")
        self.add("decided_at", "Thời điểm ký", date_time_edit())
        if self.which == "16":
            self.add("ended_on", "Ngày trẻ em rời người nhận chăm sóc", date_edit())

    def save(self, values: dict[str, Any]) -> str:
        if self.which == "12":
            number = placements.decide_placement(self.db, self.actor, self.placement_id, decided_by=values["decided_by"],
                                                 signing_capacity=values["signing_capacity"],
                                                 decided_at=values["decided_at"])
            return f"Đã ký quyết định số {number}. Giao trẻ em trong 15 ngày làm việc."
        number, said = placements.decide_end(self.db, self.actor, self.placement_id, decided_by=values["decided_by"],
                                             signing_capacity=values["signing_capacity"],
                                             decided_at=values["decided_at"], ended_on=values["ended_on"])
        return f"Đã ký quyết định chấm dứt số {number}." + ("" if not said else " " + "; ".join(said) + ".")


class HandoverDialog(OnePlacementDialog):
    """The hand-over of the child to the carer, within 15 working days of the decision (Điều 42.7)."""

    FORM = "12"
    TITLE = "Ghi việc giao trẻ em cho người nhận chăm sóc thay thế"
    SAVE_TEXT = "Ghi ngày giao"
    ONCE = True
    HEIGHT = 460

    def build(self) -> None:
        with self.db.session() as s:
            p = s.get(Placement, self.placement_id)
            limit = placements.handover_deadline(p, self.calendar)
            self.set_header(placement_line(p) + f"<br>Quyết định ký lúc {fmt_datetime(p.decided_at)}; hạn giao trẻ em: "
                            f"<b>{fmt_date(limit)}</b> (15 ngày làm việc, không tính thứ Bảy, Chủ nhật, ngày lễ, Tết).")
        self.add("handed_over_on", "Ngày giao trẻ em", date_edit())
        self.add("handover_note", "Ghi chú (bắt buộc khi giao sau thời hạn)", multiline(height=60))
        self.add_text("Giấy tờ đính kèm (bản đã ký Mẫu 12, biên bản giao, nhận trẻ em …):", bold=True)
        from desktop.common.attachments import AttachmentsPanel

        self.attachments = AttachmentsPanel(self.ws, "placement", self.placement_id, default_kind="ban_da_ky",
                                            default_note="Bản đã ký Mẫu số 12", parent=self)
        self.form.addRow(self.attachments)

    def save(self, values: dict[str, Any]) -> str:
        said = placements.record_handover(self.db, self.actor, self.placement_id,
                                          handed_over_on=values["handed_over_on"], note=values["handover_note"],
                                          cal=self.calendar)
        return "Đã ghi ngày giao trẻ em." + (" Sổ theo dõi: " + "; ".join(said) + "." if said else "")


class FollowupDialog(OnePlacementDialog):
    """Mẫu 13: the follow-up report after 1 month, 3 months, every 6 months, or on a change."""

    FORM = "13"
    TITLE = "Mẫu 13 — Báo cáo theo dõi, đánh giá trẻ em được chăm sóc thay thế"
    SAVE_TEXT = "Lưu Mẫu 13"

    def __init__(self, ws, placement_id: int, parent=None, *, kind: str = ""):
        self.kind = kind
        self.followup_id: int | None = None
        super().__init__(ws, placement_id, parent)

    def build(self) -> None:
        spec = form_definition("13")
        with self.db.session() as s:
            p = s.get(Placement, self.placement_id)
            due = [d for d in placements.followup_schedule(p, self.calendar) if d.done is None]
            self.set_header(placement_line(p) + "<br>Ngày giao trẻ em: " + fmt_date(p.handed_over_on)
                            + ("<br>Báo cáo đến hạn: " + "; ".join(
                                f"{escape(d.title)}" + (f" — {fmt_date(d.due)}" if d.due else "") for d in due[:3])
                               if due else ""))
            kind = self.kind or (due[0].kind if due else "")
        self.add("kind", "Loại báo cáo", RadioChoice(spec["kinds"], vertical=True))
        self.widgets["kind"].set_value(kind)
        self.add("report_date", "Ngày báo cáo", date_edit())
        self.add("reporter", "Người báo cáo", QLineEdit(self.actor.full_name))
        for section in spec["sections"]:
            self.add(section["field"], section["label"], multiline(height=50))
        self.add("child_safe", spec["child_safe"], yes_no_choice())
        self.add("conclusion", "Kết luận", RadioChoice(spec["conclusions"], vertical=True, none_label="Chưa kết luận"))
        self.add("recommendations", spec["recommendations"], multiline(height=50))

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["child_safe"] = yes_no_answer(values["child_safe"])
        values["conclusion"] = values["conclusion"] or None
        return values

    def save(self, values: dict[str, Any]) -> str:
        self.followup_id = placements.save_followup(self.db, self.actor, self.placement_id, values,
                                                    followup_id=self.followup_id)
        return "Đã lưu Mẫu 13."


class EndRequestDialog(OnePlacementDialog):
    """Mẫu 15: the carer's request to end the placement, as handed in to the commune."""

    FORM = "15"
    TITLE = "Mẫu 15 — Đơn đề nghị chấm dứt việc chăm sóc thay thế"
    SAVE_TEXT = "Ghi đơn"
    ONCE = True
    HEIGHT = 500

    def build(self) -> None:
        spec = form_definition("15")
        with self.db.session() as s:
            p = s.get(Placement, self.placement_id)
            self.set_header(placement_line(p))
            name = p.carer.full_name if p.carer else ""
        self.add("requested_on", "Ngày làm đơn", date_edit())
        self.add("requested_by", "Người làm đơn", QLineEdit(name))
        self.add("ground", spec["grounds"]["heading"], ground_choice(spec["grounds"]["items"]))
        self.add("reason", spec["reason"], multiline(height=70))

    def save(self, values: dict[str, Any]) -> str:
        placements.save_end_request(self.db, self.actor, self.placement_id, values)
        return "Đã ghi đơn. Làm báo cáo theo dõi khi chuyển đổi (Mẫu 13) và dự thảo quyết định chấm dứt (Mẫu 16)."


class EndDecisionDialog(OnePlacementDialog):
    """Mẫu 16 drafted by the worker: the ground of Luật Điều 69, the reasons, the child's next arrangement."""

    FORM = "16"
    TITLE = "Mẫu 16 — Dự thảo quyết định chấm dứt, chuyển hình thức chăm sóc thay thế"
    SAVE_TEXT = "Lưu dự thảo Mẫu 16"

    def __init__(self, ws, placement_id: int, parent=None):
        self.row_version = None
        super().__init__(ws, placement_id, parent)

    def build(self) -> None:
        spec = form_definition("16")
        with self.db.session() as s:
            p = s.get(Placement, self.placement_id)
            self.set_header(placement_line(p) + ("<br>Có đơn đề nghị chấm dứt (Mẫu 15) ngày "
                                                 + fmt_date(p.end_requests[-1].requested_on) if p.end_requests else ""))
            d = p.end_decision
            start = ({k: getattr(d, k) for k in ("ground", "reasons", "new_form", "new_arrangement", "recipients")}
                     if d is not None else {"ground": "69_1_c" if p.end_requests else "",
                                            "recipients": "Như Điều 3;\nLưu: VT."})
            if d is not None:
                self.row_version = d.row_version
        self.add("ground", spec["grounds"]["heading"], ground_choice(spec["grounds"]["items"]))
        self.add("reasons", "Lý do, kết quả theo dõi", multiline(height=60))
        self.add("new_form", "Hình thức tiếp theo", RadioChoice(spec["new_forms"], vertical=True,
                                                                none_label="Không chuyển hình thức"))
        self.add("new_arrangement", "Sắp xếp cho trẻ em sau khi chấm dứt", multiline(height=50))
        self.add("recipients", "Nơi nhận", multiline(height=50))
        self.fill(start)

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["row_version"] = self.row_version
        return values

    def save(self, values: dict[str, Any]) -> str:
        placements.save_end_draft(self.db, self.actor, self.placement_id, values)
        with self.db.session() as s:
            self.row_version = s.get(Placement, self.placement_id).end_decision.row_version
        return "Đã lưu dự thảo Mẫu 16; Chủ tịch ký trong thẻ Chăm sóc thay thế."


class TakeBackDialog(OnePlacementDialog):
    """Something recorded on a placement taken back: only with a reason and after a confirmation (a stage never
    moves backwards silently). Declining the confirmation does nothing and leaves the button for another try."""

    FORM = "12"
    HEIGHT = 420
    REASON = ""  # the reason's label
    NO_REASON = ""  # the message when the reason is empty
    CONFIRM = ("", "")  # the confirmation's question and its "yes" (the title is the dialog's)
    NOT_DONE, DONE = "", ""
    taken_back = False  # set once confirmed and done (not "done": QDialog.done is a method Qt calls on closing)

    def build(self) -> None:
        with self.db.session() as s:
            p = s.get(Placement, self.placement_id)
            self.set_header(placement_line(p) + "<br>" + self.explain(p))
        self.add("reason", self.REASON, multiline(height=60))

    def explain(self, p: Placement) -> str:
        """What is taken back and when it may be (under the placement's line)."""
        raise NotImplementedError

    def take_back(self, reason: str) -> None:
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> str:
        from desktop.common import messages
        from models.services.process_common import ProcessError

        if not values["reason"].strip():
            raise ProcessError({"reason": self.NO_REASON})
        question, yes = self.CONFIRM
        if not messages.confirm(self, self.TITLE, question, yes):
            return self.NOT_DONE
        self.take_back(values["reason"])
        self.taken_back = True
        return self.DONE

    def after_save(self) -> None:
        if self.taken_back:
            self.save_button.setEnabled(False)


class UndoHandoverDialog(TakeBackDialog):
    """A hand-over recorded by mistake taken back; the register's groups the hand-over changed are taken back too."""

    TITLE = "Huỷ việc ghi giao trẻ em"
    SAVE_TEXT = "Huỷ ghi giao trẻ em"
    REASON = "Lý do huỷ"
    NO_REASON = "Ghi lý do huỷ việc ghi giao trẻ em."
    CONFIRM = ("Huỷ ngày giao trẻ em đã ghi? Nhóm của trẻ trong sổ theo dõi trở lại như trước khi giao.",
               "Huỷ ghi giao trẻ em")
    NOT_DONE, DONE = "Chưa huỷ.", "Đã huỷ việc ghi giao trẻ em."

    def explain(self, p: Placement) -> str:
        return f"Đã ghi giao trẻ em ngày <b>{fmt_date(p.handed_over_on)}</b>. Chỉ huỷ khi ghi nhầm; phải ghi lý do."

    def take_back(self, reason: str) -> None:
        placements.undo_handover(self.db, self.actor, self.placement_id, reason)


class DeleteDraftDialog(TakeBackDialog):
    """A Mẫu 12 draft not yet signed, withdrawn; the child's Mẫu 10 waits for a carer again."""

    TITLE = "Xoá dự thảo Mẫu 12"
    SAVE_TEXT = "Xoá dự thảo"
    REASON = "Lý do xoá"
    NO_REASON = "Ghi lý do xoá dự thảo Mẫu 12."
    CONFIRM = ("Xoá dự thảo quyết định giao, nhận trẻ em này? Việc xoá được ghi vào nhật ký cùng lý do.",
               "Xoá dự thảo")
    NOT_DONE, DONE = "Chưa xoá.", "Đã xoá dự thảo Mẫu 12. Trẻ em trở lại danh sách cần chọn người nhận."

    def explain(self, p: Placement) -> str:
        return (f"Dự thảo lập ngày {fmt_date(p.drafted_at)}, chưa ký. Xoá khi không giao trẻ em theo dự thảo này nữa; "
                "phải ghi lý do. Các buổi gặp và Mẫu 10 vẫn giữ.")

    def take_back(self, reason: str) -> None:
        placements.delete_placement_draft(self.db, self.actor, self.placement_id, reason)
