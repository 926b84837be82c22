"""Biên bản họp — the case meeting chaired by the chairman (NĐ 56 Điều 27.2): filled or blank.

Wording: resources/forms/bien_ban_hop.json (no numbered form in NĐ 56; layout of a NĐ 30 biên bản):
agency header with "Số: …/BB-UBND" left to be written by hand (the program does not number minutes),
the date of the meeting, "BIÊN BẢN" and its subject (worded for the meeting's purpose), sections I–V
(time and place, attendees with their table, content, the chair's conclusions, the measures agreed), the
closing sentence and the signatures of the secretary and the chair.
"""
from __future__ import annotations

import re
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from models.entities import Case, Office
from models.process_entities import CaseMeeting

from . import admin_layout as L
from . import process_layout as P

FORM = "bien_ban_hop"
ATTENDEE_WIDTHS = [12 * mm, 60 * mm, 93 * mm]
BLANK_ATTENDEES = 6


def _spec() -> dict[str, Any]:
    return P.spec(FORM)


def pick(case: Case, version: Any = None) -> CaseMeeting:
    """The case's record number `version` (1 = the first; None = the latest)."""
    return P.pick(list(getattr(case, "meetings", []) or []), version, "Hồ sơ này chưa có biên bản họp.", "biên bản họp")


def _values(case: Case, m: CaseMeeting) -> dict[str, str]:
    return {
        "child_name": case.child.full_name if case.child else L.BLANK,
        "held_at": P.fmt_moment(m.held_at), "ended_at": P.fmt_moment(m.ended_at), "place": P.value(m.place),
        "chair_name": P.value(m.chair_name), "chair_title": P.value(m.chair_title), "secretary": P.value(m.secretary),
    }


def subject_template(m: CaseMeeting | None) -> str:
    """The subject line as worded for the meeting's purpose ("subjects"); the generic "subject" on the
    blank form or for a purpose the data does not word."""
    s = _spec()
    if m is None:
        return s["subject"]
    return s.get("subjects", {}).get(m.purpose, s["subject"])


def subject_groups(template: str) -> list[str]:
    """The subject's word groups: split only after a comma and around a {placeholder}, so the line never
    breaks inside a word group ("can / thiệp")."""
    groups: list[str] = []
    for piece in re.split(r"(\{[a-z_]+\})", L.clean(template)):
        if piece.startswith("{"):
            groups.append(piece)
        else:
            groups += [g.strip() for g in re.split(r"(?<=,)\s+", piece) if g.strip()]
    return groups


def _header(office: Office | None, m: CaseMeeting | None) -> Flowable:
    """The number is left to be written by hand, on a blank and a filled minutes alike ("Số: ……/BB-UBND"):
    the program does not number minutes (bien_ban_hop.json, header.numbered)."""
    head = _spec()["header"]
    agency = P.agency_of(office) or f"{P.spec('04')['header']['agency']} {L.WRITE_GAP}"
    number = f"{L.WRITE_GAP}/{head['number_kind']}-{P.abbrev_of(office)}"
    day = P.local_day(m.held_at) if m is not None else None
    return L.header_block(agency, L.number_line(number), P.place_date(office, day))


def _line(template: str, values: dict[str, str] | None) -> list[Flowable]:
    if values is not None:
        return [P.p(P.fill(template, values), "body_left")]
    label = L.clean(template).split("{", 1)[0].strip()
    return P.label_dots(label)


def _attendees(section: dict[str, Any], m: CaseMeeting | None) -> Flowable:
    roles = _spec()["attendee_roles"]
    rows: list[list[Any]] = [P.head_cells(section["table_columns"])]
    if m is None:
        rows += [[P.cell(str(i + 1), "cell_center"), P.cell(""), P.cell("")] for i in range(BLANK_ATTENDEES)]
        return P.grid(rows, ATTENDEE_WIDTHS, min_heights=[0] + [22] * BLANK_ATTENDEES)
    for i, person in enumerate(m.attendees or [], start=1):
        position = L.clean(person.get("position", "")).strip() or roles.get(person.get("role", ""), "")
        rows.append([P.cell(str(i), "cell_center"), P.cell(P.value(person.get("name"))), P.cell(P.value(position))])
    return P.grid(rows, ATTENDEE_WIDTHS)


def _story(case: Case | None, office: Office | None, m: CaseMeeting | None) -> list[Flowable]:
    s = _spec()
    values = _values(case, m) if m is not None else None
    story: list[Flowable] = [_header(office, m), L.para(s["title"], "title")]
    story.append(P.grouped_para([P.fill(g, values) for g in subject_groups(subject_template(m))], "subtitle_cont",
                                L.FRAME_WIDTH - 20 * mm))
    story.append(P.subject_rule())
    for section in s["sections"]:
        story.append(P.heading(section["heading"]))
        for template in section.get("lines", []):
            story += _line(template, values)
        if "table_columns" in section:
            story += [_attendees(section, m), Spacer(1, 6)]
        elif not section.get("lines"):
            story += P.text_block(getattr(m, section["id"], "") if m else "", 4, filled=m is not None)
    closing = P.fill(s["closing"], values)
    story.append(P.p(closing, "indented"))
    sig = s["signatures"]
    left = P.Signer([sig["left"]["title"]], "", values.get(sig["left"]["name_field"], "") if values else "")
    right = P.Signer([sig["right"]["title"]], "", values.get(sig["right"]["name_field"], "") if values else "")
    if values:  # "……" where no name was recorded prints as room to write, not as a name
        left.name = "" if left.name == L.BLANK else left.name
        right.name = "" if right.name == L.BLANK else right.name
    story.append(P.signatures(left, right, keep_with=P.tail(story)))
    return story


def document(case: Case, office: Office | None = None, meeting: CaseMeeting | None = None) -> P.Doc:
    meeting = meeting or pick(case)
    s = _spec()
    return P.Doc(_story(case, office, meeting), P.metadata(FORM, case.code),
                 f"{s['code_label']}: {s['name']} ({P.fmt_day(meeting.held_at)})")


def blank_document(office: Office | None = None) -> P.Doc:
    s = _spec()
    return P.Doc(_story(None, office, None), P.metadata(FORM),
                 f"{s['code_label']}: {s['name']}")


def render(case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    document(case, office, pick(case, version)).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    blank_document(office).build(out)
