"""Mẫu số 12 — Quyết định về việc giao, nhận trẻ em cho cá nhân, gia đình nhận chăm sóc thay thế (NĐ 56 Điều 42.7),
in the NĐ 30 decision layout (printouts.decision_layout). "Số: NN/QĐ-UBND" once the chairman signed; a draft prints
"DỰ THẢO" without number or signer. Wording: resources/forms/mau12.json (not the decree's text).
`render(placement, office, out)`; `render_blank(office, out)`."""
from __future__ import annotations

from typing import Any

from models.care_entities import Placement
from models.entities import Office

from . import admin_layout as L
from . import care_layout as C
from . import decision_layout as D
from . import process_layout as P

FORM = "12"


def _decision(p: Placement | None, office: Office | None) -> D.Decision:
    if p is None:
        return D.Decision(FORM, office, None, None, None, grounds_key="legal_grounds_intro")
    spec = P.spec(FORM)
    values = {"child_name": p.child.full_name, "child_birth": C.child_birth(p.child),
              "child_address": C.child_address(p.child, office), "carer": C.receiver(p),
              "form": spec["forms"].get(p.form, p.form), "support": P.value(p.support)}
    return D.drafted_or_signed(FORM, office, p, values, grounds_key="legal_grounds_intro")


def document(p: Placement, office: Office | None = None) -> P.Doc:
    return D.document(_decision(p, office))


def render(p: Placement, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(p, office).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    D.document(_decision(None, office)).build(out)
