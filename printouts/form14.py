"""Mẫu số 14 — Danh sách trẻ em tại cơ sở trợ giúp xã hội cần tìm cá nhân, gia đình nhận chăm sóc thay thế (NĐ 56
Điều 45.1): the facility's list as entered (every child of the same facility and list date). Wording:
resources/forms/mau14.json (not the decree's text). `render(facility_child, office, out)`; `render_blank`."""
from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy import select
from sqlalchemy.orm import object_session

from models.care_entities import FacilityChild
from models.entities import Office

from . import admin_layout as L
from . import care_layout as C
from . import process_layout as P

FORM = "14"
GENDERS = {"nam": "Nam", "nu": "Nữ"}


def _story(rows: list[FacilityChild] | None) -> list[Flowable]:
    s = P.spec(FORM)
    first = rows[0] if rows else None
    story: list[Flowable] = [*P.title(s["title"])]
    story += [P.label_value(s["facility"], first.facility_name), P.label_value(s["list_date"], P.fmt_day(first.list_date))] \
        if first else P.label_dots(s["facility"]) + P.label_dots(s["list_date"])
    table = [P.head_cells(s["columns"])]
    for i, fc in enumerate(rows or [], start=1):
        table.append([P.cell(str(i)), P.cell(fc.child.full_name), P.cell(C.child_birth(fc.child)),
                      P.cell(GENDERS.get(fc.child.gender, "Chưa rõ")), P.cell(P.fmt_day(fc.entered_facility_on)),
                      P.cell(L.clean(fc.situation)), P.cell(L.clean(fc.note))])
    if not rows:
        table += [[P.cell("") for _ in s["columns"]] for _ in range(8)]
    w = L.FRAME_WIDTH
    story.append(P.grid(table, [w * 0.06, w * 0.22, w * 0.15, w * 0.09, w * 0.15, w * 0.21, w * 0.12]))
    right = s["signatures"]["right"].split("\n")
    story.append(P.signatures(None, P.Signer(right[:1], right[1] if len(right) > 1 else ""), keep_with=P.tail(story)))
    return story


def render(fc: FacilityChild, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    session = object_session(fc)
    rows = list(session.scalars(select(FacilityChild).where(FacilityChild.facility_name == fc.facility_name,
                                                            FacilityChild.list_date == fc.list_date)
                                .order_by(FacilityChild.id))) if session is not None else [fc]
    P.Doc(_story(rows), P.metadata(FORM), P.outline_title(FORM, fc.facility_name)).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    P.Doc(_story(None), P.metadata(FORM), P.outline_title(FORM)).build(out)
