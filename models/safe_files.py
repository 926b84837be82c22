"""Files the program writes for the user (registers, case files): never half a file under the final name, and
a file of children's data released only once the audit trail holds its entry.

`write_atomically` writes beside the target under a temporary name, fsyncs, then renames; on any failure the
temporary file is removed and a Vietnamese message says what happened. `release_after_audit` does the same
with the audit entry recorded between the write and the rename.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import IO, Callable

from . import validation as v


def write_atomically(path: Path | str, data: bytes | Callable[[IO[bytes]], None]) -> Path:
    """Write `data` (bytes, or a function writing into a binary file) to `path`; raises validation.Invalid."""
    return _write(Path(path), data, None, None)


def replace_atomically(path: Path | str, data: bytes) -> None:
    """Low-level form for code that reports OSError itself: the temporary file is removed and the error re-raised,
    so the final name holds either the old file or the whole new one."""
    path = Path(path)
    tmp = path.parent / f".{path.name}.bvte-tam-{secrets.token_hex(4)}"
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise


def release_after_audit(db, path: Path | str, write: Callable[[IO[bytes]], None], record) -> Path:
    """Write a file under a temporary name beside `path`, record the audit entry, then give it its final name.

    If writing fails (disk full, folder read-only) nothing carries the final name; if the audit entry cannot
    be written (database locked, disk full) the file is removed: a file of children's names never leaves
    without its trace in the audit trail. Raises validation.Invalid with a Vietnamese message."""
    return _write(Path(path), write, db, record)


def _write(path: Path, write, db, record) -> Path:
    if isinstance(write, (bytes, bytearray)):
        data = bytes(write)
        write = lambda fh: fh.write(data)  # noqa: E731
    folder = path.parent
    if path.is_dir():
        raise v.Invalid(f"{path} là một thư mục; hãy chọn tên tệp.")
    if not folder.is_dir():
        raise v.Invalid(f"Không tìm thấy thư mục {folder}. Hãy chọn thư mục khác.")
    tmp = folder / f".{path.name}.bvte-tam-{secrets.token_hex(4)}"
    try:
        with open(tmp, "xb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        _remove(tmp)
        raise v.Invalid(_write_message(exc, path)) from None
    except BaseException:
        _remove(tmp)
        raise
    try:
        if record is not None:
            with db.transaction() as session:
                record(session)
    except Exception as exc:
        _remove(tmp)
        from .db import storage_error_message

        why = storage_error_message(exc) or "Không ghi được vào nhật ký truy cập."
        raise v.Invalid(f"Chưa xuất tệp {path.name}: việc xuất phải được ghi vào nhật ký truy cập trước khi tệp "
                        f"được giữ lại, nhưng lần ghi nhật ký không thành. {why} Tệp đã được xoá; hãy thử lại.") from None
    try:
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise v.Invalid(_write_message(exc, path)) from None
    return path


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _write_message(exc: OSError, path: Path) -> str:
    from .reports.safe_write import _FULL, _READ_ONLY, _WIN_FULL, _WIN_RO

    winerror = getattr(exc, "winerror", None)
    if exc.errno in _FULL or winerror in _WIN_FULL:
        why = "ổ đĩa đã đầy"
    elif exc.errno in _READ_ONLY or winerror in _WIN_RO:
        why = "thư mục chỉ cho đọc, hoặc tệp đang mở trong một chương trình khác (Excel, trình đọc PDF)"
    else:
        why = exc.strerror or str(exc)
    return (f"Không ghi được tệp {path.name}: {why}. Không có tệp nào được tạo dưới tên này; "
            "hãy kiểm tra thư mục (tệp có đang mở trong chương trình khác không) hoặc chọn nơi khác.")
