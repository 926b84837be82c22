"""Mẫu số 13 — Báo cáo theo dõi, đánh giá tình trạng trẻ em được nhận chăm sóc thay thế (NĐ 56 Điều 43.2; TT 14/2020
Điều 13.3). Wording: resources/forms/mau13.json (not the decree's text). `render(placement, office, out, version=N)`
prints the placement's N-th report (None: the latest); `render_blank(office, out)`."""
from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from models.care_entities import CareFollowup, Placement
from models.entities import Office

from . import admin_layout as L
from . import care_layout as C
from . import process_layout as P

FORM = "13"


def pick(p: Placement, version: Any = None) -> CareFollowup:
    return P.pick(list(p.followups), version, "Quyết định này chưa có báo cáo theo dõi (Mẫu số 13).",
                  "báo cáo theo dõi")


def _story(p: Placement | None, f: CareFollowup | None, office: Office | None) -> list[Flowable]:
    s = P.spec(FORM)
    filled = f is not None
    story: list[Flowable] = [C.report_header(office, f.report_date if filled else None), *P.title(s["title"])]
    fields = [("Họ và tên trẻ em", p.child.full_name if filled else None),
              ("Ngày sinh", C.child_birth(p.child) if filled else None),
              ("Người nhận chăm sóc thay thế", C.receiver(p) if filled else None),
              ("Quyết định giao, nhận trẻ em số", C.placement_number(p, office) if filled else None),
              ("Ngày giao trẻ em", P.fmt_day(p.handed_over_on) if filled else None),
              ("Người báo cáo", f.reporter if filled else None)]
    for label, text in fields:
        story += [P.label_value(label, text)] if filled else P.label_dots(label)
    story.append(P.heading("Loại báo cáo:"))
    story += P.option_lines(s["kinds"].items(), [f.kind] if filled else [])
    for section in s["sections"]:
        story.append(P.heading(section["label"]))
        story += P.text_block(getattr(f, section["field"]) if filled else "", 2, filled=filled)
    safe = {True: "Có", False: "Không"}.get(f.child_safe, "Chưa trả lời") if filled else None
    story += [P.label_value(s["child_safe"], safe)] if filled else P.label_dots(s["child_safe"])
    story.append(P.heading("Kết luận:"))
    story += P.option_lines(s["conclusions"].items(), [f.conclusion] if filled and f.conclusion else [])
    story.append(P.heading(s["recommendations"]))
    story += P.text_block(f.recommendations if filled else "", 2, filled=filled)
    right = s["signatures"]["right"].split("\n")
    story.append(P.signatures(None, P.Signer(right[:1], right[1] if len(right) > 1 else "", f.reporter if filled else ""),
                              keep_with=P.tail(story)))
    return story


def document(p: Placement, f: CareFollowup, office: Office | None = None) -> P.Doc:
    return P.Doc(_story(p, f, office), P.metadata(FORM), P.outline_title(FORM, P.fmt_day(f.report_date)))


def render(p: Placement, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(p, pick(p, version), office).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    P.Doc(_story(None, None, office), P.metadata(FORM), P.outline_title(FORM)).build(out)
