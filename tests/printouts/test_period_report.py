"""The period report as the province receives it: the official PDF (Số …/BC-UBND, signature, comparison,
charts, annex tables) beside the workbook (cover with the same number, comparison and chart sheets), read back
from the files and compared with each other and with exports of the other periods."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import date
from xml.etree import ElementTree as ET

import pdfplumber
import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from pypdf import PdfReader
from reportlab.lib.units import mm
from sqlalchemy import func, select

from models.clock import today
from models.entities import Child, DocumentCounter
from models.report_entities import PeriodReport
from models.reports import compare, layout
from desktop.actions.reports import export_report, pdf_path
from models.reports.safe_write import ReportWriteError
from tests.conftest import OFFICE
from tests.models.test_reports_figures import demo_ws, read_rows  # noqa: F401  (fixture)

A4 = (595.2756, 841.8898)
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def squash(text: str) -> str:
    return " ".join((text or "").replace("\u00a0", " ").split())


def number(text: str) -> int:
    return int(text.replace(".", "").replace("+", "").replace("−", "-"))


def figures_sheet(wb) -> dict[str, int]:
    rows = list(wb["_bvte"].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "figures")
    return {r[0]: r[1] for r in rows[at + 1:]}


@pytest.fixture
def exported(demo_ws, tmp_path):  # noqa: F811
    year = today().year - 1
    out = export_report(demo_ws, f"{year}-H1", tmp_path)
    return demo_ws, out, pdf_path(out), year


def pdf_tables(path) -> list[list[list[str]]]:
    with pdfplumber.open(path) as pdf:
        return [t for page in pdf.pages for t in page.extract_tables()]


def pdf_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return squash(" ".join(page.extract_text() or "" for page in pdf.pages))


def test_the_pdf_is_an_official_report_with_the_workbooks_number(exported):
    ws, xlsx, pdf, year = exported
    assert pdf.exists() and pdf.with_name(pdf.name + ".sha256").exists()
    with ws.db.session() as s:
        issued = s.scalars(select(PeriodReport)).one()
        counter = s.scalar(select(DocumentCounter.last_number).where(DocumentCounter.kind == "BC",
                                                                     DocumentCounter.year == issued.doc_year))
    assert issued.doc_number == counter and issued.period_code == f"{year}-H1"
    number_text = f"{issued.doc_number:02d}/BC-UBND"
    text = pdf_text(pdf)
    with pdfplumber.open(pdf) as doc:
        first = squash(doc.pages[0].extract_text())
    assert f"Số: {number_text}" in first
    d = issued.report_date
    assert f"Cẩm Hưng, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}" in first
    assert "BÁO CÁO" in first and f"Kết quả công tác bảo vệ trẻ em 6 tháng đầu năm {year}" in first
    assert f"Kính gửi: {OFFICE['report_recipient']}." in first
    for words in ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", OFFICE["chairman_name"], "Nơi nhận:", "Lưu: VT, VHXH.",
                  "Người lập báo cáo: Trần Thị Lan, người làm công tác bảo vệ trẻ em cấp xã",
                  "PHỤ LỤC: SỐ LIỆU CHI TIẾT", f"Kèm theo Báo cáo số {number_text}"):
        assert words in text, words
    assert "(admin)" not in text and "admin" not in text
    # the workbook's cover: the same number, date and signer; full names, no login
    wb = load_workbook(xlsx)
    cover = {r[0]: r[1] for r in wb["Bìa"].iter_rows(values_only=True) if r[0]}
    assert cover["Số"].startswith(number_text)
    assert cover["Ngày báo cáo"] == f"{d.day:02d}/{d.month:02d}/{d.year}"
    assert cover["Người lập"] == "Trần Thị Lan, người làm công tác bảo vệ trẻ em cấp xã"
    assert OFFICE["chairman_name"] in cover["Người ký"]
    cells = [str(v) for r in wb["Bìa"].iter_rows(values_only=True) for v in r if v]
    assert "TM. ỦY BAN NHÂN DÂN" in cells and "CHỦ TỊCH" in cells
    assert not any("(admin)" in c for c in cells)
    assert figures_sheet(wb) and dict(r for r in wb["_bvte"].iter_rows(values_only=True) if r[0] == "made_by") \
        == {"made_by": cover["Người lập"]}


def test_a_second_export_the_same_day_keeps_the_number_another_period_takes_the_next(exported, tmp_path):
    ws, xlsx, pdf, year = exported
    again = tmp_path / "lan-2"
    again.mkdir()
    out = export_report(ws, f"{year}-H1", again, with_names=True, password="mat-khau-8")
    first_no = re.search(r"Số: (\d+/BC-UBND)", pdf_text(pdf)).group(1)
    assert re.search(r"Số: (\d+/BC-UBND)", pdf_text(pdf_path(out))).group(1) == first_no
    other = tmp_path / "ky-khac"
    other.mkdir()
    out2 = export_report(ws, f"{year}-9M", other)
    second_no = re.search(r"Số: (\d+/BC-UBND)", pdf_text(pdf_path(out2))).group(1)
    assert int(second_no.split("/")[0]) == int(first_no.split("/")[0]) + 1
    with ws.db.session() as s:
        assert s.scalar(select(func.count()).select_from(PeriodReport)) == 2


def test_pdf_figures_equal_the_workbooks(exported):
    ws, xlsx, pdf, year = exported
    wb = load_workbook(xlsx)
    want = {}
    for sheet in ("Tổng hợp", "Trẻ em có hoàn cảnh đặc biệt"):
        want.update({squash(k): v for k, v in read_rows(wb[sheet]).items()})
    got = {}
    compared = {}
    for table in pdf_tables(pdf):
        coded = any(squash(c).startswith("Mã chỉ tiêu") for c in table[0] if c)
        for row in table:
            cells = [squash(c) for c in row]
            if coded and len(cells) > 2:  # the indicator code column (Thông tư 13/2021) is not a figure
                cells = cells[:1] + cells[2:]
            if len(cells) > 1 and cells[0] and cells[1:] and all(re.fullmatch(r"[+−]?[\d.]+", c) for c in cells[1:]):
                got.setdefault(cells[0], []).append([number(c) for c in cells[1:]])
    checked = 0
    for label, nums in want.items():
        if label in got:
            assert nums in got[label], label
            checked += 1
    assert checked >= 40  # every table row of Tổng hợp (24) and the register groups
    assert got["Số trường hợp tiếp nhận"][0][0] > 0
    # the comparison table of the PDF is the "So sánh" sheet
    sheet = {squash(r[0]): [v for v in r[1:] if v is not None] for r in wb["So sánh"].iter_rows(values_only=True)
             if r[0] and all(isinstance(v, int) for v in r[1:] if v is not None) and any(v is not None for v in r[1:])}
    for label, nums in sheet.items():
        assert nums in got[label], label
        compared[label] = nums
    assert len(compared) == len(layout.report_definition()["merge_columns"])
    # and the sentences say the same numbers
    figures = figures_sheet(wb)
    text = pdf_text(pdf)
    assert f"1. Tiếp nhận thông tin: {figures['tong_hop.tiep_nhan.so_truong_hop.tong']} trường hợp" in text
    assert f"{figures['tong_hop.ke_hoach.phe_duyet.tong']} kế hoạch được phê duyệt lần đầu" in text


def test_previous_period_and_last_year_equal_their_own_exports(exported, tmp_path):
    ws, xlsx, pdf, year = exported
    wb = load_workbook(xlsx)
    head = [c.value for c in next(r for r in wb["So sánh"].iter_rows() if r[0].value == "Chỉ tiêu")]
    assert "Kỳ trước" in head[2] and "01/07/" in head[2] and f"31/12/{year - 1}" in head[2]
    assert "Cùng kỳ năm trước" in head[4] and f"01/01/{year - 1}" in head[4] and f"30/06/{year - 1}" in head[4]
    rows = {r[0]: r for r in wb["So sánh"].iter_rows(values_only=True) if r[0]}
    for col, period in ((2, f"{year - 1}-07-01:{year - 1}-12-31"), (4, f"{year - 1}-H1")):
        folder = tmp_path / f"k{col}"
        folder.mkdir()
        other = figures_sheet(load_workbook(export_report(ws, period, folder)))
        nonzero = 0
        for item in layout.report_definition()["merge_columns"]:
            row = rows[item["label"]]
            assert row[col] == other[item["key"]], (period, item["label"])
            assert row[col + 1] == row[1] - row[col]
            nonzero += bool(row[col])
        assert nonzero >= 5
    # shares: part / whole of the same figures
    figures = figures_sheet(wb)
    spec = layout.report_definition()["shares"][0]
    cells = next(r for r in wb["So sánh"].iter_rows(values_only=True) if r[0] == spec["label"])
    part, whole = figures[spec["part"]], figures[spec["whole"]]
    assert cells[1] == f"{part}/{whole} = {compare.percent(part / whole)}"


def test_each_charts_series_equals_the_table_it_draws(exported):
    ws, xlsx, pdf, year = exported
    wb = load_workbook(xlsx)
    sheet = wb["Biểu đồ"]
    figures = figures_sheet(wb)

    def cells(ref: str) -> list:
        name, rng = ref.rsplit("!", 1)
        assert name.strip("'") == "Biểu đồ"
        c1, r1, c2, r2 = range_boundaries(rng.replace("$", ""))
        return [sheet.cell(r, c).value for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

    with zipfile.ZipFile(xlsx) as zf:
        charts = sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 3
        drawn = []
        for name in charts:
            root = ET.fromstring(zf.read(name))
            series = []
            for ser in root.iter(f"{C}ser"):
                title = cells(ser.find(f"{C}tx/{C}strRef/{C}f").text)[0]
                cats = cells((ser.find(f"{C}cat//{C}f")).text)
                vals = cells(ser.find(f"{C}val/{C}numRef/{C}f").text)
                series.append((title, cats, vals))
            drawn.append(series)
    expected = compare.charts(figures, compare.months_of_table(sheet) if hasattr(compare, "months_of_table") else [])
    by_form = {s[0]: dict(zip(s[1], s[2])) for s in drawn[0]}
    tong_hop = {squash(k): v for k, v in read_rows(wb["Tổng hợp"]).items()}
    for form in ("Bạo lực", "Bóc lột", "Xâm hại tình dục", "Mua bán", "Bỏ rơi, bỏ mặc", "Hình thức khác"):
        row = tong_hop[form]  # total, Nam 4 bands + Cộng (index 5), Nữ … (10), Không rõ … (15)
        assert [by_form["Nam"][form], by_form["Nữ"][form], by_form["Không rõ giới tính"][form]] == [row[5], row[10], row[15]]
    months = drawn[1][0]
    assert sum(months[2]) == figures["tong_hop.tiep_nhan.so_truong_hop.tong"]
    assert months[1][0] == f"01/{year}" and months[1][-1] == f"06/{year}"
    limits = {s[0]: s[2] for s in drawn[2]}
    assert limits["Đúng hạn"] == [figures["tong_hop.khan_cap.dung_12_gio.tong"], figures["tong_hop.ke_hoach.dung_han.tong"]]
    assert limits["Trễ hạn"] == [figures["tong_hop.khan_cap.qua_12_gio.tong"], figures["tong_hop.ke_hoach.tre_han.tong"]]
    assert expected[0].series[0][1] == [by_form["Nam"][f] for f in by_form["Nam"]]


def test_the_pdf_passes_the_layout_checks_of_the_forms(exported):
    ws, xlsx, pdf, year = exported
    reader = PdfReader(pdf)
    meta = reader.metadata
    assert meta.author == "BVTE" and "Báo cáo" in meta.title
    with ws.db.session() as s:
        names = set(s.scalars(select(Child.full_name))) - {OFFICE["chairman_name"], OFFICE["worker_name"]}
    text = pdf_text(pdf)
    assert text == unicodedata.normalize("NFC", text)
    assert [n for n in names if n in text or n in f"{meta.title} {meta.subject}"] == []  # counts only, no child
    landscape = 0
    for page in reader.pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(sorted(A4), abs=0.5)
        landscape += float(page.mediabox.width) > float(page.mediabox.height)
        for font in page["/Resources"]["/Font"].values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"].get_object(), font.get_object()["/BaseFont"]
    assert landscape >= 2 and float(reader.pages[0].mediabox.width) < float(reader.pages[0].mediabox.height)
    with pdfplumber.open(pdf) as doc:
        for i, page in enumerate(doc.pages):
            top = (page.within_bbox((0, 0, page.width, 20 * mm)).extract_text() or "").strip()
            assert top == ("" if i == 0 else str(i + 1))
            body = [c for c in page.chars if c["top"] > 20 * mm]
            for ch in body:
                assert ch["x0"] >= 30 * mm - 0.5 and ch["x1"] <= page.width - 15 * mm + 0.5, (i, ch["text"])
                assert ch["bottom"] <= page.height - 20 * mm + 0.5, (i, ch["text"])
            # readable: nothing printed below 11 pt (the chart axes included)
            assert min(c["size"] for c in body) >= 11 - 0.01, i
            # no near-empty page: every page but the last is at least half full
            if i < len(doc.pages) - 1:
                assert max(c["bottom"] for c in body) > page.height * 0.5, i


def test_a_failed_pdf_write_leaves_nothing_and_takes_no_number(exported, tmp_path, monkeypatch):
    import models.reports.safe_write as sw

    ws, xlsx, pdf, year = exported
    with ws.db.session() as s:
        before = s.scalar(select(DocumentCounter.last_number).where(DocumentCounter.kind == "BC"))
        reports = s.scalar(select(func.count()).select_from(PeriodReport))
    usb = tmp_path / "usb"
    usb.mkdir()
    real = sw._write_verified

    def full_on_pdf(path, data):
        if ".pdf" in path.name:
            import errno
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(sw, "_write_verified", full_on_pdf)
    with pytest.raises(ReportWriteError, match="Không đủ chỗ trống"):
        export_report(ws, f"{year}-9M", usb)
    assert list(usb.iterdir()) == []
    with ws.db.session() as s:
        assert s.scalar(select(DocumentCounter.last_number).where(DocumentCounter.kind == "BC")) == before
        assert s.scalar(select(func.count()).select_from(PeriodReport)) == reports


@pytest.mark.parametrize("code,prev,last", [
    ("2026-H1", (date(2025, 7, 1), date(2025, 12, 31)), (date(2025, 1, 1), date(2025, 6, 30))),
    ("2026-9M", (date(2025, 4, 1), date(2025, 12, 31)), (date(2025, 1, 1), date(2025, 9, 30))),
    ("2026", (date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))),
    ("2024-02-10:2024-02-29", (date(2024, 1, 21), date(2024, 2, 9)), (date(2023, 2, 10), date(2023, 2, 28))),
])
def test_previous_and_last_year_periods(code, prev, last):
    from models.reports.period import parse_period

    p = parse_period(code)
    assert (compare.previous_period(p).start, compare.previous_period(p).end) == prev
    assert (compare.same_period_last_year(p).start, compare.same_period_last_year(p).end) == last


def test_merge_writes_the_charts_the_commune_comparison_and_a_province_summary(exported, tmp_path):
    from desktop.actions.reports import merge_reports

    ws, xlsx, pdf, year = exported
    communes = tmp_path / "communes"
    communes.mkdir()
    wb = load_workbook(xlsx)
    figures = figures_sheet(wb)
    for name in ("Xã Một", "Xã Hai"):
        meta = wb["_bvte"]
        for row in meta.iter_rows(min_row=1, max_row=40):
            if row[0].value == "commune_name":
                row[1].value = name
        wb.save(communes / f"{name}.xlsx")
    result = merge_reports(sorted(communes.glob("*.xlsx")), tmp_path / "tong-hop.xlsx")
    assert len(result.accepted) == 2 and result.summary_pdf.exists()
    total = load_workbook(result.output)
    # per-commune comparison: what needs attention, from each commune's figures
    rows = [r for r in total["Các xã"].iter_rows(values_only=True) if r[1] in ("Xã Một", "Xã Hai")]
    want = compare.attention(figures)
    assert want and [r[-1] for r in rows] == [want, want]
    # the charts over the province's sums (no month chart: the files carry no months)
    with zipfile.ZipFile(result.output) as zf:
        names = sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))
        assert len(names) == 2
        root = ET.fromstring(zf.read(names[1]))
    sheet = total["Biểu đồ"]
    ref = next(root.iter(f"{C}val")).find(f"{C}numRef/{C}f").text
    c1, r1, c2, r2 = range_boundaries(ref.split("!")[1].replace("$", ""))
    assert [sheet.cell(r, c1).value for r in range(r1, r2 + 1)] == [
        2 * figures["tong_hop.khan_cap.dung_12_gio.tong"], 2 * figures["tong_hop.ke_hoach.dung_han.tong"]]
    # the province's PDF: the communes' table says what the workbook says, laid out inside the margins
    text = pdf_text(result.summary_pdf)
    assert "TỔNG HỢP BÁO CÁO KẾT QUẢ CÔNG TÁC BẢO VỆ TRẺ EM" in text and "2 xã cần chú ý" in text
    table = next(t for t in pdf_tables(result.summary_pdf) if t and squash(t[0][0]) == "STT")
    one = next(r for r in table if squash(r[1]) == "Xã Một")
    assert number(squash(one[2])) == figures["tong_hop.tiep_nhan.so_truong_hop.tong"]
    assert squash(one[-1]) == want
    reader = PdfReader(result.summary_pdf)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"].get_object()
    with pdfplumber.open(result.summary_pdf) as doc:
        for page in doc.pages:
            assert all(30 * mm - 0.5 <= ch["x0"] and ch["x1"] <= page.width - 15 * mm + 0.5 for ch in page.chars)


def test_rows_carry_the_national_indicator_code_in_the_workbook_and_the_pdf(exported):
    """Issue 16.6: a row that is an indicator of Thông tư 13/2021/TT-BLĐTBXH carries its code (only codes checked
    against the circular: 0101 "Số trẻ em bị xâm hại"); the others are empty and the note says they are to come."""
    ws, xlsx, pdf, year = exported
    wb = load_workbook(xlsx)
    sheet = wb["Tổng hợp"]
    heads = [r for r in sheet.iter_rows(values_only=True) if r[0] == "Chỉ tiêu"]
    assert heads and all(r[1] == "Mã chỉ tiêu (TT 13/2021)" for r in heads)
    coded = {squash(r[0]): r[1] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], str) and r[1]
             and r[0] != "Chỉ tiêu"}
    assert coded == {"Trong đó: số trẻ em bị xâm hại (mỗi trẻ em đếm một lần)": "0101"}
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "0101")
    figures = figures_sheet(wb)
    assert row[2] == figures["tong_hop.tiep_nhan.so_tre_em_bi_xam_hai.tong"]
    assert row[2] <= figures["tong_hop.tiep_nhan.can_thiep.tong"]  # children, each once, of the abuse cases
    texts = " ".join(str(v) for r in sheet.iter_rows(values_only=True) for v in r if isinstance(v, str))
    assert "bổ sung mã theo phụ lục của Thông tư" in texts
    cover = {r[0]: r[1] for r in wb["Bìa"].iter_rows(values_only=True) if r[0]}
    assert "0101" in cover["Mã chỉ tiêu"] and "bổ sung mã theo phụ lục" in cover["Mã chỉ tiêu"]
    assert "Mã chỉ tiêu (TT 13/2021)" in [r[1] for r in wb["Trẻ em có hoàn cảnh đặc biệt"].iter_rows(values_only=True)]
    # the mapping lives in the layout files
    assert layout.indicator_codes() == {"tong_hop.tiep_nhan.so_tre_em_bi_xam_hai": "0101"}
    # the PDF annex: the same code on the same row, and the same note
    annex = [squash(" ".join(c or "" for c in r)) for t in pdf_tables(pdf) for r in t]
    assert any(line.startswith("Trong đó: số trẻ em bị xâm hại (mỗi trẻ em đếm một lần) 0101 ") for line in annex), annex[:10]
    assert "bổ sung mã theo phụ lục của Thông tư" in pdf_text(pdf)
