"""The check of the data file at opening: quick every time, full once a week, stoppable, damage reported."""
from __future__ import annotations

import pytest

import threading
from datetime import timedelta

from models import paths
from models.clock import now
from models.demo import generate_demo
from models.integrity import (
    FULL_CHECK_EVERY, OpeningCheck, full_check_due, last_full_check, whole_file_cache_kib,
)
from models.security.roles import Actor
from tests.conftest import PASSWORD

ACTOR = Actor("admin", "Quản trị viên", frozenset({"admin", "worker"}))


def test_full_check_once_a_week_quick_check_otherwise(db):
    at = now()
    assert full_check_due(db, at)
    first = OpeningCheck(db, at=at)
    assert first.full
    assert first.run().ok
    assert last_full_check(db) == at
    assert not OpeningCheck(db, at=at + timedelta(days=3)).full
    assert OpeningCheck(db, at=at + timedelta(days=3)).run().ok
    assert OpeningCheck(db, at=at + FULL_CHECK_EVERY).full
    assert OpeningCheck(db, at=at - timedelta(days=1)).full  # a clock set back: check fully rather than trust it


@pytest.mark.sqlite_only
def test_a_check_is_stopped_at_once_when_the_window_closes(db):
    generate_demo(db, ACTOR, children=400, cases=150)
    check = OpeningCheck(db, full=True)
    check.cancel()  # cancelled before it started: it does not start
    assert check.run().interrupted
    check = OpeningCheck(db, full=True)
    results = []
    worker = threading.Thread(target=lambda: results.append(check.run()))
    worker.start()
    check.cancel()
    worker.join(10)
    assert not worker.is_alive() and len(results) == 1
    assert results[0].interrupted or results[0].ok  # it may have finished before the cancel arrived


@pytest.mark.sqlite_only
def test_a_cancel_between_connecting_and_checking_still_stops_the_check(db, monkeypatch):
    """The window closed after the check had opened its connection but before its statement ran: an
    interrupt() then is a no-op in SQLite, and the closing window waited for the whole check (1.3 s at 50k)."""
    from models import bare_sqlcipher

    generate_demo(db, ACTOR, children=400, cases=150)
    check = OpeningCheck(db, full=True)
    real_connect = bare_sqlcipher.connect

    class CancelledJustBeforeTheCheck:
        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            if sql.endswith("_check"):
                closing = threading.Thread(target=check.cancel)  # the window closing, from another thread
                closing.start()
                closing.join(5)
            return self.conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.conn, name)

    monkeypatch.setattr(bare_sqlcipher, "connect", lambda *a: CancelledJustBeforeTheCheck(real_connect(*a)))
    result = check.run()
    assert result.interrupted and not result.ok


@pytest.mark.sqlite_only
def test_a_damaged_file_is_reported_not_raised(workspace, data_dir):
    generate_demo(workspace.db, ACTOR, children=200, cases=60)
    key = workspace.db.key
    workspace.close()
    db_file = paths.db_path(data_dir)
    raw = bytearray(db_file.read_bytes())
    middle = len(raw) // 2 // 4096 * 4096
    raw[middle + 100:middle + 3000] = b"\x5a" * 2900  # a bad sector inside one page
    db_file.write_bytes(bytes(raw))
    from models.db import Database

    db = Database(data_dir, key)
    try:
        result = OpeningCheck(db, full=False).run()
        assert not result.ok and not result.interrupted
    finally:
        db.dispose()
    # As `bvte verify` runs it: on the file before it is opened, every page held in memory.
    cache = whole_file_cache_kib(db_file)
    assert cache is not None and cache * 1024 > db_file.stat().st_size
    for full in (False, True):
        result = OpeningCheck(None, full=full, file=(db_file, key), cache_kib=cache).run()
        assert not result.ok and not result.interrupted and result.full == full


def test_bvte_verify_reads_every_page_and_the_chain(workspace, data_dir, monkeypatch, capsys):
    from desktop.cli import main as cli_main

    workspace.close()
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    assert cli_main(["--data-dir", str(data_dir), "verify", "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert "(mọi trang): tốt" in out and "Nhật ký truy cập: Nhật ký nguyên vẹn" in out
    assert cli_main(["--data-dir", str(data_dir), "verify", "--full", "--user", "admin"]) == 0
    assert "(toàn bộ): tốt" in capsys.readouterr().out
    import gc

    assert gc.isenabled()  # the command pauses the garbage collector while it runs, and gives it back


@pytest.mark.sqlite_only
def test_bvte_verify_checks_the_file_as_soon_as_the_key_is_known(workspace, data_dir, monkeypatch, capsys):
    """The check starts from the password's key (before the data is opened) and a full check is recorded."""
    from desktop.cli import main as cli_main
    from models.services.accounts import login

    workspace.close()
    runs = []
    real_run = OpeningCheck.run
    monkeypatch.setattr(OpeningCheck, "run", lambda self: runs.append((self.db, self.file, self.cache_kib)) or real_run(self))
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    assert cli_main(["--data-dir", str(data_dir), "verify", "--full", "--user", "admin"]) == 0
    assert "(toàn bộ): tốt" in capsys.readouterr().out
    assert len(runs) == 1
    db, (db_file, _), cache = runs[0]
    assert db is None and db_file == paths.db_path(data_dir) and cache * 1024 > db_file.stat().st_size
    ws = login(data_dir, "admin", PASSWORD)
    try:
        assert last_full_check(ws.db) is not None and not full_check_due(ws.db)
    finally:
        ws.close()


@pytest.mark.sqlite_only
def test_bvte_verify_rechecks_an_early_failure_on_the_open_data(workspace, data_dir, monkeypatch, capsys):
    """A failure found before the data was opened is checked once more on the open data before it is reported."""
    from desktop.cli import main as cli_main
    from models.integrity import CheckResult

    workspace.close()
    runs = []
    real_run = OpeningCheck.run

    def run(self):
        runs.append(self.file is not None)
        return CheckResult(False, self.full) if self.file is not None else real_run(self)

    monkeypatch.setattr(OpeningCheck, "run", run)
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    assert cli_main(["--data-dir", str(data_dir), "verify", "--user", "admin"]) == 0
    assert "(mọi trang): tốt" in capsys.readouterr().out and runs == [True, False]
    monkeypatch.setattr(OpeningCheck, "run", lambda self: runs.append(self.file is not None) or CheckResult(False, self.full))
    assert cli_main(["--data-dir", str(data_dir), "verify", "--user", "admin"]) == 1
    assert "(mọi trang): HỎNG" in capsys.readouterr().out and runs == [True, False, True, False]
