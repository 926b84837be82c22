"""Signing is deliberate: before the chairman signs a decision (Mẫu 05, Mẫu 07), the decision is shown as
it will read (the PDF preview of desktop.common.pdf_preview) and the signature is confirmed with its own button.
Going back signs nothing. The preview is a look, not an output: it is neither printed nor saved."""
from __future__ import annotations

import io
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from desktop.common.pdf_preview import PdfPreview


def render(doc) -> bytes:
    buffer = io.BytesIO()
    doc.build(buffer)
    return buffer.getvalue()


class SigningPreview(PdfPreview):
    """`confirmed` when the signer clicks the confirm button; closing or "Quay lại" signs nothing."""
    HELP_PAGE = "lanh-dao"  # F1: approving and signing, for the chairman

    confirmed = Signal()

    def __init__(self, pdf: bytes, *, title: str, question: str, confirm_text: str, parent=None):
        super().__init__(pdf, title=title, file_name="xem-truoc.pdf", parent=parent)
        self.setWindowModality(Qt.WindowModal)
        for button in self.findChildren(QPushButton):
            button.hide()  # In…, Lưu…, Đóng: this preview is only for reading before signing
        self.question = QLabel(f"<b>{escape(question)}</b>")
        self.question.setObjectName("signing_question")
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.RichText)
        self.layout().insertWidget(0, self.question)
        self.confirm_button = QPushButton(confirm_text)
        self.confirm_button.setObjectName("confirm_sign")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(self._confirm)
        self.back_button = QPushButton("Quay lại, chưa ký")
        self.back_button.setObjectName("back")
        self.back_button.setDefault(True)  # the safe answer
        self.back_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.back_button)
        row.addWidget(self.confirm_button)
        self.layout().addLayout(row)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:  # the confirm button stays on the screen
            self.resize(min(self.width(), screen.width() - 40), min(self.height(), screen.height() - 60))

    def _confirm(self) -> None:
        self.accept()
        self.confirmed.emit()
