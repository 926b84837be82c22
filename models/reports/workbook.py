"""Writing the period report as an .xlsx (openpyxl), from the facts and the layouts.

Sheets: Bìa (cover), Tổng hợp, Trẻ em có hoàn cảnh đặc biệt, Danh sách trường hợp, and a hidden "_bvte"
sheet holding what the receiving side needs to check and merge the file (format, version, layout,
period, commune, and every figure under a stable key). Numbers are stored as numbers, dates as dates.
"""
from __future__ import annotations

import io
from datetime import date, datetime

from .. import __version__
from ..sheet_text import append as append_text, write as put_text
from ..clock import VN, fmt_date, fmt_datetime
from ..vocab import ABUSE_FORMS, COMMUNE_KINDS, GENDERS
from . import layout
from .facts import ReportFacts

FORMAT = 1  # of the _bvte sheet; the receiving side refuses a higher one
META_SHEET = "_bvte"
FONT = "Times New Roman"

EMERGENCY_WORDS = {"dung_han": "Đúng hạn", "tre_han": "Quá 12 giờ", "chua": "Chưa có biện pháp"}
CATEGORY_WORDS = {
    "bi_xam_hai": "Bị xâm hại", "nguy_co_bao_luc": "Có nguy cơ bị bạo lực", "nguy_co_boc_lot": "Có nguy cơ bị bóc lột",
    "nguy_co_bo_roi": "Có nguy cơ bị bỏ rơi", "hoan_canh_dac_biet": "Có hoàn cảnh đặc biệt",
}


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return {
        "title": Font(name=FONT, size=14, bold=True),
        "subtitle": Font(name=FONT, size=12, italic=True),
        "bold": Font(name=FONT, size=11, bold=True),
        "normal": Font(name=FONT, size=11),
        "small": Font(name=FONT, size=10, italic=True),
        "red": Font(name=FONT, size=11, bold=True, color="C00000"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "head_fill": PatternFill("solid", fgColor="DDEBF7"),
        "section_fill": PatternFill("solid", fgColor="F2F2F2"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "wrap": Alignment(vertical="top", wrap_text=True),
        "left": Alignment(vertical="center", wrap_text=True),
        "num": Alignment(vertical="center"),
    }


def _print_setup(ws, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.oddFooter.center.font = FONT
    ws.oddFooter.center.size = 9
    ws.oddHeader.right.text = "&A"
    ws.oddHeader.right.size = 9


def _as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(VN).date()
    return value


def _commune_words(f: ReportFacts) -> str:
    o = f.office
    if o.heading_place:
        return o.heading_place
    kind = COMMUNE_KINDS.get(o.commune_kind, "xã")
    return f"{kind.capitalize()} {o.commune_name}".strip() if o.commune_name else "(chưa khai báo tên xã)"


def _province_words(f: ReportFacts) -> str:
    p = f.office.province.strip()
    return p if p.lower().startswith(("tỉnh", "thành phố")) else f"tỉnh {p}"


def _head(ws, f: ReportFacts, title: str, st, ncols: int) -> int:
    """Title block on top of a sheet; returns the next free row."""
    put_text(ws, 1, 1, title).font = st["title"]
    put_text(ws, 2, 1, f"{_commune_words(f)}, {_province_words(f)} — Kỳ báo cáo: {f.period.label} "
                  f"({f.period.range_text})").font = st["subtitle"]
    for r in (1, 2):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=max(ncols, 2))
        ws.cell(r, 1).alignment = st["left"]
    ws.row_dimensions[1].height = 22
    return 4


def _lines(text: str, width: float) -> int:
    per_line = max(10, int(width * 1.1))
    return max(1, -(-len(text) // per_line))


CODE_COL = 2  # the indicator code (Thông tư 13/2021) right after the row's label; figures from column 3
FIRST_FIGURE_COL = 3


def _write_table(ws, t: layout.Table, r: int, st, label_width: float = 60) -> tuple[int, int]:
    """One table from row r; returns (next free row, first header row)."""
    ncols = FIRST_FIGURE_COL - 1 + len(t.columns)
    c = put_text(ws, r, 1, t.title)
    c.font = st["bold"]
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    r += 1
    if t.unit:
        put_text(ws, r, 1, t.unit).font = st["small"]
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        r += 1
    header_top = r
    grouped = any(col.group for col in t.columns)
    depth = 2 if grouped else 1
    put_text(ws, r, 1, "Chỉ tiêu")
    put_text(ws, r, CODE_COL, layout.indicators()["column"])
    if grouped:
        ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)
        ws.merge_cells(start_row=r, start_column=CODE_COL, end_row=r + 1, end_column=CODE_COL)
    first = FIRST_FIGURE_COL
    i = 0
    while i < len(t.columns):
        col = t.columns[i]
        if grouped and col.group:
            j = i
            while j + 1 < len(t.columns) and t.columns[j + 1].group == col.group:
                j += 1
            put_text(ws, r, first + i, col.group)
            ws.merge_cells(start_row=r, start_column=first + i, end_row=r, end_column=first + j)
            for k in range(i, j + 1):
                put_text(ws, r + 1, first + k, t.columns[k].label)
            i = j + 1
        else:
            put_text(ws, r, first + i, col.label)
            if grouped:
                ws.merge_cells(start_row=r, start_column=first + i, end_row=r + 1, end_column=first + i)
            i += 1
    for rr in range(r, r + depth):
        for cc in range(1, ncols + 1):
            cell = ws.cell(rr, cc)
            cell.font, cell.alignment, cell.fill, cell.border = st["bold"], st["center"], st["head_fill"], st["border"]
    ws.row_dimensions[r + depth - 1].height = 30 if grouped else 42
    r += depth
    for row in t.rows:
        label = put_text(ws, r, 1, ("    " * row.indent) + row.label)
        label.font = st["bold"] if (row.bold or row.heading) else st["normal"]
        label.alignment, label.border = st["left"], st["border"]
        n_lines = _lines(label.value, label_width)
        if n_lines > 1:
            ws.row_dimensions[r].height = 15 * n_lines
        code = put_text(ws, r, CODE_COL, row.indicator or None)
        code.border, code.alignment, code.font = st["border"], st["center"], st["normal"]
        if row.heading:
            label.fill = code.fill = st["section_fill"]
        for k, col in enumerate(t.columns):
            cell = ws.cell(r, first + k)
            cell.border = st["border"]
            if row.heading:
                cell.fill = st["section_fill"]
                continue
            cell.value = int(t.values[(row.id, col.id)])
            cell.number_format = "#,##0"
            cell.alignment = st["num"]
            cell.font = st["bold"] if (row.bold or col.sum_of or col.id == "tong") else st["normal"]
        r += 1
    if t.note:
        put_text(ws, r, 1, "Ghi chú: " + t.note).font = st["small"]
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.cell(r, 1).alignment = st["wrap"]
        ws.row_dimensions[r].height = 30
        r += 1
    return r + 1, header_top


def _tables_sheet(wb, name: str, f: ReportFacts, tables: list[layout.Table], st, title: str):
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    ncols = FIRST_FIGURE_COL - 1 + max(len(t.columns) for t in tables)
    r = _head(ws, f, title, st, ncols)
    longest = max((len(row.label) + 4 * row.indent for t in tables for row in t.rows), default=30)
    label_width = max(30, min(62, longest * 0.9 + 2))
    ws.column_dimensions["A"].width = label_width
    ws.column_dimensions[get_column_letter(CODE_COL)].width = 10
    first_header = None
    for t in tables:
        r, top = _write_table(ws, t, r, st, label_width)
        first_header = first_header or top
    note = layout.indicators().get("note")
    if note:  # which codes are there and that the others are to be completed from the circular
        put_text(ws, r, 1, note).font = st["small"]
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.cell(r, 1).alignment = st["wrap"]
        ws.row_dimensions[r].height = 45
    many = max(len(t.columns) for t in tables) > 8
    for k in range(FIRST_FIGURE_COL, ncols + 1):
        ws.column_dimensions[get_column_letter(k)].width = 8.5 if many else 13
    if len(tables) == 1:  # one table: its header stays in view and is printed on every page
        depth = 2 if any(c.group for c in tables[0].columns) else 1
        last_head = first_header + depth - 1
        ws.freeze_panes = ws.cell(last_head + 1, FIRST_FIGURE_COL)
        _print_setup(ws, f"{first_header}:{last_head}")
    else:
        ws.freeze_panes = "B4"
        _print_setup(ws, "1:2")
    return ws


def _cover(wb, f: ReportFacts, st, made_by: str, with_names: bool, definition: dict, issue=None):
    ws = wb.active
    ws.title = definition.get("cover_sheet", "Bìa")
    o = f.office
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    put_text(ws, 1, 1, (o.agency_name or f"Ủy ban nhân dân {_commune_words(f).lower()}").upper()).font = st["bold"]
    put_text(ws, 1, 2, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").font = st["bold"]
    put_text(ws, 2, 2, "Độc lập - Tự do - Hạnh phúc").font = st["bold"]
    ws.cell(1, 2).alignment = ws.cell(2, 2).alignment = st["center"]
    put_text(ws, 4, 1, definition["title"]).font = st["title"]
    ws.merge_cells("A4:B4")
    ws.cell(4, 1).alignment = st["center"]
    put_text(ws, 5, 1, f"Kỳ báo cáo: {f.period.label} ({f.period.range_text})").font = st["subtitle"]
    ws.merge_cells("A5:B5")
    if getattr(o, "is_demo", False):  # demo data never passes for real figures
        from ..services.office import DEMO_MARK

        ws.cell(3, 1, f"{DEMO_MARK} — không phải số liệu thật").font = st["title"]
        ws.merge_cells("A3:B3")
    ws.cell(5, 1).alignment = st["center"]
    as_of = f.made_at if f.made_at < f.period.end_before else None
    items = [("Số", f"{issue.number_text} (cùng số với báo cáo bằng văn bản, tệp PDF kèm theo)"),
             ("Ngày báo cáo", fmt_date(issue.report_date))] if issue is not None else []
    items += [
        ("Đơn vị báo cáo", o.agency_name or _commune_words(f)),
        ("Xã, phường, đặc khu", _commune_words(f)),
        ("Tỉnh, thành phố", o.province),
        ("Nơi nhận báo cáo", o.report_recipient or f"Ủy ban nhân dân tỉnh {o.province} (qua Sở Y tế)"),
        ("Kỳ báo cáo", f"{f.period.label}: {f.period.range_text}"),
        ("Số liệu tính đến", fmt_datetime(as_of) + " (thời điểm lập báo cáo, kỳ báo cáo chưa kết thúc)" if as_of
         else f"hết ngày {fmt_date(f.period.end)}"),
        ("Ngày lập báo cáo", fmt_datetime(f.made_at)),
        ("Người lập", made_by),
        *([("Người ký", "TM. Ủy ban nhân dân, Chủ tịch: " + (issue.signer_name or "(chưa khai báo trong thiết lập cơ quan)"))]
          if issue is not None else []),
        ("Điện thoại liên hệ", o.worker_phone),
        ("Độ mật", definition["confidentiality"]),
        ("Thông tin cá nhân", definition["names_note"] if with_names else definition["anonymous_note"]),
        ("Phần mềm", f"BVTE phiên bản {__version__}; mẫu biểu {definition['id']} phiên bản {definition['version']}"),
    ]
    for note in f.notes:
        items.append(("Ghi chú", note))
    if layout.indicators().get("note"):
        items.append(("Mã chỉ tiêu", layout.indicators()["note"]))
    r = 7
    for label, value in items:
        a, b = put_text(ws, r, 1, label), put_text(ws, r, 2, value)
        a.font, a.alignment = st["bold"], st["wrap"]
        b.font = st["red"] if label == "Độ mật" else st["normal"]
        b.alignment = st["wrap"]
        a.border = b.border = st["border"]
        lines = max(1, len(str(value)) // 85 + 1)
        ws.row_dimensions[r].height = 16 * lines
        r += 1
    if issue is not None:  # the signature of the report itself (NĐ 30): TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH
        from .issue import SIGNER_LINES

        for k, line in enumerate(SIGNER_LINES):
            put_text(ws, r + 1 + k, 2, line).font = st["bold"]
            ws.cell(r + 1 + k, 2).alignment = st["center"]
        put_text(ws, r + 3 + len(SIGNER_LINES), 2, issue.signer_name or "").font = st["bold"]
        ws.cell(r + 3 + len(SIGNER_LINES), 2).alignment = st["center"]
    else:
        put_text(ws, r + 1, 2, "Người lập báo cáo").font = st["bold"]
        put_text(ws, r + 2, 2, "(Ký, ghi rõ họ tên)").font = st["small"]
        ws.cell(r + 1, 2).alignment = ws.cell(r + 2, 2).alignment = st["center"]
    _print_setup(ws, None)
    ws.page_setup.orientation = "portrait"
    return ws


def _list_sheet(wb, f: ReportFacts, st, with_names: bool):
    """The list of cases. The header, the first case and the sheet's set-up are openpyxl cells; the other rows
    (20,000 at most, by far the biggest part of the file) are returned, to be streamed into the saved file by
    `stream_rows` (openpyxl's cells and its pure-Python XML writer, or its write-only mode, take seconds for them).
    Returns (sheet, first row number of the returned rows, rows)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    spec = layout.load("danh_sach")
    cols = [c for c in spec["columns"] if with_names or not c.get("personal")]
    ws = wb.create_sheet(spec["name"])
    r = _head(ws, f, spec["title"], st, len(cols))
    put_text(ws, 3, 1, spec.get("scope", "")).font = st["small"]
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(cols))
    header = r
    for k, c in enumerate(cols, start=1):
        cell = put_text(ws, header, k, c["label"])
        cell.font, cell.alignment, cell.fill, cell.border = st["bold"], st["center"], st["head_fill"], st["border"]
        ws.column_dimensions[get_column_letter(k)].width = c.get("width", 12)
    ws.row_dimensions[header].height = 45
    fields = [c["field"] for c in cols]
    rows = [[values.get(name) for name in fields] for values in (_list_values(case, n) for n, case in
                                                                 enumerate(f.cases, start=1))]
    # The first case: every column's style on a cell (an empty cell keeps its style), so that the styles are
    # in the saved workbook and `stream_rows` finds them on this row. 20,000 rows: the grid is printed as
    # gridlines (no border per cell) and empty cells are not written.
    center = Alignment(horizontal="center", vertical="top")
    if rows:
        for k, c in enumerate(cols):
            cell = ws.cell(header + 1, k + 1)
            cell.font = st["normal"]
            cell.number_format = "DD/MM/YYYY" if c["kind"] == "date" else "General"
            cell.alignment = st["wrap"] if c.get("wrap") else (center if c["kind"] in ("date", "int")
                                                               else Alignment(vertical="top"))
            put_text(ws, header + 1, k + 1, rows[0][k])  # after the style: a quote prefix stays
    ws.print_options.gridLines = True
    last = header + max(len(f.cases), 1)
    ws.freeze_panes = ws.cell(header + 1, 3 if with_names else 2)
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(cols))}{last}"
    _print_setup(ws, f"{header}:{header}")
    put_text(ws, last + 2, 1, f"Tổng số: {len(f.cases)} trường hợp.").font = st["bold"]
    return ws, header + 2, rows[1:]


def _list_values(case: dict, n: int) -> dict:
    on_time = case.get("plan_on_time")
    return {
        "stt": n, "code": case["code"], "child_name": case.get("child_name"), "village": case.get("village") or None,
        "age": case["age"], "gender": GENDERS.get(case["gender"], case["gender"]),
        "forms": "; ".join(ABUSE_FORMS.get(x, x) for x in case["forms"]) or None,
        "category": CATEGORY_WORDS.get(case["category"] or "", case["category"]),
        "stage": case["stage"] or None, "received": _as_date(case["received"]), "ia_done": _as_date(case["ia_done"]),
        "emergency": EMERGENCY_WORDS.get(case["emergency"] or ""),
        "plan_approved": _as_date(case["plan_approved"]),
        "plan_on_time": None if on_time is None else ("Đúng hạn" if on_time else "Trễ hạn"),
        "closed": _as_date(case["closed"]),
    }


def _meta_sheet(wb, f: ReportFacts, made_by: str, with_names: bool, figures: dict[str, int], definition: dict):
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    o = f.office
    meta = [
        ("kind", "bvte-report"), ("format", FORMAT), ("app_version", __version__),
        ("layout", f"{definition['id']}@{definition['version']}"),
        ("period_code", f.period.code), ("period_label", f.period.label),
        ("period_start", f.period.start.isoformat()), ("period_end", f.period.end.isoformat()),
        ("province", o.province), ("commune_name", o.commune_name), ("commune_kind", o.commune_kind),
        ("agency_name", o.agency_name), ("office_id", f.office_id), ("made_at", f.made_at.isoformat()),
        ("made_by", made_by), ("with_names", 1 if with_names else 0), ("case_rows", len(f.cases)),
        ("figure_count", len(figures)),
    ]
    append_text(ws, ["key", "value"])
    for k, v in meta:
        append_text(ws, [k, v])
    append_text(ws, ["figures", ""])
    for k in sorted(figures):
        append_text(ws, [k, int(figures[k])])


def build(f: ReportFacts, *, made_by: str, with_names: bool = False,
          audit_anchor: dict | None = None, issue=None, comparison=None,
          tables: dict[str, list[layout.Table]] | None = None) -> tuple[bytes, dict[str, int]]:
    """The workbook's bytes and its figures (flattened keys → numbers).

    `audit_anchor`: the audit chain's head, kept in a hidden sheet (see models/security/anchors.py).
    `issue` (models.reports.issue.ReportIssue): number, date and signer on the cover. `comparison`
    (models.reports.compare.Comparison): the "So sánh" and "Biểu đồ" sheets. `tables`: the table sheets already
    evaluated from `f` (compare.tables_of), counted here when not given."""
    from openpyxl import Workbook

    definition = layout.report_definition()
    st = _styles()
    wb = Workbook()
    _cover(wb, f, st, made_by, with_names, definition, issue)
    list_ws, list_first_row, list_rest = None, 0, []
    figures: dict[str, int] = {}
    for sheet_name in definition["sheets"]:
        if sheet_name == "danh_sach":
            list_ws, list_first_row, list_rest = _list_sheet(wb, f, st, with_names)
            continue
        spec = layout.load(sheet_name)
        sheet_tables = (tables[sheet_name] if tables is not None
                        else layout.evaluate(sheet_name, f.measures, f.groups))
        for t in sheet_tables:
            figures.update(t.figures())
        _tables_sheet(wb, spec["name"], f, sheet_tables, st, spec["title"])
    if comparison is not None:
        from . import compare, workbook_charts

        def title_block(ws, title, ncols):
            r = _head(ws, f, title, st, ncols)
            _print_setup(ws, "1:2")
            return r

        compare_ws = workbook_charts.comparison_sheet(wb, comparison, st, title_block)
        chart_ws = workbook_charts.chart_sheet(wb, compare.charts(figures, comparison.months), st, title_block)
        # after the tables of figures, before the list of cases
        list_name = layout.load("danh_sach")["name"]
        for moved in (compare_ws, chart_ws):
            if list_name in wb.sheetnames:
                wb.move_sheet(moved, offset=wb.sheetnames.index(list_name) - wb.sheetnames.index(moved.title))
    _meta_sheet(wb, f, made_by, with_names, figures, definition)
    if audit_anchor:
        from ..security.anchors import add_sheet

        add_sheet(wb, audit_anchor)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if list_rest:
        from .stream_rows import stream_rows

        data = stream_rows(data, list_ws.title, list_first_row, list_rest)
    return data, figures


def build_tables_workbook(title_rows: list[tuple[str, list[layout.Table]]], f_like: ReportFacts, extra, *,
                          front: int = 1) -> bytes:
    """Used by the receiving side: the province's sums in the same layouts, plus `extra(wb, styles)` sheets
    (the first `front` of them before the tables, the others after)."""
    from openpyxl import Workbook

    st = _styles()
    wb = Workbook()
    extra(wb, st)
    n_extra = len(wb.worksheets)
    for (name, title), tables in title_rows:
        _tables_sheet(wb, name, f_like, tables, st, title)
    # the commune rows (and the communes that sent nothing), the province's tables, then the checks
    for k in range(len(title_rows)):
        wb.move_sheet(wb.worksheets[n_extra + k], offset=front + k - n_extra - k)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
