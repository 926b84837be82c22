"""Mẫu số 10 — Đánh giá tình trạng, nhu cầu, nguyện vọng của trẻ em cần chăm sóc thay thế (NĐ 56 Điều 38.3, 42.1),
with the child's file of Điều 38.3 as it stands on the day of printing. Wording: resources/forms/mau10.json (not the
decree's text). `render(care_need, office, out)`; `render_blank(office, out)`."""
from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from models.care_entities import CareNeed
from models.clock import today
from models.entities import Office
from models.services import care_need as needs

from . import admin_layout as L
from . import care_layout as C
from . import process_layout as P

FORM = "10"
GENDERS = {"nam": "Nam", "nu": "Nữ"}


def _story(need: CareNeed | None, office: Office | None) -> list[Flowable]:
    s = P.spec(FORM)
    filled = need is not None
    story: list[Flowable] = [C.report_header(office, need.assessed_on if filled else None), *P.title(s["title"])]
    child = need.child if filled else None
    fields = [("Họ và tên trẻ em", child.full_name if child else None), ("Ngày sinh", C.child_birth(child) if child else None),
              ("Giới tính", GENDERS.get(child.gender, "Chưa rõ") if child else None),
              ("Nơi ở", C.child_address(child, office) if child else None),
              ("Người đánh giá", need.assessor if filled else None),
              ("Ngày đánh giá", P.fmt_day(need.assessed_on) if filled else None),
              ("Trẻ em đến từ", s["sources"].get(need.source, "") if filled else None)]
    for label, text in fields:
        story += [P.label_value(label, text)] if filled else P.label_dots(label)
    story.append(P.heading(s["grounds"]["heading"]))
    story += P.option_lines([(g["id"], g["text"]) for g in s["grounds"]["items"]], need.grounds if filled else [])
    for section in s["sections"]:
        story.append(P.heading(section["label"]))
        story += P.text_block(getattr(need, section["field"]) if filled else "", 3, filled=filled)
    if not filled or need.opinion_not_taken_reason:
        story.append(P.heading(s["opinion_not_taken"]))
        story += P.text_block(need.opinion_not_taken_reason if filled else "", 1, filled=filled)
    story.append(P.heading(s["preferred_form"]))
    forms = P.spec("12")["forms"]
    story += P.option_lines(forms.items(), [need.preferred_form] if filled and need.preferred_form else [])
    story += P.table_heading(s["file"]["heading"], 40 * mm)
    rows: list[list[Any]] = [P.head_cells(["Giấy tờ", "Tình trạng"])]
    if filled:
        for item in needs.file_status(need, today()):
            rows.append([P.cell(item.text), P.cell(("Có" if item.ok else "Thiếu") + " — " + item.note)])
    else:
        rows += [[P.cell(i["text"]), P.cell("")] for i in s["file"]["items"]]
    story.append(P.grid(rows, [L.FRAME_WIDTH * 0.62, L.FRAME_WIDTH * 0.38]))
    sig = s["signatures"]
    left = sig["left"].split("\n")
    right = sig["right"].split("\n")
    story.append(P.signatures(P.Signer(left[:1], left[1] if len(left) > 1 else "", child.full_name if filled and need.child_opinion else ""),
                              P.Signer(right[:1], right[1] if len(right) > 1 else "", need.assessor if filled else ""),
                              keep_with=P.tail(story)))
    return story


def document(need: CareNeed, office: Office | None = None) -> P.Doc:
    return P.Doc(_story(need, office), P.metadata(FORM, f"Trẻ em #{need.child_id}"),
                 P.outline_title(FORM, P.fmt_day(need.assessed_on)))


def render(need: CareNeed, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(need, office).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    P.Doc(_story(None, office), P.metadata(FORM), P.outline_title(FORM)).build(out)
