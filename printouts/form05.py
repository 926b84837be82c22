"""Mẫu số 05 — Quyết định phê duyệt kế hoạch hỗ trợ, can thiệp (a Quyết định, NĐ 30 layout).

Wording: resources/forms/mau05.json (built on NĐ 30 and NĐ 56 Điều 28–29 while the official text is
missing). One decision per approved plan version, numbered "Số: NN/QĐ-UBND"; signed "CHỦ TỊCH" or
"KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" as recorded at approval. For a version not yet approved it prints the draft
decision the worker submits with the plan ("DỰ THẢO", no number, no signer).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from models.entities import Case, Office
from models.process_entities import PlanVersion
from models.services import plan as plan_service

from . import admin_layout as L
from . import decision_layout as D
from . import process_layout as P
from .form04 import pick_version, version_label

FORM = "05"


def _decision(case: Case | None, office: Office | None, version: PlanVersion | None) -> D.Decision:
    if version is None:
        return D.Decision(FORM, office, None, None, None)
    approval = version.approval
    if approval is not None:
        start, end = approval.effective_from, approval.effective_to
    else:
        starts = [a.start_on for a in version.activities]
        ends = [a.end_on for a in version.activities]
        start, end = (min(starts) if starts else None), (max(ends) if ends else None)
    values = {
        "child_name": case.child.full_name if case.child else L.BLANK,
        "child_birth": P.child_birth(case),
        "child_address": P.child_address(case, office),
        "effective_from": P.fmt_day(start),
        "effective_to": P.fmt_day(end),
    }
    if approval is None:
        return D.Decision(FORM, office, None, None, values, draft=True)
    return D.Decision(
        FORM, office, plan_service.decision_number(approval, P.abbrev_of(office)), P.local_day(approval.approved_at),
        values, capacity=approval.signing_capacity, signer=approval.approved_by,
        recipients=D.recipient_lines(approval.recipients),
    )


def document(case: Case, office: Office | None = None, version: PlanVersion | None = None) -> P.Doc:
    version = version or pick_version(case)
    d = _decision(case, office, version)
    extra = version_label(case, version)
    return P.Doc(D.story(d), P.metadata(FORM, L.number_line(d.number) if d.number else case.code),
                 P.outline_title(FORM, extra))


def signing_document(case: Case, office: Office | None, version: PlanVersion, *, signer: str, capacity: str,
                     day: date | None, effective_from: date | None = None, effective_to: date | None = None,
                     recipients: str = "") -> P.Doc:
    """What the chairman is about to sign: the decision as it will read (signer, capacity, date, period,
    recipients; the number is issued at signing, so it stays dotted) followed by the plan it approves."""
    from reportlab.platypus import PageBreak

    from . import form04

    draft = _decision(case, office, version)
    values = dict(draft.values or {})
    if effective_from:
        values["effective_from"] = P.fmt_day(effective_from)
    if effective_to:
        values["effective_to"] = P.fmt_day(effective_to)
    d = D.Decision(FORM, office, None, day, values, capacity=capacity, signer=signer,
                   recipients=D.recipient_lines(recipients))
    plan = form04.document(case, office, version)
    return P.Doc(D.story(d) + [PageBreak()] + plan.story, P.metadata(FORM, case.code),
                 P.outline_title(FORM, version_label(case, version)))


def blank_document(office: Office | None = None) -> P.Doc:
    return P.Doc(D.story(_decision(None, office, None)), P.metadata(FORM), P.outline_title(FORM))


def render(case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(case, office, pick_version(case, version)).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    blank_document(office).build(out)
