"""Mẫu số 09 — Danh sách cá nhân, gia đình đăng ký nhận chăm sóc thay thế (NĐ 56 Điều 40.1), the commune's list
sent to the level above every quarter, printed from a models.services.carers.CarerList (the carers verified
eligible by a confirmed Mẫu 11; those still waiting are not sent: see mau09.json "basis").

Wording: resources/forms/mau09.json (not the decree's text; the paper does not print "Mẫu số 09"). The same rows
go into the workbook (models/reports/carer_list.py).
"""
from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from models.entities import Office
from models.services.carers import sheet_cells

from . import admin_layout as L
from . import process_layout as P

FORM = "09"
WIDTHS = [11, 29, 17, 18, 32, 30, 28]  # mm, 165 = the frame's width


def _spec() -> dict[str, Any]:
    return P.spec(FORM)


def row_cells(row, number: int) -> list[str]:
    """One carer as the printed list shows it (mau09.json "columns": the same facts, fewer columns)."""
    c = sheet_cells(row, number)
    join = lambda *xs: "\n".join(x for x in xs if x)  # noqa: E731
    return [c[0], c[1], join(c[2], c[3]), c[4], join(c[5], c[6]), c[7], join(c[8], c[9])]


def _story(the_list, office: Office | None) -> list[Flowable]:
    s = _spec()
    filled = the_list is not None
    story: list[Flowable] = [*P.form_code(FORM)]
    agency = P.agency_of(office) or f"{P.spec('04')['header']['agency']} {L.WRITE_GAP}"
    number = f"{L.WRITE_GAP}/{s['header']['number_kind']}-{P.abbrev_of(office)}"
    story.append(L.header_block(agency, L.number_line(number), P.place_date(office, the_list.made_on if filled else None)))
    values = {"quarter": str(the_list.quarter), "year": str(the_list.year)} if filled else None
    story += P.title(s["title"], P.fill(s["subtitle"], values))
    recipient = (the_list.recipient if filled else "") or s["default_recipient"]
    story.append(P.p(P.fill(s["recipient_line"], {"recipient": recipient}), "centre_bold"))
    rows = [P.head_cells(s["columns"])]
    body = [row_cells(r, i) for i, r in enumerate(the_list.rows, start=1)] if filled \
        else [[""] * len(s["columns"]) for _ in range(s["blank_rows"])]
    for cells in body:
        rows.append([[P.cell(line, "cell_center" if i in (0, 2, 6) else "cell") for line in (c.split("\n") or [""])]
                     for i, c in enumerate(cells)])
    story.append(P.grid(rows, [w * mm for w in WIDTHS],
                        min_heights=None if filled else [0] + [9 * mm] * len(body)))
    if filled:
        story.append(P.p(s["total"].format(n=len(the_list.rows)) if the_list.rows else s["empty"], "body_left"))
    sig = s["signatures"]
    left = P.Signer([sig["left"]["title"]], sig["left"]["note"], "")
    right = P.Signer(list(sig["right"]["lines"]), sig["right"]["note"], "")
    story.append(P.signatures(left, right, keep_with=P.tail(story)))
    return story


def document(the_list, office: Office | None = None) -> P.Doc:
    return P.Doc(_story(the_list, office), P.metadata(FORM, f"Quý {the_list.quarter}/{the_list.year}"),
                 P.outline_title(FORM, f"quý {the_list.quarter}/{the_list.year}"))


def render(the_list, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(the_list, office).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    P.Doc(_story(None, office), P.metadata(FORM), P.outline_title(FORM)).build(out)
