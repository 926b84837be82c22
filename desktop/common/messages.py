"""Questions with Vietnamese buttons. Qt ships no Vietnamese translation of its standard buttons
(Yes/No/Save…), so every question names its own answers."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def question_box(parent: QWidget | None, title: str, text: str, answers: list[str], *, default: int = 0,
                 escape: int | None = None) -> QMessageBox:
    """The box of `choose`, not yet shown. F1 on it opens the guide at the page of the window that asks."""
    from desktop.help.f1 import DEFAULT_PAGE, help_page_of, install_f1

    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)
    buttons = [box.addButton(label, QMessageBox.ActionRole) for label in answers]
    escape = len(answers) - 1 if escape is None else escape
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[escape])
    box.HELP_PAGE = help_page_of(parent.window()) if parent is not None else DEFAULT_PAGE
    install_f1(box)
    box._answers = buttons  # noqa: SLF001
    return box


def choose(parent: QWidget | None, title: str, text: str, answers: list[str], *, default: int = 0,
           escape: int | None = None) -> int:
    """Index of the answer clicked; closing the box gives `escape` (the last answer if not set)."""
    box = question_box(parent, title, text, answers, default=default, escape=escape)
    buttons = box._answers  # noqa: SLF001
    escape = len(answers) - 1 if escape is None else escape
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else escape


def confirm(parent: QWidget | None, title: str, text: str, yes_text: str) -> bool:
    """Ask before something that cannot be undone; the safe answer ("Huỷ") is the default."""
    return choose(parent, title, text, [yes_text, "Huỷ"], default=1) == 0
