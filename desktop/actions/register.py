"""Importing and exporting the register of children: `bvte import-children FILE.xlsx`, `bvte export-children -o
FILE.xlsx [--group CODE]` (the window's import shows the same report as a preview first).

The command line imports every good row at once (there is no preview to cancel) and prints the report;
the window shows the same report as a preview first.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from models import validation as v
from models.services.accounts import Workspace
from models.services.register_export import ExportSummary, export_register
from models.services.register_import import ImportReport, prepare, run_import


def import_children_file(ws: Workspace, path: Path | str, mapping: Mapping[str, Any] | None = None) -> ImportReport:
    """Import a children list. `mapping` ({field: header text, Excel letter or 0-based column}) is needed only when
    the file's headers are not recognised; raises validation.Invalid with the file's columns listed then.
    Field keys: stt, full_name, date_of_birth, estimated_age, gender, ethnicity, personal_id, village, address,
    father_name, mother_name, caregiver_name, groups, from_date, to_date, group_note."""
    prepared = prepare(path, mapping)
    if prepared.needs_mapping:
        shown = "; ".join(f"{chr(65 + i) if i < 26 else i}: {h}" for i, h in enumerate(prepared.headers[:30]))
        raise v.Invalid(
            "Không nhận ra cột «Họ và tên» trong tệp. Các cột của tệp: " + (shown or "(trống)") +
            ". Đặt tiêu đề cột theo mẫu (xem trang «Hướng dẫn» của tệp xuất) hoặc ghép cột trong cửa sổ Nhập danh sách."
        )
    return run_import(ws.db, ws.actor, prepared, write=True)


def export_children_file(ws: Workspace, path: Path | str, group: str | None = None) -> ExportSummary:
    """Export the register (or one group: a b c d đ e g h i k l m n o; 'dd' is accepted for đ)."""
    return export_register(ws.db, ws.actor, path, group=group, office_id=ws.office_id)
