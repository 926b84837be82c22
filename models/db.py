"""Opening the office database: SQLite pragmas for durability, migrations at start-up, a copy before upgrading.

The file survives power cuts because every commit is fsynced (synchronous=FULL) through the WAL journal.

Two storage modes: "Một máy" (the default: the SQLCipher file `bvte.sqlite3` in the data folder) and "Máy chủ
trong cơ quan" (a PostgreSQL database on the office network, named by the URL in the data folder's
`may-chu.json`, see `models/server.py`). The single-PC path never imports the PostgreSQL driver.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from .errors import UserError
from . import paths
from .migrations import head_revisions
from .clock import now

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class DatabaseError(UserError):
    """A problem with the data file the user must be told about in plain words."""


class NewerDatabaseError(DatabaseError):
    pass


class WrongKeyError(DatabaseError):
    pass


class MissingDatabaseError(WrongKeyError):
    """The key file is there but the database file is missing or empty: never made anew (the office's data would
    silently disappear); the newest backup is offered instead."""


class ReadOnlyFolderError(DatabaseError):
    """The data folder cannot be written (not a wrong key, not a damaged file)."""


READ_ONLY_MESSAGE = ("Thư mục dữ liệu {folder} đang ở chế độ chỉ đọc (hoặc tài khoản Windows này không có quyền ghi), nên "
                     "chưa mở được dữ liệu. Dữ liệu vẫn nguyên vẹn. Hãy kiểm tra quyền ghi của thư mục, hoặc nhờ người "
                     "hỗ trợ kỹ thuật; đừng khôi phục bản sao lưu vì tệp dữ liệu không hỏng.")


def _set_pragmas(dbapi_conn, _record, db_file: Path | None = None) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA cipher_log_level=NONE")  # a wrong key is reported to the user, not dumped on stderr
    cur.execute("PRAGMA temp_store=MEMORY")  # no clear-text temporary files beside the encrypted database
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    # Decrypted pages are kept in memory: SQLCipher decrypts each page it reads, so a cache that holds the
    # pages the lists and the search read keeps search-as-you-type fast after the first keystroke. Sized to
    # the file (a quarter of it, 32 to 64 MB): 32 MB no longer held the working set at 200,000 children.
    cur.execute(f"PRAGMA cache_size=-{cache_kib(db_file)}")
    cur.close()


CACHE_MIN_KIB, CACHE_MAX_KIB = 32 * 1024, 64 * 1024


def cache_kib(db_file: Path | None) -> int:
    try:
        size = os.path.getsize(db_file) if db_file else 0
    except OSError:
        size = 0
    return max(CACHE_MIN_KIB, min(CACHE_MAX_KIB, size // 4 // 1024))


def make_engine(db_file: Path, key: bytes) -> Engine:
    """An engine on the SQLCipher-encrypted file; `key` is the office's 32-byte data key (used raw, no KDF)."""
    url = URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(db_file))
    # hide_parameters: an error message (a crash log, a dialog) never carries the values of a query: names of
    # children, notes.
    engine = create_engine(url, hide_parameters=True)
    event.listen(engine, "connect", partial(_set_pragmas, db_file=db_file))
    return engine


def encrypt_plain_file(db_file: Path, key: bytes) -> None:
    """Turn a clear-text SQLite file (made before encryption existed) into an encrypted one, in place."""
    import sqlcipher3.dbapi2 as sqlcipher

    tmp = db_file.with_name(db_file.name + ".encrypting")
    tmp.unlink(missing_ok=True)
    conn = sqlcipher.connect(str(db_file))
    try:
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(tmp),))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_file) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db_file)


def is_plain_sqlite(db_file: Path) -> bool:
    try:
        with open(db_file, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except FileNotFoundError:
        return False


def alembic_config(engine: Engine):
    from alembic.config import Config  # Alembic is imported only when the schema must change

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


class Database:
    """The office database in one data folder (or, in the server mode, on the server its folder names)."""

    server_url: str | None = None  # the server mode's URL (None: the single-PC file)
    attachment_keys: tuple[bytes, ...] = ()  # during a rekey: the other data key (memory only; attachment_crypto)

    def __init__(self, folder: Path, key: bytes, server_url: str | None = None):
        self.folder = folder
        self.path = paths.db_path(folder)
        self.key = key
        self.server_url = server_url
        if server_url:
            from .server import make_server_engine

            self.engine = make_server_engine(server_url)
        else:
            self.engine = make_engine(self.path, key)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_server(self) -> bool:
        return bool(self.server_url)

    def check_key(self) -> None:
        """SQLCipher only notices a wrong key at the first read: read at once and say it plainly."""
        if self.is_server:
            from .server import check_server

            return check_server(self)
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except SADatabaseError as exc:
            self.engine.dispose()
            text = str(getattr(exc, "orig", None) or exc).lower()
            if "readonly" in text or "read-only" in text or "unable to open" in text or "permission" in text:
                raise ReadOnlyFolderError(READ_ONLY_MESSAGE.format(folder=self.folder)) from exc
            if "locked" in text or "busy" in text:
                raise DatabaseError("Dữ liệu đang bận do một chương trình khác đang ghi. Chờ vài giây rồi thử lại.") from exc
            raise WrongKeyError(
                "Không mở được dữ liệu: khoá không khớp với tệp dữ liệu, hoặc tệp đã hỏng."
            ) from exc

    # -- sessions ---------------------------------------------------------------------------------
    # Set by whoever opened the database with an account: called before each user action, it notices when
    # another program (the command line beside the window) changed the data key, and follows it.
    follow_key: "Callable[[Database], None] | None" = None

    def _follow(self) -> None:
        if self.follow_key is not None:
            self.follow_key(self)

    def session(self) -> Session:
        self._follow()
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action = one transaction: everything is written, or nothing."""
        self._follow()
        with self._sessions() as session, session.begin():
            yield session

    def use_key(self, key: bytes) -> None:
        """Reconnect with another data key (after a rekey made by another program)."""
        self.key = key
        if self.is_server:  # the server's data is not encrypted with the data key: nothing to reconnect
            return
        self.engine.dispose()
        self.engine = make_engine(self.path, key)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    # -- schema -----------------------------------------------------------------------------------
    def current_revisions(self) -> frozenset[str]:
        with self.engine.connect() as conn:
            if self.is_server:
                if conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar() is None:
                    return frozenset()
                return frozenset(r for (r,) in conn.exec_driver_sql("SELECT version_num FROM alembic_version"))
            has_table = conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).scalar()
            if not has_table:
                return frozenset()
            return frozenset(r for (r,) in conn.exec_driver_sql("SELECT version_num FROM alembic_version"))

    def current_revision(self) -> str | None:
        """The schema version as one text (several heads joined by '+'), None for an empty file."""
        return "+".join(sorted(self.current_revisions())) or None

    def head_revision(self) -> str:
        return "+".join(sorted(head_revisions()))

    def upgrade(self) -> Path | None:
        """Bring the schema to this version of the program; returns the pre-upgrade copy, if one was made."""
        current = self.current_revisions()
        if current == head_revisions():
            return None
        from alembic import command
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config(self.engine))
        if not current <= {rev.revision for rev in script.walk_revisions()}:
            raise NewerDatabaseError(
                "Dữ liệu này được tạo bởi một phiên bản BVTE mới hơn phiên bản đang chạy. "
                "Hãy cài phiên bản mới nhất; chương trình không mở để tránh làm hỏng dữ liệu."
            )
        # On the server the upgrade is one PostgreSQL transaction (DDL included): it all happens or none of it;
        # the server's own backups (docs/may-chu-postgresql.md) cover the rest.
        copy = self._copy_aside(self.current_revision()) if current and not self.is_server else None
        with self.engine.begin() as conn:
            if self.is_server:  # two workstations starting a new version at once: one upgrades, the other waits
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(74110017)")
                now_at = frozenset(r for (r,) in conn.exec_driver_sql(
                    "SELECT version_num FROM alembic_version")) if conn.exec_driver_sql(
                    "SELECT to_regclass('alembic_version')").scalar() else frozenset()
                if now_at == head_revisions():
                    return None
            cfg = alembic_config(self.engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
        return copy

    def _copy_aside(self, revision: str) -> Path:
        """A consistent copy of the file (SQLite's online backup, WAL included) before changing its schema."""
        target_dir = paths.backups_dir(self.folder)
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"truoc-nang-cap-{revision}-{now():%Y%m%d-%H%M%S}.sqlite3"
        # The copy is made through the engine, so it is encrypted with the same key as the original.
        with self.engine.connect() as conn:
            conn.exec_driver_sql("VACUUM INTO ?", (str(target),))
        return target

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt the whole file with a new data key, in place, in one SQLite transaction.

        SQLCipher's `PRAGMA rekey` rewrites every page through the WAL journal and commits once
        (synchronous=FULL): a power cut at any moment leaves a file that opens with exactly one of the two
        keys, never a mix (the key file keeps both until the new one is known to open the file). Connections
        holding the old key are closed first and the engine is rebuilt on the new key."""
        # Attached documents are encrypted under the data key on the client (both modes): their content keys are
        # re-wrapped first, in one transaction, while both keys are known (see models/attachment_crypto.py).
        # On the server, the key of the protected fields is re-wrapped in the same transaction (models/field_crypto.py).
        from .attachment_crypto import rewrap_all
        from .field_crypto import rewrap

        self.attachment_keys = (new_key,)  # should the file keep the old key below, the documents still open
        with self.engine.begin() as conn:
            rewrap_all(conn, self.key, new_key)
            rewrap(conn, self.key, new_key)
        if self.is_server:  # the server's tables are not encrypted with the data key (TLS, the role and the field key protect them)
            self.use_key(new_key)
            self.attachment_keys = ()
            return
        import sqlcipher3.dbapi2 as sqlcipher

        self.engine.dispose()
        conn = sqlcipher.connect(str(self.path), isolation_level=None)
        try:
            conn.execute("PRAGMA cipher_log_level=NONE")
            conn.execute(f"PRAGMA key = \"x'{self.key.hex()}'\"")
            conn.execute("PRAGMA busy_timeout=60000")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            # Move the re-encrypted pages into the main file, so no page under the old key stays behind.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            conn.close()
        check = make_engine(self.path, new_key)
        try:
            with check.connect() as c:
                c.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except SADatabaseError as exc:
            raise DatabaseError("Chưa đổi được khoá mã hoá của tệp dữ liệu; dữ liệu vẫn nguyên như trước. "
                                "Hãy đóng các chương trình BVTE khác rồi thử lại.") from exc
        finally:
            check.dispose()
        self.use_key(new_key)
        self.attachment_keys = ()

    def integrity_ok(self) -> bool:
        if self.is_server:  # PostgreSQL checks its own pages (the server administrator's amcheck)
            with self.engine.connect() as conn:
                return conn.exec_driver_sql("SELECT 1").scalar() == 1
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"

    def dispose(self) -> None:
        self.engine.dispose()


def _writable(folder: Path) -> bool:
    probe = folder / f".bvte-kiem-tra-ghi-{os.getpid()}"
    try:
        with open(probe, "xb"):
            pass
        probe.unlink()
        return True
    except FileExistsError:
        probe.unlink(missing_ok=True)
        return True
    except OSError:
        return False


def _missing_message(folder: Path, db_file: Path, state: str) -> str:
    from .backup import latest_good_backup  # (backup imports this module)

    found = None
    try:
        found = latest_good_backup(folder)
    except Exception:  # noqa: BLE001 - a damaged backups folder must not hide the real message
        found = None
    if found:
        from datetime import datetime

        from .clock import fmt_datetime

        file, manifest = found
        offer = (f"Bản sao lưu tốt gần nhất: {file.name} (lúc {fmt_datetime(datetime.fromisoformat(manifest['created_at']))}, "
                 f"{manifest.get('case_count', '?')} hồ sơ). Hãy khôi phục bản này (cửa sổ chương trình sẽ đề nghị, "
                 f"hoặc lệnh: bvte restore \"{file}\").")
    else:
        offer = ("Trong thư mục backups không có bản sao lưu nào dùng được: hãy khôi phục từ bản sao lưu trên USB "
                 "(bvte restore TỆP), hoặc nhờ người hỗ trợ kỹ thuật.")
    return (f"Tệp dữ liệu {db_file.name} {state} trong khi tệp khoá vẫn còn. Chương trình không tạo dữ liệu mới "
            f"(để khỏi mất hồ sơ của cơ quan); đừng xoá gì trong {folder}. {offer}")


def open_database(folder: Path, key: bytes, *, create: bool = False) -> Database:
    """Open the encrypted database in the folder and bring it up to date. Only `create=True` (the first run)
    makes a new file: otherwise a missing or empty database file is an error (MissingDatabaseError)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"Không tạo được thư mục dữ liệu {folder}: {exc.strerror}") from exc
    if paths.server_path(folder).exists():
        from .server import open_server_database

        return open_server_database(folder, key, create=create)
    db_file = paths.db_path(folder)
    if not create:
        try:
            size = db_file.stat().st_size
        except FileNotFoundError:
            raise MissingDatabaseError(_missing_message(folder, db_file, "không còn")) from None
        if size == 0:
            raise MissingDatabaseError(_missing_message(folder, db_file, "bị rỗng (0 byte)"))
    if not _writable(folder):
        raise ReadOnlyFolderError(READ_ONLY_MESSAGE.format(folder=folder))
    if is_plain_sqlite(db_file):
        encrypt_plain_file(db_file, key)
    db = Database(folder, key)
    db.check_key()
    paths.make_private(folder)  # after the first read: the file exists (a new office's database is made above)
    try:
        db.upgrade()
    except DatabaseError:
        db.dispose()  # refused (e.g. a newer file): no connection is left open on it
        raise
    except SADatabaseError as exc:  # pragma: no cover - depends on the file's damage
        db.dispose()
        raise DatabaseError(f"Không mở được tệp dữ liệu {db.path}: {exc.orig}") from exc
    from .wording import use_data_folder

    use_data_folder(folder)  # the office's local form wording (<folder>/mau-dia-phuong), if any
    return db


def storage_error_message(exc: BaseException) -> str | None:
    """A plain-words message for failures of the disk rather than of the program (None for anything else).

    Disk full, read-only folder, a removed USB drive, a file locked by another program: the user can act on
    these, and SQLite has already rolled the transaction back, so nothing saved before is lost.
    """
    if type(exc).__name__ == "StaleDataError":  # the server mode: two workstations saved the same form at once
        return ("Mẫu này vừa được người khác lưu cùng lúc, nên bản của anh/chị chưa được lưu (không ghi đè lên bản "
                "của người đó). Hãy ghi lại những gì mình vừa sửa, đóng và mở lại mẫu để xem bản mới nhất.")
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "disk is full" in text or "database or disk is full" in text or "no space" in text or "file too large" in text:
        return ("Ổ đĩa đã đầy nên chưa lưu được. Những gì đã lưu trước đó vẫn an toàn. "
                "Hãy giải phóng dung lượng ổ đĩa rồi bấm Lưu lại.")
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        return ("Thư mục dữ liệu đang ở chế độ chỉ đọc nên chưa lưu được. Những gì đã lưu trước đó vẫn an toàn. "
                "Kiểm tra quyền ghi của thư mục dữ liệu.")
    if "database is locked" in text or "busy" in text:
        return "Dữ liệu đang bận do một chương trình khác đang ghi. Chờ vài giây rồi thử lại."
    if "disk i/o error" in text or "input/output" in text:
        return ("Lỗi đọc/ghi ổ đĩa nên chưa lưu được. Những gì đã lưu trước đó vẫn an toàn. "
                "Kiểm tra ổ đĩa (hoặc USB) rồi thử lại.")
    return None
