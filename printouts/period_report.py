"""Báo cáo kết quả công tác bảo vệ trẻ em [6 tháng / 9 tháng / năm]: the official report sent with the period
workbook, in the Nghị định 30/2020 layout (agency, "Số: NN/BC-UBND", place and date; "BÁO CÁO" and its subject;
"Kính gửi"; the figures as sentences, the comparison with the previous period and the same period last year,
the shares and the charts; "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" beside "Nơi nhận"), then an annex on A4 landscape
pages with every table of the workbook at 11 pt.

Every figure comes from the same `figures` as the workbook (models.reports.compare); the wording is
resources/report_layouts/van_ban.json. No child is named: the report carries counts only.
"""
from __future__ import annotations

import io
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Flowable, Frame, HRFlowable, KeepTogether, NextPageTemplate, PageBreak,
    PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from models.clock import fmt_date, fmt_datetime
from models.reports import layout
from models.reports.compare import Comparison, change_words, charts as chart_data, percent
from models.reports.facts import ReportFacts
from models.vocab import ABUSE_FORMS

from . import admin_layout as L
from . import fonts
from . import process_layout as P
from .report_charts import drawing

TABLE_SIZE = 11
LAND_W, LAND_H = landscape(A4)
LAND_FRAME_WIDTH = LAND_W - L.MARGIN_LEFT - L.MARGIN_RIGHT


@lru_cache(maxsize=1)
def wording() -> dict[str, Any]:
    text = resources.files("resources").joinpath("report_layouts", "van_ban.json").read_text(encoding="utf-8")
    return json.loads(text)


def _n(value) -> str:
    return f"{int(value):,}".replace(",", ".")


def _signed(value: int) -> str:
    return f"+{_n(value)}" if value > 0 else (f"−{_n(-value)}" if value < 0 else "0")


@lru_cache(maxsize=None)
def _cell_styles():
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = L.style("body")
    mk = lambda name, **kw: ParagraphStyle(name, parent=base, fontSize=TABLE_SIZE, leading=13.5, spaceAfter=0, **kw)
    return {
        "label": mk("t_label", alignment=TA_LEFT),
        "label_bold": mk("t_label_bold", alignment=TA_LEFT, fontName=fonts.BOLD),
        "head": mk("t_head", alignment=TA_CENTER, fontName=fonts.BOLD),
        "subhead": mk("t_subhead", alignment=TA_CENTER),
        "num": mk("t_num", alignment=TA_RIGHT),
        "num_bold": mk("t_num_bold", alignment=TA_RIGHT, fontName=fonts.BOLD),
        "center": mk("t_center", alignment=TA_CENTER),
        "note": mk("t_note", alignment=TA_LEFT, fontName=fonts.ITALIC),
        "annex_title": ParagraphStyle("annex_title", parent=base, fontName=fonts.BOLD, fontSize=14, leading=18,
                                      alignment=TA_CENTER, spaceAfter=2),
        "annex_note": ParagraphStyle("annex_note", parent=base, fontName=fonts.ITALIC, fontSize=12, leading=15,
                                     alignment=TA_CENTER, spaceAfter=8),
        "table_title": ParagraphStyle("table_title", parent=base, fontName=fonts.BOLD, fontSize=12, leading=15,
                                      alignment=TA_LEFT, spaceBefore=6, spaceAfter=2),
        "table_unit": ParagraphStyle("table_unit", parent=base, fontName=fonts.ITALIC, fontSize=TABLE_SIZE,
                                     leading=13, alignment=TA_LEFT, spaceAfter=3),
    }


def _c(text, style="label") -> Paragraph:
    return Paragraph(L.esc(text), _cell_styles()[style])


def _grid(rows, widths, *, header_rows=1, extra=()) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#E8EEF7")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ]))
    return t


# --- the body ---------------------------------------------------------------------------------------------------
def _commune(f: ReportFacts, office) -> str:
    return P.commune_words(office) or f.office.commune_name or L.BLANK


def _sentences(f: ReportFacts, figures: dict[str, int], cmp: Comparison | None) -> list[Flowable]:
    w = wording()["lines"]
    g = lambda key: int(figures.get(key, 0))
    t = "tong_hop.tiep_nhan."
    cases = g(t + "so_truong_hop.tong")
    compare = ""
    if cmp is not None and cmp.others:
        prev = cmp.others[0]
        key = t + "so_truong_hop.tong"
        compare = P.fill(w["compare"], {"prev_change": change_words(cases, prev.figures.get(key, 0)),
                                        "prev": _n(prev.figures.get(key, 0))})
        if len(cmp.others) > 1:
            ly = cmp.others[1]
            compare += P.fill(w["compare_last_year"], {"ly_change": change_words(cases, ly.figures.get(key, 0)),
                                                       "ly": _n(ly.figures.get(key, 0))})
    out = [P.p(P.fill(w["received"], {"cases": _n(cases), "children": _n(g(t + "so_tre_em.tong")),
                                      "girls": _n(g(t + "so_truong_hop.nu_cong")),
                                      "boys": _n(g(t + "so_truong_hop.nam_cong")), "compare": compare}), "article")]
    forms = [(ABUSE_FORMS.get(code, label), g(f"{t}hinh_thuc_{code}.tong")) for code, label in (
        ("bao_luc", "Bạo lực"), ("boc_lot", "Bóc lột"), ("xam_hai_tinh_duc", "Xâm hại tình dục"),
        ("mua_ban", "Mua bán"), ("bo_roi", "Bỏ rơi, bỏ mặc"), ("khac", "Hình thức khác"))]
    out.append(P.p(P.fill(w["forms"], {"forms": "; ".join(f"{name.lower()} {_n(v)}" for name, v in forms)}), "article"))
    out.append(P.p(P.fill(w["levels"], {"intervention": _n(g(t + "can_thiep.tong")),
                                        "support": _n(g(t + "ho_tro_nguy_co.tong") + g(t + "ho_tro_hcdb.tong"))}),
                   "article"))
    k = "tong_hop.khan_cap."
    needed = g(k + "can_khan_cap.tong")
    share = lambda part, whole: percent(part / whole) if whole else "—"
    if needed:
        out.append(P.p(P.fill(w["emergency"], {
            "needed": _n(needed), "on_time": _n(g(k + "dung_12_gio.tong")), "late": _n(g(k + "qua_12_gio.tong")),
            "none": _n(g(k + "chua_ap_dung.tong")), "share": share(g(k + "dung_12_gio.tong"), needed),
            "separations": _n(g(k + "quyet_dinh_cach_ly.tong"))}), "article"))
    else:
        out.append(P.p(P.fill(w["emergency_none"], {"separations": _n(g(k + "quyet_dinh_cach_ly.tong"))}), "article"))
    kh = "tong_hop.ke_hoach."
    out.append(P.p(P.fill(w["plans"], {
        "approved": _n(g(kh + "phe_duyet.tong")), "on_time": _n(g(kh + "dung_han.tong")),
        "late": _n(g(kh + "tre_han.tong")), "share": share(g(kh + "dung_han.tong"), g(kh + "phe_duyet.tong")),
        "adjusted": _n(g(kh + "dieu_chinh.tong"))}), "article"))
    h = "tong_hop.ho_so."
    out.append(P.p(P.fill(w["files"], {
        "opening": _n(g(h + "mo_dau_ky.tong")), "received": _n(g(h + "tiep_nhan.tong")), "closed": _n(g(h + "dong.tong")),
        "reopened": _n(g(h + "mo_lai.tong")), "open": _n(g(h + "mo_cuoi_ky.tong"))}), "article"))
    out.append(P.p(P.fill(w["special"], {
        "total": _n(g("hcdb.nhom.tong.tong")), "helped": _n(g("hcdb.nhom.tong.duoc_ho_tro")),
        "share": share(g("hcdb.nhom.tong.duoc_ho_tro"), g("hcdb.nhom.tong.tong"))}), "article"))
    return out


def _short_range(p) -> str:
    """'01/01 – 30/06/2026' ('01/07/2025 – 30/06/2026' across years)."""
    a, b = p.start, p.end
    left = f"{a.day:02d}/{a.month:02d}" + ("" if a.year == b.year else f"/{a.year}")
    return f"{left} – {b.day:02d}/{b.month:02d}/{b.year}"


def comparison_table(cmp: Comparison) -> Table:
    head = wording()["comparison_head"]
    cols = [cmp.current, *cmp.others]
    labels = [head[0], f"{head[1]}"]
    for i, other in enumerate(cmp.others):
        labels += [other.heading, head[3]]
    rows: list[list] = [[_c(x, "head") for x in labels]]
    rows.append([_c("")] + [_c(_short_range(c.period), "center")
                            for c in cols for _ in ((0,) if c is cmp.current else (0, 1))])
    for item in cmp.items():
        now = int(cmp.current.figures.get(item["key"], 0))
        row = [_c(item["label"]), _c(_n(now), "num_bold")]
        for other in cmp.others:
            before = int(other.figures.get(item["key"], 0))
            row += [_c(_n(before), "num"), _c(_signed(now - before), "num")]
        rows.append(row)
    label_w = 52 * mm
    rest = (L.FRAME_WIDTH - label_w) / (len(labels) - 1)
    spans = []
    col = 2
    for _other in cmp.others:
        spans.append(("SPAN", (col, 1), (col + 1, 1)))
        col += 2
    return _grid(rows, [label_w] + [rest] * (len(labels) - 1), header_rows=2, extra=spans)


def shares_table(cmp: Comparison) -> Table:
    cols = [cmp.current, *cmp.others]
    rows: list[list] = [[_c(wording()["shares_heading"], "head")] + [_c(c.heading, "head") for c in cols]]
    for spec in cmp.shares():
        row = [_c(spec["label"])]
        for c in cols:
            part, whole, share = cmp.share(spec, c.figures)
            row.append(_c(f"{_n(part)}/{_n(whole)} ({percent(share)})" if share is not None else "không có", "center"))
        rows.append(row)
    label_w = 70 * mm
    rest = (L.FRAME_WIDTH - label_w) / len(cols)
    return _grid(rows, [label_w] + [rest] * len(cols))


# --- the annex: every table of the workbook ------------------------------------------------------------
CODE_W = 10 * mm  # the indicator code column (Thông tư 13/2021)


def annex_table(t: layout.Table) -> list[Flowable]:
    st = _cell_styles()
    out: list[Flowable] = [CondPageBreak(45 * mm), Paragraph(L.esc(t.title), st["table_title"])]
    if t.unit:
        out.append(Paragraph(L.esc(t.unit), st["table_unit"]))
    grouped = any(c.group for c in t.columns)
    ncol = len(t.columns)
    label_w = 48 * mm if ncol > 8 else 120 * mm
    num_w = (LAND_FRAME_WIDTH - label_w - CODE_W) / ncol
    code_head = "Mã chỉ tiêu"  # "(TT 13/2021)": said in the note above the annex (the column is narrow)
    rows: list[list] = []
    spans: list[tuple] = []
    if grouped:
        top = [_c("Chỉ tiêu", "head"), _c(code_head, "subhead")]
        second = [_c(""), _c("")]
        i = 0
        while i < ncol:
            col = t.columns[i]
            if col.group:
                j = i
                while j + 1 < ncol and t.columns[j + 1].group == col.group:
                    j += 1
                top += [_c(col.group, "head")] + [_c("")] * (j - i)
                second += [_c(t.columns[k].label, "subhead") for k in range(i, j + 1)]
                spans.append(("SPAN", (2 + i, 0), (2 + j, 0)))
                i = j + 1
            else:
                top.append(_c(col.label, "head"))
                second.append(_c(""))
                spans.append(("SPAN", (2 + i, 0), (2 + i, 1)))
                i += 1
        spans += [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
        rows += [top, second]
    else:
        rows.append([_c("Chỉ tiêu", "head"), _c(code_head, "subhead")] + [_c(c.label, "head") for c in t.columns])
    header_rows = len(rows)
    shade = []
    for row in t.rows:
        label = ("\u00a0" * 4 * row.indent) + row.label
        if row.heading:
            rows.append([_c(label, "label_bold")] + [_c("")] * (ncol + 1))
            spans.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
            shade.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), colors.HexColor("#F2F2F2")))
            continue
        bold = row.bold
        rows.append([_c(label, "label_bold" if bold else "label"), _c(row.indicator, "center")]
                    + [_c(_n(t.values[(row.id, c.id)]), "num_bold" if (bold or c.sum_of or c.id == "tong") else "num")
                       for c in t.columns])
    out.append(_grid(rows, [label_w, CODE_W] + [num_w] * ncol, header_rows=header_rows, extra=spans + shade))
    if t.note:
        out.append(Paragraph(L.esc("Ghi chú: " + t.note), st["note"]))
    return out


def indicator_note() -> list[Flowable]:
    """Under the annex: which indicator codes are filled and that the others are still to be completed."""
    note = layout.indicators().get("note")
    return [Paragraph(L.esc(note), _cell_styles()["note"])] if note else []


# --- the document ----------------------------------------------------------------------------------------
def story(f: ReportFacts, figures: dict[str, int], tables: list[layout.Table], issue, cmp: Comparison | None,
          office=None) -> list[Flowable]:
    w = wording()
    commune = _commune(f, office)
    agency = P.agency_of(office) if office is not None else (f.office.agency_name or f"Ủy ban nhân dân {commune}")
    number = issue.number_text if issue is not None else f"{L.WRITE_GAP}/BC-{P.abbrev_of(office)}"
    day = issue.report_date if issue is not None else None
    out: list[Flowable] = [L.header_block(agency, L.number_line(number), P.place_date(office, day))]
    out.append(L.para(w["title"], "title"))
    out.append(L.balanced_para(P.fill(w["subject"], {"period_label": f.period.label}), "subtitle_cont",
                               L.FRAME_WIDTH - 20 * mm))
    out.append(HRFlowable(width=40 * mm, thickness=L.RULE_THICKNESS, color=colors.black, hAlign="CENTER",
                          spaceBefore=6, spaceAfter=4))
    out.append(P.p(w["secrecy"], "subtitle_note"))
    recipient = f.office.report_recipient or f"Ủy ban nhân dân tỉnh {f.office.province}"
    out.append(P.p(P.fill(w["recipient_line"], {"recipient": recipient}), "centre_bold"))
    as_of = ""
    if f.made_at < f.period.end_before:
        as_of = P.fill(w["as_of"], {"moment": fmt_datetime(f.made_at)})
    out.append(P.p(P.fill(w["opening"], {"commune": commune, "period_label": f.period.label,
                                         "range": f.period.range_text, "as_of": as_of}), "article"))
    out.append(P.heading(w["sections"]["results"]))
    out += _sentences(f, figures, cmp)
    if cmp is not None:
        out.append(KeepTogether([Spacer(1, 4), shares_table(cmp)]))
        out.append(CondPageBreak(60 * mm))
        out.append(P.heading(w["sections"]["comparison"]))
        out.append(comparison_table(cmp))
        out.append(P.p(P.fill(w["sections"]["charts_note"], {}), "article"))
    phone = P.fill(w["lines"]["phone"], {"phone": f.office.worker_phone}) if f.office.worker_phone else ""
    if issue is not None:
        out.append(P.p(P.fill(w["lines"]["contact"], {"name": issue.made_by_name, "title": issue.made_by_title.lower(),
                                                       "phone": phone}), "article"))
    signer = P.Signer(list(w["signing"]), "", issue.signer_name if issue is not None else "")
    block = P.recipients_block(w["recipients"]["heading"], ["Như trên;"] + list(w["recipients"]["default"]))
    out.append(P.signatures(None, signer, left_block=block, keep_with=P.tail(out)))
    # the annex, on landscape pages
    st = _cell_styles()
    out.append(NextPageTemplate("landscape"))
    out.append(PageBreak())
    out.append(Paragraph(L.esc(w["sections"]["annex"]), st["annex_title"]))
    if issue is not None:
        out.append(Paragraph(L.esc(P.fill(w["sections"]["annex_note"], {
            "number": issue.number_text, "date": fmt_date(issue.report_date), "commune": commune})), st["annex_note"]))
    if cmp is not None:
        out += chart_grid(chart_data(figures, cmp.months))
    out += indicator_note()
    for t in tables:
        out += annex_table(t)
    return out


def chart_grid(charts) -> list[Flowable]:
    """The charts two by two on a landscape page."""
    st = _cell_styles()
    half = LAND_FRAME_WIDTH / 2
    cells = [drawing(c, half - 8, 180) for c in charts]
    if len(cells) % 2:
        cells.append(Spacer(1, 1))
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    grid = Table(rows, colWidths=[half, half], hAlign="LEFT")
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                              ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return [Paragraph(L.esc(wording()["sections"]["charts"]), st["table_title"]), grid]


def _page(canvas, doc) -> None:
    from .marks import draw_page_marks

    draw_page_marks(canvas, doc)
    if doc.page < 2:
        return
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setFont(fonts.REGULAR, 13)
    canvas.drawCentredString(L.MARGIN_LEFT + (width - L.MARGIN_LEFT - L.MARGIN_RIGHT) / 2,
                             height - L.MARGIN_TOP / 2 - 4, str(doc.page))
    canvas.restoreState()


def _landscape_page(canvas, doc) -> None:
    canvas.setPageSize(landscape(A4))
    doc.pagesize = landscape(A4)
    _page(canvas, doc)


def _portrait_page(canvas, doc) -> None:
    canvas.setPageSize(A4)
    doc.pagesize = A4
    _page(canvas, doc)


def build(f: ReportFacts, figures: dict[str, int], tables: list[layout.Table], *, issue=None,
          comparison: Comparison | None = None, office=None) -> bytes:
    """The report's PDF bytes (made in memory: nothing half-written)."""
    from .marks import office_marks

    fonts.register_fonts()
    buffer = io.BytesIO()
    title = P.fill(wording()["subject"], {"period_label": f.period.label})
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=L.MARGIN_LEFT, rightMargin=L.MARGIN_RIGHT,
                          topMargin=L.MARGIN_TOP, bottomMargin=L.MARGIN_BOTTOM, title=f"Báo cáo: {title}",
                          author="BVTE", subject=issue.number_text if issue is not None else "", creator="BVTE",
                          lang="vi-VN", initialFontName=fonts.REGULAR, initialFontSize=L.BODY_SIZE, initialLeading=18)
    portrait = Frame(L.MARGIN_LEFT, L.MARGIN_BOTTOM, L.FRAME_WIDTH, L.PAGE_HEIGHT - L.MARGIN_TOP - L.MARGIN_BOTTOM,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="portrait")
    land = Frame(L.MARGIN_LEFT, L.MARGIN_BOTTOM, LAND_FRAME_WIDTH, LAND_H - L.MARGIN_TOP - L.MARGIN_BOTTOM,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="landscape")
    doc.addPageTemplates([PageTemplate(id="portrait", frames=[portrait], onPage=_portrait_page, pagesize=A4),
                          PageTemplate(id="landscape", frames=[land], onPage=_landscape_page,
                                       pagesize=landscape(A4))])
    demo = type("O", (), {"is_demo": f.office.is_demo})()
    with office_marks(office if office is not None else demo):
        doc.build(story(f, figures, tables, issue, comparison, office))
    return buffer.getvalue()


# --- the province's summary of the communes' reports (bvte merge) -----------------------------------------
SUMMARY_COLUMNS = (
    ("tong_hop.tiep_nhan.so_truong_hop.tong", "Trường hợp tiếp nhận"),
    ("tong_hop.tiep_nhan.so_tre_em.tong", "Số trẻ em"),
    ("tong_hop.khan_cap.can_khan_cap.tong", "Cần can thiệp khẩn cấp"),
    ("tong_hop.khan_cap.dung_12_gio.tong", "Trong 12 giờ"),
    ("tong_hop.ke_hoach.phe_duyet.tong", "Kế hoạch phê duyệt"),
    ("tong_hop.ke_hoach.tre_han.tong", "Kế hoạch trễ hạn"),
    ("tong_hop.ho_so.mo_cuoi_ky.tong", "Hồ sơ còn mở cuối kỳ"),
    ("hcdb.nhom.tong.tong", "Trẻ em có HCĐB"),
)


def commune_table(result) -> Table:
    from models.reports.compare import attention

    head = ["STT", "Xã, phường, đặc khu"] + [label for _k, label in SUMMARY_COLUMNS] + ["Cần chú ý"]
    rows: list[list] = [[_c(h, "head") for h in head]]
    for n, f in enumerate(result.accepted, start=1):
        rows.append([_c(str(n), "center"), _c(f.commune)]
                    + [_c(_n(f.figures.get(k, 0)), "num") for k, _l in SUMMARY_COLUMNS]
                    + [_c(attention(f.figures), "label")])
    rows.append([_c(""), _c("TOÀN TỈNH", "label_bold")]
                + [_c(_n(result.totals.get(k, 0)), "num_bold") for k, _l in SUMMARY_COLUMNS] + [_c("")])
    widths = [11 * mm, 45 * mm] + [17 * mm] * len(SUMMARY_COLUMNS)
    widths.append(LAND_FRAME_WIDTH - sum(widths))
    return _grid(rows, widths)


def missing_part(result) -> list[Flowable]:
    """"Xã chưa gửi báo cáo": the communes of the province's list with no report merged (or why it is unknown)."""
    st = _cell_styles()
    exp = getattr(result, "expected", None)
    if exp is None:
        return [Paragraph(L.esc("Chưa có danh sách xã của tỉnh: chưa xác định được xã nào chưa gửi báo cáo."),
                          st["note"])]
    out: list[Flowable] = [CondPageBreak(30 * mm), Paragraph(
        L.esc(f"Xã chưa gửi báo cáo: {len(result.missing)}/{len(exp.names)} xã trong danh sách của tỉnh"),
        st["table_title"])]
    if result.missing:
        rows = [[_c("STT", "head"), _c("Xã, phường, đặc khu", "head"), _c("Ghi chú", "head")]]
        rows += [[_c(str(n), "center"), _c(m.name), _c(m.note or "Chưa nhận được báo cáo")]
                 for n, m in enumerate(result.missing, start=1)]
        widths = [11 * mm, 80 * mm]
        widths.append(LAND_FRAME_WIDTH - sum(widths))
        out.append(_grid(rows, widths))
    else:
        out.append(Paragraph(L.esc("Tất cả các xã trong danh sách đã gửi báo cáo."), st["note"]))
    if result.unlisted:
        out.append(Paragraph(L.esc("Xã đã tổng hợp nhưng không có trong danh sách của tỉnh: "
                                   + ", ".join(result.unlisted) + "."), st["note"]))
    if exp.bad_rows:
        out.append(Paragraph(L.esc(f"{len(exp.bad_rows)} dòng của danh sách xã không dùng được (xem tệp tổng hợp)."),
                             st["note"]))
    return out


def province_summary(result, tables: list[layout.Table], made_at) -> bytes:
    """A PDF for the province: every commune's key figures (and what needs attention), the charts over the
    sums, and the province's tables. A working summary, not an issued document: no number, no signature."""
    from models.reports.compare import charts as chart_list

    fonts.register_fonts()
    st = _cell_styles()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=landscape(A4), leftMargin=L.MARGIN_LEFT, rightMargin=L.MARGIN_RIGHT,
                          topMargin=L.MARGIN_TOP, bottomMargin=L.MARGIN_BOTTOM, author="BVTE", creator="BVTE",
                          title=f"Tổng hợp báo cáo bảo vệ trẻ em {result.period_label}", lang="vi-VN",
                          initialFontName=fonts.REGULAR, initialFontSize=L.BODY_SIZE, initialLeading=18)
    land = Frame(L.MARGIN_LEFT, L.MARGIN_BOTTOM, LAND_FRAME_WIDTH, LAND_H - L.MARGIN_TOP - L.MARGIN_BOTTOM,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="landscape")
    doc.addPageTemplates([PageTemplate(id="landscape", frames=[land], onPage=_landscape_page,
                                       pagesize=landscape(A4))])
    from models.reports.compare import attention

    flagged = sum(1 for f in result.accepted if attention(f.figures))
    story: list[Flowable] = [
        Paragraph(L.esc("TỔNG HỢP BÁO CÁO KẾT QUẢ CÔNG TÁC BẢO VỆ TRẺ EM CỦA CÁC XÃ, PHƯỜNG, ĐẶC KHU"),
                  st["annex_title"]),
        Paragraph(L.esc(f"Kỳ báo cáo: {result.period_range}; {len(result.accepted)} xã, phường, đặc khu; lập lúc "
                        f"{fmt_datetime(made_at)}. {flagged} xã cần chú ý (trường hợp khẩn cấp quá 12 giờ hoặc chưa "
                        "có biện pháp, kế hoạch trễ hạn)."), st["annex_note"]),
        Paragraph(L.esc("1. Các xã, phường, đặc khu"), st["table_title"]),
        commune_table(result),
    ]
    if result.problems:
        story.append(Paragraph(L.esc(f"{len(result.problems)} tệp không được đưa vào tổng hợp: "
                                     + "; ".join(f"{p.path.name} ({p.message})" for p in result.problems)),
                               st["note"]))
    story += missing_part(result)
    story.append(CondPageBreak(90 * mm))
    grid = chart_grid(chart_list(result.totals, None))
    grid[0] = Paragraph(L.esc("2. Biểu đồ (toàn tỉnh)"), st["table_title"])
    story += grid
    story += [CondPageBreak(70 * mm), Paragraph(L.esc("3. Số liệu toàn tỉnh"), st["table_title"])]
    story += indicator_note()
    for t in tables:
        story += annex_table(t)
    doc.build(story)
    return buffer.getvalue()
