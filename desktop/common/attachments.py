"""Attached documents on screen: the panel any screen puts under its owner (a child, a case, a signed form, a
carer, a placement), the dialogs to add and to remove one, and the viewer.

Nothing is ever written to disk in clear: the viewer shows an image from a QImage made from bytes and a PDF
from a QBuffer (as the print preview does); a PDF's thumbnail is its first page drawn by QtPdf in memory and
handed to the service as PNG bytes. Only "Lưu bản sao…" writes a file, after its audit entry
(models.services.attachments.save_copy)."""
from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox,
    QPushButton, QScrollArea, QSplitter, QStyle, QVBoxLayout, QWidget,
)

from models.attachment_files import MAX_MB, THUMB_SIZE, BadAttachment, Incoming
from models.clock import fmt_date, fmt_datetime
from models.errors import UserError
from models.services import attachments as att
from models.services.accounts import Workspace

from desktop.common.form_dialog import FormDialog
from desktop.common.frame import DialogFrame

HELP_PAGE = "dinh-kem-giay-to"
ICON = 56  # the list's thumbnails, pixels
OPEN_FILTER = "Giấy tờ (*.pdf *.jpg *.jpeg *.png *.PDF *.JPG *.JPEG *.PNG);;Mọi tệp (*)"


# -- in memory only ------------------------------------------------------------------------------------------
def _load_pdf(data: bytes, owner: QWidget | None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument reading `data` from memory (the buffer must live as long as the document)."""
    buffer = QBuffer(owner)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.ReadOnly)
    document = QPdfDocument(owner)
    document.load(buffer)
    return document, buffer


def pdf_first_page(data: bytes, file_name: str) -> bytes:
    """The first page of a PDF drawn small, as PNG bytes (in memory); raises BadAttachment if QtPdf — the
    viewer — cannot open the file (then it could not be shown either)."""
    document, buffer = _load_pdf(data, None)
    try:
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            raise BadAttachment(f"Không đính kèm được tệp «{file_name}»: chương trình xem PDF không mở được tệp "
                                "này (tệp bị hỏng hoặc dùng dạng PDF lạ). Hãy mở thử bằng trình đọc PDF, lưu hoặc "
                                "quét lại.")
        points = document.pagePointSize(0)
        scale = THUMB_SIZE / max(points.width(), points.height(), 1)
        image = document.render(0, QSize(max(1, int(points.width() * scale)), max(1, int(points.height() * scale))))
        out = QByteArray()
        target = QBuffer(out)
        target.open(QIODevice.WriteOnly)
        image.save(target, "PNG")
        target.close()
        return bytes(out.data())
    finally:
        document.close()
        buffer.close()
        document.deleteLater()
        buffer.deleteLater()


def _pixmap(png: bytes | None) -> QPixmap | None:
    if not png:
        return None
    image = QImage.fromData(png, "PNG")
    return None if image.isNull() else QPixmap.fromImage(image)


def _fallback_icon(widget: QWidget, file_type: str) -> QIcon:
    style = widget.style()
    return style.standardIcon(QStyle.SP_FileIcon if file_type == "pdf" else QStyle.SP_DirIcon)


def _show_refusal(parent: QWidget, exc: UserError, title: str = "Không đính kèm được") -> None:
    QMessageBox.warning(parent, title, str(exc))


# -- adding --------------------------------------------------------------------------------------------------
class AddAttachmentDialog(FormDialog):
    """"Đính kèm tệp": the checked file (thumbnail, name, size), its kind and a short note."""

    HELP_PAGE = HELP_PAGE

    def __init__(self, ws: Workspace, owner_kind: str, owner_id: int, incoming: Incoming, *,
                 thumbnail: bytes | None = None, form_code: str = "", form_record_id: int | None = None,
                 default_kind: str | None = None, note: str = "", title: str = "Đính kèm tệp", parent=None):
        super().__init__(title, parent)
        ws.actor.require("case.edit")
        self.ws, self.owner = ws, (owner_kind, owner_id, form_code, form_record_id)
        self.incoming, self.thumbnail_png = incoming, thumbnail
        self.attachment_id: int | None = None
        preview = QLabel()
        preview.setObjectName("preview")
        pix = _pixmap(incoming.thumbnail or thumbnail)
        if pix is not None:
            preview.setPixmap(pix)
        else:
            preview.setPixmap(_fallback_icon(self, incoming.file_type).pixmap(48, 48))
        what = QLabel(f"<b>{escape(incoming.file_name)}</b><br>{escape(att.type_label(incoming.file_type))}"
                      + (f", {incoming.pages} trang" if incoming.pages else "")
                      + (f", {incoming.width} × {incoming.height} điểm ảnh" if incoming.width else "")
                      + f", {escape(att.size_text(len(incoming.content)))}"
                      + ("<br><span style='color:#555'>Ảnh đã được lưu lại không kèm thông tin ẩn (vị trí chụp, "
                         "máy chụp).</span>" if incoming.file_type != "pdf" else ""))
        what.setObjectName("file_summary")
        what.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(preview, 0, Qt.AlignTop)
        top.addWidget(what, 1)
        self.frame.body.insertLayout(0, top)
        self.kind = QComboBox()
        for code, label in att.kinds().items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(default_kind or "khac")))
        self.add_row("kind", "Loại giấy tờ:", self.kind)
        note_line = QLineEdit(note)
        note_line.setMaxLength(200)
        note_line.setPlaceholderText("ví dụ: Bản đã ký Mẫu 05; Giấy khai sinh bản sao")
        self.note = self.add_row("note", "Ghi chú ngắn:", note_line)
        self.note.setMinimumWidth(380)
        self.save_button.setText("Đính kèm")

    def save(self) -> None:
        owner_kind, owner_id, form_code, form_record_id = self.owner
        try:
            self.attachment_id = att.add(self.ws, owner_kind, owner_id, self.incoming, kind=self.kind.currentData(),
                                         note=self.note.text(), form_code=form_code, form_record_id=form_record_id,
                                         thumbnail=self.thumbnail_png)
        except UserError as exc:
            self.show_errors({exc.field or "note": str(exc)})
            return
        self.saved.emit()
        self.accept()


class RemoveAttachmentDialog(FormDialog):
    """"Gỡ bỏ tệp đính kèm": the reason is asked and recorded; the content is erased, the trace stays."""

    HELP_PAGE = HELP_PAGE

    def __init__(self, ws: Workspace, info: att.AttachmentInfo, parent=None):
        super().__init__("Gỡ bỏ tệp đính kèm", parent)
        ws.actor.require("case.edit")
        self.ws, self.info = ws, info
        text = QLabel(f"Gỡ bỏ <b>{escape(info.title)}</b> ({escape(info.file_name)}, đính kèm ngày "
                      f"{escape(fmt_date(info.created_at))}).<br>Nội dung tệp sẽ bị xoá khỏi dữ liệu; nhật ký truy "
                      "cập vẫn ghi tệp đã có và lý do gỡ bỏ. Các bản sao lưu cũ vẫn còn tệp này.")
        text.setWordWrap(True)
        text.setObjectName("remove_text")
        self.frame.body.insertWidget(0, text)
        reason = QLineEdit()
        reason.setPlaceholderText("ví dụ: đính kèm nhầm giấy tờ của trẻ khác")
        reason.setMinimumWidth(380)
        self.reason = self.add_row("reason", "Lý do gỡ bỏ:", reason)
        self.save_button.setText("Gỡ bỏ")

    def save(self) -> None:
        try:
            att.remove(self.ws, self.info.id, self.reason.text())
        except UserError as exc:
            self.show_errors({"reason": str(exc)})
            return
        self.saved.emit()
        self.accept()


# -- viewing -------------------------------------------------------------------------------------------------
def _document_widget(data: bytes, file_type: str, owner: QWidget, name: str) -> QWidget:
    """A PDF in a QPdfView (from memory), an image scaled to the width in a scroll area."""
    if file_type == "pdf":
        document, buffer = _load_pdf(data, owner)
        view = QPdfView(owner)
        view.setObjectName(name)
        view.setDocument(document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view._bvte_keep = (document, buffer)  # noqa: SLF001 - alive as long as the view
        return view
    image = QImage.fromData(data)
    label = QLabel()
    label.setObjectName(name)
    label.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
    if not image.isNull():
        label.setPixmap(QPixmap.fromImage(image.scaledToWidth(min(image.width(), 760), Qt.SmoothTransformation)))
    scroll = QScrollArea()
    scroll.setWidget(label)
    scroll.setWidgetResizable(True)
    return scroll


class AttachmentViewer(QDialog):
    """One attached document, shown in memory; with `beside` (the printout's PDF) the signed copy is shown next
    to the paper the program printed."""

    HELP_PAGE = HELP_PAGE

    def __init__(self, ws: Workspace, attachment_id: int, *, beside: bytes | None = None, parent=None):
        super().__init__(parent)
        self.ws = ws
        self.info, self._data = att.open_content(ws, attachment_id)  # recorded as viewed
        info = self.info
        self.setWindowTitle(f"Tệp đính kèm — {info.title}")
        header = QLabel(f"<b>{escape(info.title)}</b> · {escape(info.file_name)}<br>"
                        f"<span style='color:#555'>{escape(info.summary)} · đính kèm {escape(fmt_datetime(info.created_at))}"
                        f" bởi {escape(info.created_by)}</span>")
        header.setObjectName("attachment_header")
        header.setWordWrap(True)
        self.document = _document_widget(self._data, info.file_type, self, "attachment_view")
        self.save_button = QPushButton("Lưu bản sao…")
        self.save_button.setObjectName("save_copy")
        self.save_button.setToolTip("Lưu một bản sao của tệp ra ngoài chương trình (được ghi vào nhật ký truy cập)")
        self.save_button.clicked.connect(self.save_as)
        self.save_button.setVisible(ws.actor.can("print"))
        close = QPushButton("Đóng")
        close.setObjectName("close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.frame = DialogFrame(self, width=1200 if beside else 820, height=2000)
        self.frame.body.addWidget(header)
        if beside is not None:
            split = QSplitter(Qt.Horizontal)
            split.setObjectName("beside")
            split.setChildrenCollapsible(False)
            for title, widget in (("Bản in từ chương trình", _document_widget(beside, "pdf", self, "printout_view")),
                                  ("Bản đã ký (quét lại)", self.document)):
                pane = QWidget()
                lay = QVBoxLayout(pane)
                lay.setContentsMargins(0, 0, 0, 0)
                lay.addWidget(QLabel(f"<b>{escape(title)}</b>"))
                lay.addWidget(widget, 1)
                split.addWidget(pane)
            self.frame.body.addWidget(split, 1)
        else:
            self.frame.body.addWidget(self.document, 1)
        self.frame.set_buttons(buttons)

    def save_to(self, path: Path) -> Path:
        return att.save_copy(self.ws, self.info.id, path)

    def save_as(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Lưu bản sao tệp đính kèm", self.info.file_name,
                                              f"{att.type_label(self.info.file_type)} (*{Path(self.info.file_name).suffix})")
        if not name:
            return
        try:
            self.save_to(Path(name))
        except UserError as exc:
            QMessageBox.warning(self, "Không lưu được", str(exc))


# -- the panel -----------------------------------------------------------------------------------------------
def prepare(parent: QWidget, path: Path | str) -> tuple[Incoming, bytes | None] | None:
    """Check a chosen file (and draw a PDF's first page); a refusal is shown and None returned."""
    try:
        incoming = att.check(path)
        thumb = pdf_first_page(incoming.content, incoming.file_name) if incoming.file_type == "pdf" else None
    except UserError as exc:
        _show_refusal(parent, exc)
        return None
    return incoming, thumb


class AttachmentsPanel(QWidget):
    """The attachments of one owner: a list with thumbnails (kind, note, file, size, date), and "Thêm tệp…",
    "Xem", "Gỡ bỏ…". Any screen uses it with its own owner kind (resources/attachments.json)."""

    changed = Signal()

    def __init__(self, ws: Workspace, owner_kind: str, owner_id: int | None = None, *, form_code: str = "",
                 form_record_id: int | None = None, default_kind: str | None = None, default_note: str = "",
                 parent=None):
        super().__init__(parent)
        self.ws, self.owner_kind = ws, owner_kind
        self.owner_id = owner_id
        self.form_code, self.form_record_id, self.default_kind = form_code, form_record_id, default_kind
        self.default_note = default_note
        self.items: list[att.AttachmentInfo] = []
        self.list = QListWidget()
        self.list.setObjectName("attachments")
        self.list.setIconSize(QSize(ICON, ICON))
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(ICON + 12)
        self.list.setMaximumHeight(3 * (ICON + 10))
        self.list.itemDoubleClicked.connect(lambda _i: self.view_selected())
        self.list.currentRowChanged.connect(lambda _r: self._enable())
        self.empty = QLabel("Chưa có tệp đính kèm.")
        self.empty.setObjectName("no_attachments")
        self.empty.setStyleSheet("color:#555")
        self.add_button = QPushButton("Thêm tệp…")
        self.add_button.setObjectName("add_attachment")
        self.add_button.setToolTip(f"Đính kèm bản quét, ảnh chụp (PDF, JPEG, PNG; tối đa {MAX_MB} MB một tệp)")
        self.add_button.clicked.connect(lambda: self.open_add_dialog())
        self.view_button = QPushButton("Xem")
        self.view_button.setObjectName("view_attachment")
        self.view_button.clicked.connect(self.view_selected)
        self.remove_button = QPushButton("Gỡ bỏ…")
        self.remove_button.setObjectName("remove_attachment")
        self.remove_button.clicked.connect(lambda: self.open_remove_dialog())
        can_edit = ws.actor.can("case.edit")
        self.add_button.setVisible(can_edit)
        self.remove_button.setVisible(can_edit)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.view_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.refresh()

    def set_owner(self, owner_id: int | None) -> None:
        self.owner_id = owner_id
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        self.items = []
        if self.owner_id is not None:
            self.items = att.list_for(self.ws, self.owner_kind, self.owner_id,
                                      form_code=self.form_code if self.owner_kind == "form" else None,
                                      form_record_id=self.form_record_id)
        for info in self.items:
            item = QListWidgetItem(f"{info.title}\n{info.file_name} · {info.summary} · {fmt_date(info.created_at)}")
            item.setToolTip(f"{info.file_name}\nĐính kèm {fmt_datetime(info.created_at)} bởi {info.created_by}")
            try:
                pix = _pixmap(att.thumbnail(self.ws, info.id))
            except UserError:
                pix = None
            item.setIcon(QIcon(pix) if pix is not None else _fallback_icon(self, info.file_type))
            self.list.addItem(item)
        self.list.setVisible(bool(self.items))
        self.empty.setVisible(not self.items)
        if self.items:
            self.list.setCurrentRow(0)
        self.add_button.setEnabled(self.owner_id is not None)
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected() is not None
        self.view_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def selected(self) -> att.AttachmentInfo | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def open_add_dialog(self, path: Path | str | None = None) -> AddAttachmentDialog | None:
        """Choose a file (or take `path`), check it, and open the dialog asking its kind and note."""
        if self.owner_id is None:
            return None
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "Chọn tệp để đính kèm", "", OPEN_FILTER)
            if not name:
                return None
            path = name
        prepared = prepare(self, path)
        if prepared is None:
            return None
        incoming, thumb = prepared
        dlg = AddAttachmentDialog(self.ws, self.owner_kind, self.owner_id, incoming, thumbnail=thumb,
                                  form_code=self.form_code, form_record_id=self.form_record_id,
                                  default_kind=self.default_kind, note=self.default_note, parent=self)
        dlg.saved.connect(self._after_change)
        dlg.open()
        return dlg

    def open_remove_dialog(self) -> RemoveAttachmentDialog | None:
        info = self.selected()
        if info is None:
            return None
        dlg = RemoveAttachmentDialog(self.ws, info, self)
        dlg.saved.connect(self._after_change)
        dlg.open()
        return dlg

    def view_selected(self) -> AttachmentViewer | None:
        info = self.selected()
        if info is None:
            return None
        try:
            viewer = AttachmentViewer(self.ws, info.id, parent=self)
        except UserError as exc:
            _show_refusal(self, exc, "Không mở được tệp")
            return None
        viewer.setAttribute(Qt.WA_DeleteOnClose)
        viewer.open()
        return viewer

    def _after_change(self) -> None:
        self.refresh()
        self.changed.emit()
