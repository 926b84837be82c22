"""Vietnamese for the words Qt itself puts on screen: the right-click menu of every text field (Hoàn tác, Cắt,
Sao chép, Dán…), the standard buttons of QDialogButtonBox / QMessageBox / QInputDialog / QProgressDialog,
the wizard's buttons, the scroll bars' menu. Qt ships no Vietnamese translation, so the words are data
(resources/qt/vi.json) served by a QTranslator that answers Qt's own `tr()` calls.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from PySide6.QtCore import QCoreApplication, QTranslator


@lru_cache(maxsize=1)
def qt_words() -> dict[str, dict[str, str]]:
    text = resources.files("resources").joinpath("qt/vi.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


class VietnameseQt(QTranslator):
    """Answers Qt's own English words with Vietnamese ones; anything it does not know is left to Qt."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401 - Qt's signature
        words = qt_words()
        found = words.get(context or "", {}).get(source_text) or words["*"].get(source_text)
        return found or ""

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


_installed: list[VietnameseQt] = []


def install_translator(app: QCoreApplication | None = None) -> VietnameseQt:
    """Install once per application (the window, the tests); returns the translator."""
    app = app or QCoreApplication.instance()
    if _installed:
        return _installed[0]
    translator = VietnameseQt(app)
    app.installTranslator(translator)
    _installed.append(translator)
    return translator
