"""The guide's window on its own (`bvte help`, the Start-menu entry when no printed manual was packaged):
no sign-in, no data opened; the guide holds nothing about any child."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def run_help_window(page: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    from desktop.common.qt_vietnamese import install_translator
    from desktop.help.window import HelpWindow

    install_translator(app)
    window = HelpWindow(page or "")
    window.show()
    return app.exec()
