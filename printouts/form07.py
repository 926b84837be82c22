"""Mẫu số 07 — Quyết định về việc tạm thời cách ly trẻ em khỏi cha, mẹ, người chăm sóc trẻ em.

Wording: resources/forms/mau07.json (built on NĐ 56 Điều 32 and the NĐ 30 decision layout while the
official text is missing). "Số: NN/QĐ-UBND" once the chairman decided; the grounds chosen follow the
"Căn cứ" lines; a longer separation cites the competent authority's order recorded (``order_ground``).
A draft not yet decided prints as "DỰ THẢO" without number or signer.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable

from models import numbering
from models.entities import Case, Office
from models.process_entities import Separation

from . import admin_layout as L
from . import decision_layout as D
from . import process_layout as P

FORM = "07"


def _spec() -> dict[str, Any]:
    return P.spec(FORM)


def pick(case: Case, version: Any = None) -> Separation:
    """The case's record number `version` (1 = the first; None = the latest)."""
    return P.pick(list(getattr(case, "separations", []) or []), version, "Hồ sơ này chưa có quyết định tạm thời cách ly (Mẫu số 07).", "quyết định cách ly")


def _as_signed(sep: Separation | None) -> dict[str, Any]:
    """The decision as the chairman signed it: an extension recorded later (extend_separation) keeps the
    original duration and order in original_*; the decision itself never shows the extension."""
    if sep is None:
        return {"duration_days": None, "order_number": "", "order_date": None, "order_body": ""}
    if sep.original_duration_days is not None:
        return {"duration_days": sep.original_duration_days, "order_number": sep.original_order_number,
                "order_date": sep.original_order_date, "order_body": sep.original_order_body}
    return {"duration_days": sep.duration_days, "order_number": sep.order_number, "order_date": sep.order_date,
            "order_body": sep.order_body}


def _considerations(sep: Separation | None) -> list[Flowable]:
    s = _spec()
    grounds = s["grounds"]
    out: list[Flowable] = []
    signed = _as_signed(sep)
    if sep is not None and signed["order_number"]:
        values = {"order_number": signed["order_number"], "order_date": P.fmt_day(signed["order_date"]),
                  "order_body": signed["order_body"] or L.BLANK}
        out.append(P.p(P.fill(s["order_ground"], values), "ground"))
    out.append(P.p(grounds["heading"], "ground"))
    texts = {g["id"]: g["text"] for g in grounds["items"]}
    if sep is None:
        out += P.option_lines(texts.items(), [], "item")
    else:
        chosen = [texts[g] for g in texts if g in (sep.grounds or [])]
        out += P.dash_lines(chosen or [L.BLANK])
    return out


def _decision(case: Case | None, office: Office | None, sep: Separation | None) -> D.Decision:
    considerations = _considerations(sep)
    if sep is None:
        return D.Decision(FORM, office, None, None, None, considerations=considerations)
    carer = ", ".join(x for x in (L.clean(sep.carer_name).strip(), L.clean(sep.carer_address).strip()) if x)
    values = {
        "child_name": case.child.full_name if case.child else L.BLANK,
        "child_birth": P.child_birth(case),
        "child_address": P.child_address(case, office),
        "separated_from": P.value(sep.separated_from),
        "duration_days": f"{_as_signed(sep)['duration_days']:02d}" if sep.duration_days is not None else L.BLANK,
        "start_at": P.fmt_moment(sep.start_at),
        "safe_place": P.value(sep.safe_place),
        "carer": carer or L.BLANK,
        "executing_officer": P.value(sep.executing_officer),
    }
    decided = sep.decided_at is not None
    number = numbering.document_number(sep.doc_number, _spec()['header']['number_kind'], P.abbrev_of(office)) \
        if decided and sep.doc_number else None
    return D.Decision(FORM, office, number, P.local_day(sep.decided_at), values,
                      capacity=sep.signing_capacity if decided else None, signer=sep.decided_by if decided else "",
                      recipients=D.recipient_lines(sep.recipients), considerations=considerations,
                      draft=not decided)


def document(case: Case, office: Office | None = None, sep: Separation | None = None) -> P.Doc:
    sep = sep or pick(case)
    d = _decision(case, office, sep)
    return P.Doc(D.story(d), P.metadata(FORM, L.number_line(d.number) if d.number else case.code),
                 P.outline_title(FORM, d.number or ""))


def signing_document(case: Case, office: Office | None, sep: Separation, *, signer: str, capacity: str,
                     moment: datetime) -> P.Doc:
    """What the chairman is about to sign: the decision as it will read once signed by `signer` in
    `capacity` at `moment` (the number is issued at signing, so it stays dotted). Nothing is changed."""
    from types import SimpleNamespace

    fields = {c.key: getattr(sep, c.key) for c in Separation.__table__.columns}
    signed = SimpleNamespace(**{**fields, "decided_at": moment, "decided_by": signer, "signing_capacity": capacity,
                                "doc_number": None})
    d = _decision(case, office, signed)  # type: ignore[arg-type]
    return P.Doc(D.story(d), P.metadata(FORM, case.code), P.outline_title(FORM))


def blank_document(office: Office | None = None) -> P.Doc:
    return P.Doc(D.story(_decision(None, office, None)), P.metadata(FORM), P.outline_title(FORM))


def render(case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(case, office, pick(case, version)).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    blank_document(office).build(out)
