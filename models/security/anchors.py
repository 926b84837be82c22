"""Copies of the audit chain's head outside the database, and reading them back for `bvte verify --anchor`.

An anchor is a few numbers — the last entry's id and hash, the number of entries, when — with no personal
data. It travels in every backup's manifest, in a hidden sheet of every workbook the office exports (the period
report, the register export; the province's merge keeps each commune's in its own hidden sheet), and in anchor files
(`bvte verify --save-anchor FILE`) a leader may print or keep on a USB stick. Files read here are hostile:
only small members are read, with a size bound.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from ..errors import UserError
from .audit import ANCHOR_KIND

SHEET = "BVTE_neo_nhat_ky"
FIELDS = ("kind", "office_id", "at", "audit_id", "audit_hash", "audit_count")
_MAX_JSON = 64 * 1024
_MAX_SHEET_XML = 256 * 1024


class AnchorError(UserError):
    """The file holds no readable anchor (Vietnamese message)."""


def rows(anchor: dict) -> list[list[str]]:
    """The anchor sheet's rows (key, value), all texts."""
    return [["key", "value"]] + [[key, str(anchor.get(key, ""))] for key in FIELDS]


def add_sheet(wb, anchor: dict) -> None:
    """A hidden sheet with the anchor, in an openpyxl workbook being written (text cells only, never formulas)."""
    from ..sheet_text import write

    ws = wb.create_sheet(SHEET)
    ws.sheet_state = "hidden"
    for r, row in enumerate(rows(anchor), start=1):
        for c, value in enumerate(row, start=1):
            write(ws, r, c, value)


def stream_sheet(anchor: dict):
    """The same hidden sheet for the streaming writer (models/xlsx_stream.py)."""
    from ..xlsx_stream import SheetSpec

    return SheetSpec(SHEET, rows(anchor), [14, 70], hidden=True)


def write_file(path: Path, anchor: dict) -> None:
    path.write_text(json.dumps(anchor, ensure_ascii=False, indent=1), encoding="utf-8")


def _checked(anchor, source: str) -> dict:
    if not isinstance(anchor, dict) or anchor.get("kind") != ANCHOR_KIND:
        raise AnchorError(f"{source} không có điểm neo nhật ký của BVTE.")
    try:
        anchor["audit_id"] = int(anchor["audit_id"])
        anchor["audit_count"] = int(anchor.get("audit_count") or 0)
        if not isinstance(anchor["audit_hash"], str) or len(anchor["audit_hash"]) != 64:
            raise ValueError
    except (KeyError, TypeError, ValueError):
        raise AnchorError(f"Điểm neo nhật ký trong {source} không đúng định dạng.") from None
    return anchor


def _member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        raise AnchorError(f"Phần {name} của tệp quá lớn, không đọc.")
    with zf.open(info) as fh:
        return fh.read(limit + 1)[:limit]


def _from_workbook(zf: zipfile.ZipFile, source: str) -> dict:
    """The hidden anchor sheet of a report, read straight from the XML (no formulas evaluated)."""
    import re
    from xml.etree import ElementTree

    workbook = _member(zf, "xl/workbook.xml", _MAX_SHEET_XML) or b""
    rels = _member(zf, "xl/_rels/workbook.xml.rels", _MAX_SHEET_XML) or b""
    if b"<!DOCTYPE" in workbook or b"<!DOCTYPE" in rels:
        raise AnchorError(f"{source} không phải bảng tính hợp lệ.")
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    try:
        sheets = ElementTree.fromstring(workbook).find("m:sheets", ns)
        rid = next((s.get(f"{{{ns['r']}}}id") for s in sheets if s.get("name") == SHEET), None)
        if rid is None:
            raise AnchorError(f"{source} không có điểm neo nhật ký (báo cáo xuất trước phiên bản có neo).")
        target = next(r.get("Target") for r in ElementTree.fromstring(rels) if r.get("Id") == rid)
    except (ElementTree.ParseError, StopIteration, TypeError):
        raise AnchorError(f"{source} không phải bảng tính hợp lệ.") from None
    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
    xml = _member(zf, path, _MAX_SHEET_XML)
    strings = _member(zf, "xl/sharedStrings.xml", 4 * _MAX_SHEET_XML) or b""
    if xml is None or b"<!DOCTYPE" in xml or b"<!DOCTYPE" in strings:
        raise AnchorError(f"{source} không phải bảng tính hợp lệ.")
    try:
        shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t"))
                  for si in ElementTree.fromstring(strings)] if strings else []
        values: dict[str, list[str]] = {}
        for c in ElementTree.fromstring(xml).iter(f"{{{ns['m']}}}c"):
            ref = c.get("r") or ""
            match = re.match(r"([A-Z]+)(\d+)", ref)
            if not match:
                continue
            if c.get("t") == "s":
                text = shared[int(c.find("m:v", ns).text)]
            elif c.get("t") == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{{{ns['m']}}}t"))
            else:
                v = c.find("m:v", ns)
                text = v.text if v is not None else ""
            values.setdefault(match[2], ["", ""])[0 if match[1] == "A" else 1] = text or ""
    except (ElementTree.ParseError, ValueError, IndexError, AttributeError):
        raise AnchorError(f"Điểm neo nhật ký trong {source} không đọc được.") from None
    return {k: v for k, v in values.values() if k in FIELDS}


def read(path: Path) -> dict:
    """The anchor in a backup (.bvtebak), a report (.xlsx) or an anchor file (.json)."""
    path = Path(path)
    source = f"Tệp {path.name}"
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise AnchorError(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from None
    if head == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as zf:
                manifest = _member(zf, "manifest.json", _MAX_JSON)
                if manifest is not None:
                    try:
                        data = json.loads(manifest.decode("utf-8"))
                    except (UnicodeDecodeError, ValueError):
                        raise AnchorError(f"{source}: phần manifest.json bị hỏng.") from None
                    if not isinstance(data, dict) or "audit_anchor" not in data:
                        raise AnchorError(f"{source} là bản sao lưu tạo trước phiên bản có điểm neo nhật ký.")
                    return _checked(data["audit_anchor"], source)
                return _checked(_from_workbook(zf, source), source)
        except (zipfile.BadZipFile, OSError, EOFError):
            raise AnchorError(f"{source} bị hỏng, không đọc được.") from None
    if head == b"\xd0\xcf\x11\xe0":
        raise AnchorError(f"{source} có mật khẩu: hãy dùng một báo cáo không đặt mật khẩu, một bản sao lưu "
                          "hoặc một tệp điểm neo.")
    if path.stat().st_size > _MAX_JSON:
        raise AnchorError(f"{source} không phải tệp điểm neo của BVTE.")
    try:
        return _checked(json.loads(path.read_text(encoding="utf-8")), source)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise AnchorError(f"{source} không phải tệp điểm neo của BVTE.") from None
