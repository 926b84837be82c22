"""Workbooks from outside are hostile: look at the package before any XML is read, read with bounded memory.

A .xlsx is a zip of XML parts. Before openpyxl opens one, `check_xlsx` refuses (with a Vietnamese message):
a password-protected workbook (an encrypted OLE file, named as such), a file that is not a zip, a zip with
too many parts, parts compressed with a method other than deflate/store, parts that expand far beyond any
real workbook (a small file that expands to gigabytes, a sheet padded with spaces) and XML with a document
type declaration (entity "bombs": a real workbook never has one). `read_rows` then reads a sheet with a cap
on columns and rows, ignoring the size a sheet declares for itself (a declared A1:XFD1048576 would make
openpyxl pad every row to 16,384 cells).
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Iterator
from .errors import UserError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted (password-protected) Office file, or an old .xls
MAX_PARTS = 2_000
MAX_PART_BYTES = 400 << 20  # one XML part, expanded (a 200,000-row sheet is ~100 MB)
MAX_TOTAL_BYTES = 800 << 20
MAX_RATIO = 200  # expanded / compressed; real sheets stay under ~30, a padded or bomb part is in the thousands
MAX_COLUMNS = 64
MAX_ROWS = 200_000
_RATIO_FLOOR = 1 << 20  # small parts may compress very well (a few KB of repeated styles): no ratio check below 1 MB


class HostileFile(UserError, ValueError):
    """The file is refused; the message says why in Vietnamese."""


def check_xlsx(path: Path | str) -> None:
    """Raise HostileFile unless `path` looks like an ordinary .xlsx that can be read within bounded memory."""
    path = Path(path)
    name = path.name
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise HostileFile(f"Không tìm thấy tệp {path}.") from None
    except IsADirectoryError:
        raise HostileFile(f"{path} là một thư mục, không phải tệp Excel.") from None
    except OSError as exc:
        raise HostileFile(f"Không đọc được tệp {name}: {exc.strerror or exc}.") from None
    if head == OLE_MAGIC:
        raise HostileFile(f"Tệp {name} được đặt mật khẩu (hoặc là tệp Excel cũ .xls). Hãy mở tệp bằng Excel, bỏ mật "
                          "khẩu (hoặc lưu lại dạng .xlsx) rồi chọn lại.")
    if head[:4] != b"PK\x03\x04":
        raise HostileFile(f"Tệp {name} không phải tệp Excel .xlsx (hoặc đã bị hỏng).")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_PARTS:
                raise HostileFile(f"Tệp {name} có {len(infos):,} phần bên trong: không phải một bảng tính bình thường, "
                                  "không mở.".replace(",", "."))
            total = 0
            for info in infos:
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise HostileFile(f"Tệp {name} dùng kiểu nén không được hỗ trợ (phần {info.filename[:60]}). "
                                      "Hãy mở bằng Excel và lưu lại dạng .xlsx.")
                if info.flag_bits & 0x1:
                    raise HostileFile(f"Tệp {name} có phần được mã hoá: không mở được.")
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES or (
                        info.file_size > _RATIO_FLOOR and ratio > MAX_RATIO):
                    raise HostileFile(
                        f"Tệp {name} bung ra quá lớn ({info.file_size / 1e6:,.0f} MB từ {info.compress_size / 1e6:,.1f} MB"
                        f" nén, phần {info.filename[:60]}): không phải một bảng tính bình thường (có thể bị độn thêm "
                        "dữ liệu). Không mở để khỏi làm đầy bộ nhớ.".replace(",", "."))
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and info.file_size:
                    with zf.open(info) as part:
                        start = part.read(4096)
                    if b"<!DOCTYPE" in start.upper() or b"<!ENTITY" in start.upper():
                        raise HostileFile(f"Tệp {name} chứa khai báo thực thể XML (phần {info.filename[:60]}), điều "
                                          "một bảng tính thật không có: không mở.")
    except HostileFile:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError,
            RuntimeError):
        raise HostileFile(f"Tệp bị hỏng hoặc chép không hết, không mở được ({name}).") from None


def visible_sheets(wb) -> list:
    """The sheets a person sees in Excel (hidden and very hidden sheets are not offered)."""
    return [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]


def read_rows(ws, *, max_columns: int = MAX_COLUMNS, max_rows: int = MAX_ROWS) -> Iterator[tuple[Any, ...]]:
    """Rows of a read-only sheet as value tuples, at most `max_columns` wide; HostileFile past `max_rows`."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # the declared size is ignored: rows are as long as their last real cell
    for n, row in enumerate(ws.iter_rows(max_col=max_columns, values_only=True), start=1):
        if n > max_rows:
            raise HostileFile(f"Trang «{ws.title}» có hơn {max_rows:,} dòng: quá lớn để nhập một lần. Hãy chia tệp "
                              "thành nhiều phần.".replace(",", "."))
        end = len(row)
        while end and row[end - 1] is None:  # padding to max_columns is not part of the row
            end -= 1
        yield tuple(row[:end])
