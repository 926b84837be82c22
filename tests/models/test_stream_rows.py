"""The list of cases streamed into the saved workbook (issue 19.3): by the file format, never by openpyxl's
private attributes; each column in its style, dates as dates, texts as texts (never a formula)."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from models import sheet_text
from models.reports.stream_rows import StreamError, stream_rows


def _saved(with_template: bool = True) -> bytes:
    wb = Workbook()
    wb.active.title = "Bìa"
    ws = wb.create_sheet("Danh sách")
    for k, head in enumerate(["STT", "Mã", "Ngày", "Ghi chú"], start=1):
        sheet_text.write(ws, 1, k, head).font = Font(bold=True)
    if with_template:
        for k, (value, fmt) in enumerate([(1, "General"), ("HS-1", "General"), (date(2025, 3, 4), "DD/MM/YYYY"),
                                          (None, "General")], start=1):
            cell = ws.cell(2, k)
            cell.font, cell.number_format = Font(name="Times New Roman", size=11), fmt
            cell.alignment = Alignment(vertical="top", wrap_text=k == 4)
            sheet_text.write(ws, 2, k, value)
    sheet_text.write(ws, 8, 1, "Tổng số: 5 trường hợp.")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_rows_take_their_columns_style_and_stay_text():
    rows = [[2, "HS-2", date(2025, 3, 5), "=HYPERLINK(\"http://x/\")"], [3, "HS-3", None, "bình thường"],
            [None, None, None, None], [5, "-1+2", date(2026, 1, 1), "@SUM(A1)"]]
    data = stream_rows(_saved(), "Danh sách", 3, rows)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Danh sách"]
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=3, max_row=6, max_col=4)]
    assert [[v for k, v in enumerate(r) if k != 2] for r in values] == [
        [2, "HS-2", '=HYPERLINK("http://x/")'], [3, "HS-3", "bình thường"], [None, None, None], [5, "-1+2", "@SUM(A1)"]]
    assert [r[2] for r in values][1:3] == [None, None]
    assert ws.cell(3, 3).value.date() == date(2025, 3, 5) and ws.cell(6, 3).value.date() == date(2026, 1, 1)
    assert ws.cell(3, 3).number_format == "DD/MM/YYYY" and ws.cell(3, 3).font.name == "Times New Roman"
    assert ws.cell(3, 4).alignment.wrap_text and not ws.cell(3, 2).alignment.wrap_text
    # risky texts: text cells with the quote prefix, in the same font and format as their column
    for ref in ("D3", "B6", "D6"):
        assert ws[ref].data_type == "s" and ws[ref].quotePrefix and ws[ref].font.name == "Times New Roman"
    assert not ws["D4"].quotePrefix and not ws["B3"].quotePrefix
    assert ws.cell(8, 1).value == "Tổng số: 5 trường hợp."  # the row after the list is kept
    assert wb.sheetnames == ["Bìa", "Danh sách"]


def test_a_workbook_of_another_shape_is_refused_not_corrupted():
    with pytest.raises(StreamError):
        stream_rows(_saved(with_template=False), "Danh sách", 3, [[1, "a", None, None]])
    with pytest.raises(StreamError):
        stream_rows(_saved(), "Không có", 3, [[1, "a", None, None]])
    with pytest.raises(StreamError):  # the rows would overwrite the total row
        stream_rows(_saved(), "Danh sách", 3, [[k, "a", None, None] for k in range(10)])


def test_the_report_writers_use_no_private_attribute_of_openpyxl():
    """openpyxl's internals (wb._cell_styles, cell._style, ws._current_row…) change between versions."""
    root = Path(__file__).resolve().parents[2]
    for name in ("models/reports/workbook.py", "models/reports/stream_rows.py", "models/reports/merge.py",
                 "models/reports/workbook_charts.py", "models/security/anchors.py"):
        text = (root / name).read_text(encoding="utf-8")
        assert not re.findall(r"\b(?:wb|ws|cell|sheet|chk|meta|probe)\._\w+", text), name
