"""Mẫu số 15 — Đơn đề nghị chấm dứt việc chăm sóc thay thế (NĐ 56 Điều 48.1; Luật Trẻ em Điều 69.1.c–d), written by
the carer; printed filled from the request recorded, or blank for the carer to fill in. Wording:
resources/forms/mau15.json (not the decree's text). `render(placement, office, out)`; `render_blank(office, out)`."""
from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, Paragraph

from models.care_entities import CareEndRequest, Placement
from models.entities import Office

from . import admin_layout as L
from . import care_layout as C
from . import process_layout as P

FORM = "15"


def _story(p: Placement | None, r: CareEndRequest | None, office: Office | None) -> list[Flowable]:
    s = P.spec(FORM)
    filled = r is not None
    st = L.styles()
    story: list[Flowable] = [Paragraph(L.NATIONAL_NAME, st["national"]), Paragraph(L.NATIONAL_MOTTO, st["motto"])]
    story += P.title(s["title"])
    commune = P.commune_words(office)
    story.append(P.p(P.fill(s["to"], {"commune": commune or P.BLANK_GAP}), "centre_bold"))
    values = None if not filled else {"requested_by": r.requested_by, "child_name": p.child.full_name,
                                      "placement_number": C.placement_number(p, office), "commune": commune}
    story.append(P.p(P.fill(s["body"], values), "body"))
    story.append(P.heading(s["grounds"]["heading"]))
    story += P.option_lines([(g["id"], g["text"]) for g in s["grounds"]["items"]], [r.ground] if filled else [])
    story.append(P.heading(s["reason"]))
    story += P.text_block(r.reason if filled else "", 3, filled=filled)
    story.append(P.p(P.place_date(office, r.requested_on if filled else None), "date_line"))
    right = s["signatures"]["right"].split("\n")
    story.append(P.signatures(None, P.Signer(right[:1], right[1] if len(right) > 1 else "", r.requested_by if filled else ""),
                              keep_with=P.tail(story)))
    return story


def document(p: Placement, r: CareEndRequest, office: Office | None = None) -> P.Doc:
    return P.Doc(_story(p, r, office), P.metadata(FORM), P.outline_title(FORM, P.fmt_day(r.requested_on)))


def render(p: Placement, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    r = P.pick(list(p.end_requests), version, "Chưa có đơn đề nghị chấm dứt (Mẫu số 15).", "đơn đề nghị")
    document(p, r, office).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    P.Doc(_story(None, None, office), P.metadata(FORM), P.outline_title(FORM)).build(out)
