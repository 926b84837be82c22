"""Mẫu số 01 — Báo cáo tiếp nhận thông tin trẻ em: the printout, filled from a case or blank.

The wording comes from resources/forms/mau01.json (headings, labels, footnote markers, options,
signature, footnotes); this module only lays it out in the NĐ 30/2020 format (admin_layout).

Filled: "label: value" lines in the order of the form, footnote markers left out, nothing recorded → "……".
Blank: the verbatim labels with their markers (1)…(6), dotted lines to write on, footnotes at the end.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from models.entities import Case, Office
from models.wording import form_definition
from models.services.intake import document_number, printed_values

from . import admin_layout as L
from . import process_layout as P

FORM = "01"
GAP = "\u00a0\u00a0\u00a0 "  # between fields printed on one line (breakable after the gap)
_GAP_PLAIN = "    "  # its width stand-in when measuring


def _form() -> dict[str, Any]:
    return form_definition(FORM)


# --- Header and title -----------------------------------------------------------------------------------
def _header(office: Office | None, *, number: str | None, report_date) -> Flowable:
    """number=None prints the dotted number of a blank form; report_date=None the dotted date."""
    head = _form()["header"]
    agency = L.clean(office.agency_name).strip() if office else ""
    if not agency:
        agency = f"{head['agency_placeholder']} …{head['agency_note']}…"
    abbrev = L.clean(office.agency_abbrev).strip() if office else ""
    if number is None:
        number = f"{L.WRITE_GAP}/{head['number_kind']}-{abbrev or head['number_note']}"
    place = ""
    if office:
        place = L.clean(office.place_name).strip() or L.clean(office.commune_name).strip()
    if not place:
        place = f"…{head['place_note']}…"
    return L.header_block(agency, L.number_line(number), L.place_date_line(place, report_date))


def _title(category: str | None) -> list[Flowable]:
    form = _form()
    if category is None:
        subtitle = f"{form['subtitle']} …{form['subtitle_note']}…"
    else:
        cat = form["categories"].get(category)
        subtitle = f"{form['subtitle']} {cat['title']}" if cat else f"{form['subtitle']} …{form['subtitle_note']}…"
    return L.title_block(form["title"], subtitle)


# --- Filled lines ---------------------------------------------------------------------------------------
def _starts_lower(text: str) -> bool:
    text = L.clean(text).strip()
    return bool(text) and text[0].islower()


def _filled_label(seg: Mapping[str, Any], next_seg: Mapping[str, Any] | None) -> str:
    """The label as printed on a filled form: no footnote marker, a colon where the label asks for a value.

    No colon after a label that already ends in ':' or '?', that continues a sentence ("tháng", "hoặc ước
    lượng tuổi") or that is one word continued by the next label ("Ngày … tháng … năm …").
    """
    label = L.clean(seg["text"]).strip()
    if label.endswith((":", "?")) or _starts_lower(label):
        return label
    if next_seg is not None and _starts_lower(next_seg["text"]) and " " not in label:
        return label
    return label + ":"


def _value(values: Mapping[str, str], key: str) -> str:
    return L.clean(values.get(key, "")).strip()


def _groups(segs: Sequence[Mapping[str, Any]]) -> list[list[int]]:
    """Segment indexes grouped so that a sentence continued in lower case stays together."""
    groups: list[list[int]] = []
    for i, seg in enumerate(segs):
        if groups and _starts_lower(seg["text"]):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _filled_line(segs: Sequence[Mapping[str, Any]], values: Mapping[str, str]) -> list[Flowable]:
    if len(segs) == 1 and segs[0].get("own_line"):
        seg = segs[0]
        value = _value(values, seg["field"]) or L.BLANK
        return [L.para(_filled_label(seg, None), "body"), L.para(value, "body")]

    pieces_markup: list[str] = []
    pieces_plain: list[str] = []
    for i, seg in enumerate(segs):
        label = _filled_label(seg, segs[i + 1] if i + 1 < len(segs) else None)
        value = _value(values, seg["field"]) or L.BLANK
        pieces_markup.append(f"{L.esc(label)} {L.esc(value)}")
        pieces_plain.append(f"{label} {value}")

    groups = _groups(segs)

    def join(idx: list[int], markup: bool) -> str:
        parts = pieces_markup if markup else pieces_plain
        return " ".join(parts[i] for i in idx)

    # Fields share a line while they fit; a field that does not fit starts a new line rather than
    # breaking in the middle (a long answer still wraps within its own paragraph).
    lines: list[list[list[int]]] = []
    for group in groups:
        if lines and "\n" not in join(group, False):
            candidate = _GAP_PLAIN.join(join(g, False) for g in [*lines[-1], group])
            if "\n" not in candidate and L.fits_one_line(candidate):
                lines[-1].append(group)
                continue
        lines.append([group])
    return [L.para_markup(GAP.join(join(g, True) for g in line), "body") for line in lines]


def _filled_gender(spec: Mapping[str, Any], chosen: str) -> Flowable:
    label = L.clean(spec["text"]).strip()
    options = [
        f"{L.esc(text)} <b>X</b>" if code == chosen else f"{L.esc(text)} {L.BLANK}"
        for code, text in spec["options"].items()
    ]
    return L.para_markup(f"{L.esc(label)}: " + GAP.join(options), "body_left")


# --- Blank lines ----------------------------------------------------------------------------------------
def _blank_label(seg: Mapping[str, Any]) -> str:
    label = L.clean(seg["text"]).strip()
    return f"{label} {seg['note']}" if seg.get("note") else label


SIGNATURE_BESIDE_NOTES = 68 * mm  # "Cán bộ tiếp nhận thông tin" (13 pt bold) with room on both sides
MIN_DOTS = 14 * mm  # the least room left to write a value by hand


def _blank_segments(labels: Sequence[str], weights: Sequence[float]) -> list[Flowable]:
    """Labels each followed by dots, on one line when they fit, else one line per label."""
    spaces = L.text_width(" ", "blank") * (len(labels) - 1)
    room = L.FRAME_WIDTH - 10 - spaces - sum(L.text_width(t, "blank") for t in labels)
    total = sum(weights)
    if len(labels) > 1 and room >= MIN_DOTS * len(labels):
        parts = [L.esc(t) + L.dots(room * w / total) for t, w in zip(labels, weights)]
        return [L.para_markup(" ".join(parts), "blank")]
    return [L.para_markup(L.esc(t) + L.dots_to_fill(t), "blank") for t in labels]


def _blank_line(segs: Sequence[Mapping[str, Any]]) -> list[Flowable]:
    labels = [_blank_label(s) for s in segs]
    extra = max(int(segs[0].get("blank_lines", 1)), 1)
    if len(segs) == 1 and segs[0].get("own_line"):
        return [L.para(labels[0], "blank")] + [L.dotted_line() for _ in range(extra)]
    weights = [2.0] + [1.0] * (len(segs) - 1)
    return _blank_segments(labels, weights) + [L.dotted_line() for _ in range(extra - 1)]


def _blank_gender(spec: Mapping[str, Any]) -> list[Flowable]:
    head = f"{spec['text']} {spec['note']}:" if spec.get("note") else f"{spec['text']}:"
    options = list(spec["options"].values())
    labels = [f"{head} {options[0]}"] + options[1:]
    return _blank_segments(labels, [1.0] * len(labels))


# --- Body -----------------------------------------------------------------------------------------------
def _body(values: Mapping[str, str] | None) -> list[Flowable]:
    """The form's body in the order of the JSON; values=None gives the blank form."""
    story: list[Flowable] = []
    for item in _form()["body"]:
        if "heading" in item:
            story.append(L.para(item["heading"], "heading"))
        elif "gender" in item:
            if values is None:
                story.extend(_blank_gender(item["gender"]))
            else:
                story.append(_filled_gender(item["gender"], values.get("gender", "")))
        elif "line" in item:
            story.extend(_blank_line(item["line"]) if values is None else _filled_line(item["line"], values))
    return story


def _signature(name: str, story: list[Flowable]) -> Flowable:
    """The signature block, taking the last short line of `story` along so it never stands alone."""
    sig = _form()["signature"]
    return L.signature_block(sig["title"], sig.get("note", ""), name, keep_with=L.short_tail(story))


def _used_notes(office: Office | None) -> set[str]:
    """Footnote markers that appear on the blank page."""
    form = _form()
    head = form["header"]
    used = {form["subtitle_note"]}
    if not (office and L.clean(office.agency_name).strip()):
        used.add(head["agency_note"])
    if not (office and L.clean(office.agency_abbrev).strip()):
        used.add(head["number_note"])
    if not (office and (L.clean(office.place_name).strip() or L.clean(office.commune_name).strip())):
        used.add(head["place_note"])
    for item in form["body"]:
        for seg in item.get("line", []):
            if seg.get("note"):
                used.add(seg["note"])
        if "gender" in item and item["gender"].get("note"):
            used.add(item["gender"]["note"])
    return used


def _metadata(subject: str) -> L.Metadata:
    return P.metadata(FORM, subject)


def _outline() -> str:
    form = _form()
    return f"{form['code_label']}: {form['name']}"


# --- Public ---------------------------------------------------------------------------------------------
def document(case: Case, office: Office | None = None) -> P.Doc:
    """Mẫu số 01 filled from a saved case (loaded with models.services.cases.load_case): its story, its
    metadata and its outline title, as printed alone and in the case file."""
    intake = case.intake
    if intake is None:
        raise P.NotPrintable("Hồ sơ này chưa có Mẫu số 01.")
    values = printed_values(case)
    number = document_number(intake, office)
    story: list[Flowable] = [*P.form_code(FORM), _header(office, number=number, report_date=intake.report_date)]
    story += _title(intake.category)
    story += _body(values)
    story.append(_signature(values.get("receiving_officer", ""), story))
    return P.Doc(story, _metadata(L.number_line(number)), _outline())


def blank_document(office: Office | None = None) -> P.Doc:
    """Mẫu số 01 to fill in by hand; with the office's name and place in the header when it is given."""
    used = _used_notes(office)
    notes = [n for n in _form()["footnotes"] if n.split(" ", 1)[0] in used]
    story: list[Flowable] = [*P.form_code(FORM), _header(office, number=None, report_date=None)]
    story += _title(None)
    story += _body(None)
    # The footnotes sit in the room the form leaves beside the signature (where a decision has "Nơi nhận:"),
    # so that the blank form fits one page; they keep their short rule and 11 pt lines.
    sig = _form()["signature"]
    story.append(L.signature_block(sig["title"], sig.get("note", ""), "", keep_with=L.short_tail(story),
                                   left=_footnotes_beside(notes), width=SIGNATURE_BESIDE_NOTES))
    return P.Doc(story, _metadata(""), _outline())


def _footnotes_beside(notes: Sequence[str]) -> list[Flowable]:
    from reportlab.lib import colors
    from reportlab.platypus import HRFlowable, Spacer

    if not notes:
        return []
    items: list[Flowable] = [Spacer(1, 8), HRFlowable(width=35 * mm, thickness=L.RULE_THICKNESS, color=colors.black,
                                                       hAlign="LEFT", spaceBefore=0, spaceAfter=3)]
    items += [L.para(n, "footnote_left") for n in notes]
    return items


def render(case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    """Mẫu số 01 filled from a saved case (loaded with models.services.cases.load_case); one per case."""
    document(case, office).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    """Mẫu số 01 to fill in by hand; with the office's name and place in the header when it is given."""
    blank_document(office).build(out)
