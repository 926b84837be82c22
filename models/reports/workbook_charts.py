"""The comparison sheet ("So sánh") and the chart sheet ("Biểu đồ") of the period workbook.

Charts are openpyxl's native Excel charts: each draws the small table written beside it on the same sheet
(the series refer to those cells), so what the chart shows is what the table says.
"""
from __future__ import annotations

from ..sheet_text import write as put_text
from .compare import Chart, Comparison, percent

COMPARE_SHEET = "So sánh"
CHART_SHEET = "Biểu đồ"


def _head_cell(ws, r, c, text, st):
    cell = put_text(ws, r, c, text)
    cell.font, cell.alignment, cell.fill, cell.border = st["bold"], st["center"], st["head_fill"], st["border"]
    return cell


def comparison_sheet(wb, cmp: Comparison, st, title_block) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(COMPARE_SHEET)
    cols = [cmp.current, *cmp.others]
    ncols = 1 + 1 + 2 * len(cmp.others)
    r = title_block(ws, "SO SÁNH VỚI KỲ TRƯỚC VÀ CÙNG KỲ NĂM TRƯỚC", ncols)
    header = r
    _head_cell(ws, r, 1, "Chỉ tiêu", st)
    _head_cell(ws, r, 2, f"{cmp.current.heading}\n({cmp.current.period.range_text})", st)
    for i, other in enumerate(cmp.others):
        _head_cell(ws, r, 3 + 2 * i, f"{other.heading}\n({other.period.range_text})", st)
        _head_cell(ws, r, 4 + 2 * i, f"{cmp.current.heading} so với {other.heading.split(' (')[0].lower()}: "
                                    "tăng (+), giảm (−)", st)
    ws.row_dimensions[r].height = 62
    r += 1
    for item in cmp.items():
        now = int(cmp.current.figures.get(item["key"], 0))
        label = put_text(ws, r, 1, item["label"])
        label.font, label.border, label.alignment = st["normal"], st["border"], st["left"]
        values = [now]
        for other in cmp.others:
            before = int(other.figures.get(item["key"], 0))
            values += [before, now - before]
        for k, v in enumerate(values, start=2):
            cell = ws.cell(r, k, v)
            cell.font, cell.border = st["normal"], st["border"]
            cell.number_format = "#,##0" if k == 2 or k % 2 == 1 else '+#,##0;"−"#,##0;0'
        r += 1
    r += 1
    put_text(ws, r, 1, "TỶ LỆ").font = st["bold"]
    r += 1
    _head_cell(ws, r, 1, "Chỉ tiêu", st)
    for i, col in enumerate(cols):
        _head_cell(ws, r, 2 + i, f"{col.heading}\n(số / tổng; tỷ lệ)", st)
    ws.row_dimensions[r].height = 45
    r += 1
    for spec in cmp.shares():
        label = put_text(ws, r, 1, spec["label"])
        label.font, label.border, label.alignment = st["normal"], st["border"], st["left"]
        for i, col in enumerate(cols):
            part, whole, share = cmp.share(spec, col.figures)
            text = f"{part}/{whole} = {percent(share)}" if share is not None else "không có trường hợp"
            cell = put_text(ws, r, 2 + i, text)
            cell.font, cell.border, cell.alignment = st["normal"], st["border"], st["center"]
        ws.row_dimensions[r].height = 30
        r += 1
    ws.column_dimensions["A"].width = 52
    for k in range(2, ncols + 1):
        ws.column_dimensions[get_column_letter(k)].width = 19
    ws.freeze_panes = ws.cell(header + 1, 2)
    return ws


def chart_sheet(wb, charts: list[Chart], st, title_block) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    ws = wb.create_sheet(CHART_SHEET)
    r = title_block(ws, "BIỂU ĐỒ", 4)
    ws.column_dimensions["A"].width = 30
    for c in "BCD":
        ws.column_dimensions[c].width = 12
    for chart in charts:
        put_text(ws, r, 1, chart.title).font = st["bold"]
        r += 1
        top = r
        _head_cell(ws, r, 1, "", st)
        for k, (name, _values) in enumerate(chart.series, start=2):
            _head_cell(ws, r, k, name, st)
        for i, cat in enumerate(chart.categories, start=1):
            put_text(ws, r + i, 1, cat).border = st["border"]
            for k, (_name, values) in enumerate(chart.series, start=2):
                cell = ws.cell(r + i, k, int(values[i - 1]))
                cell.border, cell.number_format = st["border"], "#,##0"
        last = r + len(chart.categories)
        bar = BarChart()
        bar.type = "bar" if chart.horizontal else "col"
        if chart.stacked:
            bar.grouping = "stacked"
            bar.overlap = 100
        bar.title = chart.title
        bar.style = 10
        bar.y_axis.title = "Số trường hợp"
        bar.y_axis.majorGridlines = None
        bar.y_axis.delete = False
        bar.x_axis.delete = False
        data = Reference(ws, min_col=2, max_col=1 + len(chart.series), min_row=top, max_row=last)
        cats = Reference(ws, min_col=1, min_row=top + 1, max_row=last)
        bar.add_data(data, titles_from_data=True)
        bar.set_categories(cats)
        bar.dataLabels = DataLabelList()
        bar.dataLabels.showVal = True
        bar.legend.position = "b"
        bar.height, bar.width = 8.5, 17
        ws.add_chart(bar, f"F{top - 1}")
        r = max(last + 2, top + 18)
    return ws
