"""Driving widgets like a person: Vietnamese text typed one key at a time."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def type_text(widget, text: str) -> None:
    """Type text into a widget key by key.

    qtbot.keyClicks aborts the process on non-ASCII text (a Qt assertion), so each character is sent as
    its own key event carrying the character, which is how typed Vietnamese reaches a widget.
    """
    widget.setFocus()
    for ch in text:
        if ch == "\n":
            QTest.keyClick(widget, Qt.Key_Return)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key_unknown, ch, Qt.NoModifier)
