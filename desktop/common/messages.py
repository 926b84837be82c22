"""Questions with Vietnamese buttons. Qt ships no Vietnamese translation of its standard buttons
(Yes/No/Save…), so every question names its own answers."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def choose(parent: QWidget | None, title: str, text: str, answers: list[str], *, default: int = 0,
           escape: int | None = None) -> int:
    """Index of the answer clicked; closing the box gives `escape` (the last answer if not set)."""
    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)
    buttons = [box.addButton(label, QMessageBox.ActionRole) for label in answers]
    escape = len(answers) - 1 if escape is None else escape
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[escape])
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else escape


def confirm(parent: QWidget | None, title: str, text: str, yes_text: str) -> bool:
    """Ask before something that cannot be undone; the safe answer ("Huỷ") is the default."""
    return choose(parent, title, text, [yes_text, "Huỷ"], default=1) == 0
