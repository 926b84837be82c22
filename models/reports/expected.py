"""The province's list of communes that must report: which communes sent no report to `bvte merge`.

A province official keeps the list as the simplest file there is: an Excel sheet (or a .csv / .txt file) with
one commune a line — "Xã Phú Lộc", "Phường An Hòa", "Đặc khu Côn Đảo" or just "Phú Lộc". An STT column, a code
column or a header line may be there too: in each row the first cell that is a name (it has letters and is not
a number or a code) is taken. The same list serves every period; it is given with `bvte merge --expected FILE`
or chosen once in the window "Tổng hợp báo cáo của các xã" (which remembers it).

A name is matched with the commune name written in each report file, ignoring case, tone marks and the words
"xã", "phường", "đặc khu", "thị trấn" at the start. The file is from outside: read with bounded memory (size
checked before reading, at most MAX_COMMUNES names); a row that is not a name is listed, never fatal.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..textnorm import fold

MAX_COMMUNES = 3_000  # a province has at most a few hundred communes, wards and special zones
MAX_TEXT_BYTES = 1 << 20  # a .csv/.txt list of a few thousand names is a few tens of KB
MAX_NAME_CHARS = 80
_HEADERS = {"stt", "ten xa", "ten", "xa", "xa, phuong", "xa, phuong, dac khu", "xa, phuong, thi tran",
            "ten xa, phuong", "ten xa, phuong, dac khu", "ten don vi", "don vi", "ten don vi hanh chinh",
            "ma xa", "ma", "ma don vi"}
_LETTER = re.compile(r"[^\W\d_]")


class ExpectedListError(UserError):
    """The list of communes cannot be read at all (Vietnamese message)."""


_KIND_CODES = {"xa ": "xa", "phuong ": "phuong", "dac khu ": "dac_khu", "thi tran ": "thi_tran"}


def split_kind(name: str) -> tuple[str, str]:
    """('phuong', 'an hoa') for 'Phường An Hòa'; ('', 'an hoa') when the name says no kind."""
    key = fold(str(name or ""))
    for word, code in _KIND_CODES.items():
        if key.startswith(word):
            return code, key[len(word):].strip()
    return "", key


def commune_key(name: str) -> str:
    """The form in which two writings of one commune's name compare equal ('Xã Phú Lộc' = 'phu loc')."""
    return split_kind(name)[1]


@dataclass
class ExpectedCommunes:
    path: Path
    names: list[str] = field(default_factory=list)  # as written in the list, in its order
    bad_rows: list[str] = field(default_factory=list)  # "Dòng 7: …" (listed, not fatal)


def _pick_name(cells) -> tuple[str | None, str]:
    """The row's commune name, or (None, why not)."""
    texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    if not texts:
        return None, ""
    for text in texts:
        if _LETTER.search(text) and not fold(text).replace(" ", "").isdigit():
            if len(text) > MAX_NAME_CHARS:
                return None, f"«{text[:40]}…» quá dài, không phải tên một xã"
            if text[:1] in "=+-@":
                return None, f"«{text[:40]}» không phải tên xã (bắt đầu như một công thức)"
            return text, ""
    return None, f"«{' | '.join(texts)[:40]}» không có tên xã (chỉ có số hoặc mã)"


def _rows_of_xlsx(path: Path):
    from openpyxl import load_workbook

    from ..xlsx_guard import HostileFile, check_xlsx, read_rows, visible_sheets

    try:
        check_xlsx(path)
        wb = load_workbook(path, read_only=True, data_only=True)
    except HostileFile as exc:
        raise ExpectedListError(f"Không đọc được danh sách xã: {exc}") from None
    except Exception as exc:  # a damaged workbook: said, not a traceback
        raise ExpectedListError(f"Không đọc được danh sách xã {path.name}: tệp bị hỏng hoặc không phải tệp Excel "
                                f"({type(exc).__name__}).") from None
    try:
        sheets = visible_sheets(wb)
        if not sheets:
            raise ExpectedListError(f"Danh sách xã {path.name} không có trang nào để đọc.")
        try:
            yield from read_rows(sheets[0], max_columns=6, max_rows=MAX_COMMUNES + 50)
        except HostileFile as exc:
            raise ExpectedListError(f"Danh sách xã {path.name} quá dài: {exc}") from None
        except (ValueError, TypeError, KeyError, OSError, EOFError) as exc:
            raise ExpectedListError(f"Danh sách xã {path.name} bị hỏng, không đọc hết được ({type(exc).__name__}).") \
                from None
    finally:
        wb.close()


def _rows_of_text(path: Path):
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise ExpectedListError(f"Không đọc được danh sách xã {path.name}: {exc.strerror or exc}.") from None
    if len(raw) > MAX_TEXT_BYTES:
        raise ExpectedListError(f"Danh sách xã {path.name} quá lớn (hơn 1 MB): không phải một danh sách tên xã.")
    if b"\x00" in raw:
        raise ExpectedListError(f"Danh sách xã {path.name} không phải tệp văn bản (.csv, .txt) hay tệp Excel (.xlsx).")
    for encoding in ("utf-8-sig", "cp1258"):  # Excel's "CSV UTF-8", or the Vietnamese Windows code page
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes almost anything
        raise ExpectedListError(f"Danh sách xã {path.name} không đọc được (bảng mã lạ). Hãy lưu lại dạng CSV UTF-8.")
    text = unicodedata.normalize("NFC", text)  # cp1258 writes tone marks as separate characters
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ("\t" if "\t" in sample else ",")
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def read(path: Path | str) -> ExpectedCommunes:
    """The list in `path` (.xlsx, .csv or .txt). ExpectedListError when the file cannot be read at all."""
    path = Path(path)
    if not path.is_file():
        raise ExpectedListError(f"Không tìm thấy danh sách xã: {path}.")
    with open(path, "rb") as fh:
        head = fh.read(8)
    rows = _rows_of_xlsx(path) if head[:4] == b"PK\x03\x04" or head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" \
        else _rows_of_text(path)
    out = ExpectedCommunes(path)
    seen: dict[str, list[tuple[str, int]]] = {}
    first = True
    for n, cells in enumerate(rows, start=1):
        name, why = _pick_name(list(cells)[:6])
        if name is None:
            if why:
                out.bad_rows.append(f"Dòng {n}: {why}.")
            continue
        if first:
            first = False
            if fold(name) in _HEADERS or fold(name).startswith(("ten ", "danh sach")):
                continue  # the header line
        kind, bare = split_kind(name)
        if not bare:
            out.bad_rows.append(f"Dòng {n}: «{name}» thiếu tên xã.")
            continue
        # "Xã An Hòa" and "Phường An Hòa" are two units; "An Hòa" is the same as either
        same = next((row for other_kind, row in seen.get(bare, []) if not kind or not other_kind or kind == other_kind),
                    None)
        if same is not None:
            out.bad_rows.append(f"Dòng {n}: «{name}» trùng với dòng {same}, chỉ tính một lần.")
            continue
        if len(out.names) >= MAX_COMMUNES:
            out.bad_rows.append(f"Danh sách có hơn {MAX_COMMUNES:,} xã: các dòng từ dòng {n} không được đọc."
                                .replace(",", "."))
            break
        seen.setdefault(bare, []).append((kind, n))
        out.names.append(name)
    if not out.names:
        raise ExpectedListError(f"Danh sách xã {path.name} không có tên xã nào (mỗi dòng ghi một tên xã, ví dụ "
                                "«Xã Phú Lộc»)." + (" " + " ".join(out.bad_rows[:5]) if out.bad_rows else ""))
    return out


@dataclass
class Missing:
    name: str  # as in the province's list
    note: str = ""  # e.g. a file came but could not be used


def _same(listed: str, name: str, kind: str) -> bool:
    """Is the report of commune `name` (of `kind`: xa, phuong, dac_khu; '' unknown) the list's `listed`?"""
    listed_kind, listed_bare = split_kind(listed)
    name_kind, name_bare = split_kind(name)
    kind = kind or name_kind
    return listed_bare == name_bare and (not listed_kind or not kind or listed_kind == kind)


def missing(expected: ExpectedCommunes, received: list[str] | list[tuple[str, str]],
            unusable: dict[str, str] | None = None) -> tuple[list[Missing], list[str]]:
    """(communes of the list with no accepted report, communes that reported but are not on the list).
    `received`: commune names, or (name, kind) pairs; `unusable`: commune key → why a file of that commune was
    not used."""
    pairs = [(r, "") if isinstance(r, str) else (str(r[0]), str(r[1] or "")) for r in received]
    unusable = unusable or {}
    absent = [Missing(listed, unusable.get(commune_key(listed), "")) for listed in expected.names
              if not any(_same(listed, name, kind) for name, kind in pairs)]
    unlisted = [name for name, kind in pairs if not any(_same(listed, name, kind) for listed in expected.names)]
    return absent, unlisted
