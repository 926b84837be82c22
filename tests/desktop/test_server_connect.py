"""First start, "Nối máy chủ trong cơ quan…": the workstation is pointed at the office server by its address and
the office key file, checked before anything is written."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

import desktop.admin.first_run_demo as first_run
from desktop.admin.server_dialog import ServerConnectDialog
from models.services.accounts import login, office_exists
from tests.conftest import PASSWORD


def _connect(dialog: ServerConnectDialog, url: str, keys: str) -> None:
    dialog.url.setText(url)
    dialog.keys.setText(keys)
    dialog.buttons.button(QDialogButtonBox.Ok).click()


def test_an_address_without_the_office_certificate_is_refused_at_the_field(qtbot, tmp_path, workspace, data_dir):
    station = tmp_path / "may-tram"
    dialog = ServerConnectDialog(station)
    qtbot.addWidget(dialog)
    _connect(dialog, "postgresql://bvte_app@192.168.1.10/bvte_db", str(data_dir / "keys.json"))
    assert "sslmode=verify-full" in dialog.message.text()
    assert not (station / "may-chu.json").exists() and not office_exists(station)
    _connect(dialog, "postgresql://bvte_app@127.0.0.1:5432/bvte_db", str(tmp_path / "khong-co.json"))
    assert "tệp khoá" in dialog.message.text()
    assert not office_exists(station)


def test_the_first_start_question_offers_the_office_server(qtbot, tmp_path):
    seen, shown = [], []

    def set_up_office():  # the question again, after "Quay lại"
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, set_up_office)
            return
        next(b for b in box.buttons() if b.text() == "Thiết lập cơ quan").click()

    def go_back():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ServerConnectDialog):  # not up yet
            QTimer.singleShot(20, go_back)
            return
        shown.append(type(dialog).__name__)
        QTimer.singleShot(0, set_up_office)
        dialog.reject()

    def click_server():
        box = QApplication.activeModalWidget()
        seen.extend(b.text() for b in box.buttons())
        QTimer.singleShot(0, go_back)  # runs once the next dialog is up (its own event loop)
        next(b for b in box.buttons() if b.text() == "Nối máy chủ trong cơ quan…").click()

    QTimer.singleShot(0, click_server)
    assert first_run.offer_demo(None, tmp_path / "d") is None
    assert "Nối máy chủ trong cơ quan…" in seen
    assert shown == ["ServerConnectDialog"]
    assert not office_exists(tmp_path / "d")


@pytest.mark.pg_only
def test_a_workstation_joins_the_office_server_and_signs_in(qtbot, tmp_path, workspace, data_dir):
    station = tmp_path / "may-tram"
    dialog = ServerConnectDialog(station)
    qtbot.addWidget(dialog)
    _connect(dialog, workspace.db.server_url, str(data_dir / "keys.json"))
    assert dialog.message.text() == ""
    assert (station / "may-chu.json").exists() and office_exists(station)
    ws = login(station, "admin", PASSWORD)
    try:
        assert ws.db.is_server and ws.actor.username == "admin"
    finally:
        ws.close()
