"""Qt's own words in Vietnamese (issue 12 item 11): the right-click menu of text fields, standard buttons."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QPlainTextEdit

from desktop.common.qt_vietnamese import install_translator, qt_words
from tests.desktop.window_catalog import english_words


def test_context_menus_and_standard_buttons_speak_vietnamese(qtbot, qapp):
    install_translator(qapp)
    line = QLineEdit("Nguyễn Thị Ánh")
    qtbot.addWidget(line)
    texts = [a.text().split("\t")[0].replace("&", "") for a in line.createStandardContextMenu().actions() if a.text()]
    assert {"Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xoá", "Chọn tất cả"} <= set(texts)
    box = QPlainTextEdit()
    qtbot.addWidget(box)
    more = [a.text() for a in box.createStandardContextMenu().actions() if a.text()]
    assert not english_words(texts + more), english_words(texts + more)
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Save)
    qtbot.addWidget(buttons)
    shown = {buttons.button(b).text().replace("&", "") for b in
             (QDialogButtonBox.Ok, QDialogButtonBox.Cancel, QDialogButtonBox.Save)}
    assert shown == {"Đồng ý", "Huỷ", "Lưu"}


def test_the_words_are_data():
    words = qt_words()
    assert words["*"]["&Copy"] == "&Sao chép" and words["*"]["Cancel"] == "Huỷ"
