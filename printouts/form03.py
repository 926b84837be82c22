"""Mẫu số 03 — Báo cáo thu thập thông tin, xác minh và đánh giá nguy cơ cụ thể (worksheet, no header block).

Wording: resources/forms/mau03.json (the official text). Part 1 is the form's two-column question/answer
table; part 2 the two rating tables with the printed explanation of each level, the chosen one marked and
the "Tổng số" row computed; part 3 prints the form's two rules with the one that applies marked, computed
by models.process_rules.risk_conclusion (strictly more "Cao" in harm than in self-protection →
high risk; fewer or equal → low); then problems in priority order, opinions and service needs.
"""
from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from models.entities import Case, Office
from models.process_entities import RiskAssessment
from models import process_rules as rules

from . import admin_layout as L
from . import process_layout as P
from .ratings_table import rating_tables

FORM = "03"
QUESTION_WIDTH = 62 * mm


def _spec() -> dict[str, Any]:
    return P.spec(FORM)


def _answer_cell(answer: dict[str, str], text: str | None, width: float) -> list[Flowable]:
    label = L.clean(answer.get("label", "")).strip()
    if text is None:  # blank form: the label, then lines to write on
        out = [P.cell(label)] if label else []
        out += [P.cell(L.dots(width - 12)) for _ in range(2 if label else 3)]
        return out
    lines = [line for line in L.clean(text).strip().split("\n") if line.strip()] or [L.BLANK]
    sep = " " if label.endswith(":") else ": "
    first = f"<b>{L.esc(label)}</b>{sep}{L.esc(lines[0])}" if label else L.esc(lines[0])
    return [P.cell_markup(first), *(P.cell(line) for line in lines[1:])]


def _part1(ra: RiskAssessment | None) -> list[Flowable]:
    part = _spec()["part1"]
    width = L.FRAME_WIDTH - QUESTION_WIDTH
    rows: list[list[Any]] = [P.head_cells(part["columns"])]
    for q in part["questions"]:
        given = (ra.answers or {}).get(q["id"], {}) if ra is not None else None
        if isinstance(given, str):
            given = {q["answers"][0]["id"]: given}
        cells: list[Flowable] = []
        for a in q["answers"]:
            text = None if given is None else given.get(a["id"], "")
            cells += _answer_cell(a, text, width)
        rows.append([P.cell(q["text"]), cells])
    return [*P.table_heading(part["heading"]), P.grid(rows, [QUESTION_WIDTH, width]), Spacer(1, 6)]


def _part3(ra: RiskAssessment | None) -> list[Flowable]:
    part = _spec()["part3"]
    level = None
    if ra is not None:
        conclusion = rules.risk_conclusion(ra.ratings or {}, FORM)
        level = conclusion.level if conclusion.complete else None
    out: list[Flowable] = [P.pm(f"<b>{L.esc(part['heading'])}</b> {L.esc(part['intro'])}", "body")]
    for rule in part["rules"]:  # the form's "-" lines; the one the ratings give is in bold
        on = level == rule["conclusion"]
        text = f"<b>{L.esc(rule['text'])}</b>" if on else L.esc(rule["text"])
        out.append(P.pm(f"-&nbsp;&nbsp;{L.esc(rule['case_text'])} {text}", "item"))
    return out


def _part4(ra: RiskAssessment | None) -> list[Flowable]:
    part = _spec()["part4"]
    out: list[Flowable] = [P.pm(f"<b>{L.esc(part['heading'])}</b> {L.esc(part['intro'])}", "body")]
    if ra is None:
        out.append(P.p(part["examples_label"], "body_left"))
        out += P.dash_lines(part["examples"])
        out += P.dotted_lines(3)
    else:
        out += P.numbered_lines(ra.problems or []) or [P.p(L.BLANK)]
    return out


def _part6(ra: RiskAssessment | None) -> list[Flowable]:
    part = _spec()["part6"]
    out: list[Flowable] = [P.heading(part["heading"])]
    if ra is None:
        return out + P.dotted_lines(2)
    if ra.parents_opinion_skipped:  # one sentence: the form's note, or the worker's own words for it
        note = L.clean(part["skip_note"]).strip()
        reason = L.clean(ra.parents_skip_reason).strip()
        if not reason or _same_words(reason, note) or _same_words(reason, note.split(":", 1)[-1]):
            sentence = note
        elif _same_words(reason[:len("Không lấy ý kiến")], "Không lấy ý kiến"):
            sentence = reason
        else:
            sentence = f"{note} {reason}"
        out.append(P.p(sentence, "indented"))
        return out
    return out + P.text_block(ra.parents_opinion)


def _part7(ra: RiskAssessment | None) -> list[Flowable]:
    part = _spec()["part7"]
    # The form's two printed lines only (the finer choices stay on the screen): a line that covers a chosen
    # service is in bold; the worker's own note on the needs follows.
    chosen = set((ra.service_needs or []) if ra else [])
    lines_on = {part.get("needs_line", {}).get(n) for n in chosen}
    out: list[Flowable] = [P.heading(part["heading"])]
    for i, text in enumerate(part["printed_lines"], start=1):
        body = f"<b>{L.esc(text)}</b>" if i in lines_on else L.esc(text)
        out.append(P.pm(f"-&nbsp;&nbsp;{body}", "item"))
    if ra is not None and L.clean(ra.service_needs_note).strip():
        out += P.text_block(ra.service_needs_note)
    return out


def _same_words(a: str, b: str) -> bool:
    """Equal once case, spacing and punctuation are set aside."""
    def norm(text: str) -> str:
        return " ".join("".join(ch for ch in L.clean(text).lower() if ch.isalnum() or ch.isspace()).split())
    return norm(a) == norm(b)


def _story(case: Case | None, ra: RiskAssessment | None) -> list[Flowable]:
    s = _spec()
    story: list[Flowable] = [*P.form_code(FORM), *P.title(s["title"], s["subtitle"])]
    values = None
    if case is not None:
        values = {"child_name": case.child.full_name if case.child else "", "assessor": ra.assessor,
                  "assessed_on": P.fmt_day(ra.assessed_on)}
    story += P.header_fields(s["header_fields"], values)
    story += _part1(ra)
    story += [*P.table_heading(s["part2"]["heading"], 60 * mm), *rating_tables(FORM, None if ra is None else (ra.ratings or {}))]
    story += _part3(ra)
    story += _part4(ra)
    story += [P.heading(s["part5"]["heading"]),
              *(P.dotted_lines(2) if ra is None else P.text_block(ra.child_opinion))]
    story += _part6(ra)
    story += _part7(ra)
    sig = s["signature"]
    story.append(P.signatures(None, P.Signer([sig["title"]], sig.get("note", ""), ra.assessor if ra else ""),
                              keep_with=P.tail(story)))
    return story


def pick(case: Case, version: Any = None) -> RiskAssessment:
    """The case's record number `version` (1 = the first; None = the latest)."""
    return P.pick(list(getattr(case, "risk_assessments", []) or []), version, "Hồ sơ này chưa có Mẫu số 03.", "Mẫu số 03")


def document(case: Case, office: Office | None = None, ra: RiskAssessment | None = None) -> P.Doc:
    ra = ra or pick(case)
    return P.Doc(_story(case, ra), P.metadata(FORM, case.code), P.outline_title(FORM, P.fmt_day(ra.assessed_on)))


def blank_document(office: Office | None = None) -> P.Doc:
    return P.Doc(_story(None, None), P.metadata(FORM), P.outline_title(FORM))


def render(case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(case, office, pick(case, version)).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    blank_document(office).build(out)
