"""The guide in the window: contents and search on the left, the page on the right (Qt's own Markdown),
links between pages followed in place, a way back, the process drawing and the printed manual one click away."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
    QWidget,
)

from models import help as guide
from models.textnorm import fold

from desktop.common.frame import DialogFrame

MANUAL_FILE = "Huong-dan-su-dung-BVTE.pdf"  # beside the installed program, built with screenshots
DIAGRAM_LINK = "bvte:so-do"
_SCREENSHOT_LINE = re.compile(r"^\s*!\[[^\]]*\]\(anh:[^)]*\)\s*$", re.MULTILINE)
_DIAGRAM_IMAGE = re.compile(r"!\[([^\]]*)\]\(so-do:[^)]*\)")


def window_markdown(text: str) -> str:
    """A page as the window shows it: screenshots are left to the printed manual (the real window is in
    front of the reader), the process drawing becomes a link that opens it."""
    text = _SCREENSHOT_LINE.sub("", text)
    return _DIAGRAM_IMAGE.sub(lambda m: f"[**Xem hình: {m.group(1)}…**]({DIAGRAM_LINK})", text)


class HelpWindow(QDialog):
    HELP_PAGE = "tro-giup"

    def __init__(self, page: str = "", parent=None):
        super().__init__(parent)
        self.setWindowFlag(Qt.Window, True)  # a window of its own beside the screen it explains
        self.setWindowTitle("Hướng dẫn sử dụng BVTE")
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.current = ""
        self.history: list[str] = []
        self.search = QLineEdit()
        self.search.setObjectName("help_search")
        self.search.setPlaceholderText("Tìm trong hướng dẫn (gõ có dấu hoặc không dấu)…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter_pages)
        self.tree = QTreeWidget()
        self.tree.setObjectName("help_contents")
        self.tree.setHeaderHidden(True)
        self.items: dict[str, QTreeWidgetItem] = {}
        for chapter in guide.contents()["chapters"]:
            top = QTreeWidgetItem([chapter["title"]])
            top.setFlags(Qt.ItemIsEnabled)
            self.tree.addTopLevelItem(top)
            for name in chapter["pages"]:
                item = QTreeWidgetItem([guide.page(name).title])
                item.setData(0, Qt.UserRole, name)
                top.addChild(item)
                self.items[name] = item
        self.tree.expandAll()
        self.tree.currentItemChanged.connect(self._item_chosen)
        self.no_match = QLabel("Không có trang nào có các chữ này.")
        self.no_match.setWordWrap(True)
        self.no_match.hide()
        self.browser = QTextBrowser()
        self.browser.setObjectName("help_page")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self.follow)
        splitter = QSplitter()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.no_match)
        column.addWidget(self.tree, 1)
        splitter.addWidget(left)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 700])
        splitter.setChildrenCollapsible(False)
        self.frame = DialogFrame(self, width=1000, height=720)
        self.frame.body.addWidget(splitter, 1)
        self.back_button = QPushButton("< Trang trước")
        self.back_button.clicked.connect(self.back)
        diagram = QPushButton("Sơ đồ quy trình…")
        diagram.clicked.connect(lambda: show_diagram(self))
        manual = QPushButton("Bản in hướng dẫn (PDF)…")
        manual.clicked.connect(lambda: open_manual(self))
        close = QPushButton("Đóng")
        close.clicked.connect(self.close)
        bar = QHBoxLayout()
        for button in (self.back_button, diagram, manual):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(close)
        self.frame.set_buttons(bar)
        self.show_page(page or guide.contents()["home"])

    def show_page(self, name: str, *, remember: bool = True) -> None:
        name = name.removesuffix(".md")
        if name not in guide.pages():
            name = guide.contents()["home"]
        if remember and self.current and self.current != name:
            self.history.append(self.current)
        self.current = name
        self.browser.setMarkdown(window_markdown(guide.page(name).text))
        self.back_button.setEnabled(bool(self.history))
        self.tree.blockSignals(True)
        self.tree.setCurrentItem(self.items[name])
        self.tree.blockSignals(False)

    def back(self) -> None:
        if self.history:
            self.show_page(self.history.pop(), remember=False)

    def follow(self, url: QUrl) -> None:
        target = url.toString()
        if target == DIAGRAM_LINK:
            show_diagram(self)
        elif target.endswith(".md"):
            self.show_page(Path(target).name)

    def _item_chosen(self, item, _previous) -> None:
        name = item.data(0, Qt.UserRole) if item is not None else None
        if name:
            self.show_page(name)

    def filter_pages(self, text: str) -> None:
        words = fold(text).split()
        shown = 0
        for name, item in self.items.items():
            page = guide.page(name)
            haystack = fold(page.title + " " + page.text)
            match = all(w in haystack for w in words)
            item.setHidden(not match)
            shown += match
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            top.setHidden(all(top.child(j).isHidden() for j in range(top.childCount())))
        self.no_match.setVisible(shown == 0)


def show_diagram(parent, stage: str | None = None, case_label: str = ""):
    from desktop.help.diagram import ProcessDiagramDialog

    dialog = ProcessDiagramDialog(stage, case_label, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.show()
    return dialog


def installed_manual() -> Path | None:
    """The manual built with screenshots when the program was packaged (beside bvte.exe), if any."""
    if getattr(sys, "frozen", False):
        path = Path(sys.executable).resolve().parent / MANUAL_FILE
        if path.is_file():
            return path
    return None


def open_manual(parent):
    """The printed manual in the print preview: the one built with the program (with screenshots), or one
    made now from the same pages (without screenshots, which the PDF says)."""
    from desktop.common.pdf_preview import PdfPreview
    from desktop.common.worker import run_with_progress

    path = installed_manual()
    if path is not None:
        pdf = path.read_bytes()
    else:
        from printouts.help_manual import build_manual

        pdf = run_with_progress(parent, "Đang chuẩn bị bản in hướng dẫn…", lambda: build_manual(None))
    preview = PdfPreview(pdf, title="Hướng dẫn sử dụng BVTE — bản in", file_name=MANUAL_FILE, parent=parent)
    preview.setAttribute(Qt.WA_DeleteOnClose)
    preview.show()
    parent._manual_preview = preview  # noqa: SLF001 - kept alive while shown
    return preview
