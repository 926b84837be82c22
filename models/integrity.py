"""The check of the data file when the window opens, kept out of the user's way.

Every opening reads every page (`PRAGMA quick_check`: damaged pages, broken b-trees); once a week the full
`PRAGMA integrity_check` also compares every index with its table. Both run on a connection of their own in a
background thread (SQLite works without Python's lock, so the window stays responsive) and can be stopped
at once when the window closes. The moment of the last full check is kept in the database.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .clock import now as clock_now

if TYPE_CHECKING:  # the data layer is imported only where it is used: `bvte verify` starts before it is loaded
    from .db import Database

FULL_CHECK_KEY = "last_full_integrity_check"
FULL_CHECK_EVERY = timedelta(days=7)
# `bvte verify`: a page cache that holds the whole file, for files up to this size. quick_check reads every
# page twice (the b-trees, then every table's rows for its NOT NULL and type checks) and SQLCipher checks and
# decrypts a page at each read: held in memory, each page is decrypted once (about 0.4 s less at 50,000
# children). The window keeps its usual cache (its memory is a target of its own).
WHOLE_FILE_CACHE_MAX = 320 * 1024 * 1024


def whole_file_cache_kib(db_file: Path) -> int | None:
    """A cache size (KiB) holding every page of the file with room to spare, or None for a larger file."""
    try:
        size = db_file.stat().st_size
    except OSError:
        return None
    return None if size > WHOLE_FILE_CACHE_MAX else size // 1024 * 9 // 8 + 2048


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    full: bool  # the full integrity_check (else quick_check)
    interrupted: bool = False


def last_full_check(db: Database) -> datetime | None:
    from .entities import AppState

    with db.session() as session:
        row = session.get(AppState, FULL_CHECK_KEY)
    try:
        return datetime.fromisoformat(row.value) if row else None
    except ValueError:
        return None


def full_check_due(db: Database, at: datetime | None = None) -> bool:
    last = last_full_check(db)
    at = at or clock_now()
    return last is None or not timedelta(0) <= at - last < FULL_CHECK_EVERY


class OpeningCheck:
    """One check of the data file; `run()` in a worker thread, `cancel()` from any thread.

    With `file` (the data file and its key) it checks that file without a Database (`db` None): `bvte verify`
    starts it as soon as the password gave the key; `remember(db, result)` then records a full check."""

    def __init__(self, db: Database | None, *, full: bool | None = None, at: datetime | None = None,
                 file: tuple[Path, bytes] | None = None, cache_kib: int | None = None):
        self.db = db
        self.at = at or clock_now()
        self.full = full_check_due(db, self.at) if full is None else full
        self.file = file
        self.cache_kib = cache_kib
        self._conn = None
        self._cancelled = False
        self._lock = threading.Lock()

    def run(self) -> CheckResult:
        if self.file is None and self.db.is_server:
            # The server checks its own pages (its administrator's amcheck); here: it answers.
            try:
                ok = self.db.integrity_ok()
            except Exception:  # noqa: BLE001 - a server that does not answer is reported like a failed check
                return CheckResult(False, self.full)
            result = CheckResult(ok, self.full)
            self.remember(self.db, result)
            return result
        from .bare_sqlcipher import connect  # a bare SQLCipher connection, as the backups use

        import sqlcipher3.dbapi2 as sqlcipher

        path, key = self.file or (self.db.path, self.db.key)
        with self._lock:
            if self._cancelled:
                return CheckResult(False, self.full, interrupted=True)
            self._conn = conn = connect(path, key)
            # interrupt() only stops a statement already running: a cancel arriving between here and the
            # check's start would be lost and the window would wait for the whole check. The progress handler
            # reads the flag while the check runs, whenever the cancel came.
            # (Every 20,000 steps: about 850 calls into Python for a check of 50,000 children, each a few
            # milliseconds apart, so a busy window thread barely waits for it and a cancel stops it within 0.1 s.)
            conn.set_progress_handler(lambda: 1 if self._cancelled else 0, 20_000)
        try:
            if self.cache_kib:
                conn.execute(f"PRAGMA cache_size=-{int(self.cache_kib)}")
            result = conn.execute("PRAGMA integrity_check" if self.full else "PRAGMA quick_check").fetchone()[0]
        except sqlcipher.OperationalError as exc:
            if self._cancelled or "interrupt" in str(exc).lower():
                return CheckResult(False, self.full, interrupted=True)
            return CheckResult(False, self.full)
        except sqlcipher.DatabaseError:  # "file is not a database", "database disk image is malformed"
            return CheckResult(False, self.full)
        finally:
            with self._lock:
                self._conn = None
            conn.close()
        checked = CheckResult(result == "ok", self.full)
        if self.db is not None:
            self.remember(self.db, checked)
        return checked

    def remember(self, db: Database, result: CheckResult) -> None:
        """A full check that passed is written down: the next one is due a week later."""
        if result.ok and result.full and not result.interrupted:
            from .entities import AppState

            with db.transaction() as session:
                session.merge(AppState(key=FULL_CHECK_KEY, value=self.at.isoformat()))

    def cancel(self) -> None:
        """Stop a running check at once (the window is closing); it then reports `interrupted`."""
        with self._lock:
            self._cancelled = True
            if self._conn is not None:
                self._conn.interrupt()
