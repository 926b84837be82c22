"""Readable messages and the first Tab stop (issue 12 item 6), on a 1024×768-sized window."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLineEdit

from desktop.main_window import MainWindow
from desktop.admin.settings_dialog import SettingsDialog
from models.services.intake import create_intake, parse_intake
from tests.conftest import intake_raw
from tests.desktop.helpers import type_text


def _rect(widget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def test_office_settings_errors_take_their_own_room(qtbot, workspace, office_db):
    dialog = SettingsDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.focusWidget() is dialog.widgets["province"]  # the first Tab stop is the first field
    for widget in dialog.widgets.values():
        if isinstance(widget, QLineEdit):
            widget.clear()
    dialog.accept()
    shown = [key for key, label in dialog.errors.items() if label.isVisibleTo(dialog)]
    assert len(shown) >= 5
    for key in shown:
        label, field = dialog.errors[key], dialog.widgets[key]
        # The whole message is readable: as tall as its wrapped text needs, never over another field.
        assert label.height() >= label.heightForWidth(label.width()) - 1
        for other in dialog.widgets.values():
            if other.isVisibleTo(dialog):
                assert not _rect(label).intersects(_rect(other)), (key, other.objectName())
        assert field.height() >= field.minimumSizeHint().height()


def test_wizard_age_error_is_not_cut_under_the_narrow_field(qtbot, workspace, office_db):
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    wizard = window.open_intake_wizard()
    wizard.reject_without_prompt = True
    wizard.widgets["category"].set_value("bi_xam_hai")
    wizard.widgets["source"].set_value("dien_thoai")
    wizard.next()
    type_text(wizard.widgets["child_name"], "Trần Văn An")
    type_text(wizard.widgets["estimated_age"], "200")
    wizard.next()
    error = wizard.errors["estimated_age"]
    assert error.isVisible() and "Tuổi ước lượng" in error.text()
    assert error.width() > wizard.widgets["estimated_age"].width() * 2  # the column's width, not the field's
    assert error.height() >= error.heightForWidth(error.width()) - 1
    assert error.width() >= error.fontMetrics().horizontalAdvance(error.text()) or error.wordWrap()


def test_process_screen_starts_on_its_first_field_not_on_close(qtbot, workspace, office_db):
    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    screen = window.open_process_screen(case_id, "02")
    qtbot.waitExposed(screen)
    focus = screen.focusWidget()
    assert focus is not None and focus is not screen.close_button
    assert screen.frame.content.isAncestorOf(focus)
    screen.close()
