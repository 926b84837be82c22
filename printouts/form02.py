"""Mẫu số 02 — Báo cáo đánh giá nguy cơ ban đầu: the worksheet, filled from a case or blank.

No header block (a worksheet, NĐ 30 / domain §6). The wording is resources/forms/mau02.json (built from
NĐ 56 Điều 26 and 31.1 while the official text is missing: a wording fix is a data change).
Yes/no questions print both answers with the chosen one marked ■; the conclusion is the one recorded
(the Điều 31.1 rule, or the worker's with its reason); emergency measures taken follow it.
"""
from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from models.entities import Case, Office
from models.process_entities import InitialAssessment

from . import admin_layout as L
from . import process_layout as P

FORM = "02"


def _spec() -> dict[str, Any]:
    return P.spec(FORM)


def _questions(ia: InitialAssessment | None) -> list[Flowable]:
    s = _spec()
    answers = s["answers"]
    out: list[Flowable] = []
    for n, q in enumerate(s["questions"], start=1):
        text = f"{n}. {L.clean(q['text']).strip()}"
        if q.get("kind") == "text":
            label = text if text.endswith((":", "?")) else text + ":"
            out.append(P.p(label, "body_left"))
            out.extend(P.text_block(getattr(ia, q["id"], "") if ia else "", 2, filled=ia is not None))
        else:
            answer = None if ia is None else getattr(ia, q["id"])  # None: not answered, both boxes empty
            chosen = None if answer is None else ("yes" if answer else "no")
            marks = [f"{P.mark(chosen == key)}&nbsp;{f'<b>{L.esc(t)}</b>' if chosen == key else L.esc(t)}"
                     for key, t in answers.items()]
            # The answer boxes follow the question on its line (or wrap together to the next one).
            out.append(P.pm(f"{L.esc(text)}&nbsp;&nbsp;&nbsp; " + "&nbsp;&nbsp;&nbsp;&nbsp;".join(marks), "item"))
    return out


def _conclusion(ia: InitialAssessment | None) -> list[Flowable]:
    c = _spec()["conclusion"]
    concluded = None if ia is None else ia.needs_emergency
    chosen = None if concluded is None else ("needs_emergency" if concluded else "no_emergency")
    out: list[Flowable] = [P.heading(c["heading"])]
    out += P.option_lines([(k, c[k]) for k in ("needs_emergency", "no_emergency")], [chosen] if chosen else [])
    if ia is None:
        out += P.label_dots(c["override_label"])
    elif L.clean(ia.override_reason).strip():
        out.append(P.label_value(c["override_label"], ia.override_reason))
    return out


def _measures(case: Case | None) -> list[Flowable]:
    m = _spec()["emergency_measures"]
    kinds = m["kinds"]
    if case is None:
        return [P.heading(m["heading"]), *P.option_lines(kinds.items(), []), *P.dotted_lines(2)]
    measures = list(getattr(case, "emergency_measures", []) or [])
    if not measures:
        return []
    out: list[Flowable] = [P.heading(m["heading"])]
    for i, em in enumerate(measures, start=1):
        kind = kinds.get(em.kind, em.kind)
        desc = L.clean(em.description).strip()
        out.append(P.pm(f"{i}.&nbsp;&nbsp;<b>{L.esc(kind)}</b>" + (f": {L.esc(desc)}" if desc else ""), "item"))
        who = [P.fmt_moment(em.taken_at), L.clean(em.decided_by).strip(), L.clean(em.carried_out_by).strip()]
        out.append(P.p("(" + "; ".join(w for w in who if w) + ")", "item_note"))
    return out


def _story(case: Case | None) -> list[Flowable]:
    s = _spec()
    ia = case.initial_assessment if case is not None else None
    story: list[Flowable] = []
    if ia is not None and ia.completed_at is None:
        story.append(P.draft_mark())
    story += P.title(s["title"], s.get("subtitle", ""))
    values = None
    if case is not None:
        values = {"child_name": case.child.full_name if case.child else "",
                  "assessor": ia.assessor if ia else "", "assessed_at": P.fmt_moment(ia.assessed_at) if ia else ""}
    story += P.header_fields(s["header_fields"], values)
    story += _questions(ia)
    story += _conclusion(ia)
    story += _measures(case)
    sig = s["signature"]
    story.append(P.signatures(None, P.Signer([sig["title"]], sig.get("note", ""), ia.assessor if ia else ""),
                              keep_with=P.tail(story)))
    return story


def document(case: Case, office: Office | None = None) -> P.Doc:
    if case.initial_assessment is None:
        raise P.NotPrintable("Hồ sơ này chưa có Mẫu số 02.")
    return P.Doc(_story(case), P.metadata(FORM, case.code), P.outline_title(FORM))


def blank_document(office: Office | None = None) -> P.Doc:
    return P.Doc(_story(None), P.metadata(FORM), P.outline_title(FORM))


def render(case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    """One per case: `version` is not used."""
    document(case, office).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    blank_document(office).build(out)
