"""Mẫu số 06 — Rà soát, đánh giá tình trạng của trẻ em sau khi thực hiện kế hoạch hỗ trợ, can thiệp.

A worksheet (no header block). Wording: resources/forms/mau06.json (first half as known, the rest built on
NĐ 56 Điều 30 and marked so in the data). Part 1: the two rating tables with their computed "Tổng số" rows
and "c) Kết luận các nguy cơ" (heading and intro from the data) computed with the same rule as Mẫu 03;
parts 2–4 the worker's text; part 5 the proposal (close the plan, or a new plan) with its reason.
"""
from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from models.entities import Case, Office
from models.process_entities import CaseReview
from models import process_rules as rules

from . import admin_layout as L
from . import process_layout as P
from .ratings_table import rating_tables

FORM = "06"


def _spec() -> dict[str, Any]:
    return P.spec(FORM)


def pick(case: Case, version: Any = None) -> CaseReview:
    """The case's record number `version` (1 = the first; None = the latest)."""
    return P.pick(list(getattr(case, "reviews", []) or []), version, "Hồ sơ này chưa có Mẫu số 06.", "Mẫu số 06")


def _conclusion(review: CaseReview | None) -> list[Flowable]:
    c = _spec()["part1"]["conclusion"]
    level = None
    if review is not None:
        result = rules.risk_conclusion(review.ratings or {}, FORM)
        level = result.level if result.complete else None
    out: list[Flowable] = [P.pm(f"<b>{L.esc(c['heading'])}</b> {L.esc(c['intro'])}", "body")]
    return out + P.option_lines([(k, c[k]) for k in (rules.HIGH, rules.LOW)], [level] if level else [])


def _story(case: Case | None, review: CaseReview | None) -> list[Flowable]:
    s = _spec()
    filled = review is not None
    story: list[Flowable] = [*P.title(s["title"])]
    values = None
    if filled:
        values = {"child_name": case.child.full_name if case.child else "", "reviewer": review.reviewer,
                  "reviewed_on": P.fmt_day(review.reviewed_on)}
    story += P.header_fields(s["header_fields"], values)
    story += P.table_heading(s["part1"]["heading"], 60 * mm)
    story += rating_tables(FORM, (review.ratings or {}) if filled else None)
    story += _conclusion(review)
    for key, attr in (("part2", "activities_result"), ("part3", "family_change"), ("part4", "community_change")):
        story.append(P.heading(s[key]["heading"]))
        story += P.text_block(getattr(review, attr, "") if filled else "", 3, filled=filled)
    part5 = s["part5"]
    story.append(P.heading(part5["heading"]))
    story += P.option_lines(part5["outcomes"].items(), [review.outcome] if filled else [])
    story += P.text_block(review.outcome_reason if filled else "", 2, filled=filled)
    sig = s["signature"]
    story.append(P.signatures(None, P.Signer([sig["title"]], sig.get("note", ""), review.reviewer if filled else ""),
                              keep_with=P.tail(story)))
    return story


def document(case: Case, office: Office | None = None, review: CaseReview | None = None) -> P.Doc:
    review = review or pick(case)
    return P.Doc(_story(case, review), P.metadata(FORM, case.code), P.outline_title(FORM, P.fmt_day(review.reviewed_on)))


def blank_document(office: Office | None = None) -> P.Doc:
    return P.Doc(_story(None, None), P.metadata(FORM), P.outline_title(FORM))


def render(case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(case, office, pick(case, version)).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    blank_document(office).build(out)
