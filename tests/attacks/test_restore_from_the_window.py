"""The window's restore action needs the administrator signed in to the current office (issue 11, item 2)."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.admin import backup_actions

from desktop.common import messages
from models.backup import make_backup
from models.services.accounts import add_account, disable_account, login
from tests.conftest import PASSWORD


def test_a_worker_signed_in_cannot_restore_even_with_the_backups_admin_password(qtbot, workspace, data_dir, tmp_path,
                                                                                monkeypatch):
    add_account(workspace, "canbo", "Trần Thị Lan", ["worker"], "mat-khau-can-bo")
    old = make_backup(workspace, tmp_path / "cu.bvtebak").path
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    worker = login(data_dir, "canbo", "mat-khau-can-bo")
    parent = QWidget()
    qtbot.addWidget(parent)
    before = (data_dir / "keys.json").read_bytes()
    try:
        assert not backup_actions.restore_from_file(parent, worker, old, PASSWORD)
    finally:
        worker.close()
    assert "không có quyền khôi phục" in shown[-1]
    assert (data_dir / "keys.json").read_bytes() == before


def test_the_administrators_window_restore_keeps_a_disabled_account_disabled(qtbot, workspace, data_dir, tmp_path,
                                                                             monkeypatch):
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    old = make_backup(workspace, tmp_path / "cu.bvtebak").path
    disable_account(workspace, "chutich")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert backup_actions.restore_from_file(parent, workspace, old, PASSWORD), shown
    import pytest
    from models.security.vault import BadCredentials

    with pytest.raises(BadCredentials):
        login(data_dir, "chutich", "mat-khau-chu-tich")
    login(data_dir, "admin", PASSWORD).close()
