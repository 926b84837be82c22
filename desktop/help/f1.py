"""F1 on every window opens that window's page of the guide. Wired once: DialogFrame (every dialog), the main
window and the Mẫu 01 wizard call `install_f1`. A window names its page with a class attribute
`HELP_PAGE = "tiep-nhan-mau-01"` or, when the page depends on what it shows, a method `help_page()`."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

DEFAULT_PAGE = "bat-dau"


def help_page_of(widget: QWidget) -> str:
    method = getattr(widget, "help_page", None)
    if callable(method):
        page = method()
        if page:
            return page
    return getattr(widget, "HELP_PAGE", "") or DEFAULT_PAGE


def install_f1(widget: QWidget) -> QShortcut:
    shortcut = QShortcut(QKeySequence(Qt.Key_F1), widget)
    shortcut.setContext(Qt.WindowShortcut)
    shortcut.activated.connect(lambda: open_help(widget))
    widget._f1_shortcut = shortcut  # noqa: SLF001 - kept with the window; the tests find it here
    return shortcut


def open_help(widget: QWidget, page: str | None = None):
    """The guide at `page` (default: the window's own page), as a window of its own above `widget` (a child
    of it, so that a modal dialog does not block it); one guide window per window, reused."""
    from desktop.help.window import HelpWindow

    page = page or help_page_of(widget)
    window = getattr(widget, "_help_window", None)
    try:
        alive = window is not None and window.isVisible() is not None
    except RuntimeError:  # deleted by Qt
        alive = False
    if not alive:
        window = HelpWindow(page, parent=widget)
        widget._help_window = window  # noqa: SLF001
    else:
        window.show_page(page)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
