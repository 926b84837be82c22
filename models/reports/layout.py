"""Sheet layouts as data (resources/report_layouts/*.json) and their evaluation against the facts.

A table ("section") counts the rows of one measure of models.reports.facts; each of its rows and columns
carries a `where` filter, and a cell counts the measure's rows matching both (or distinct values of
`distinct`). `sum_of` makes a row or column the sum of others. A province's template is matched by
editing these files: labels, order, which rows and columns exist and what each counts.

Filter values: a scalar (equal, or contained when the fact is a list), a list (any of), null (no value or
an empty list), {"min": a, "below": b} (a ≤ x < b, either bound optional; a missing value never matches).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any
from ..errors import UserError


class LayoutError(UserError, ValueError):
    pass


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """One layout file by name (without .json), parsed."""
    try:
        text = resources.files("resources").joinpath("report_layouts", f"{name}.json").read_text(encoding="utf-8")
        return json.loads(text)
    except (FileNotFoundError, ValueError) as exc:
        raise LayoutError(f"Không đọc được tệp bố cục báo cáo {name}.json: {exc}") from exc


def report_definition() -> dict:
    return load("report")


def indicators() -> dict:
    """The indicator-code column's heading and the note saying which codes are still to be completed."""
    return {"column": "Mã chỉ tiêu (TT 13/2021)", "note": "", **report_definition().get("indicators", {})}


def indicator_codes(sheet_names: list[str] | None = None) -> dict[str, str]:
    """figure row key ("tong_hop.tiep_nhan.so_tre_em_bi_xam_hai") → indicator code, for the rows that have one."""
    from .facts import special_groups_data

    names = sheet_names or [n for n in report_definition()["sheets"] if n != "danh_sach"]
    return {f"{t.sheet}.{t.id}.{r.id}": r.indicator for n in names for t in tables(n, special_groups_data())
            for r in t.rows if r.indicator}


def layout_key() -> str:
    d = report_definition()
    return f"{d['id']}@{d['version']}"


# -- filters -------------------------------------------------------------------------------------------
def _match_one(value: Any, want: Any) -> bool:
    if want is None:
        return value is None or value == [] or value == ""
    if isinstance(want, dict):
        if value is None or isinstance(value, (list, bool)):
            return False
        lo, hi = want.get("min"), want.get("below")
        return (lo is None or value >= lo) and (hi is None or value < hi)
    if isinstance(want, list):
        return any(_match_one(value, w) for w in want)
    if isinstance(value, list):
        return want in value
    return value == want


def matches(row: dict, where: dict | None) -> bool:
    return all(_match_one(row.get(k), w) for k, w in (where or {}).items())


def count(rows: list[dict], where: dict | None, distinct: str | None) -> int:
    hit = [r for r in rows if matches(r, where)] if where else rows
    if distinct:
        return len({r.get(distinct) for r in hit})
    return len(hit)


# -- sections ------------------------------------------------------------------------------------------
@dataclass
class Column:
    id: str
    label: str
    group: str = ""
    where: dict | None = None
    sum_of: list[str] = field(default_factory=list)


@dataclass
class Row:
    id: str | None  # None for a heading
    label: str
    where: dict | None = None
    measure: str | None = None
    distinct: str | None = None
    sum_of: list[str] = field(default_factory=list)
    bold: bool = False
    indent: int = 0
    indicator: str = ""  # the national indicator code (Thông tư 13/2021/TT-BLĐTBXH), "" when not verified

    @property
    def heading(self) -> bool:
        return self.id is None


@dataclass
class Table:
    sheet: str
    id: str
    title: str
    unit: str
    note: str
    columns: list[Column]
    rows: list[Row]
    values: dict[tuple[str, str], int] = field(default_factory=dict)  # (row id, column id) → figure

    def key(self, row: str, col: str) -> str:
        return f"{self.sheet}.{self.id}.{row}.{col}"

    def figures(self) -> dict[str, int]:
        return {self.key(r, c): v for (r, c), v in self.values.items()}


def _fill(template: Any, subst: dict) -> Any:
    if isinstance(template, str):
        out = template.format(**subst)
        return int(out) if template in ("{n}",) else out
    if isinstance(template, dict):
        return {k: _fill(v, subst) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, subst) for v in template]
    return template


def _expand_rows(raw_rows: list[dict], groups: list[dict]) -> list[dict]:
    out: list[dict] = []
    for r in raw_rows:
        if r.get("rows_from") == "special_groups":
            for g in groups:
                subst = {"code": g["code"], "title": g["title"]}
                out.append(_fill(r["group_row"], subst))
                subs = g.get("subgroups", [])
                for s in subs:
                    out.append(_fill(r["subgroup_row"], {**subst, "n": s["n"], "text": s["text"]}))
                if len(subs) > 1 and r.get("unknown_row"):
                    out.append(_fill(r["unknown_row"], subst))
        else:
            out.append(r)
    return out


def tables(sheet_name: str, groups: list[dict] | None = None) -> list[Table]:
    """The tables of a sheet layout, without figures."""
    sheet = load(sheet_name)
    sets = sheet.get("column_sets", {})
    result = []
    for sec in sheet["sections"]:
        raw_cols = sec["columns"]
        if isinstance(raw_cols, str):
            raw_cols = sets[raw_cols]
        cols = [Column(c["id"], c["label"], c.get("group", ""), c.get("where"), c.get("sum_of", [])) for c in raw_cols]
        rows = []
        for r in _expand_rows(sec["rows"], groups or []):
            if "heading" in r:
                rows.append(Row(None, r["heading"], bold=True))
                continue
            rows.append(Row(str(r["id"]), r["label"], r.get("where"), r.get("measure", sec.get("measure")),
                            r.get("distinct", sec.get("distinct")), r.get("sum_of", []), r.get("bold", False),
                            r.get("indent", 0), str(r.get("indicator") or "")))
        result.append(Table(sheet_name, sec["id"], sec.get("title", ""), sec.get("unit", ""), sec.get("note", ""),
                            cols, rows))
    return result


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def _filtered(cache: dict, measure: str, rows: list[dict], where: dict) -> list[dict]:
    """Rows matching `where`, one condition at a time, each step cached (rows sharing a first condition,
    like the sub-groups of one group, filter the whole measure only once)."""
    key: tuple = (measure,)
    current = rows
    for k, w in where.items():
        key += ((k, json.dumps(w, sort_keys=True, ensure_ascii=False)),)
        if key not in cache:
            cache[key] = [r for r in current if _match_one(r.get(k), w)]
        current = cache[key]
    return current


def evaluate(sheet_name: str, measures: dict[str, list[dict]], groups: list[dict] | None = None) -> list[Table]:
    """The sheet's tables with every figure counted from the measures."""
    out = tables(sheet_name, groups)
    cache: dict[tuple, list[dict]] = {}
    col_cache: dict[tuple, dict[int, list[int]]] = {}
    for t in out:
        for row in t.rows:
            if row.heading or row.sum_of:
                continue
            if not row.measure:
                raise LayoutError(f"Hàng {row.id} của bảng {t.id} không có 'measure'.")
            hit = _filtered(cache, row.measure, measures.get(row.measure, []), row.where or {})
            plain = [(i, col) for i, col in enumerate(t.columns) if not col.sum_of]
            attrs = sorted({k for _i, col in plain for k in (col.where or {})})
            sig = col_cache.setdefault((t.id, row.measure), {})
            buckets: list = [set() if row.distinct else 0 for _ in plain]
            for rec in hit:  # which columns a kind of record falls in is worked out once per table
                key = tuple(_hashable(rec.get(a)) for a in attrs)
                cols = sig.get(key)
                if cols is None:
                    cols = sig[key] = [j for j, (_i, col) in enumerate(plain) if matches(rec, col.where)]
                if row.distinct:
                    value = rec.get(row.distinct)
                    for j in cols:
                        buckets[j].add(value)
                else:
                    for j in cols:
                        buckets[j] += 1
            for j, (_i, col) in enumerate(plain):
                t.values[(row.id, col.id)] = len(buckets[j]) if row.distinct else buckets[j]
            for col in t.columns:
                if col.sum_of:
                    t.values[(row.id, col.id)] = sum(t.values[(row.id, c)] for c in col.sum_of)
        for row in t.rows:
            if row.sum_of:
                for col in t.columns:
                    t.values[(row.id, col.id)] = sum(t.values[(r, col.id)] for r in row.sum_of)
    return out


def from_figures(sheet_name: str, figures: dict[str, float], groups: list[dict] | None = None) -> list[Table]:
    """The sheet's tables filled from flattened figures (the receiving side's sums)."""
    out = tables(sheet_name, groups)
    for t in out:
        for row in t.rows:
            if row.heading:
                continue
            for col in t.columns:
                t.values[(row.id, col.id)] = figures.get(t.key(row.id, col.id), 0)
    return out
