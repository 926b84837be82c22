"""Print preview of a generated PDF, with Print and Save as PDF."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton

from models.wording import wording_of

from desktop.common.frame import DialogFrame


class PdfPreview(QDialog):
    HELP_PAGE = "in-ho-so"  # F1: this screen's page of the guide (resources/help)

    def __init__(self, pdf: bytes, *, title: str, file_name: str, forms: tuple[str, ...] = (),
                 save: Callable[[Path, bytes], object] | None = None, parent=None):
        """`save(path, pdf)` writes the file (desktop.actions.printing.save: the audit entry first, then the file's
        name); without it the file is written safely and nothing is recorded (a preview of nobody's data)."""
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(title)
        self._pdf = pdf
        self._file_name = file_name
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        print_button = QPushButton("In…")
        print_button.clicked.connect(self.print_document)
        save_button = QPushButton("Lưu thành tệp PDF…")
        save_button.clicked.connect(self.save_as)
        close_button = QPushButton("Đóng")
        close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(print_button)
        buttons.addWidget(save_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        # As tall as the screen allows (an A4 page is taller than any office screen), the buttons always below.
        self.frame = DialogFrame(self, width=820, height=2000)
        layout = self.frame.body
        # Whose words the printed forms are: the decree's, reconstructed (with the articles followed), or local.
        notes = [n for n in dict.fromkeys(wording_of(f).notice() for f in forms) if n]
        self.wording_note = QLabel("\n".join(notes))
        self.wording_note.setObjectName("wording_note")
        self.wording_note.setWordWrap(True)
        self.wording_note.setStyleSheet("color:#37474f; background:#eceff1; padding:4px 6px; border-radius:3px;")
        self.wording_note.setVisible(bool(notes))
        layout.addWidget(self.wording_note)
        layout.addWidget(self.view, 1)
        self.frame.set_buttons(buttons)

    def save_to(self, path: Path) -> None:
        """Raises a UserError (a Vietnamese message) when the file cannot be written or recorded."""
        if self._save is not None:
            self._save(path, self._pdf)
        else:
            from models.safe_files import write_atomically

            write_atomically(path, self._pdf)

    def save_as(self) -> None:
        from models.errors import UserError

        name, _ = QFileDialog.getSaveFileName(self, "Lưu thành tệp PDF", self._file_name, "Tệp PDF (*.pdf)")
        if not name:
            return
        try:
            self.save_to(Path(name))
        except UserError as exc:
            QMessageBox.warning(self, "Không lưu được", str(exc))

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "Không in được", "Máy in không sẵn sàng.")
            return
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                target = painter.viewport()
                points = self.document.pagePointSize(page)
                scale = min(target.width() / points.width(), target.height() / points.height())
                image = self.document.render(page, QSize(int(points.width() * scale), int(points.height() * scale)))
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
