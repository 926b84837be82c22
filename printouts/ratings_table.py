"""The Cao / Trung bình / Thấp rating tables of Mẫu 03 (part 2) and Mẫu 06 (part 1).

Each row: the item ("1. Đánh giá mức độ trẻ em bị tổn hại") and the printed explanation of each level, one
level a line with its check box, the chosen level marked ■ and in bold. Last row: the form's "Tổng số"
label and the counts COMPUTED from the ratings (models.process_rules), never typed.
"""
from __future__ import annotations

from typing import Any, Mapping

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from models import process_rules as rules

from . import admin_layout as L
from . import process_layout as P

ITEM_WIDTH = 68 * mm


def _level_lines(form: str, item: Mapping[str, Any], chosen: str | None) -> list[Flowable]:
    labels = P.spec(form)["levels"]
    out = []
    keys = [k for k in rules.LEVELS if k in item["levels"]]
    for i, key in enumerate(keys):
        end = "." if i == len(keys) - 1 else ";"
        text = f"{labels[key]} ({L.clean(item['levels'][key]).strip()}){end}"
        on = chosen == key
        body = f"<b>{L.esc(text)}</b>" if on else L.esc(text)
        out.append(P.cell_markup(f"{P.mark(on)}&nbsp;{body}"))
    return out


def counts_text(form: str, counts: Mapping[str, int] | None) -> str:
    """"Cao: 3 Trung bình: 1 Thấp: 1" (markup), or with dotted gaps on a blank form."""
    labels = P.spec(form)["levels"]
    parts = []
    for key in rules.LEVELS:
        number = f"<b>{counts[key]}</b>" if counts is not None else L.WRITE_GAP
        parts.append(f"{L.esc(labels[key])}: {number}")
    return "&nbsp;&nbsp;&nbsp; ".join(parts)


def rating_table(form: str, table: Mapping[str, Any], ratings: Mapping[str, str] | None) -> list[Flowable]:
    """One table with its heading ("a) Đánh giá mức độ tổn hại"); ratings=None prints it blank."""
    rows: list[list[Any]] = [P.head_cells(table["columns"])]
    for item in table["items"]:
        chosen = ratings.get(item["id"]) if ratings is not None else None
        rows.append([P.cell(f"{item['number']}. {L.clean(item['text']).strip()}"), _level_lines(form, item, chosen)])
    counts = rules.count_levels(ratings, table["items"]) if ratings is not None else None
    rows.append([P.cell(table["total_label"], "cell_bold"), P.cell_markup(counts_text(form, counts))])
    widths = [ITEM_WIDTH, L.FRAME_WIDTH - ITEM_WIDTH]
    return [*P.table_heading(table["heading"]), P.grid(rows, widths), Spacer(1, 6)]


def rating_tables(form: str, ratings: Mapping[str, Mapping[str, str]] | None) -> list[Flowable]:
    out: list[Flowable] = []
    for table in rules.rating_tables(form):
        given = None if ratings is None else (ratings.get(table["id"]) or {})
        out.extend(rating_table(form, table, given))
    return out
