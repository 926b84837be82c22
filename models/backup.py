"""Backups: one `.bvtebak` file holds the whole office, as encrypted as the data folder itself.

A backup is a ZIP of three members:
  bvte.sqlite3   a consistent snapshot of the SQLCipher database, encrypted with the same data key
                 (SQLite's online-backup API through sqlcipher3, one step = one read transaction, so it is
                 consistent even while the program keeps writing; WAL readers and writers are not blocked);
  keys.json      the key file as it was, so the accounts' passwords of that day open the backup;
  manifest.json  format, program version, schema revision, office id, time, sha256 and size of the database
                 member, number of cases. No names: nothing personal is readable without a password.

Every backup is written to a temporary file beside its target, fsynced, read back and checked (ZIP CRC,
sha256, the database opened with the key, `PRAGMA integrity_check`, cases counted), and only then renamed
to its name. Whatever fails, the temporary file is removed and the database is not touched.

Restoring checks the file the same way, unlocks the backup's own key file with an account that may restore
*in the backup*, prepares the new files in a staging folder inside the data folder, keeps the current files
in `backups/truoc-khoi-phuc-…/`, and only then swaps them in.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import func, select

from .errors import UserError
from . import __version__, paths
from .bare_sqlcipher import connect as _connect
from .clock import VN, fmt_datetime, now as clock_now
from .db import Database, DatabaseError, alembic_config
from .entities import Account, AppState, AuditEvent, Draft, Office
from .security import audit
from .security.roles import SYSTEM, Actor, NotAllowed
from .security.vault import KEYS_FILENAME, AccountLocked, Vault, VaultError, file_lock

FORMAT = 1
SUFFIX = ".bvtebak"
DB_MEMBER = paths.DB_FILENAME
KEYS_MEMBER = KEYS_FILENAME
MANIFEST_MEMBER = "manifest.json"
MEMBERS = (MANIFEST_MEMBER, KEYS_MEMBER, DB_MEMBER)
# What a person reads about the parts of a backup (never the internal file names).
MEMBER_WORDS = {MANIFEST_MEMBER: "phần mô tả", KEYS_MEMBER: "phần khoá", DB_MEMBER: "phần dữ liệu"}

LAST_EXTERNAL_KEY = "last_external_backup"
AUTO_NAME = re.compile(r"^bvte-(\d{8})-(\d{6})(?:-(\d+))?\.bvtebak$")
# At most 3 + 2 + 3 = 8 automatic copies are kept (fewer where one copy is the newest of its day, week and
# month): the backups folder stays within 8 × the database's size (see README).
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 3, 2, 3
MAX_AUTO_BACKUPS = KEEP_DAILY + KEEP_WEEKLY + KEEP_MONTHLY
CHANGE_MARKER_KEY = "auto_backup_marker"
# Audit actions that leave the data as it was: a session that only did these needs no new backup.
READ_ONLY_ACTIONS = ("login", "view", "print", "export", "backup")
SAFETY_PREFIX = "truoc-khoi-phuc-"
_STAGING_PREFIX = ".bvte-tam-"
_CHUNK = 1 << 20
DEFAULT_REMINDER_DAYS = 7  # as Office.backup_reminder_days, before the office settings are saved

Progress = Callable[[float, str], None]


class BackupError(UserError):
    """A backup or restore that could not be done, with a message the user can act on (Vietnamese)."""


@dataclass
class BackupInfo:
    path: Path
    created_at: datetime
    kind: str  # "manual" or "auto"
    size: int  # of the .bvtebak file
    case_count: int
    external: bool
    manifest: dict = field(repr=False, default_factory=dict)


# -- helpers ----------------------------------------------------------------------------------------
def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):  # POSIX: make a rename durable; Windows has no directory handles here
        fd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _remove_quietly(path: Path | None) -> None:
    if path is None:
        return
    try:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass  # the stick may be gone: nothing more can be done about the temporary file


def _staging_dir(folder: Path, what: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{what}-", dir=folder))


def clean_stale_staging(folder: Path, older_than: timedelta = timedelta(hours=12)) -> None:
    """Staging folders left by a power cut in the middle of a backup or restore (encrypted, but useless)."""
    limit = datetime.now().timestamp() - older_than.total_seconds()
    for path in folder.glob(f"{_STAGING_PREFIX}*"):
        try:
            if path.stat().st_mtime < limit:
                _remove_quietly(path)
        except OSError:
            pass


_GONE = {errno.EIO, errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.ESTALE, getattr(errno, "ENOMEDIUM", -1)}
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG}
# Windows: ERROR_NOT_READY, ERROR_DEV_NOT_EXIST, ERROR_DEVICE_NOT_CONNECTED, ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
_WIN_GONE, _WIN_FULL = {21, 55, 1167}, {39, 112}


def _os_message(exc: OSError, folder: Path, action: str = "ghi bản sao lưu") -> str:
    code, winerror = exc.errno, getattr(exc, "winerror", None)
    if code in _FULL or winerror in _WIN_FULL:
        return (f"Không đủ chỗ trống trên ổ đĩa để {action} vào {folder}. "
                "Hãy giải phóng bớt dung lượng hoặc chọn ổ khác. Dữ liệu trên máy vẫn nguyên vẹn.")
    if code in _READ_ONLY:
        return (f"Không có quyền {action} vào {folder} (thư mục hoặc ổ đĩa chỉ cho đọc, hoặc ổ USB đang bị khoá ghi). "
                "Hãy chọn thư mục khác. Dữ liệu trên máy vẫn nguyên vẹn.")
    if code in _GONE or winerror in _WIN_GONE:
        return (f"Lỗi khi {action} vào {folder}: ổ đĩa bị rút ra hoặc bị lỗi trong lúc ghi. "
                "Bản sao lưu chưa được tạo; dữ liệu trên máy vẫn nguyên vẹn. Hãy cắm lại ổ và thử lại.")
    if code == errno.ENOTDIR:
        return f"{folder} không phải là một thư mục. Hãy chọn thư mục khác."
    return (f"Không {action} được vào {folder}: {exc.strerror or exc}. "
            "Bản sao lưu chưa được tạo; dữ liệu trên máy vẫn nguyên vẹn.")


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config(None)).walk_revisions()}


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=VN)


def default_backup_name(at: datetime | None = None) -> str:
    """What the save dialog proposes for a manual backup (not the automatic pattern, so never rotated)."""
    return f"bvte-sao-luu-{(at or clock_now()):%Y%m%d-%H%M}{SUFFIX}"


# -- checking a file ------------------------------------------------------------------------------------
def _damaged(file: Path) -> BackupError:
    return BackupError(
        f"Tệp sao lưu {file.name} bị hỏng hoặc không đầy đủ (có thể bị cắt ngang khi chép, hoặc ổ đĩa bị lỗi). "
        "Không thể dùng tệp này; hãy dùng một bản sao lưu khác."
    )


def _open_zip(file: Path) -> zipfile.ZipFile:
    try:
        with open(file, "rb") as fh:
            head = fh.read(4)
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy tệp sao lưu {file}.") from None
    except IsADirectoryError:
        raise BackupError(f"{file} là một thư mục, không phải tệp sao lưu.") from None
    except OSError as exc:
        raise BackupError(f"Không đọc được tệp sao lưu {file}: {exc.strerror or exc}.") from exc
    if head != b"PK\x03\x04":
        raise BackupError(f"Tệp {file.name} không phải là tệp sao lưu của BVTE (.bvtebak).")
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged(file) from None


def _read_manifest(zf: zipfile.ZipFile, file: Path) -> dict:
    names = set(zf.namelist())
    missing = [m for m in MEMBERS if m not in names]
    if missing:
        raise BackupError(f"Tệp sao lưu {file.name} thiếu {', '.join(MEMBER_WORDS[m] for m in missing)}: "
                          "tệp bị hỏng hoặc không phải do BVTE tạo.")
    _check_members(zf, file)
    try:
        manifest = json.loads(zf.read(MANIFEST_MEMBER).decode("utf-8"))
        keys = json.loads(zf.read(KEYS_MEMBER).decode("utf-8"))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RecursionError, NotImplementedError):
        raise _damaged(file) from None
    if not isinstance(manifest, dict) or type(manifest.get("format")) is not int:
        raise _damaged(file)
    revisions = set(str(manifest.get("schema_revision") or "").split("+"))  # several heads are joined by "+"
    if manifest["format"] > FORMAT or not revisions <= _known_revisions():
        raise BackupError(
            f"Tệp sao lưu được tạo bởi phiên bản BVTE mới hơn ({manifest.get('app_version', '?')}) so với phiên bản "
            f"đang chạy ({__version__}). Hãy cài phiên bản BVTE mới nhất rồi khôi phục lại."
        )
    _check_manifest_fields(manifest, file)
    if not isinstance(keys, dict) or keys.get("office_id") != manifest["office_id"]:
        raise _damaged(file)
    if zf.getinfo(DB_MEMBER).file_size != manifest["size"]:
        raise _damaged(file)
    return manifest


MAX_SMALL_MEMBER = 4 << 20  # manifest.json, keys.json: a few KB in a real backup
MAX_MEMBERS = 16
MAX_DB_RATIO = 50  # the database is encrypted (does not compress): a high ratio is a zip bomb


def _check_members(zf: zipfile.ZipFile, file: Path) -> None:
    """Sizes, ratios and compression of the parts, checked before anything is read or extracted: a small file
    that would expand to gigabytes is refused here, before it can fill the disk."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BackupError(f"Tệp {file.name} không phải tệp sao lưu của BVTE (có {len(infos)} phần bên trong).")
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            raise BackupError(f"Tệp sao lưu {file.name} dùng kiểu nén không được hỗ trợ (phần {info.filename[:40]}): "
                              "không phải tệp do BVTE tạo, hoặc đã bị sửa.")
        limit = None if info.filename == DB_MEMBER else MAX_SMALL_MEMBER
        ratio = info.file_size / max(info.compress_size, 1)
        if (limit is not None and info.file_size > limit) or (info.file_size > (1 << 20) and ratio > MAX_DB_RATIO):
            raise BackupError(
                f"Tệp sao lưu {file.name} không hợp lệ: phần {info.filename[:40]} bung ra "
                f"{info.file_size / 1e6:.0f} MB từ {info.compress_size / 1e6:.1f} MB nén (bản sao lưu thật không nén được "
                "như vậy). Không giải nén để khỏi làm đầy ổ đĩa.")


def _check_manifest_fields(manifest: dict, file: Path) -> None:
    """Every field the program uses, of the right kind: a malformed manifest is a damaged file, not a traceback."""
    def bad(what: str) -> BackupError:
        return BackupError(f"Tệp sao lưu {file.name} bị hỏng hoặc đã bị sửa: thông tin mô tả ({what}) không hợp lệ. "
                           "Hãy dùng một bản sao lưu khác.")

    for key in ("office_id", "sha256", "created_at"):
        if not isinstance(manifest.get(key), str) or not manifest[key] or len(manifest[key]) > 200:
            raise bad(key)
    for key in ("size", "case_count"):
        if type(manifest.get(key)) is not int or manifest[key] < 0:
            raise bad(key)
    if not re.fullmatch(r"[0-9a-f]{64}", manifest["sha256"]):
        raise bad("sha256")
    taken = _parse_time(manifest["created_at"])
    if taken is None or taken.year < 2000 or taken.year > clock_now().year + 1:
        raise bad("created_at")
    if not isinstance(manifest.get("app_version", ""), str):
        raise bad("app_version")


def _check_free_space(folder: Path, needed: int) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if free < needed + (64 << 20):
        raise BackupError(f"Không đủ chỗ trống trên ổ đĩa để khôi phục: cần khoảng {needed / 1e6:,.0f} MB, còn "
                          f"{free / 1e6:,.0f} MB. Hãy giải phóng dung lượng rồi thử lại.".replace(",", "."))


def _copy_member(zf: zipfile.ZipFile, manifest: dict, file: Path, dest: Path | None,
                 progress: Progress | None = None, span: tuple[float, float] = (0.0, 1.0)) -> None:
    """Read the database member once: CRC (checked by zipfile at the end) and sha256, optionally writing it out."""
    digest = hashlib.sha256()
    total, done = max(manifest["size"], 1), 0
    out = open(dest, "wb") if dest is not None else None
    try:
        with zf.open(DB_MEMBER) as src:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                if out is not None:
                    out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(span[0] + (span[1] - span[0]) * done / total, "Đang kiểm tra tệp sao lưu…")
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError):
        raise _damaged(file) from None
    finally:
        if out is not None:
            out.close()
    if digest.hexdigest() != manifest["sha256"]:
        raise BackupError(
            f"Tệp sao lưu {file.name} đã bị thay đổi hoặc bị hỏng (mã kiểm tra không khớp). Không thể dùng tệp này."
        )


def inspect_backup(file: Path) -> dict:
    """The manifest of a backup file, after checking that the file is whole (CRC and sha256 of the database)."""
    file = Path(file)
    with _open_zip(file) as zf:
        manifest = _read_manifest(zf, file)
        _copy_member(zf, manifest, file, None)
        try:
            zf.read(KEYS_MEMBER)  # CRC of the small members too
        except zipfile.BadZipFile:
            raise _damaged(file) from None
    return manifest


def _check_snapshot(db_file: Path, key: bytes) -> int:
    """Open an extracted database with the key, check it page by page, count its cases."""
    try:
        conn = _connect(db_file, key)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise BackupError("Cơ sở dữ liệu trong bản sao lưu bị hỏng (kiểm tra toàn vẹn không đạt).")
            return conn.execute("SELECT count(*) FROM case_file").fetchone()[0]
        finally:
            conn.close()
    except BackupError:
        raise
    except Exception as exc:  # sqlcipher3.DatabaseError: wrong key or damaged pages
        raise BackupError("Không mở được cơ sở dữ liệu trong bản sao lưu: khoá không khớp hoặc tệp đã hỏng.") from exc


def _check_connection(conn, report: Progress, span: tuple[float, float]) -> int:
    """The checks of `_check_snapshot` on an open connection: every page read (quick_check), cases counted."""
    report(span[0], "Đang kiểm tra dữ liệu…")
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError("Cơ sở dữ liệu bị hỏng (kiểm tra toàn vẹn không đạt): chưa sao lưu. "
                          "Hãy khôi phục từ bản sao lưu gần nhất.")
    count = conn.execute("SELECT count(*) FROM case_file").fetchone()[0]
    report(span[1], "Đã kiểm tra dữ liệu.")
    return count


def _hold_still(conn) -> bool:
    """Fold the WAL into the database file and open a read transaction on the file alone.

    True when that worked: while the transaction lasts no checkpoint may write into the file (readers of the
    file alone hold SQLite's read-mark 0, which a checkpoint must take exclusively), so the file's bytes are
    one consistent, encrypted snapshot. False (nothing held) when another connection kept part of the WAL.
    """
    try:
        busy, log_frames, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy or log_frames != done:
            return False
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        wal = Path(str(conn_path(conn)) + "-wal")
        if wal.exists() and wal.stat().st_size > 0:  # someone wrote between the checkpoint and the BEGIN
            conn.execute("ROLLBACK")
            return False
        return True
    except Exception:  # sqlcipher3 errors (busy, locked): the online backup is the safe way
        try:
            conn.execute("ROLLBACK")
        except Exception:
            pass
        return False


def conn_path(conn) -> Path:
    return Path(conn.execute("PRAGMA database_list").fetchone()[2])


def _store_member(zf: zipfile.ZipFile, source: Path, report: Progress, span: tuple[float, float]) -> tuple[str, int]:
    """Copy the database file into the ZIP (stored), hashing the bytes on the way: (sha256, size)."""
    digest = hashlib.sha256()
    total = max(source.stat().st_size, 1)
    done = 0
    info = zipfile.ZipInfo(DB_MEMBER, date_time=clock_now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with open(source, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            done += len(chunk)
            report(span[0] + (span[1] - span[0]) * min(done / total, 1.0), "Đang ghi tệp sao lưu…")
    return digest.hexdigest(), done


def _anchor_of(conn, office_id: str, at: datetime) -> dict:
    """The audit chain's head as the copied database holds it (last entry's id and hash, number of entries)."""
    last = conn.execute("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1").fetchone()
    count = conn.execute("SELECT coalesce(max(count), 0) FROM audit_head").fetchone()[0]
    return {"kind": audit.ANCHOR_KIND, "office_id": office_id, "at": at.isoformat(),
            "audit_id": last[0] if last else 0, "audit_hash": last[1] if last else audit.GENESIS, "audit_count": count}


# -- making a backup ------------------------------------------------------------------------------------
def _snapshot(db: Database, dest: Path) -> None:
    """A consistent, encrypted copy of the live database: SQLite's online backup in a single step."""
    src = _connect(db.path, db.key)
    try:
        dst = _connect(dest, db.key)  # the copy is keyed explicitly with the same data key
        try:
            src.backup(dst, pages=-1)
        finally:
            dst.close()
    finally:
        src.close()
    with open(dest, "rb") as fh:
        if fh.read(16) == b"SQLite format 3\x00":  # never write a clear-text database onto a USB stick
            raise BackupError("Lỗi nội bộ: bản chụp cơ sở dữ liệu không được mã hoá; đã dừng sao lưu.")


def _snapshot_server(db: Database, staging: Path) -> None:
    """The server's data as of one moment, copied row by row into a new encrypted file in `staging`."""
    from .transfer import copy_office

    copy = Database(staging, db.key)
    try:
        copy.upgrade()
        copy_office(db.engine, copy.engine)
        with copy.engine.connect() as c:
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        copy.dispose()


def make_backup(ws, target: Path, *, kind: str = "manual", automatic: bool = False,
                at: datetime | None = None, progress: Progress | None = None) -> BackupInfo:
    """Write a verified backup of the workspace's office to `target`.

    A manual backup needs the "backup" permission. An automatic one (`automatic=True`, or kind="auto") runs
    for whoever is signed in and is recorded in the audit trail as done by the system.
    Raising from `progress` cancels: the temporary file is removed like on any other failure.
    """
    automatic = automatic or kind == "auto"
    target = Path(target)
    if automatic:
        # Without the role check, an automatic backup may only go where the program keeps its own copies.
        if not _is_inside(target.parent, paths.backups_dir(ws.folder)):
            raise ValueError("automatic backups are written to backups/ of the data folder only")
        kind, by = "auto", SYSTEM
    else:
        ws.actor.require("backup")
        by = ws.actor
    folder = target.parent
    if target.is_dir():
        raise BackupError(f"{target} là một thư mục; hãy chọn tên tệp sao lưu.")
    if not folder.is_dir():
        raise BackupError(f"Không tìm thấy thư mục {folder}. Nếu lưu vào ổ USB, hãy kiểm tra ổ đã được cắm và mở được.")
    at = at or clock_now()
    db: Database = ws.db
    report = progress or (lambda fraction, message: None)
    if db.is_server:
        with db.engine.connect() as c:
            db_size = int(c.exec_driver_sql("SELECT pg_database_size(current_database())").scalar())
    else:
        db_size = db.path.stat().st_size
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    if free is not None and free < db_size + (1 << 20):
        raise BackupError(_os_message(OSError(errno.ENOSPC, "full"), folder)
                          + f" (cần khoảng {db_size // (1 << 20) + 1} MB, còn {free // (1 << 20)} MB)")

    clean_stale_staging(ws.folder)
    staging: Path | None = None
    tmp: Path | None = None
    conn = None
    try:
        # The snapshot is checked once (pages, cases counted) and then copied; the copy is proved identical by
        # its sha256 read back from the written file. When the WAL can be folded into the file (nobody else is
        # writing), a read transaction keeps the file still and its encrypted bytes are copied as they are;
        # otherwise SQLite's online backup makes a separate consistent copy.
        report(0.0, "Đang chụp cơ sở dữ liệu…")
        # The key file is read with the snapshot, under its lock: no rekey can fall between the two, so the
        # backup's keys.json always opens the backup's database.
        with file_lock(ws.folder):
            db._follow()  # a rekey made by another program just before: take the key it left
            if db.is_server:
                # The server mode: one consistent snapshot of the server copied into an encrypted single-PC
                # file; the backup has the same format, and restores into either mode.
                staging = _staging_dir(ws.folder, "sao-luu")
                source = staging / DB_MEMBER
                _snapshot_server(db, staging)
            else:
                conn = _connect(db.path, db.key)
                if _hold_still(conn):
                    source = db.path
                else:
                    conn.close()
                    conn = None
                    staging = _staging_dir(ws.folder, "sao-luu")
                    source = staging / DB_MEMBER
                    _snapshot(db, source)
            keys_bytes = Vault.file_in(ws.folder).read_bytes()
        if conn is not None:
            case_count = _check_connection(conn, report, (0.0, 0.4))
            anchor = _anchor_of(conn, ws.vault.office_id, at)
        else:
            case_count = _check_snapshot(source, db.key)
            check = _connect(source, db.key)
            try:
                anchor = _anchor_of(check, ws.vault.office_id, at)
            finally:
                check.close()
        schema_revision = db.current_revision()

        report(0.4, "Đang ghi tệp sao lưu…")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tam", dir=folder)
        tmp = Path(tmp_name)
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                zf.writestr(KEYS_MEMBER, keys_bytes)
                # Encrypted pages do not compress: stored, so writing costs no more than copying.
                digest, size = _store_member(zf, source, report, (0.4, 0.7))
                manifest = {
                    "format": FORMAT,
                    "app_version": __version__,
                    "schema_revision": schema_revision,
                    "office_id": ws.vault.office_id,
                    "created_at": at.isoformat(),
                    "created_by": by.username,
                    "kind": kind,
                    "sha256": digest,
                    "size": size,
                    "case_count": case_count,
                    "audit_anchor": anchor,  # the audit chain's head in this copy: `bvte verify --anchor` checks it
                }
                zf.writestr(MANIFEST_MEMBER, json.dumps(manifest, indent=1, sort_keys=True))
            raw.flush()
            os.fsync(raw.fileno())
        if conn is not None:
            conn.close()  # the copy is written: the file may change again
            conn = None

        report(0.7, "Đang đọc lại để kiểm tra…")
        with _open_zip(tmp) as zf:
            written = _read_manifest(zf, tmp)
            if written != manifest:
                raise _damaged(tmp)
            _copy_member(zf, manifest, tmp, None, progress, (0.7, 1.0))
            if zf.read(KEYS_MEMBER) != keys_bytes:
                raise _damaged(tmp)

        os.replace(tmp, target)
        tmp = None
        _fsync_dir(folder)
    except BackupError:
        raise
    except OSError as exc:
        raise BackupError(_os_message(exc, folder)) from exc
    finally:
        if conn is not None:
            conn.close()
        _remove_quietly(tmp)
        _remove_quietly(staging)

    external = not _is_inside(target, ws.folder)
    with db.transaction() as session:
        what = "Sao lưu tự động" if automatic else "Sao lưu"
        who = f" (khi {ws.actor.username} đang đăng nhập)" if automatic else ""
        audit.record(session, by, "backup", "backup", target.name[:40],
                     detail=f"{what}{who}: {target if external else target.name}, {case_count} hồ sơ",
                     signed_by=ws.actor)
        if external:
            session.merge(AppState(key=LAST_EXTERNAL_KEY, value=at.isoformat()))
        if automatic:
            session.flush()
            session.merge(AppState(key=CHANGE_MARKER_KEY, value=json.dumps({"marker": change_marker(session),
                                                                            "file": target.name})))
    report(1.0, "Đã sao lưu xong.")
    return BackupInfo(target, at, kind, target.stat().st_size, case_count, external, manifest)


# -- automatic backups and their rotation -------------------------------------------------------------
def _auto_backups(folder: Path) -> list[tuple[datetime, Path]]:
    """Automatic backups in the folder, oldest first (same second: by their -2, -3 … suffix)."""
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = AUTO_NAME.match(path.name)
        if not match or not path.is_file():
            continue
        try:
            stamp = datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S").replace(tzinfo=VN)
        except ValueError:
            continue
        found.append((stamp, int(match[3] or 1), path))
    return [(stamp, path) for stamp, _n, path in sorted(found)]


def rotate(folder: Path, now: datetime, *, keep: Iterable[Path] = ()) -> list[Path]:
    """Delete automatic backups no rule keeps; returns what was deleted.

    Kept: the newest per day for the 7 most recent days that have backups, the newest per ISO week for the
    4 most recent weeks that have backups, the newest per month for the 12 most recent months that have
    backups (a backup kept by one rule also counts for the others), anything in `keep`, and anything dated
    after `now` (a clock that was wrong once must not make the program delete what it does not understand).
    Only files named like automatic backups are considered: pre-upgrade and pre-restore copies and the
    user's own files are never touched.
    """
    keep_names = {Path(p).name for p in keep}
    backups = [(stamp, path) for stamp, path in _auto_backups(folder) if stamp <= now]
    kept: set[Path] = set()
    for period, count in (
        (lambda d: d.date(), KEEP_DAILY),
        (lambda d: tuple(d.isocalendar())[:2], KEEP_WEEKLY),
        (lambda d: (d.year, d.month), KEEP_MONTHLY),
    ):
        newest: dict = {}
        for stamp, path in backups:  # ascending: the last one seen in a period is its newest
            newest[period(stamp)] = path
        for key in sorted(newest, reverse=True)[:count]:
            kept.add(newest[key])
    deleted = []
    for _stamp, path in backups:
        if path in kept or path.name in keep_names:
            continue
        try:
            path.unlink()
            deleted.append(path)
        except OSError:
            pass  # next time
    return deleted


def latest_good_backup(folder: Path) -> tuple[Path, dict] | None:
    """The newest automatic backup of this data folder that passes every check (for a damaged database)."""
    for _stamp, path in reversed(_auto_backups(paths.backups_dir(folder))):
        try:
            return path, inspect_backup(path)
        except BackupError:
            continue
    return None


def change_marker(session) -> str:
    """What the data looks like, in one line that changes with every change a user can make: the newest audit
    entry that is not a read (every service writes one per action), and the drafts saved while typing."""
    last = session.scalar(select(AuditEvent.id).where(AuditEvent.action.not_in(READ_ONLY_ACTIONS))
                          .order_by(AuditEvent.id.desc()).limit(1))
    drafts, newest = session.execute(select(func.count(Draft.id), func.max(Draft.updated_at))).one()
    return f"{last or 0}|{drafts}|{newest.isoformat() if newest else ''}"


def changed_since_last_backup(ws) -> bool:
    """False when the newest automatic backup in backups/ already holds the data as it is now."""
    with ws.db.session() as session:
        row = session.get(AppState, CHANGE_MARKER_KEY)
        if row is None:
            return True
        try:
            last = json.loads(row.value)
        except ValueError:
            return True
        if not (paths.backups_dir(ws.folder) / str(last.get("file", ""))).is_file():
            return True  # that backup was deleted or rotated away
        return last.get("marker") != change_marker(session)


def needs_daily_backup(ws, now: datetime | None = None) -> bool:
    """True when backups/ holds no automatic backup made in the last 24 hours."""
    now = now or clock_now()
    for stamp, _path in _auto_backups(paths.backups_dir(ws.folder)):
        if timedelta(0) <= now - stamp < timedelta(hours=24):
            return False
    return True


def automatic_backup(ws, now: datetime | None = None, *, force: bool = False, only_if_changed: bool = False,
                     progress: Progress | None = None) -> BackupInfo | None:
    """The daily backup into backups/, then rotation. None when one was already made in the last 24 hours
    (unless `force`), or with `only_if_changed` when the newest automatic backup already holds the data."""
    now = now or clock_now()
    if not force and not needs_daily_backup(ws, now):
        return None
    if only_if_changed and not changed_since_last_backup(ws):
        return None
    folder = paths.backups_dir(ws.folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(_os_message(exc, folder, "tạo thư mục sao lưu")) from exc
    name = f"bvte-{now:%Y%m%d-%H%M%S}"
    target, n = folder / f"{name}{SUFFIX}", 1
    while target.exists():
        n += 1
        target = folder / f"{name}-{n}{SUFFIX}"
    info = make_backup(ws, target, automatic=True, at=now, progress=progress)
    rotate(folder, now, keep=[target])
    return info


def last_external_backup(ws) -> datetime | None:
    with ws.db.session() as session:
        row = session.get(AppState, LAST_EXTERNAL_KEY)
        return _parse_time(row.value) if row else None


def external_backup_overdue(ws, now: datetime | None = None) -> int | None:
    """Days since the last backup to another drive, when more than the office's reminder setting;
    if none was ever made, the office's age in days once it is older than that. None: no reminder due
    (or reminders switched off with 0)."""
    now = now or clock_now()
    with ws.db.session() as session:
        office = session.scalar(select(Office).limit(1))
        days = office.backup_reminder_days if office is not None else DEFAULT_REMINDER_DAYS
        if not days or days <= 0:
            return None
        row = session.get(AppState, LAST_EXTERNAL_KEY)
        since = _parse_time(row.value) if row else None
        if since is None:
            since = session.scalar(select(func.min(Account.created_at)))
    if since is None:
        return None
    elapsed = (now - since).days
    return elapsed if elapsed > days else None


# -- restoring -----------------------------------------------------------------------------------------
def _fold_wal(db_file: Path, key: bytes) -> None:
    """Leave a single self-contained file: checkpoint the WAL and switch to a rollback journal."""
    conn = _connect(db_file, key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_file) + suffix).unlink(missing_ok=True)


NEEDS_CURRENT_ADMIN = (
    "Khôi phục sẽ thay toàn bộ dữ liệu hiện tại, nên cần đăng nhập vào dữ liệu hiện tại bằng tài khoản quản trị "
    "viên (mật khẩu hiện nay), ngoài tài khoản có trong bản sao lưu."
)


@dataclass
class _Authority:
    """Who allowed a restore in the current office, and which accounts are disabled there now."""

    username: str
    disabled: frozenset[str] | None = None
    db: Database | None = None  # read only once every check has passed (reading touches the WAL index)

    def disabled_now(self) -> frozenset[str]:
        if self.disabled is None and self.db is not None:
            try:
                self.disabled = _disabled_accounts(self.db)
            except Exception:  # noqa: BLE001 - a damaged current database is a reason to restore
                self.disabled = frozenset()
        return self.disabled or frozenset()


def _disabled_accounts(db: Database) -> frozenset[str]:
    with db.session() as session:
        return frozenset(session.scalars(select(Account.username).where(Account.disabled.is_(True))))


def _authorise(folder: Path, current, current_login: tuple[str, str] | None, allow_foreign: bool) -> _Authority | None:
    """A restore replaces the office: the *current* office's administrator must allow it (signed in now).

    Without it an old backup and an old password (say, of an account disabled since) could roll the office
    back and revive that account. None: nothing to replace (an empty folder) — only the backup's account counts."""
    if not Vault.exists(folder):
        return None
    if current is not None:
        if Path(current.folder).resolve() != folder.resolve():
            raise BackupError(NEEDS_CURRENT_ADMIN)
        current.actor.require("restore")
        return _Authority(current.actor.username, db=current.db)
    if current_login is None:
        try:
            Vault.load(folder)
        except VaultError:
            if allow_foreign:  # the key file here is unreadable: only an explicit "replace everything" restores
                return None
        raise BackupError(NEEDS_CURRENT_ADMIN)
    from .db import WrongKeyError
    from .services.accounts import login

    user, password = current_login
    try:
        ws = login(folder, user, password)
    except WrongKeyError:
        # The password opens the key file but the data file is damaged: the account proves it belongs to this
        # office, and the backup's administrator must still sign in below.
        try:
            Vault.load(folder).unlock(user, password)
        except VaultError as exc:
            raise BackupError(f"{NEEDS_CURRENT_ADMIN} {exc}") from None
        return _Authority(user.strip().lower(), frozenset())
    except VaultError as exc:
        raise BackupError(f"{NEEDS_CURRENT_ADMIN} {exc}") from None
    try:
        ws.actor.require("restore")
        return _Authority(ws.actor.username, _disabled_accounts(ws.db))
    finally:
        ws.close()


def _keep_disabled(db: Database, vault: Vault, actor: Actor, disabled_now: frozenset[str]) -> list[str]:
    """Accounts disabled in the office today stay disabled in the restored data: their entries leave the
    restored key file and the restored database gets a new data key (as when disabling)."""
    with db.session() as session:
        revive = sorted(session.scalars(select(Account.username).where(
            Account.username.in_(disabled_now), Account.disabled.is_(False))))
    revive = [u for u in revive if u != actor.username]
    if not revive:
        return []
    import secrets

    new_key = secrets.token_bytes(32)
    with db.transaction() as session:
        for username in revive:
            account = session.scalar(select(Account).where(Account.username == username))
            account.disabled = True
            audit.record(session, actor, "update", "account", username, changes=[("disabled", "False", "True")],
                         detail="Đã bị vô hiệu hoá trong dữ liệu trước khi khôi phục: giữ nguyên vô hiệu hoá")
        vault.begin_rekey(new_key, drop=tuple(revive))
    db.rekey(new_key)
    vault.finish_rekey()
    return revive


def restore_backup(folder: Path, file: Path, username: str, password: str, *, current=None,
                   current_login: tuple[str, str] | None = None,
                   allow_foreign: bool = False, progress: Progress | None = None) -> Path | None:
    """Replace the office's data in `folder` by the backup in `file`.

    Two accounts must agree: the *current* office's administrator — `current` (the open Workspace, closed
    here) or `current_login` (user name and today's password) — and `username`/`password`, an account *in
    the backup* that may restore there. Only an empty data folder needs the backup's account alone.
    Accounts disabled in the current office stay disabled in the restored data.
    Returns the folder holding the previous files (backups/truoc-khoi-phuc-…), or None if there were none.
    After a restore the user signs in again (passwords are those of the backup's day).
    """
    folder, file = Path(folder), Path(file)
    if paths.server_path(folder).exists():
        raise BackupError(
            "Máy này dùng dữ liệu trên máy chủ của cơ quan: chương trình không thay dữ liệu trên máy chủ từ một máy "
            "trạm. Hãy khôi phục vào một thư mục trống (bvte --data-dir THƯ-MỤC-TRỐNG restore TỆP), rồi chép lên một "
            "cơ sở dữ liệu trống trên máy chủ bằng bvte migrate-office --to postgresql://… (xem hướng dẫn cài máy chủ).")
    report = progress or (lambda fraction, message: None)
    report(0.0, "Đang kiểm tra tệp sao lưu…")
    zf = _open_zip(file)
    staging: Path | None = None
    safety: Path | None = None
    try:
        manifest = _read_manifest(zf, file)  # a hostile or broken file is refused first, before anyone signs in
        authority = _authorise(folder, current, current_login, allow_foreign)
        try:
            staging = _staging_dir(folder, "khoi-phuc")
        except OSError as exc:
            raise BackupError(_os_message(exc, folder, "chuẩn bị khôi phục")) from exc
        staged_db = staging / DB_MEMBER
        _check_free_space(folder, manifest["size"])
        try:
            _copy_member(zf, manifest, file, staged_db, progress, (0.0, 0.4))
            (staging / KEYS_MEMBER).write_bytes(zf.read(KEYS_MEMBER))
        except OSError as exc:
            raise BackupError(_os_message(exc, folder, "giải nén bản sao lưu")) from exc
        zf.close()

        vault = Vault.load(staging)  # the backup's own key file; failed tries only count in the staging copy
        try:
            unlocked = vault.unlock_account(username, password)
            key = unlocked.data_key
        except AccountLocked as exc:
            raise BackupError(str(exc)) from None
        except VaultError:
            raise BackupError(
                "Tên đăng nhập hoặc mật khẩu không mở được bản sao lưu này. Hãy dùng tài khoản quản trị và "
                "mật khẩu đã có vào thời điểm tạo bản sao lưu."
            ) from None
        if Vault.exists(folder) and not allow_foreign:
            try:
                here = Vault.load(folder).office_id
            except VaultError:
                here = None  # a damaged key file here: the backup is what will repair it
            if here is not None and here != vault.office_id:
                raise BackupError(
                    "Tệp sao lưu này là của cơ quan khác (không phải dữ liệu của cơ quan đang dùng trên máy này). "
                    "Khôi phục sẽ thay toàn bộ dữ liệu hiện có; chỉ làm vậy khi chắc chắn, bằng lựa chọn "
                    "\"khôi phục dữ liệu của cơ quan khác\"."
                )

        report(0.45, "Đang kiểm tra toàn vẹn dữ liệu…")
        if _check_snapshot(staged_db, key) != manifest["case_count"]:
            raise _damaged(file)
        db = Database(staging, key)
        try:
            with db.session() as session:
                account = session.scalar(select(Account).where(Account.username == username.strip().lower()))
                if account is None or account.disabled:
                    raise BackupError(f"Tài khoản {username} không có hoặc đã bị vô hiệu hoá trong bản sao lưu này.")
                unlocked = vault.give_key_pairs(unlocked, password)  # a first-release backup: key pairs now
                actor = Actor(account.username, account.full_name, account.role_set, signing=unlocked.signing)
            if not actor.can("restore"):
                raise NotAllowed(
                    f"Tài khoản {actor.username} ({actor.role_words}) không có quyền khôi phục trong bản sao lưu này. "
                    "Hãy dùng tài khoản quản trị viên."
                )
            report(0.6, "Đang chuẩn bị dữ liệu…")
            db.upgrade()  # an older backup is brought to this program's schema here, before anything is swapped
            taken = _parse_time(manifest["created_at"])
            by_whom = f"; quản trị viên hiện tại cho phép: {authority.username}" if authority else ""
            with db.transaction() as session:
                if audit.registered_key_id(session, actor.username) is None:
                    audit.register_key(session, unlocked.signing, None,
                                       f"Khoá ký nhật ký của tài khoản, tạo khi khôi phục bằng phiên bản {audit.SIGNED_SINCE}")
                audit.record(session, actor, "restore", "backup", file.name[:40],
                             detail=f"Khôi phục từ tệp {file.name}, bản sao lưu lúc {fmt_datetime(taken)}{by_whom}")
            if authority is not None and authority.disabled_now():
                _keep_disabled(db, vault, actor, authority.disabled_now())
                key = db.key
        except DatabaseError as exc:
            raise BackupError(str(exc)) from exc
        finally:
            db.dispose()
        _fold_wal(staged_db, key)
        _fsync_file(staged_db)
        _fsync_file(staging / KEYS_MEMBER)

        # From here on the current files change. Close the program's connections first.
        report(0.8, "Đang cất dữ liệu hiện tại…")
        if current is not None:
            try:
                with current.db.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except Exception:  # noqa: BLE001 - a damaged current database is a reason to restore, not to stop
                pass
            current.close()
        db_file, keys_file = paths.db_path(folder), Vault.file_in(folder)
        present = [p for p in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm"), keys_file) if p.exists()]
        swapped = False
        try:
            if present:
                safety = paths.backups_dir(folder) / f"{SAFETY_PREFIX}{clock_now():%Y%m%d-%H%M%S}"
                n = 1
                while safety.exists():
                    n += 1
                    safety = safety.with_name(f"{SAFETY_PREFIX}{clock_now():%Y%m%d-%H%M%S}-{n}")
                safety.mkdir(parents=True)
                for path in present:
                    shutil.copy2(path, safety / path.name)
                    _fsync_file(safety / path.name)
                _fsync_dir(safety)
            report(0.9, "Đang thay dữ liệu…")
            # The old WAL must go before the new file arrives: SQLite would replay it into the new database.
            # Its contents (if any were left after closing) are in the safety copy.
            swapped = True
            for suffix in ("-wal", "-shm"):
                Path(f"{db_file}{suffix}").unlink(missing_ok=True)
            os.replace(staged_db, db_file)
            with file_lock(folder):  # no other program's key-file write lands between
                os.replace(staging / KEYS_MEMBER, keys_file)
            _fsync_dir(folder)
        except OSError as exc:
            if not swapped:
                _remove_quietly(safety)  # nothing was changed: an incomplete safety copy is only clutter
                safety = None
            else:
                raise BackupError(
                    f"Lỗi khi thay dữ liệu: {exc.strerror or exc}. Dữ liệu trước khi khôi phục được giữ nguyên trong "
                    f"{safety}; hãy thử khôi phục lại, hoặc nhờ cán bộ tin học chép các tệp đó trở lại thư mục {folder}."
                ) from exc
            raise BackupError(_os_message(exc, folder, "khôi phục")) from exc
    finally:
        zf.close()
        _remove_quietly(staging)
    report(1.0, "Đã khôi phục xong.")
    return safety
