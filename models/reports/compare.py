"""Comparisons, shares and chart data of the period report: one source for the workbook, the PDF and the window.

* the previous period: as long as this one, just before it ("6 tháng đầu năm 2026" → 01/07/2025–31/12/2025;
  whole months are shifted by months, other ranges by days);
* the same period last year (for a year report it is the previous period itself: shown once);
* shares (resources/report_layouts/report.json "shares"): part / whole of two figures, None when the whole is 0;
* charts ("charts"): categories and series of figures, or the cases received month by month.

The figures of another period are counted exactly as an export of that period would count them (the same
`collect` and layouts; the state at that period's end).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from . import layout
from .facts import ReportFacts, Source, collect
from .period import Period


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    n = d.year * 12 + d.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def _whole_months(p: Period) -> int | None:
    if p.start.day != 1 or p.end != _month_end(p.end.year, p.end.month):
        return None
    return (p.end.year - p.start.year) * 12 + p.end.month - p.start.month + 1


def _range(start: date, end: date) -> Period:
    return Period(f"{start.isoformat()}:{end.isoformat()}", start, end,
                  f"từ {start.day:02d}/{start.month:02d}/{start.year} đến {end.day:02d}/{end.month:02d}/{end.year}")


def previous_period(p: Period) -> Period:
    months = _whole_months(p)
    if months:
        start = _add_months(p.start, -months)
        end = p.start - timedelta(days=1)
    else:
        days = (p.end - p.start).days + 1
        end = p.start - timedelta(days=1)
        start = end - timedelta(days=days - 1)
    return _range(start, end)


def _minus_year(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29/02
        return d.replace(year=d.year - 1, day=28)


def same_period_last_year(p: Period) -> Period:
    start, end = _minus_year(p.start), _minus_year(p.end)
    if _whole_months(p):
        end = _month_end(end.year, end.month)
    return _range(start, end)


def tables_of(facts: ReportFacts) -> dict[str, list[layout.Table]]:
    """The report's table sheets (every one but the list of cases) counted from the facts, by sheet name."""
    return {sheet: layout.evaluate(sheet, facts.measures, facts.groups)
            for sheet in layout.report_definition()["sheets"] if sheet != "danh_sach"}


def figures_of(facts: ReportFacts, tables: dict[str, list[layout.Table]] | None = None) -> dict[str, int]:
    """Every figure of the report's table sheets (the keys of the hidden sheet); `tables`: tables_of(facts)
    when already counted."""
    out: dict[str, int] = {}
    for sheet_tables in (tables if tables is not None else tables_of(facts)).values():
        for t in sheet_tables:
            out.update(t.figures())
    return out


@dataclass
class Column:
    """One period's figures: this one, the previous period, the same period last year."""
    heading: str  # "Kỳ này", "Kỳ trước", "Cùng kỳ năm trước"
    period: Period
    figures: dict[str, int]


@dataclass
class Comparison:
    current: Column
    others: list[Column] = field(default_factory=list)
    months: list[tuple[int, int]] = field(default_factory=list)  # (yyyymm, cases received)

    def items(self) -> list[dict]:
        return layout.report_definition().get("merge_columns", [])

    def share(self, spec: dict, figures: dict[str, int]) -> tuple[int, int, float | None]:
        part, whole = int(figures.get(spec["part"], 0)), int(figures.get(spec["whole"], 0))
        return part, whole, (part / whole if whole else None)

    def shares(self) -> list[dict]:
        return layout.report_definition().get("shares", [])


def months_of(facts: ReportFacts) -> list[tuple[int, int]]:
    """Cases received in each month of the period (every month listed, a month without cases as 0)."""
    counts: dict[int, int] = {}
    for rec in facts.measures.get("ho_so", []):
        counts[rec["month"]] = counts.get(rec["month"], 0) + 1
    last = min(facts.period.end, facts.made_at.date()) if facts.made_at.date() >= facts.period.start else facts.period.end
    out, d = [], date(facts.period.start.year, facts.period.start.month, 1)
    while d <= last:
        key = d.year * 100 + d.month
        out.append((key, counts.get(key, 0)))
        d = _add_months(d, 1)
    return out


def month_label(key: int) -> str:
    return f"{key % 100:02d}/{key // 100}"


def build(session, facts: ReportFacts, figures: dict[str, int] | None = None, *,
          at: datetime | None = None, source: Source | None = None) -> Comparison:
    """This period's figures beside the previous period's and the same period last year's. `source`: the rows
    `collect` read for this period in this session (read again when not given)."""
    source = source if source is not None else Source(session)
    at = at or facts.made_at
    current = Column("Kỳ này", facts.period, figures if figures is not None else figures_of(facts))
    cmp = Comparison(current, months=months_of(facts))
    prev = previous_period(facts.period)
    last_year = same_period_last_year(facts.period)
    cmp.others.append(Column("Kỳ trước", prev, figures_of(collect(session, prev, at=at, with_list=False, source=source))))
    if (last_year.start, last_year.end) != (prev.start, prev.end):
        last = collect(session, last_year, at=at, with_list=False, source=source)
        cmp.others.append(Column("Cùng kỳ năm trước", last_year, figures_of(last)))
    else:
        cmp.others[0].heading = "Kỳ trước (cùng kỳ năm trước)"
    return cmp


# -- charts ------------------------------------------------------------------------------------------------
@dataclass
class Chart:
    id: str
    title: str
    categories: list[str]
    series: list[tuple[str, list[int]]]
    horizontal: bool = False
    stacked: bool = False

    @property
    def empty(self) -> bool:
        return not any(v for _n, values in self.series for v in values)


def charts(figures: dict[str, int], months: list[tuple[int, int]] | None) -> list[Chart]:
    """The charts of report.json over these figures (`months` None: no month chart, e.g. the province's sums)."""
    out = []
    for spec in layout.report_definition().get("charts", []):
        if spec.get("source") == "months":
            if months is None:
                continue
            out.append(Chart(spec["id"], spec["title"], [month_label(k) for k, _n in months],
                             [(spec.get("series_name", "Số lượng"), [n for _k, n in months])]))
            continue
        series = [(s["name"], [int(figures.get(k, 0)) if k else 0 for k in s["keys"]]) for s in spec["series"]]
        out.append(Chart(spec["id"], spec["title"], list(spec["categories"]), series,
                         bool(spec.get("horizontal")), bool(spec.get("stacked"))))
    return out


def change_words(now: int, before: int) -> str:
    """'tăng 3', 'giảm 2', 'bằng' (for sentences)."""
    if now > before:
        return f"tăng {now - before}"
    if now < before:
        return f"giảm {before - now}"
    return "không đổi"


def percent(value: float | None) -> str:
    """'66,7%' (Vietnamese decimal comma); '—' when there is nothing to divide."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}".replace(".", ",") + "%"


def attention(figures: dict[str, int]) -> str:
    """What a province official looks for in a commune's figures: limits missed ('' when none)."""
    g = lambda key: int(figures.get(key, 0))
    notes = []
    late_emergency = g("tong_hop.khan_cap.qua_12_gio.tong") + g("tong_hop.khan_cap.chua_ap_dung.tong")
    if late_emergency:
        notes.append(f"{late_emergency} trường hợp khẩn cấp quá 12 giờ hoặc chưa có biện pháp")
    if g("tong_hop.ke_hoach.tre_han.tong"):
        notes.append(f"{g('tong_hop.ke_hoach.tre_han.tong')} kế hoạch trễ hạn")
    return "; ".join(notes)
