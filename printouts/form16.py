"""Mẫu số 16 — Quyết định về việc chấm dứt việc chăm sóc thay thế và chuyển hình thức chăm sóc thay thế (NĐ 56 Điều
48.2), in the NĐ 30 decision layout; it cites the Mẫu 12 decision it ends and the ground of Luật Trẻ em Điều 69.
Wording: resources/forms/mau16.json (not the decree's text). `render(placement, office, out)`; `render_blank`."""
from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from models.care_entities import Placement
from models.entities import Office

from . import admin_layout as L
from . import care_layout as C
from . import decision_layout as D
from . import process_layout as P

FORM = "16"


def _considerations(p: Placement | None, office: Office | None) -> list[Flowable]:
    spec = P.spec(FORM)
    grounds = spec["grounds"]
    values = None if p is None else {"placement_number": C.placement_number(p, office),
                                     "placement_date": P.fmt_day(p.decided_at)}
    out: list[Flowable] = [P.p(P.fill(spec["placement_ground"], values), "ground"), P.p(grounds["heading"], "ground")]
    chosen = [] if p is None or p.end_decision is None else [p.end_decision.ground]
    if p is None:
        out += P.option_lines([(g["id"], g["text"]) for g in grounds["items"]], [], "item")
    else:
        out += P.dash_lines([g["text"] for g in grounds["items"] if g["id"] in chosen] or [L.BLANK])
    return out


def _decision(p: Placement | None, office: Office | None) -> D.Decision:
    considerations = _considerations(p, office)
    if p is None:
        return D.Decision(FORM, office, None, None, None, considerations=considerations,
                          grounds_key="legal_grounds_intro")
    spec = P.spec(FORM)
    d = p.end_decision
    if d is None:
        raise P.NotPrintable("Chưa có dự thảo quyết định chấm dứt chăm sóc thay thế (Mẫu số 16).")
    values = {"child_name": p.child.full_name, "child_birth": C.child_birth(p.child), "carer": C.receiver(p),
              "placement_number": C.placement_number(p, office), "ended_on": P.fmt_day(d.ended_on),
              "reasons": P.value(d.reasons), "new_form": spec["new_forms"].get(d.new_form, spec["no_new_form"]),
              "new_arrangement": L.clean(d.new_arrangement).strip()}
    return D.drafted_or_signed(FORM, office, d, values, considerations=considerations,
                               grounds_key="legal_grounds_intro")


def document(p: Placement, office: Office | None = None) -> P.Doc:
    return D.document(_decision(p, office))


def render(p: Placement, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(p, office).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    D.document(_decision(None, office)).build(out)
