"""Smaller holes (issue 11 item 9): names without a Vietnamese letter or with look-alike letters, private files,
no window sign-in from the environment, no SQL parameters in error texts, report passwords never on the command
line, weak passwords refused."""
from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from desktop import cli
from models import validation as v
from models.reports import protect
from models.security.vault import VaultError
from models.services.accounts import add_account
from models.services.intake import parse_intake
from tests.conftest import PASSWORD, intake_raw


@pytest.mark.parametrize("name", ["- - -", "'''", ".", "Nguyễn Thị Lıan", "ʟan", "Trần Văn Ａ", "Lê 3", "Иван"])
def test_names_need_vietnamese_letters(name):
    with pytest.raises(v.Invalid):
        v.person_name(name)
    _data, errors = parse_intake(intake_raw(child_name=name))
    assert "child_name" in errors


@pytest.mark.parametrize("name", ["Nguyễn Thị Ánh", "H'Hen Niê", "Y Wang Êban", "Giàng A Páo", "Lò Văn Ĭ"])
def test_real_names_still_pass(name):
    assert v.person_name(name)


@pytest.mark.parametrize("raw", ["02/01/0001", "31/12/1899", "01/01/2100", "0001-01-02"])
def test_dates_out_of_range_are_refused_at_the_field(raw):
    with pytest.raises(v.Invalid, match="ngoài khoảng"):
        v.parse_date(raw, what="Ngày sinh")
    _data, errors = parse_intake(intake_raw(date_of_birth=raw))
    assert "date_of_birth" in errors and "ngoài khoảng" in errors["date_of_birth"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_data_folder_and_files_are_owner_only(workspace, data_dir):
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "bvte.sqlite3").stat().st_mode) == 0o600


def test_error_texts_carry_no_sql_parameters(office_db):
    secret = "Nguyễn Bí Mật"
    try:
        with office_db.transaction() as s:
            s.execute(text("INSERT INTO child (id, full_name) VALUES (:i, :n)"), {"i": 1, "n": secret})
            s.execute(text("INSERT INTO child (id, full_name) VALUES (:i, :n)"), {"i": 1, "n": secret})
    except SQLAlchemyError as exc:
        assert secret not in str(exc) and "hidden" in str(exc)
    else:
        pytest.fail("the duplicate id was accepted")


@pytest.mark.parametrize("weak", ["12345678", "password", "matkhau123", "PASSWORD", "Mật khẩu 123".replace(" ", ""), "aaaaaaaa"])
def test_weak_passwords_are_refused(workspace, weak):
    with pytest.raises(VaultError, match="dễ đoán"):
        add_account(workspace, "nguoimoi", "Lê Văn Mới", ["worker"], weak)
    with pytest.raises(protect.PasswordError, match="dễ đoán"):
        protect.check_password(weak)


def test_report_password_is_not_an_argument(office_db, workspace, data_dir, tmp_path, monkeypatch, capsys):
    workspace.close()
    monkeypatch.setenv("BVTE_USER", "admin")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    with pytest.raises(SystemExit):
        cli.main(["--data-dir", str(data_dir), "export", "--period", "2026", "-o", str(tmp_path / "a.xlsx"),
                  "--with-names", "--password", "Mk-bao-cao-2026!"])
    assert "--password" in capsys.readouterr().err
    monkeypatch.setenv("BVTE_REPORT_PASSWORD", "Mk-bao-cao-2026!")
    code = cli.main(["--data-dir", str(data_dir), "export", "--period", "2026", "-o", str(tmp_path / "a.xlsx"),
                     "--with-names"])
    assert code == 0 and protect.is_encrypted((tmp_path / "a.xlsx").read_bytes())
    monkeypatch.delenv("BVTE_REPORT_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code = cli.main(["--data-dir", str(data_dir), "export", "--period", "2026", "-o", str(tmp_path / "b.xlsx"),
                     "--with-names"])
    assert code == cli.EXIT_USAGE and "BVTE_REPORT_PASSWORD" in capsys.readouterr().err
    assert not (tmp_path / "b.xlsx").exists()


def test_window_does_not_sign_in_from_the_environment(workspace, data_dir, qtbot, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from desktop import app

    from desktop.admin import login

    workspace.close()
    monkeypatch.setenv("BVTE_USER", "admin")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    monkeypatch.delenv("BVTE_EXIT_AFTER_START", raising=False)
    shown = []

    def exec_(self):
        shown.append(self)
        return QDialog.Rejected

    monkeypatch.setattr(login.LoginDialog, "exec", exec_)
    assert app._sign_in(data_dir) is None  # the login dialog was shown, and nothing signed in by itself
    assert len(shown) == 1 and shown[0].username.text() == "admin" and shown[0].password.text() == ""
    monkeypatch.setenv("BVTE_EXIT_AFTER_START", "1")  # the start-up benchmark / smoke test only
    ws = app._sign_in(data_dir)
    assert ws is not None and ws.actor.username == "admin"
    ws.close()
