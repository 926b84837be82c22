"""A disabled or reset account keeps an old backup: its old key entry and old password must not open the
live data, and the old backup must not roll the office back (issue 11, item 2)."""
from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import select

from desktop.cli import main as cli_main
from models.backup import BackupError, make_backup, restore_backup
from models.db import WrongKeyError, open_database
from models.entities import Account
from models.security.roles import NotAllowed
from models.security.vault import BadCredentials, Vault
from models.services.accounts import add_account, disable_account, login, reset_password
from tests.conftest import PASSWORD

LEADER_PW = "mat-khau-chu-tich"


@pytest.fixture
def office(workspace):
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader", "admin"], LEADER_PW)
    add_account(workspace, "canbo", "Trần Thị Lan", ["worker"], "mat-khau-can-bo")
    return workspace


def _old_keys_from(backup_file, folder):
    """The backup's keys.json, put where the attacker can use it (a copy of the folder's key file)."""
    stolen = folder / "trom"
    stolen.mkdir()
    with zipfile.ZipFile(backup_file) as zf:
        (stolen / "keys.json").write_bytes(zf.read("keys.json"))
    return stolen


def _live_opens_with(data_dir, key) -> bool:
    try:
        open_database(data_dir, key).dispose()
        return True
    except WrongKeyError:
        return False


def test_a_disabled_leaders_old_key_entry_no_longer_opens_the_live_database(office, data_dir, tmp_path):
    old = make_backup(office, tmp_path / "truoc.bvtebak").path
    stolen = _old_keys_from(old, tmp_path)
    old_key = Vault.load(stolen).unlock("chutich", LEADER_PW)
    assert _live_opens_with(data_dir, old_key)  # before: the leader's old entry opens today's data

    disable_account(office, "chutich")

    assert not _live_opens_with(data_dir, Vault.load(stolen).unlock("chutich", LEADER_PW))
    with pytest.raises(BadCredentials):
        login(data_dir, "chutich", LEADER_PW)
    # Everyone else still works, and the administrator's open window follows the new key.
    login(data_dir, "canbo", "mat-khau-can-bo").close()
    with office.db.session() as s:
        assert s.scalar(select(Account.disabled).where(Account.username == "chutich"))
    # A backup made after the rekey opens with its own key file (on a new PC, say).
    after = make_backup(office, tmp_path / "sau.bvtebak").path
    assert restore_backup(tmp_path / "may-moi", after, "admin", PASSWORD) is None
    login(tmp_path / "may-moi", "canbo", "mat-khau-can-bo").close()


def test_after_a_reset_the_old_password_and_old_entry_no_longer_open_it(office, data_dir, tmp_path):
    old = make_backup(office, tmp_path / "truoc.bvtebak").path
    stolen = _old_keys_from(old, tmp_path)

    reset_password(office, "canbo", "mat-khau-moi-cap")

    old_key = Vault.load(stolen).unlock("canbo", "mat-khau-can-bo")
    assert not _live_opens_with(data_dir, old_key)
    # The live key file's entry for canbo does not open with the old password either.
    with pytest.raises(BadCredentials):
        login(data_dir, "canbo", "mat-khau-can-bo")
    login(data_dir, "canbo", "mat-khau-moi-cap").close()


def test_the_disabled_leader_cannot_restore_his_old_backup(office, data_dir, tmp_path, monkeypatch, capsys):
    old = make_backup(office, tmp_path / "truoc.bvtebak").path
    disable_account(office, "chutich")
    before = (data_dir / "keys.json").read_bytes()
    # Through the library without the current administrator …
    with pytest.raises(BackupError, match="quản trị\\s*viên"):
        restore_backup(data_dir, old, "chutich", LEADER_PW)
    # … with his old password as "current" …
    with pytest.raises(BackupError, match="Sai tên đăng nhập hoặc mật khẩu"):
        restore_backup(data_dir, old, "chutich", LEADER_PW, current_login=("chutich", LEADER_PW))
    # … and from the command line.
    monkeypatch.setenv("BVTE_PASSWORD", LEADER_PW)
    capsys.readouterr()
    assert cli_main(["--data-dir", str(data_dir), "restore", str(old), "--user", "chutich"]) == 3
    assert "quản trị viên" in capsys.readouterr().err
    assert (data_dir / "keys.json").read_bytes() == before


def test_a_worker_of_today_cannot_restore_either(office, data_dir, tmp_path):
    old = make_backup(office, tmp_path / "truoc.bvtebak").path
    with pytest.raises(NotAllowed, match="không có quyền khôi phục"):
        restore_backup(data_dir, old, "admin", PASSWORD, current_login=("canbo", "mat-khau-can-bo"))


def test_the_administrator_restoring_an_old_backup_does_not_revive_the_disabled_leader(
        office, data_dir, tmp_path, monkeypatch, capsys):
    old = make_backup(office, tmp_path / "truoc.bvtebak").path
    disable_account(office, "chutich")
    office.close()
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert cli_main(["--data-dir", str(data_dir), "restore", str(old), "--user", "admin"]) == 0
    # The backup's day is back, but the leader disabled since stays disabled, and his old entry is useless.
    with pytest.raises(BadCredentials):
        login(data_dir, "chutich", LEADER_PW)
    stolen = _old_keys_from(old, tmp_path)
    assert not _live_opens_with(data_dir, Vault.load(stolen).unlock("chutich", LEADER_PW))
    again = login(data_dir, "admin", PASSWORD)
    try:
        with again.db.session() as s:
            assert s.scalar(select(Account.disabled).where(Account.username == "chutich"))
        from models.security.audit import verify_chain

        with again.db.session() as s:
            assert verify_chain(s, public_keys=Vault.load(data_dir).public_keys()).ok
    finally:
        again.close()
    login(data_dir, "canbo", "mat-khau-can-bo").close()
    assert json.loads((data_dir / "keys.json").read_text())["pending"] is None
