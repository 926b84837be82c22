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

from .clock import now as clock_now
from .db import Database
from .entities import AppState

FULL_CHECK_KEY = "last_full_integrity_check"
FULL_CHECK_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    full: bool  # the full integrity_check (else quick_check)
    interrupted: bool = False


def last_full_check(db: Database) -> datetime | None:
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
    """One check of the data file; `run()` in a worker thread, `cancel()` from any thread."""

    def __init__(self, db: Database, *, full: bool | None = None, at: datetime | None = None):
        self.db = db
        self.at = at or clock_now()
        self.full = full_check_due(db, self.at) if full is None else full
        self._conn = None
        self._cancelled = False
        self._lock = threading.Lock()

    def run(self) -> CheckResult:
        if self.db.is_server:  # the server checks its own pages (its administrator's amcheck); here: it answers
            try:
                ok = self.db.integrity_ok()
            except Exception:  # noqa: BLE001 - a server that does not answer is reported like a failed check
                return CheckResult(False, self.full)
            if ok and self.full:
                with self.db.transaction() as session:
                    session.merge(AppState(key=FULL_CHECK_KEY, value=self.at.isoformat()))
            return CheckResult(ok, self.full)
        from .backup import _connect  # a bare SQLCipher connection, as the backups use

        import sqlcipher3.dbapi2 as sqlcipher

        with self._lock:
            if self._cancelled:
                return CheckResult(False, self.full, interrupted=True)
            self._conn = conn = _connect(self.db.path, self.db.key)
            # interrupt() only stops a statement already running: a cancel arriving between here and the
            # check's start would be lost and the window would wait for the whole check. The progress handler
            # reads the flag while the check runs, whenever the cancel came.
            conn.set_progress_handler(lambda: 1 if self._cancelled else 0, 1000)
        try:
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
        ok = result == "ok"
        if ok and self.full:
            with self.db.transaction() as session:
                session.merge(AppState(key=FULL_CHECK_KEY, value=self.at.isoformat()))
        return CheckResult(ok, self.full)

    def cancel(self) -> None:
        """Stop a running check at once (the window is closing); it then reports `interrupted`."""
        with self._lock:
            self._cancelled = True
            if self._conn is not None:
                self._conn.interrupt()
