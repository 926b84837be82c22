"""Forged commune files given to the province's merge: each bad file is listed and skipped, the others are
summed; a file dated 9999 never replaces the genuine file of its commune (issue 11 item 6)."""
from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from desktop.actions.reports import export_report, merge_reports
from models.services.intake import create_intake, parse_intake
from tests.attacks.payloads import entity_bomb_xml, peak_memory, rewrite_member
from tests.conftest import intake_raw

SENTINEL = 987654321


@pytest.fixture
def genuine(office_db, workspace, tmp_path):
    data, errors = parse_intake(intake_raw())
    assert not errors
    create_intake(office_db, data, workspace.actor)
    return export_report(workspace, "2026", tmp_path / "that.xlsx")


def _edit_meta(src, dst, **changes):
    """Change values of the hidden _bvte sheet (key → value; 'first_figure' is the first count)."""
    wb = load_workbook(src)
    ws = wb["_bvte"]
    in_figures = False
    for row in ws.iter_rows(min_row=2):
        key = row[0].value
        if key == "figures":
            in_figures = True
            continue
        if in_figures and "first_figure" in changes:
            row[1].value = changes.pop("first_figure")
        if key in changes:
            row[1].value = changes.pop(key)
    wb.save(dst)


def _raw_figure(genuine, dst, text):
    """A count written straight into the XML (e.g. 1E999, which openpyxl cannot write)."""
    tmp = dst.with_name("tmp-" + dst.name)
    _edit_meta(genuine, tmp, first_figure=SENTINEL)
    rewrite_member(tmp, dst, lambda n, d: d.replace(f"<v>{SENTINEL}</v>".encode(), f"<v>{text}</v>".encode()))


def _other_commune(genuine, dst, name="Xã Giả", **changes):
    _edit_meta(genuine, dst, commune_name=name, **changes)


def test_every_bad_file_is_listed_and_the_others_summed(genuine, tmp_path):
    bad = {}
    for label, value in [("am", -5), ("khong-lo", 1e308), ("dung-sai", True), ("le", 2.5), ("chu", "nhiều")]:
        f = tmp_path / f"{label}.xlsx"
        _other_commune(genuine, f, name=f"Xã {label}", first_figure=value)
        bad[f.name] = "không hợp lệ"
    f = tmp_path / "vo-cuc.xlsx"
    _raw_figure(genuine, tmp_path / "vo-cuc-src.xlsx", "1E999")
    rewrite_member(tmp_path / "vo-cuc-src.xlsx", f, lambda n, d: d)
    bad[f.name] = "không hợp lệ"
    f = tmp_path / "ky-rac.xlsx"
    _other_commune(genuine, f, name="Xã kỳ rác", period_start="hôm qua", period_end="0000-99-99")
    bad[f.name] = "Kỳ báo cáo trong tệp không hợp lệ"
    f = tmp_path / "bom.xlsx"

    def bomb(name, data):
        return entity_bomb_xml() if b"bvte-report" in data else data
    rewrite_member(genuine, f, bomb)
    bad[f.name] = "thực thể XML"
    f = tmp_path / "nam-9999.xlsx"  # the same commune as the genuine file, "made" in 9999 with inflated counts
    _edit_meta(genuine, f, made_at="9999-12-31T23:59:00+07:00", first_figure=5000)
    bad[f.name] = "tương lai"

    files = [genuine, *[tmp_path / n for n in bad]]
    result, mb = peak_memory(lambda: merge_reports(files, tmp_path / "tong.xlsx"))
    print(f"\n[bộ nhớ] gộp {len(files)} tệp ({len(files) - 1} tệp giả mạo): {mb:.1f} MB")
    assert not isinstance(result, Exception), result
    assert [f.path.name for f in result.accepted] == ["that.xlsx"]
    listed = {p.path.name: p.message for p in result.problems}
    for name, words in bad.items():
        assert name in listed, f"{name} not listed: {listed}"
        assert words in listed[name], (name, listed[name])
    wb = load_workbook(genuine, read_only=True)
    genuine_figures = {}
    in_figures = False
    for key, value in wb["_bvte"].iter_rows(min_row=2, values_only=True):
        if key == "figures":
            in_figures = True
        elif in_figures:
            genuine_figures[key] = value
    wb.close()
    assert result.totals == genuine_figures


def test_a_forged_file_alone_stops_nothing_and_says_why(genuine, tmp_path):
    from models.reports.merge import MergeError

    f = tmp_path / "bom.xlsx"
    rewrite_member(genuine, f, lambda n, d: entity_bomb_xml() if b"bvte-report" in d else d)
    with pytest.raises(MergeError, match="bom.xlsx"):
        merge_reports([f], tmp_path / "tong.xlsx")
    assert not (tmp_path / "tong.xlsx").exists()
