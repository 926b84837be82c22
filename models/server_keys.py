"""The office's key file shared through the office server, so that every workstation signs in with the same one.

In the server mode each workstation's data folder holds a copy of `keys.json` (the accounts: each account's
password-wrapped copy of the data key). An account added, a password reset or changed, an account disabled — each
changes that file on the workstation where it was done, and a password change or a disable also gives the data a
new key: the other workstations need the new file. The server keeps the newest one (table `key_file`, one row,
with a version that only goes up) and each workstation brings itself up to date:

- at each sign-in, before the password is tried (`bring_up_to_date`), and every few seconds while it works
  (`Following`);
- around every change of accounts (`sharing`): the server's advisory lock is held for the whole change, so two
  workstations never change accounts at once; the file is shared as soon as a new data key is prepared (before the
  data gets it: no workstation can be left without the key the data is under) and again when the change is done.

Rules for a copy from the server: it is taken only if its version is newer than the one this folder last took or
gave (`may-chu-khoa.json` beside the key file), and only if it is the same office's (its `office_id`): a server
administrator cannot hand a workstation another office's file. A change made here and not yet shared (a sign-in's
count of wrong passwords, a change cut short) is shared at the next sign-in when the server has nothing newer;
when the server has something newer, the server's copy wins (nothing there can be lost: a new data key is always
shared before the data gets it).

What this gives the server's administrator is said in docs/may-chu-postgresql.md: the key file itself (each
password-wrapped key, which a strong password protects against guessing; never the data key), and the power to
withhold or replace it with an older copy of the same office (a workstation would then fail to sign in and say so,
nothing more: an old copy only opens an old data key, which no longer opens the office's field key).
"""
from __future__ import annotations

import hashlib
import json
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import paths
from .security.vault import Vault, VaultError, file_lock, write_atomically

SYNC_FILE = "may-chu-khoa.json"
LOCK = 74110019  # pg_advisory_lock while accounts change (one workstation at a time)
FOLLOW_EVERY = 10.0  # seconds between two looks at the server's version while a workstation works

def is_server_folder(folder: Path) -> bool:
    return paths.server_path(folder).exists()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _synced(folder: Path) -> tuple[int, str]:
    """(version, sha256) of the key file this folder last took from or gave to the server; (0, "") if never."""
    try:
        with open(folder / SYNC_FILE, encoding="utf-8") as fh:
            data = json.loads(fh.read(4096))
        return int(data["version"]), str(data["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, ""


def _remember(folder: Path, version: int, text: str) -> None:
    write_atomically(folder / SYNC_FILE, json.dumps({"version": version, "sha256": _sha(text)}))


def _check_copy(text: str, office_id: str | None) -> None:
    """A copy from the server must be a key file of this office."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), dict) or not data.get("office_id"):
        raise VaultError("Tệp khoá của cơ quan trên máy chủ bị hỏng: chưa thay tệp khoá trên máy này. Hãy báo cho quản "
                         "trị viên.")
    if office_id is not None and data["office_id"] != office_id:
        raise VaultError("Tệp khoá trên máy chủ là của một cơ quan khác: máy này không nhận. Hãy kiểm tra địa chỉ máy "
                         "chủ với cán bộ kỹ thuật.")


def sync(folder: Path, conn) -> bool:
    """Bring the folder's key file and the server's copy level, on `conn` (a connection to the server, in a
    transaction), under the key file's lock. Returns True when the local file changed."""
    from sqlalchemy import insert, select, update

    from .field_crypto import key_file_table

    path = Vault.file_in(folder)
    with file_lock(folder):
        local = path.read_text(encoding="utf-8") if path.exists() else None
        office_id = json.loads(local).get("office_id") if local else None
        version, sha = _synced(folder)
        row = conn.execute(select(key_file_table.c.version, key_file_table.c.content, key_file_table.c.office_id)
                           .where(key_file_table.c.id == 1)).first()
        if row is None:
            if local is not None:  # the first workstation of this version: its file becomes the shared one
                conn.execute(insert(key_file_table).values(id=1, version=1, office_id=office_id, content=local))
                _remember(folder, 1, local)
            return False
        if row.version > version:
            if local is not None and row.content == local:
                _remember(folder, row.version, local)
                return False
            _check_copy(row.content, office_id)
            write_atomically(path, row.content)
            _remember(folder, row.version, row.content)
            return True
        if local is not None and _sha(local) != sha and row.version == version:  # a change here, not yet shared
            conn.execute(update(key_file_table).where(key_file_table.c.id == 1)
                         .values(version=version + 1, content=local, office_id=office_id))
            _remember(folder, version + 1, local)
        return False


def _engine(folder: Path):
    from .server import make_server_engine, read_server_url

    return make_server_engine(read_server_url(folder))


def bring_up_to_date(folder: Path) -> None:
    """Before a sign-in on a workstation of the server mode: the newest key file of the office (nothing in the
    single-PC mode). A server that does not answer is not an error here: the sign-in then says what is wrong."""
    if not is_server_folder(folder):
        return
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    engine = _engine(folder)
    try:
        with engine.begin() as conn:
            if inspect(conn).has_table("key_file"):
                sync(folder, conn)
    except SQLAlchemyError:
        pass
    finally:
        engine.dispose()


@contextmanager
def sharing(db) -> Iterator[callable]:
    """Around a change of accounts on `db`: one workstation at a time (the server's lock), this folder's key file
    brought up to date first, and shared when the change ends. Yields `share()`, to share at once (a new data key,
    before the data gets it). The single-PC mode: nothing but a `share` that does nothing."""
    if not db.is_server:
        yield lambda: None
        return
    from sqlalchemy.exc import OperationalError

    with db.engine.connect() as conn:
        try:
            conn.exec_driver_sql("SET lock_timeout = '30s'")
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({LOCK})")
            conn.commit()
        except OperationalError:
            raise VaultError("Một máy khác đang thay đổi tài khoản của cơ quan. Chờ một lát rồi thử lại.") from None

        def share() -> None:
            with conn.begin():
                sync(db.folder, conn)

        try:
            share()
            yield share
        except BaseException:
            try:
                share()  # what was done before the failure (a new key prepared) reaches the others
            except Exception:  # noqa: BLE001 - the failure itself is what the user must hear of
                pass
            raise
        else:
            share()
        finally:
            conn.rollback()
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({LOCK})")
            conn.exec_driver_sql("RESET lock_timeout")  # the connection goes back to the pool as it came
            conn.commit()


class Following:
    """While a workstation works: a look at the server's version of the key file at most every FOLLOW_EVERY
    seconds; a newer one is taken (the workspace then follows a new data key, see accounts._follow_rekeys)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.last = time.monotonic()

    def __call__(self, db) -> None:
        if not db.is_server or time.monotonic() - self.last < FOLLOW_EVERY:
            return
        self.last = time.monotonic()
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with db.engine.begin() as conn:
                sync(self.folder, conn)
        except (SQLAlchemyError, VaultError):
            pass  # the next look tries again; signing in says what is wrong
