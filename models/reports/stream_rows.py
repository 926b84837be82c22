"""Long lists in a saved workbook: rows streamed into the sheet's XML, by the file format, not by a library's internals.

The period report's list of cases can hold 20,000 rows. openpyxl's cells and its pure-Python XML writer take
seconds for them, and so does its write-only mode (measured: 2.6 s for 20,000 rows of values without any style,
8.8 s with a style per cell, against about 0.2 s here); XlsxWriter 1.3 s of processor time. So the workbook is
written by openpyxl with the sheet's header, set-up and FIRST data row (each column's style on a cell), and the
other rows are then put into the saved file by `stream_rows`, which relies only on the Office Open XML format
(ECMA-376) — never on openpyxl's private attributes:

- the sheet's part is found by its name through `xl/workbook.xml` and its relationships;
- each column's style is the `s` attribute of its cell on the template row (the first data row);
- a text that starts like a formula gets the same style with `quotePrefix="1"`: that cell format is added at the
  end of `<cellXfs>` in `xl/styles.xml` (its index is the count before);
- the rows are written as `<row>`/`<c>` elements right after the template row; every text is an inline string
  (`models/sheet_text.py`): never a formula.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from xml.etree import ElementTree

from .. import sheet_text
from ..errors import UserError

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_EPOCH = datetime(1899, 12, 30)  # the 1900 date system (openpyxl's and Excel's default)
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)


class StreamError(UserError):
    """The saved workbook does not have the shape this module writes into: a fault of the program, said in
    Vietnamese (no file is written), with the detail for the person who maintains it."""

    def __init__(self, detail: str):
        super().__init__("Không ghi được danh sách trường hợp vào bảng tính (lỗi của chương trình, không phải của dữ "
                         f"liệu; không có tệp nào được ghi). Chi tiết để báo cho người hỗ trợ: {detail}.")


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _sheet_part(zf: zipfile.ZipFile, title: str) -> str:
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rid = next((s.get(f"{_R}id") for s in workbook.iter(f"{_M}sheet") if s.get("name") == title), None)
    if rid is None:
        raise StreamError(f"no sheet named {title!r}")
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
    if target is None:
        raise StreamError(f"no relationship {rid}")
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _with_quote_prefix(styles: bytes, ids: list[int]) -> tuple[bytes, dict[int, int]]:
    """`styles.xml` with a quote-prefixed copy of each cell format in `ids`; {id: id of its copy}."""
    start = styles.index(b"<cellXfs")
    open_end = styles.index(b">", start) + 1
    close = styles.index(b"</cellXfs>", open_end)
    xfs = _XF.findall(styles, open_end, close)
    copies: dict[int, int] = {}
    added: list[bytes] = []
    for i in sorted(set(ids)):
        if i >= len(xfs):
            raise StreamError(f"cell format {i} not in styles.xml")
        xf = re.sub(rb'\squotePrefix="[^"]*"', b"", xfs[i])
        added.append(b'<xf quotePrefix="1"' + xf[3:])
        copies[i] = len(xfs) + len(added) - 1
    head = re.sub(rb'count="\d+"', f'count="{len(xfs) + len(added)}"'.encode(), styles[start:open_end], count=1)
    return styles[:start] + head + styles[open_end:close] + b"".join(added) + styles[close:], copies


def _number(value) -> str:
    return repr(value) if isinstance(value, float) else str(int(value))


def _cell(ref: str, value, style: int, quoted: int) -> str:
    if isinstance(value, str):
        return sheet_text.inline_string_xml(ref, quoted if sheet_text.needs_quote(value) else style, value)
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        delta = value - _EPOCH
        return f'<c r="{ref}" s="{style}" t="n"><v>{delta.days + delta.seconds / 86400:g}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{style}" t="n"><v>{(value - _EPOCH.date()).days}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}" s="{style}" t="n"><v>{_number(value)}</v></c>'
    raise TypeError(f"unexpected value in a streamed row: {value!r}")


def stream_rows(data: bytes, title: str, first_row: int, rows: list[list]) -> bytes:
    """The workbook `data` with `rows` written into sheet `title` from row `first_row`, each column in the style
    of its cell on row `first_row - 1` (the template row, which must have a cell for every column)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    part = _sheet_part(src, title)
    sheet = src.read(part)
    template_row = first_row - 1
    found = re.search(rb'<row\b[^>]*\sr="%d"[\s>/]' % template_row, sheet)
    if found is None:
        raise StreamError(f"no template row {template_row} in {part}")
    after = sheet.index(b"</row>", found.start()) + len(b"</row>")
    if re.search(rb'<row\b[^>]*\sr="(\d+)"', sheet[after:]) is not None:
        nxt = int(re.search(rb'<row\b[^>]*\sr="(\d+)"', sheet[after:]).group(1))
        if nxt < first_row + len(rows):
            raise StreamError(f"row {nxt} is already written where the streamed rows go")
    template = ElementTree.fromstring(sheet[found.start():after])
    style_of: dict[int, int] = {}
    for c in template:
        m = _CELL_REF.fullmatch(c.get("r") or "")
        if m:
            col = 0
            for ch in m.group(1):
                col = col * 26 + ord(ch) - 64
            style_of[col - 1] = int(c.get("s") or 0)
    width = max((len(r) for r in rows), default=0)
    missing = [k for k in range(width) if k not in style_of]
    if missing:
        raise StreamError(f"template row {template_row} has no cell in column(s) {missing}")
    styles, quoted = _with_quote_prefix(src.read("xl/styles.xml"), [style_of[k] for k in range(width)])
    letters = [_letters(k) for k in range(width)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
        for info in src.infolist():
            if info.filename == part:
                with dst.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(sheet[:after])
                    buf: list[str] = []
                    for i, values in enumerate(rows):
                        r = str(first_row + i)
                        cells = "".join(_cell(letters[k] + r, v, style_of[k], quoted[style_of[k]])
                                        for k, v in enumerate(values) if v is not None)
                        if cells:  # a row without cells is not written (as openpyxl does)
                            buf.append(f'<row r="{r}">{cells}</row>')
                        if len(buf) >= 500:
                            fh.write("".join(buf).encode("utf-8"))
                            buf.clear()
                    fh.write("".join(buf).encode("utf-8"))
                    fh.write(sheet[after:])
            elif info.filename == "xl/styles.xml":
                dst.writestr(info, styles)
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()
