"""The period report's charts as reportlab drawings: a flowable in the PDF, an SVG in the window.

Every string is drawn in the embedded serif (never reportlab's default Helvetica, which is not embedded and
has no Vietnamese letters).
"""
from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from models.reports.compare import Chart

from . import fonts

PALETTE = [colors.HexColor("#2F5597"), colors.HexColor("#C55A11"), colors.HexColor("#7F7F7F"),
           colors.HexColor("#548235"), colors.HexColor("#BF9000")]
FONT_SIZE = 12


def _step(top: int) -> int:
    if top <= 5:
        return 1
    raw = top / 5
    power = 10 ** int(math.floor(math.log10(raw)))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return int(m * power)
    return int(10 * power)


def _label(value) -> str:
    return "" if not value else f"{int(value):,}".replace(",", ".")


def drawing(chart: Chart, width: float, height: float | None = None, *, title: bool = True) -> Drawing:
    fonts.register_fonts()
    categories, chart_title = list(chart.categories), chart.title
    years = {c[3:] for c in categories if len(c) == 7 and c[2] == "/"}
    if not chart.horizontal and len(categories) > 6 and len(years) == 1 and all(len(c) == 7 for c in categories):
        # twelve "MM/YYYY" labels do not fit side by side at a readable size: "Tháng" numbers, the year in the title
        categories = [str(int(c[:2])) for c in categories]
        chart_title = f"{chart.title} (tháng, năm {years.pop()})"
    n_cat = max(len(categories), 1)
    from reportlab.lib.utils import simpleSplit

    title_lines = simpleSplit(chart_title, fonts.BOLD, FONT_SIZE, width - 4) if title else []
    title_h = 15 * len(title_lines) + (6 if title_lines else 0)
    if height is None:
        height = (60 + 26 * n_cat) if chart.horizontal else 200
        height += title_h
        height += _legend_rows(chart, width) * 16 + 4 if len(chart.series) > 1 else 0
    d = Drawing(width, height)
    d.initialFontName, d.initialFontSize = fonts.REGULAR, FONT_SIZE  # never the unembedded Helvetica
    top = height - (title_h or 4)
    for i, line in enumerate(title_lines):  # wrapped inside the drawing's width
        d.add(String(width / 2, height - 12 - 15 * i, line, fontName=fonts.BOLD, fontSize=FONT_SIZE,
                     textAnchor="middle"))
    rows = _legend_rows(chart, width)
    legend_h = rows * 16 + 4 if len(chart.series) > 1 else 0
    totals = [sum(values[i] for _n, values in chart.series) if chart.stacked
              else max((values[i] for _n, values in chart.series), default=0) for i in range(len(chart.categories))]
    vmax = max(totals, default=0)
    step = _step(vmax)
    vtop = max(step, math.ceil(vmax * 1.12 / step) * step)
    if chart.horizontal:
        label_w = min(width * 0.38, max(fonts_width(c) for c in categories) + 12 if categories else 40)
        bc = HorizontalBarChart()
        bc.x, bc.y = label_w, legend_h + 22
        bc.width, bc.height = width - label_w - 20, top - bc.y - 6
        axis_cat, axis_val = bc.categoryAxis, bc.valueAxis
        axis_cat.reverseDirection = 1  # first category on top, as in the table
    else:
        bc = VerticalBarChart()
        bc.x, bc.y = 36, legend_h + 30
        bc.width, bc.height = width - 50, top - bc.y - 6
        axis_cat, axis_val = bc.categoryAxis, bc.valueAxis
    bc.data = [list(values) or [0] for _n, values in chart.series]
    axis_cat.categoryNames = categories or [""]
    axis_cat.labels.fontName = fonts.REGULAR
    axis_cat.labels.fontSize = FONT_SIZE - 1
    axis_val.labels.fontName = fonts.REGULAR
    axis_val.labels.fontSize = FONT_SIZE - 1
    axis_val.valueMin, axis_val.valueMax, axis_val.valueStep = 0, vtop, step
    axis_val.labelTextFormat = lambda v: f"{int(v):,}".replace(",", ".")
    if chart.stacked:
        axis_cat.style = "stacked"
    bc.barLabelFormat = _label
    bc.barLabels.fontName = fonts.REGULAR
    bc.barLabels.fontSize = FONT_SIZE - 1
    bc.barLabels.nudge = 0 if chart.stacked else 7
    if chart.stacked:
        bc.barLabels.fillColor = colors.white
        bc.barLabels.boxTarget = "mid"
    for i in range(len(chart.series)):
        bc.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        bc.bars[i].strokeColor = None
    d.add(bc)
    if len(chart.series) > 1:
        lg = Legend()
        lg.fontName, lg.fontSize = fonts.REGULAR, FONT_SIZE - 1
        lg.alignment = "right"
        lg.columnMaximum = rows  # as many rows as the entries need to stay inside the drawing
        lg.deltax = _legend_entry(chart)
        lg.deltay = 16
        lg.dx = lg.dy = 8
        lg.x, lg.y = 8, legend_h - 2
        lg.colorNamePairs = [(PALETTE[i % len(PALETTE)], name) for i, (name, _v) in enumerate(chart.series)]
        d.add(lg)
    if chart.empty:
        d.add(String(bc.x + bc.width / 2, bc.y + bc.height / 2, "Không có trường hợp nào trong kỳ",
                     fontName=fonts.ITALIC, fontSize=FONT_SIZE, textAnchor="middle"))
    return d


def _legend_entry(chart: Chart) -> float:
    return max(fonts_width(n) for n, _v in chart.series) + 30


def _legend_rows(chart: Chart, width: float) -> int:
    per_row = max(1, int((width - 16) // _legend_entry(chart)))
    return -(-len(chart.series) // per_row)


def fonts_width(text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts.register_fonts()
    return stringWidth(text, fonts.REGULAR, FONT_SIZE - 1)


def svg(chart: Chart, width: float = 480, height: float | None = None) -> bytes:
    """The drawing as SVG (shown in the window with QtSvg)."""
    from reportlab.graphics import renderSVG

    return renderSVG.drawToString(drawing(chart, width, height)).encode("utf-8")
