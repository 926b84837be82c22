"""Closing a case with its reason, and reopening a closed one with the reason (the history stays)."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel

from models.services import review as service

from desktop.common import messages
from desktop.common.fields import multiline
from desktop.process.base import ProcessDialog, fmt_datetime, wrap_label


class ClosureDialog(ProcessDialog):
    HELP_PAGE = "dong-mo-lai-ho-so"  # F1: this screen's page of the guide (resources/help)
    FORM = "dong"
    TITLE = "Đóng hoặc mở lại hồ sơ"

    def build(self) -> None:
        self.state = wrap_label("")
        self.state.setObjectName("closure_state")
        self.body.addWidget(self.state)
        self.history = QLabel()
        self.history.setObjectName("status_history")
        self.history.setWordWrap(True)
        self.body.addWidget(self.history)
        form = self.section("Lý do")
        self.add_field(form, "reason", None, multiline(height=70), required=True)
        allowed = self.actor.can("case.edit")
        self.close_case_button = self.add_button("Đóng hồ sơ", "close_case", self.close_case, allowed=allowed)
        self.reopen_button = self.add_button("Mở lại hồ sơ", "reopen", self.reopen, allowed=allowed)

    def can_edit(self) -> bool:
        return self.actor.can("case.edit")

    def load(self) -> None:
        closed = self.case.closed_at is not None
        if closed:
            self.state.setText(f"Hồ sơ đã đóng lúc <b>{fmt_datetime(self.case.closed_at)}</b>. "
                               f"Lý do: {escape(self.case.closed_reason)}<br>Mở lại khi có thông tin mới; "
                               "hồ sơ quay về bước đánh giá nguy cơ cụ thể (Mẫu số 03).")
        else:
            self.state.setText("Hồ sơ đang mở. Đóng hồ sơ khi không còn cần hỗ trợ, can thiệp (ví dụ thông tin "
                               "không có căn cứ, gia đình chuyển đi nơi khác). Ghi rõ lý do.")
        kinds = {"dong": "Đóng hồ sơ", "mo_lai": "Mở lại hồ sơ"}
        items = "".join(f"<li>{fmt_datetime(e.at)} — {kinds.get(e.kind, e.kind)}: {escape(e.reason)}</li>"
                        for e in self.case.status_events)
        self.history.setText(f"<b>Lịch sử đóng, mở hồ sơ</b><ul>{items}</ul>" if items else "")
        self.close_case_button.setEnabled(not closed)
        self.reopen_button.setEnabled(closed)

    def close_case(self) -> None:
        reason = self.widgets["reason"].toPlainText()
        if reason.strip() and not messages.confirm(
                self, "Đóng hồ sơ", f"Đóng hồ sơ {self.case.code} của trẻ em {self.case.child.full_name}?",
                "Đóng hồ sơ"):
            return
        ok, _ = self.run(lambda: service.close_case(self.db, self.actor, self.case_id, reason))
        if ok:
            self.widgets["reason"].clear()
            self.done_saving("Đã đóng hồ sơ.")

    def reopen(self) -> None:
        reason = self.widgets["reason"].toPlainText()
        ok, _ = self.run(lambda: service.reopen_case(self.db, self.actor, self.case_id, reason))
        if ok:
            self.widgets["reason"].clear()
            self.done_saving("Đã mở lại hồ sơ. Bước tiếp theo: đánh giá lại nguy cơ (Mẫu số 03).")
