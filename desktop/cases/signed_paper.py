""""Bản đã ký": the signed paper of a form, scanned back in, kept with that form's record and shown beside the
paper the program printed."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton

from models.errors import UserError
from models.services.accounts import Workspace

from desktop.common.attachments import HELP_PAGE, AttachmentsPanel, AttachmentViewer
from desktop.common.frame import DialogFrame


def _short_note(form_code: str) -> str:
    """"Bản đã ký Mẫu số 05": the note proposed for a signed copy (the form's short name from models.forms)."""
    from models import forms

    try:
        return f"Bản đã ký {forms.get(form_code).short}"
    except UserError:
        return "Bản đã ký"


class SignedPaperDialog(QDialog):
    """The signed copies of one paper of a case (its form code and record): add, view beside the printout,
    remove."""

    HELP_PAGE = HELP_PAGE
    changed = Signal(int)  # case id

    def __init__(self, ws: Workspace, case_id: int, form_code: str, record_id: int | None, title: str, parent=None):
        super().__init__(parent)
        self.ws, self.case_id, self.form_code, self.record_id = ws, case_id, form_code, record_id
        self.setWindowTitle(f"Bản đã ký — {title}")
        intro = QLabel(f"<b>{escape(title)}</b><br>Sau khi in và ký, đóng dấu, hãy quét (hoặc chụp) bản giấy và "
                       "đính kèm vào đây: bản đã ký được giữ cùng hồ sơ, mã hoá như mọi dữ liệu khác, và xem được "
                       "cạnh bản in từ chương trình.")
        intro.setWordWrap(True)
        intro.setObjectName("signed_intro")
        self.panel = AttachmentsPanel(ws, "form", case_id, form_code=form_code, form_record_id=record_id,
                                      default_kind="ban_da_ky", default_note=_short_note(form_code), parent=self)
        self.panel.view_button.setText("Xem cạnh bản in")
        self.panel.view_button.clicked.disconnect()
        self.panel.view_button.clicked.connect(self.view_beside)
        self.panel.list.itemDoubleClicked.disconnect()
        self.panel.list.itemDoubleClicked.connect(lambda _i: self.view_beside())
        self.panel.changed.connect(lambda: self.changed.emit(self.case_id))
        close = QPushButton("Đóng")
        close.setObjectName("close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.frame = DialogFrame(self, width=620)
        self.frame.body.addWidget(intro)
        self.frame.body.addWidget(self.panel)
        self.frame.body.addStretch(1)
        self.frame.set_buttons(buttons)

    def printout(self) -> bytes | None:
        """The paper as the program prints it (recorded as shown, like the print preview); None if this account
        may not print or the paper cannot be printed."""
        if not self.ws.actor.can("print"):
            return None
        from desktop.actions import printing

        try:
            return printing.show(self.ws, printing.form(self.ws, self.case_id, self.form_code)).pdf
        except UserError:
            return None

    def view_beside(self) -> AttachmentViewer | None:
        info = self.panel.selected()
        if info is None:
            return None
        try:
            viewer = AttachmentViewer(self.ws, info.id, beside=self.printout(), parent=self)
        except UserError as exc:
            QMessageBox.warning(self, "Không mở được tệp", str(exc))
            return None
        viewer.setAttribute(Qt.WA_DeleteOnClose)
        viewer.open()
        return viewer
