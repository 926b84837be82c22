"""Writing a finished file to a USB stick (or any folder) so that a half-written file never carries the
final name: temporary file on the target, fsync, read back and compare, check its content, rename;
then a SHA-256 checksum file beside it ("<hash>  <name>", the format `sha256sum -c` reads).

Whatever goes wrong (stick full, write-protected, pulled out mid-way), the temporary files are removed,
a Vietnamese message says what to do, and nothing in the office's database has been changed.
"""
from __future__ import annotations

import errno
import hashlib
import os
import secrets
import shutil
from pathlib import Path
from typing import Callable
from ..errors import UserError

CHECKSUM_SUFFIX = ".sha256"
_TMP_MARK = ".bvte-tam-"

_GONE = {errno.EIO, errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.ESTALE, getattr(errno, "ENOMEDIUM", -1)}
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG}
# Windows: ERROR_NOT_READY, ERROR_DEV_NOT_EXIST, ERROR_DEVICE_NOT_CONNECTED / ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL,
# ERROR_WRITE_PROTECT
_WIN_GONE, _WIN_FULL, _WIN_RO = {21, 55, 1167}, {39, 112}, {19}


class ReportWriteError(UserError):
    """The file could not be written where the user asked (Vietnamese message; the database is untouched)."""


def os_message(exc: OSError, folder: Path) -> str:
    code, winerror = exc.errno, getattr(exc, "winerror", None)
    tail = " Báo cáo chưa được lưu; dữ liệu trên máy vẫn nguyên vẹn."
    if code in _FULL or winerror in _WIN_FULL:
        return (f"Không đủ chỗ trống trên ổ đĩa để lưu báo cáo vào {folder}. "
                "Hãy xoá bớt tệp trên ổ (USB) hoặc chọn ổ khác." + tail)
    if code in _READ_ONLY or winerror in _WIN_RO:
        return (f"Không ghi được vào {folder}: thư mục hoặc ổ đĩa chỉ cho đọc (ổ USB có thể đang gạt khoá chống ghi). "
                "Hãy mở khoá ổ hoặc chọn thư mục khác." + tail)
    if code in _GONE or winerror in _WIN_GONE:
        return (f"Lỗi khi ghi vào {folder}: ổ đĩa bị rút ra hoặc bị lỗi trong lúc ghi. "
                "Hãy cắm lại ổ và thử lại." + tail)
    if code == errno.ENOTDIR:
        return f"{folder} không phải là một thư mục. Hãy chọn thư mục khác." + tail
    return f"Không ghi được báo cáo vào {folder}: {exc.strerror or exc}." + tail


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checksum_path(target: Path) -> Path:
    return target.with_name(target.name + CHECKSUM_SUFFIX)


def _remove(path: Path | None) -> None:
    if path is None:
        return
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # the stick may be gone


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        try:
            fd = os.open(folder, os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def _write_verified(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    with open(path, "rb") as fh:
        back = fh.read()
    if back != data:
        raise ReportWriteError(
            f"Tệp vừa ghi vào {path.parent} đọc lại không khớp (ổ đĩa có thể bị lỗi). "
            "Hãy thử ổ USB khác. Báo cáo chưa được lưu; dữ liệu trên máy vẫn nguyên vẹn.")


def write_safely(data: bytes, target: Path, *, check: Callable[[bytes], None] | None = None) -> tuple[Path, Path]:
    """Write `data` to `target` with a `<target>.sha256` beside it; returns both paths.

    `check(bytes_read_back)` may raise ReportWriteError to refuse a file whose content is wrong."""
    target = Path(target)
    folder = target.parent
    if target.is_dir():
        raise ReportWriteError(f"{target} là một thư mục; hãy chọn tên tệp báo cáo.")
    if not folder.is_dir():
        raise ReportWriteError(f"Không tìm thấy thư mục {folder}. Nếu lưu vào ổ USB, hãy kiểm tra ổ đã được cắm "
                               "và mở được, rồi chọn lại thư mục.")
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    if free is not None and free < len(data) + (64 << 10):
        raise ReportWriteError(os_message(OSError(errno.ENOSPC, "full"), folder)
                               + f" (cần khoảng {len(data) // 1024 + 64} KB, còn {free // 1024} KB)")
    token = secrets.token_hex(4)
    tmp = folder / f".{target.name}{_TMP_MARK}{token}"
    sum_file = checksum_path(target)
    sum_tmp = folder / f".{sum_file.name}{_TMP_MARK}{token}"
    digest = sha256_of(data)
    renamed = False
    try:
        _write_verified(tmp, data)
        if check is not None:
            with open(tmp, "rb") as fh:
                check(fh.read())
        _write_verified(sum_tmp, f"{digest}  {target.name}\n".encode("utf-8"))
        os.replace(tmp, target)
        renamed = True
        os.replace(sum_tmp, sum_file)
        _fsync_dir(folder)
        with open(target, "rb") as fh:  # the final name holds exactly what was meant
            if sha256_of(fh.read()) != digest:
                raise ReportWriteError(f"Tệp {target.name} đọc lại không khớp mã kiểm tra (ổ đĩa có thể bị lỗi). "
                                       "Hãy thử ổ USB khác. Dữ liệu trên máy vẫn nguyên vẹn.")
    except OSError as exc:
        _cleanup(tmp, sum_tmp, target if renamed else None, sum_file if renamed else None)
        raise ReportWriteError(os_message(exc, folder)) from exc
    except BaseException:
        _cleanup(tmp, sum_tmp, target if renamed else None, sum_file if renamed else None)
        raise
    return target, sum_file


def _cleanup(*paths: Path | None) -> None:
    for p in paths:
        _remove(p)


def verify_checksum(target: Path) -> bool:
    """True when `<target>.sha256` names the file and matches its content."""
    target = Path(target)
    try:
        line = checksum_path(target).read_text(encoding="utf-8").strip()
        digest, name = line.split(None, 1)
        return name.strip() == target.name and sha256_of(target.read_bytes()) == digest
    except (OSError, ValueError):
        return False
