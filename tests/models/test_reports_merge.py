"""The receiving side: several communes' files, one damaged, one duplicated, one of another period."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models.clock import today
from models.demo import generate_demo
from desktop.actions.reports import export_report, merge_reports
from models.reports.merge import MergeError
from models.services.accounts import setup_office
from models.services.office import save_office
from tests.conftest import OFFICE, PASSWORD
from tests.models.test_reports_figures import read_rows


def _office(root: Path, name: str, seed: int):
    ws = setup_office(root / name, "admin", "Trần Thị Lan", PASSWORD, also_worker=True)
    assert save_office(ws.db, {**OFFICE, "commune_name": name, "agency_name": f"Ủy ban nhân dân xã {name}"}, ws.actor) == {}
    generate_demo(ws.db, ws.actor, children=80, cases=40, seed=seed)
    return ws


@pytest.fixture
def commune_files(tmp_path):
    year = str(today().year - 1)
    usb = tmp_path / "usb"
    usb.mkdir()
    files = {}
    for i, name in enumerate(["Cẩm Hưng", "Cẩm Vũ", "Cẩm Văn", "Đức Chính"]):
        ws = _office(tmp_path / "offices", name, seed=10 + i)
        try:
            files[name] = export_report(ws, year, usb / f"{i}-{name}.xlsx")
            if name == "Cẩm Vũ":  # sent twice: the older copy must not be added again
                time.sleep(1.1)
                files["trung"] = export_report(ws, year, usb / "cam-vu-gui-lai.xlsx")
            if name == "Đức Chính":  # this commune sent its 6-month report instead
                files["khac_ky"] = export_report(ws, f"{year}-H1", usb / "duc-chinh-6-thang.xlsx")
                files[name].unlink()
                del files[name]
        finally:
            ws.close()
    broken = usb / "hong.xlsx"
    data = files["Cẩm Văn"].read_bytes()
    broken.write_bytes(data[: len(data) // 2])  # copied off a stick pulled out half-way
    files["hong"] = broken
    (usb / "ghi-chu.xlsx").write_text("không phải bảng tính")
    files["khong_phai"] = usb / "ghi-chu.xlsx"
    return files


def test_merge_names_each_problem_and_sums_the_good_ones(commune_files, tmp_path):
    out = tmp_path / "tinh" / "tong-hop.xlsx"
    out.parent.mkdir()
    paths = [commune_files[k] for k in ("Cẩm Hưng", "Cẩm Vũ", "trung", "Cẩm Văn", "khac_ky", "hong", "khong_phai")]
    report = merge_reports(paths, out)
    assert sorted(f.commune for f in report.accepted) == ["Cẩm Hưng", "Cẩm Văn", "Cẩm Vũ"]
    kinds = {p.path.name: p.kind for p in report.problems}
    assert kinds == {"0-Cẩm Vũ.xlsx".replace("0-", "1-"): "trung", "duc-chinh-6-thang.xlsx": "khac_ky",
                     "hong.xlsx": "hong", "ghi-chu.xlsx": "khong_phai"}
    text = report.summary_text()
    assert "Đã tổng hợp 3 tệp" in text
    assert "Trùng xã: Cẩm Vũ" in text and "cam-vu-gui-lai.xlsx" in text  # the newer copy is the one used
    assert "Báo cáo kỳ khác: 6 tháng đầu năm" in text
    assert "hong.xlsx: Tệp bị hỏng" in text
    assert "ghi-chu.xlsx: Không phải tệp Excel" in text

    # the province's totals are the sums of the good communes' own sheets, figure by figure
    good = [commune_files["Cẩm Hưng"], commune_files["trung"], commune_files["Cẩm Văn"]]
    sums: dict[str, list[int]] = {}
    for path in good:
        for label, nums in read_rows(load_workbook(path)["Tổng hợp"]).items():
            sums[label] = [a + b for a, b in zip(sums.get(label, [0] * len(nums)), nums)]
    wb = load_workbook(report.output)
    assert wb.sheetnames[:3] == ["Các xã", "Tổng hợp toàn tỉnh", "HCĐB toàn tỉnh"]
    merged = read_rows(wb["Tổng hợp toàn tỉnh"])
    assert merged == sums
    assert merged["Số trường hợp tiếp nhận"][0] > 0
    # one row per commune, and the province's row
    rows = [r for r in wb["Các xã"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [r[1] for r in rows] == ["Cẩm Hưng", "Cẩm Văn", "Cẩm Vũ"]
    total_row = next(r for r in wb["Các xã"].iter_rows(values_only=True) if r[1] == "TOÀN TỈNH")
    assert total_row[4] == sum(r[4] for r in rows) == merged["Số trường hợp tiếp nhận"][0]
    check = [r for r in wb["Kiểm tra tệp"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(check) == 7
    assert (out.parent / "tong-hop.xlsx.sha256").exists()


def test_merge_with_nothing_good(commune_files, tmp_path):
    with pytest.raises(MergeError, match="Không có tệp báo cáo hợp lệ"):
        merge_reports([commune_files["hong"]], tmp_path / "x.xlsx")


def test_password_protected_file_is_named(commune_files, tmp_path, workspace, office_db):
    locked = export_report(workspace, str(today().year - 1), tmp_path, with_names=True, password="mat-khau-8")
    report = merge_reports([commune_files["Cẩm Hưng"], locked], tmp_path / "t.xlsx")
    assert [p.kind for p in report.problems] == ["mat_khau"]
    assert "đặt mật khẩu" in report.problems[0].message
