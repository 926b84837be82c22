"""Storage faults say what happened (issue 11 item 7): a read-only data folder is not a wrong key, a missing or
empty database is never made anew while its key file exists (the newest backup is named), two writers at once
get the friendly "busy" message."""
from __future__ import annotations

import sqlite3  # noqa: F401 - (sqlcipher3 below)

import pytest

from desktop import cli
from models import db as db_module
from models.db import MissingDatabaseError, ReadOnlyFolderError, WrongKeyError
from models.services.accounts import login
from tests.conftest import PASSWORD


def test_missing_database_is_not_recreated_and_the_newest_backup_is_named(office_db, workspace, data_dir):
    from models.backup import automatic_backup

    info = automatic_backup(workspace, force=True)
    workspace.close()
    db_file = data_dir / "bvte.sqlite3"
    db_file.unlink()
    for suffix in ("-wal", "-shm"):
        (data_dir / f"bvte.sqlite3{suffix}").unlink(missing_ok=True)
    with pytest.raises(MissingDatabaseError) as err:
        login(data_dir, "admin", PASSWORD)
    assert "không tạo dữ liệu mới" in str(err.value) and info.path.name in str(err.value)
    assert not db_file.exists()  # nothing was made in its place


def test_empty_database_keeps_its_wal_and_is_refused(office_db, workspace, data_dir, monkeypatch, capsys):
    workspace.close()
    db_file = data_dir / "bvte.sqlite3"
    wal = data_dir / "bvte.sqlite3-wal"
    wal.write_bytes(b"w" * 4096)  # what a power cut may leave: the pages still in the journal
    db_file.write_bytes(b"")
    monkeypatch.setenv("BVTE_USER", "admin")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    code = cli.main(["--data-dir", str(data_dir), "cases"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_DATA and "rỗng (0 byte)" in err and "bvte restore" in err and "Traceback" not in err
    assert db_file.stat().st_size == 0 and wal.read_bytes() == b"w" * 4096


def test_read_only_folder_is_not_called_a_wrong_key(office_db, workspace, data_dir, monkeypatch):
    """Root ignores permissions here, so the folder's refusal to be written is simulated where it is probed."""
    workspace.close()
    monkeypatch.setattr(db_module, "_writable", lambda folder: False)
    with pytest.raises(ReadOnlyFolderError) as err:
        login(data_dir, "admin", PASSWORD)
    assert not isinstance(err.value, WrongKeyError)
    assert "chỉ đọc" in str(err.value) and "đừng khôi phục" in str(err.value)


def test_read_only_error_from_sqlite_is_not_a_wrong_key(office_db, workspace, data_dir, monkeypatch):
    workspace.close()
    real = db_module._set_pragmas

    def readonly(conn, record, **_):
        raise __import__("sqlcipher3").dbapi2.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(db_module, "_set_pragmas", readonly)
    with pytest.raises(ReadOnlyFolderError):
        login(data_dir, "admin", PASSWORD)
    monkeypatch.setattr(db_module, "_set_pragmas", real)


def test_two_writers_get_the_busy_message(office_db, workspace, data_dir, monkeypatch, capsys):
    """The window (or another command) holds the write lock; a command that must write waits, then says so."""
    real = db_module._set_pragmas

    def short_wait(conn, record, **kwargs):
        real(conn, record, **kwargs)
        cur = conn.cursor()
        cur.execute("PRAGMA busy_timeout=200")
        cur.close()

    monkeypatch.setattr(db_module, "_set_pragmas", short_wait)
    with workspace.db.engine.connect() as holder:
        holder.exec_driver_sql("BEGIN IMMEDIATE")
        monkeypatch.setenv("BVTE_USER", "admin")
        monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
        code = cli.main(["--data-dir", str(data_dir), "cases"])  # signing in records the login: a write
        holder.exec_driver_sql("ROLLBACK")
    err = capsys.readouterr().err
    assert code == cli.EXIT_DATA and "đang bận" in err and "Traceback" not in err
