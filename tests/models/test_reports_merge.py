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


def _expected_list(path: Path, rows) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_merge_lists_the_communes_of_the_province_list_that_sent_no_report(commune_files, tmp_path):
    """The province keeps a one-column list of its communes; the merge names those with no report (issue 16.7)."""
    import subprocess

    listing = _expected_list(tmp_path / "danh-sach-xa.xlsx", [
        ["STT", "Tên xã, phường, đặc khu"], [1, "Xã Cẩm Hưng"], [2, "xã cẩm vũ"], [3, "Cẩm Văn"],
        [4, "Đức Chính"], [5, "Xã Thạch Lạc"], [6, '=HYPERLINK("http://x/")'], [7, "12345"], [8, "CẨM HƯNG"]])
    out = tmp_path / "tinh" / "tong-hop.xlsx"
    out.parent.mkdir()
    paths = [commune_files[k] for k in ("Cẩm Hưng", "trung", "Cẩm Văn", "khac_ky")]
    report = merge_reports(paths, out, expected=listing)
    assert [(m.name, bool(m.note)) for m in report.missing] == [("Đức Chính", True), ("Xã Thạch Lạc", False)]
    assert report.unlisted == []
    bad = report.expected.bad_rows
    assert len(bad) == 3 and bad[0].startswith("Dòng 7:") and "trùng với dòng 2" in bad[2]
    text = report.summary_text()
    assert "Xã chưa gửi báo cáo: 2/5 xã trong danh sách của tỉnh" in text and "- Xã Thạch Lạc" in text

    wb = load_workbook(report.output)
    assert wb.sheetnames[:2] == ["Các xã", "Xã chưa gửi báo cáo"]
    rows = [r for r in wb["Xã chưa gửi báo cáo"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [r[1] for r in rows] == ["Đức Chính", "Xã Thạch Lạc"]
    assert "duc-chinh-6-thang.xlsx" in rows[0][2] and rows[1][2] == "Chưa nhận được báo cáo"
    texts = [v for r in wb["Xã chưa gửi báo cáo"].iter_rows(values_only=True) for v in r if isinstance(v, str)]
    assert any(t.startswith("Dòng 7:") for t in texts)  # the list's unusable rows are shown, not fatal
    assert any("2 xã trong danh sách của tỉnh chưa gửi báo cáo" in str(v)
               for r in wb["Các xã"].iter_rows(values_only=True) for v in r)
    meta = {r[0]: r[1] for r in wb["_bvte"].iter_rows(values_only=True)}
    assert meta["expected_communes"] == 5 and meta["missing_communes"] == 2

    pdf_text = subprocess.run(["pdftotext", "-layout", str(report.summary_pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
    assert "Xã chưa gửi báo cáo: 2/5 xã trong danh sách của tỉnh" in pdf_text
    assert "Xã Thạch Lạc" in pdf_text and "Đức Chính" in pdf_text


def test_merge_without_a_list_says_the_missing_communes_are_unknown(commune_files, tmp_path):
    out = tmp_path / "tong-hop.xlsx"
    report = merge_reports([commune_files["Cẩm Hưng"]], out)
    assert report.expected is None and report.missing == []
    assert "Chưa có danh sách xã của tỉnh" in report.summary_text()
    assert "Xã chưa gửi báo cáo" not in load_workbook(report.output).sheetnames


def test_the_list_of_communes_reads_csv_and_refuses_what_is_not_a_list(tmp_path):
    from models.reports.expected import ExpectedListError, commune_key, read

    csv_file = tmp_path / "xa.csv"
    csv_file.write_bytes("Mã xã;Tên xã\n25123;Phường An Hòa\n25124;Đặc khu Côn Đảo\n;\n25125;\n".encode("utf-8-sig"))
    got = read(csv_file)
    assert got.names == ["Phường An Hòa", "Đặc khu Côn Đảo"]
    assert got.bad_rows == ["Dòng 5: «25125» không có tên xã (chỉ có số hoặc mã)."]
    assert commune_key("Phường An Hòa") == commune_key("an hoa") == "an hoa"
    from models.reports.expected import missing

    two = tmp_path / "hai.csv"  # a commune and a ward of the same name are two units
    two.write_text("Xã An Hòa\nPhường An Hòa\nXã Phú Lộc\n", encoding="utf-8")
    listed = read(two)
    assert listed.names == ["Xã An Hòa", "Phường An Hòa", "Xã Phú Lộc"] and listed.bad_rows == []
    absent, unlisted = missing(listed, [("An Hòa", "phuong"), ("Phú Lộc", ""), ("Tân Mỹ", "xa")])
    assert [m.name for m in absent] == ["Xã An Hòa"] and unlisted == ["Tân Mỹ"]
    legacy = tmp_path / "xa-cp1258.txt"
    legacy.write_bytes("Xa\u0303 Phu\u0301 L\u00f4\u0323c\n".encode("cp1258"))  # Windows' Vietnamese code page
    assert read(legacy).names == ["Xã Phú Lộc"]
    for name, content in [("rong.csv", b"STT\n1\n2\n"), ("anh.csv", b"\x89PNG\r\n\x1a\n\x00\x00"),
                          ("lon.csv", b"Xa A\n" * 300_000)]:
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ExpectedListError):
            read(tmp_path / name)
    with pytest.raises(ExpectedListError, match="Không tìm thấy"):
        read(tmp_path / "khong-co.xlsx")
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ExpectedListError):
        read(broken)


def test_merge_command_takes_the_list_of_communes(commune_files, tmp_path, capsys):
    from desktop.cli import main

    listing = tmp_path / "xa.csv"
    listing.write_text("Cẩm Hưng\nXã Thạch Lạc\n", encoding="utf-8")
    code = main(["merge", str(commune_files["Cẩm Hưng"]), "-o", str(tmp_path / "tong.xlsx"),
                 "--expected", str(listing)])
    out = capsys.readouterr().out
    assert code == 0 and "Xã chưa gửi báo cáo: 1/2" in out and "- Xã Thạch Lạc" in out
    code = main(["merge", str(commune_files["Cẩm Hưng"]), "-o", str(tmp_path / "tong2.xlsx"),
                 "--expected", str(tmp_path / "khong-co.csv")])
    captured = capsys.readouterr()
    assert code != 0 and "Không tìm thấy danh sách xã" in captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err and not (tmp_path / "tong2.xlsx").exists()


def test_merge_keeps_the_indicator_codes(commune_files, tmp_path):
    """The province's tables carry the same indicator code column (Thông tư 13/2021) as the communes' files."""
    report = merge_reports([commune_files["Cẩm Hưng"], commune_files["Cẩm Văn"]], tmp_path / "tong.xlsx")
    wb = load_workbook(report.output)
    sheet = wb["Tổng hợp toàn tỉnh"]
    assert all(r[1] == "Mã chỉ tiêu (TT 13/2021)" for r in sheet.iter_rows(values_only=True) if r[0] == "Chỉ tiêu")
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "0101")
    key = "tong_hop.tiep_nhan.so_tre_em_bi_xam_hai.tong"
    assert row[2] == report.totals[key] == sum(f.figures[key] for f in report.accepted)
    communes = wb["Các xã"]
    head = next(r for r in communes.iter_rows(values_only=True) if r[0] == "STT")
    assert "Trẻ em bị xâm hại (mã 0101)" in head
