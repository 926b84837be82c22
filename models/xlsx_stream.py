"""A small streaming .xlsx writer for long lists (the register export: 50,000 children in a few seconds).

openpyxl builds every cell as a Python object and writes its XML cell by cell (about 30 s of processor time
for 50,000 rows of 16 columns here); this writer streams each row straight into the zip as it is produced,
so time grows linearly with the rows and memory stays flat. It knows only what the register export needs:
text, whole and decimal numbers, dates, a few fixed styles, column widths and a frozen header row.
Texts go through `sheet_text` like in every other workbook BVTE writes: never a formula.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

from . import sheet_text

# Style ids (the order of <cellXfs> below).
NORMAL, HEADER, DATE, TEXT, AMOUNT, BOLD, NORMAL_Q, TEXT_Q, BOLD_Q, HEADER_Q = range(10)
_QUOTED = {NORMAL: NORMAL_Q, TEXT: TEXT_Q, BOLD: BOLD_Q, HEADER: HEADER_Q, DATE: NORMAL_Q, AMOUNT: NORMAL_Q}
_EPOCH = date(1899, 12, 30)

_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDE7F3"/><bgColor rgb="FFDDE7F3"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="10">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1" quotePrefix="1"><alignment vertical="center" wrapText="1"/></xf>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


@dataclass
class SheetSpec:
    name: str
    rows: Iterable[Sequence[Any]]  # each value: None, str, int, float, bool, date, or (value, style id)
    widths: Sequence[float] = ()
    freeze_header: bool = False
    styles: Sequence[int] = field(default_factory=tuple)  # default style per column
    hidden: bool = False  # a sheet for programs (e.g. the audit chain's anchor), not shown in Excel


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


# A text that needs none of sheet_text's care (no risky first character, nothing to escape or drop, no spaces at
# the ends) is written directly: most names and villages; the XML is the same as sheet_text.inline_string_xml's.
_PLAIN = re.compile("[^&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]{1,%d}" % sheet_text.MAX_CELL_CHARS)
_RISKY_FIRST = frozenset("".join(sheet_text.FORMULA_STARTS) + " #")


def _cell(ref: str, value: Any, style: int) -> str:
    if value is None:
        return ""
    if type(value) is str:
        if value == "":
            return ""
        if value[0] not in _RISKY_FIRST and not value[-1].isspace() and _PLAIN.fullmatch(value):
            return f'<c r="{ref}" s="{NORMAL if style in (DATE, AMOUNT) else style}" t="inlineStr"><is><t>{value}</t></is></c>'
        if sheet_text.needs_quote(value):
            style = _QUOTED.get(style, NORMAL_Q)
        elif style in (DATE, AMOUNT):
            style = NORMAL
        return sheet_text.inline_string_xml(ref, style, value)
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f'<c r="{ref}" s="{style}"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    return _cell(ref, str(value), style)


def _write_sheet(out: IO[bytes], spec: SheetSpec) -> None:
    out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_RNS}>'.encode())
    if spec.freeze_header:
        out.write(b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
                  b' state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>')
    if spec.widths:
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(spec.widths, 1))
        out.write(f"<cols>{cols}</cols>".encode())
    out.write(b"<sheetData>")
    styles = list(spec.styles)
    styles += [NORMAL] * (64 - len(styles))
    letters = [_letters(i) for i in range(len(styles))]
    buf: list[str] = []
    for r, values in enumerate(spec.rows, start=1):
        row = str(r)
        cells = []
        for k, value in enumerate(values):
            if value is None:
                continue
            style = styles[k] if k < 64 else NORMAL
            if type(value) is tuple:
                value, style = value
            cells.append(_cell((letters[k] if k < 64 else _letters(k)) + row, value, style))
        buf.append(f'<row r="{row}">{"".join(cells)}</row>')
        if len(buf) >= 500:
            out.write("".join(buf).encode("utf-8"))
            buf.clear()
    out.write("".join(buf).encode("utf-8"))
    out.write(b"</sheetData></worksheet>")


def write_xlsx(target: Path | IO[bytes], sheets: list[SheetSpec]) -> None:
    """Write the workbook; each sheet's rows are consumed once, as they come."""
    names = [sheet_text.clean(s.name)[:31] for s in sheets]
    # Fast compression: the file is a little larger, written in a third of the time.
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1) as zf:
        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1))
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/xl/workbook.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                    '<Override PartName="/xl/styles.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                    f"{sheet_types}</Types>")
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        esc = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
        sheet_list = "".join(f'<sheet name="{n.translate(esc)}" sheetId="{i}"'
                             + (' state="hidden"' if spec.hidden else "") + f' r:id="rId{i}"/>'
                             for i, (n, spec) in enumerate(zip(names, sheets), start=1))
        zf.writestr("xl/workbook.xml",
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_RNS}>'
                    f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheet_list}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(sheets) + 1))
        rels += (f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
                 '2006/relationships/styles" Target="styles.xml"/>')
        zf.writestr("xl/_rels/workbook.xml.rels",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
                    "</Relationships>")
        zf.writestr("xl/styles.xml", _STYLES)
        for i, spec in enumerate(sheets, start=1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                _write_sheet(out, spec)
