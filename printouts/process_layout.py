"""Pieces shared by the printouts of the case process (Mẫu 02–07, the meeting minutes, the progress sheet).

Built on admin_layout (the NĐ 30/2020 kit used by Mẫu 01); nothing here holds form wording: every label
comes from resources/forms/*.json through ``spec()``. What lives here are generic format words only
(dates, "giờ", "đồng", the check marks) and the layouts:

* ``Doc``: a document as a platypus story plus its metadata, so that a form can be printed alone
  (``build``) or laid one after another in the case file (printouts.dossier);
* worksheet header lines ("Họ và tên trẻ em: …") and their dotted blank versions;
* bordered tables whose header row repeats on every page and whose rows may split inside long cells;
* check marks (■ chosen, □ not chosen: both glyphs are in Times New Roman and Liberation Serif);
* the two-column signatures (Mẫu 04, the minutes) and the "Nơi nhận:" block of decisions.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from models.errors import UserError
from models.clock import VN, fmt_hour_phrase
from models.entities import Case, Office
from models import process_rules as rules
from models.vocab import COMMUNE_KINDS

from . import admin_layout as L
from . import fonts

CHECKED = "■"
UNCHECKED = "□"
CELL_SIZE = 12
GRID = 0.5


class NotPrintable(UserError, ValueError):
    """The case has no such paper (or not that one): a Vietnamese message, shown as it is."""


def which(version: Any) -> int | None:
    """The ordinal a person asked for ("2", 2; None or "" = the latest)."""
    if version is None or version == "":
        return None
    try:
        return int(version)
    except (TypeError, ValueError):
        raise NotPrintable(f"Số thứ tự văn bản không hợp lệ: {str(version)[:20]}.") from None


def pick(items: list, version: Any, none: str, plural: str) -> Any:
    """Record number `version` (1 = the first; None = the latest) of a case's records of one paper.
    `none`: the message when there is none; `plural`: what N of them are called ("biên bản họp")."""
    number = which(version)
    if not items:
        raise NotPrintable(none)
    if number is None:
        return items[-1]
    if not 1 <= number <= len(items):
        raise NotPrintable(f"Hồ sơ này có {len(items)} {plural}; không có lần thứ {number}.")
    return items[number - 1]


def spec(form: str) -> dict[str, Any]:
    """The wording of "02"…"07" or "bien_ban_hop" (resources/forms)."""
    return rules.process_form(form)


# --- Documents -------------------------------------------------------------------------------------------
@dataclass
class Doc:
    """One printable document: its story, its metadata and the outline title used in the case file."""

    story: list[Flowable]
    meta: L.Metadata
    outline: str = ""

    def build(self, out: L.Output) -> None:
        L.build_pdf(out, self.story, self.meta)


def metadata(form: str, subject: str = "") -> L.Metadata:
    """Form title only, never a child's name (the file may be mailed or indexed). The title says what the page
    says: "Mẫu số 01: …" only on a form that prints its number (`prints_form_code`); a form whose words are not
    the decree's own, or are an office's local wording, is titled by its name alone."""
    s = spec(form)
    title = f"{s['code_label']}: {s['name']}" if prints_form_code(form) else s["name"]
    return L.Metadata(title=title, subject=L.clean(subject))


def outline_title(form: str, extra: str = "") -> str:
    s = spec(form)
    title = f"{s['code_label']}: {s['name']}"
    return f"{title} ({extra})" if extra else title


# --- Values ----------------------------------------------------------------------------------------------
def value(text: object) -> str:
    """User text as printed; nothing recorded → "……"."""
    text = L.clean(text).strip()
    return text or L.BLANK


def fmt_day(d: date | datetime | None) -> str:
    if d is None:
        return L.BLANK
    if isinstance(d, datetime):
        d = d.astimezone(VN).date()
    return d.strftime("%d/%m/%Y")


def fmt_moment(dt: datetime | None) -> str:
    """"09 giờ 30, ngày 20/11/2026" (as the hour is written on Vietnamese papers)."""
    if dt is None:
        return L.BLANK
    dt = dt.astimezone(VN)
    return f"{fmt_hour_phrase(dt)}, ngày {dt.day:02d}/{dt.month:02d}/{dt.year}"


def local_day(dt: datetime | None) -> date | None:
    return dt.astimezone(VN).date() if dt is not None else None


def fmt_money(amount: int | None) -> str:
    return rules.format_vnd(int(amount or 0))


def commune_words(office: Office | None) -> str:
    """"xã Cẩm Hưng" (the commune as named in running text); "" when unknown."""
    if office is None or not L.clean(office.commune_name).strip():
        return ""
    kind = COMMUNE_KINDS.get(office.commune_kind, office.commune_kind or "")
    return f"{kind} {L.clean(office.commune_name).strip()}".strip()


def agency_of(office: Office | None) -> str:
    """The office's agency name for a header block, broken after "ỦY BAN NHÂN DÂN" (the word of
    mau04.json) when it takes two lines, so the name is never cut inside it ("ỦY BAN NHÂN / DÂN XÃ …")."""
    agency = L.clean(office.agency_name).strip() if office else ""
    generic = L.clean(spec("04")["header"]["agency"]).strip()
    if agency.upper().startswith(generic.upper() + " ") and not L.fits_one_line(L.upper(agency), "agency",
                                                                              L.HEADER_LEFT_WIDTH):
        agency = agency[:len(generic)] + "\n" + agency[len(generic):].strip()
    return agency


def abbrev_of(office: Office | None) -> str:
    return (L.clean(office.agency_abbrev).strip() if office else "") or "UBND"


def place_of(office: Office | None) -> str:
    if office is None:
        return ""
    return L.clean(office.place_name).strip() or L.clean(office.commune_name).strip()


def place_date(office: Office | None, d: date | None) -> str:
    """"Cẩm Hưng, ngày 20 tháng 11 năm 2026"; dotted place and date where unknown."""
    place = place_of(office) or L.WRITE_GAP * 2
    return L.place_date_line(place, d)


def child_birth(case: Case | None) -> str:
    child = case.child if case is not None else None
    if child is None:
        return L.BLANK
    if child.date_of_birth is not None:
        return fmt_day(child.date_of_birth)
    return L.BLANK


def child_address(case: Case | None, office: Office | None) -> str:
    child = case.child if case is not None else None
    if child is None:
        return L.BLANK
    parts = [L.clean(child.address).strip(), L.clean(child.village).strip(), commune_words(office)]
    return ", ".join(p for p in parts if p) or L.BLANK


BLANK_GAP = "." * 24  # a placeholder of a blank form: room to write by hand


def fill(template: str, values: Mapping[str, str] | None) -> str:
    """The form's template with its {placeholders} filled: unknown ones print "……", and on a blank form
    (values=None) every placeholder is a dotted gap to write in."""
    gap = BLANK_GAP if values is None else L.BLANK
    values = values or {}

    class _Missing(dict):
        def __missing__(self, key):  # noqa: D401
            return gap

    return L.clean(template).format_map(_Missing({k: L.clean(v) for k, v in values.items()}))


# --- Styles ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _extra_styles() -> dict[str, ParagraphStyle]:
    base = L.style("body")

    def derive(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "cell": derive("cell", fontSize=CELL_SIZE, leading=15, alignment=TA_LEFT, spaceAfter=0),
        "cell_head": derive("cell_head", fontName=fonts.BOLD, fontSize=CELL_SIZE, leading=15, alignment=TA_CENTER,
                            spaceAfter=0),
        "cell_center": derive("cell_center", fontSize=CELL_SIZE, leading=15, alignment=TA_CENTER, spaceAfter=0),
        "cell_bold": derive("cell_bold", fontName=fonts.BOLD, fontSize=CELL_SIZE, leading=15, alignment=TA_LEFT,
                            spaceAfter=0),
        "cell_right": derive("cell_right", fontSize=CELL_SIZE, leading=15, alignment=2, spaceAfter=0),
        "subtitle_note": derive("subtitle_note", fontName=fonts.ITALIC, fontSize=13, leading=17,
                                alignment=TA_CENTER, spaceAfter=12),
        "heading_table": derive("heading_table", fontName=fonts.BOLD, alignment=TA_LEFT, spaceBefore=4,
                                spaceAfter=3),
        "item": derive("item", leftIndent=6 * mm, firstLineIndent=-6 * mm),
        "item_note": derive("item_note", fontName=fonts.ITALIC, fontSize=12, leading=15, leftIndent=6 * mm),
        "ground": derive("ground", fontName=fonts.ITALIC, firstLineIndent=10 * mm, spaceAfter=2),
        "article": derive("article", firstLineIndent=10 * mm, spaceAfter=4),
        "centre_bold": derive("centre_bold", fontName=fonts.BOLD, fontSize=14, leading=18, alignment=TA_CENTER,
                              spaceBefore=8, spaceAfter=8),
        "authority": derive("authority", fontName=fonts.BOLD, fontSize=14, leading=18, alignment=TA_CENTER,
                            spaceBefore=6, spaceAfter=10),
        "recipients_head": derive("recipients_head", fontName=fonts.BOLD_ITALIC, fontSize=12, leading=14,
                                  alignment=TA_LEFT, spaceAfter=1),
        "recipient": derive("recipient", fontSize=11, leading=13, alignment=TA_LEFT, spaceAfter=0),
        "form_code": derive("form_code", fontName=fonts.BOLD, fontSize=13, leading=16, alignment=2, spaceAfter=4),
        "attached_to": derive("attached_to", fontName=fonts.ITALIC, fontSize=13, leading=17, alignment=TA_CENTER,
                              spaceAfter=10),
        "draft_mark": derive("draft_mark", fontName=fonts.BOLD, fontSize=12, leading=14, alignment=2, spaceAfter=2),
    }


def style(name: str) -> ParagraphStyle:
    extra = _extra_styles()
    return extra[name] if name in extra else L.style(name)


def p(text: object, style_name: str = "body") -> Paragraph:
    return Paragraph(L.esc(text), style(style_name))


def pm(markup: str, style_name: str = "body") -> Paragraph:
    return Paragraph(markup, style(style_name))


# --- Titles ----------------------------------------------------------------------------------------------
def title(main: str, *subtitles: str) -> list[Flowable]:
    """Centred title; a subtitle in brackets ("(Trường hợp …)") prints as the italic note under it."""
    out: list[Flowable] = [L.balanced_para(main, "title", L.FRAME_WIDTH)]
    subs = [s for s in subtitles if L.clean(s).strip()]
    for i, line in enumerate(subs):
        last = i == len(subs) - 1
        if L.clean(line).strip().startswith("("):
            out.append(p(line, "subtitle_note" if last else "sig_note"))
        else:
            out.append(L.balanced_para(line, "subtitle" if last else "subtitle_cont", L.FRAME_WIDTH))
    if not subs:
        out.append(Spacer(1, 12))
    return out


def prints_form_code(form: str) -> bool:
    """Whether the form's page carries "Mẫu số NN": only when its printed words are the decree's own (not a
    reconstructed form, nor an office's local wording). The page and the PDF's title follow this one rule."""
    from models.wording import wording_of

    w = wording_of(form)
    return w.official and not w.local


def form_code(form: str) -> list[Flowable]:
    """"Mẫu số 01" at the top right, as the decree's appendix prints it, only on a form whose printed words
    are the decree's own (`prints_form_code`)."""
    if not prints_form_code(form):
        return []
    return [FormCode(spec(form)["code_label"])]


class FormCode(Flowable):
    """"Mẫu số 01" drawn at the right in the top margin above the document's first line, as the appendix
    prints it, taking no room from the page's text (page 1 of a document carries no page number there)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = L.clean(text)

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        return availWidth, 0

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(fonts.BOLD, 13)
        canvas.drawRightString(self.width, 5 * mm, self.text)
        canvas.restoreState()


def grouped_lines(groups: Sequence[str], style_name: str, width: float) -> list[str]:
    """Lines of a centred subject made of word groups that are never broken inside ("Kế hoạch hỗ trợ, can
    thiệp" stays whole): the fewest lines, then the most even ones. A group wider than the line is wrapped
    on its own."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    st = style(style_name)
    pieces: list[str] = []
    for g in (L.clean(g).strip() for g in groups):
        if not g:
            continue
        if stringWidth(g, st.fontName, st.fontSize) > width:
            pieces.extend(simpleSplit(g, st.fontName, st.fontSize, width))
        else:
            pieces.append(g)
    if not pieces:
        return [""]

    def w(line: list[str]) -> float:
        return stringWidth(" ".join(line), st.fontName, st.fontSize)

    best: list[list[str]] | None = None
    best_key = None
    n = len(pieces)
    for mask in range(1 << max(n - 1, 0)):  # a subject has a handful of groups: try every split
        lines, cur = [], [pieces[0]]
        for i in range(1, n):
            if mask >> (i - 1) & 1:
                lines.append(cur)
                cur = [pieces[i]]
            else:
                cur.append(pieces[i])
        lines.append(cur)
        widths = [w(line) for line in lines]
        if max(widths) > width:
            continue
        key = (len(lines), max(widths) - min(widths) if len(lines) > 1 else 0)
        if best_key is None or key < best_key:
            best, best_key = lines, key
    if best is None:
        return simpleSplit(" ".join(pieces), st.fontName, st.fontSize, width)
    return [" ".join(line) for line in best]


def grouped_para(groups: Sequence[str], style_name: str, width: float) -> Paragraph:
    return Paragraph("<br/>".join(L.esc(line) for line in grouped_lines(groups, style_name, width)),
                     style(style_name))


def subject_rule() -> Flowable:
    """The short rule under a decision's or a minutes' subject line (NĐ 30)."""
    from reportlab.platypus import HRFlowable

    return HRFlowable(width=40 * mm, thickness=L.RULE_THICKNESS, color=colors.black, hAlign="CENTER",
                      spaceBefore=6, spaceAfter=8)


def draft_mark(text: str = "DỰ THẢO") -> Paragraph:
    """The "DỰ THẢO" mark of a document not yet signed (generic format word)."""
    return p(text, "draft_mark")


# --- Lines and blanks ------------------------------------------------------------------------------------
def label_value(label: str, text: object) -> Paragraph:
    """"Họ và tên trẻ em: Nguyễn Thị Ánh" (no double colon when the label already ends with one)."""
    label = L.clean(label).strip()
    sep = " " if label.endswith((":", "?")) else ": "
    return pm(f"{L.esc(label)}{sep}{L.esc(value(text))}", "body_left")


def label_dots(label: str, extra_lines: int = 0) -> list[Flowable]:
    """"Họ và tên trẻ em: ………" to the right margin, plus whole dotted lines."""
    label = L.clean(label).strip()
    if not label.endswith((":", "?")):
        label += ":"
    out: list[Flowable] = [L.para_markup(L.esc(label) + L.dots_to_fill(label), "blank")]
    if not L.dots_to_fill(label):
        extra_lines = max(extra_lines, 1)
    out.extend(L.dotted_line() for _ in range(extra_lines))
    return out


def dotted_lines(n: int) -> list[Flowable]:
    return [L.dotted_line() for _ in range(n)]


def header_fields(fields: Sequence[Mapping[str, str]], values: Mapping[str, object] | None) -> list[Flowable]:
    """The name/assessor/date lines at the top of a worksheet."""
    if values is None:
        return [f for fld in fields for f in label_dots(fld["label"])]
    return [label_value(fld["label"], values.get(fld["id"])) for fld in fields]


def text_block(text: object, blank_lines: int = 3, *, filled: bool = True, style_name: str = "indented") -> list[Flowable]:
    """A free-text answer: its paragraphs (one per line written) or dotted lines on a blank form."""
    if not filled:
        return dotted_lines(blank_lines)
    text = L.clean(text).strip()
    if not text:
        return [p(L.BLANK, "body")]
    return [p(line, style_name) for line in text.split("\n") if line.strip()] or [p(L.BLANK, "body")]


def heading(text: str) -> Paragraph:
    return p(text, "heading")


def mark(chosen: bool) -> str:
    return CHECKED if chosen else UNCHECKED


def option_lines(options: Iterable[tuple[str, str]], chosen: Iterable[str] | None, style_name: str = "item") -> list[Flowable]:
    """One line per option, "■ text" for the chosen ones and "□ text" for the others (all □ when blank)."""
    picked = set(chosen or ())
    out = []
    for key, text in options:
        on = key in picked
        body = f"<b>{L.esc(text)}</b>" if on else L.esc(text)
        out.append(pm(f"{mark(on)}&nbsp;&nbsp;{body}", style_name))
    return out


def dash_lines(items: Iterable[str], style_name: str = "item") -> list[Flowable]:
    """"- item" lines with a hanging indent."""
    return [pm(f"-&nbsp;&nbsp;{L.esc(item)}", style_name) for item in items if L.clean(item).strip()]


def numbered_lines(items: Iterable[str], style_name: str = "item") -> list[Flowable]:
    return [pm(f"{i}.&nbsp;&nbsp;{L.esc(item)}", style_name)
            for i, item in enumerate((it for it in items if L.clean(it).strip()), start=1)]


# --- Tables ----------------------------------------------------------------------------------------------
def cell(text: object, style_name: str = "cell") -> Paragraph:
    return Paragraph(L.esc(text), style(style_name))


def cell_markup(markup: str, style_name: str = "cell") -> Paragraph:
    return Paragraph(markup, style(style_name))


TALL_ROW = 110 * mm


def _row_height(row: Sequence[Any], widths: Sequence[float]) -> float:
    tallest = 0.0
    for content, width in zip(row, widths):
        items = content if isinstance(content, (list, tuple)) else [content]
        height = 0.0
        for item in items:
            if isinstance(item, Flowable):
                height += item.wrap(width - 8, L.PAGE_HEIGHT)[1]
        tallest = max(tallest, height)
    return tallest


def grid(rows: list[list[Any]], widths: Sequence[float], *, header_rows: int = 1,
         extra_style: Sequence[tuple] = (), min_heights: Sequence[float] | None = None) -> Table:
    """A bordered table; the header rows repeat on each page and a tall row may split inside its cells,
    so a long answer flows on instead of overflowing the page."""
    total = sum(widths)
    scale = L.FRAME_WIDTH / total if total > L.FRAME_WIDTH else 1
    col_widths = [w * scale for w in widths]
    # Rows split inside their cells only when one is too tall to move whole to the next page;
    # otherwise a row stays in one piece (a short row cut in two is hard to read).
    split_in_row = int(any(_row_height(row, col_widths) > TALL_ROW for row in rows[header_rows:]))
    table = Table(rows, colWidths=col_widths, repeatRows=header_rows, splitInRow=split_in_row,
                  hAlign="LEFT", minRowHeights=list(min_heights) if min_heights else None)
    cmds = [
        ("GRID", (0, 0), (-1, -1), GRID, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # else Table sets an unembedded Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_rows:
        cmds.append(("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"))
    cmds.extend(extra_style)
    table.setStyle(TableStyle(cmds))
    return table


def table_heading(text: str, min_space: float = 45 * mm) -> list[Flowable]:
    """A heading over a table: a new page first when less than `min_space` is left (so the heading never
    ends a page), but no keep-with-next, which would push a long table whole onto the next page."""
    return [CondPageBreak(min_space), p(text, "heading_table")]


def head_cells(labels: Sequence[str]) -> list[Paragraph]:
    return [cell(label, "cell_head") for label in labels]


# --- Signatures and recipients ---------------------------------------------------------------------------
@dataclass
class Signer:
    """One signature column: lines in bold caps (authority, title), an italic note, the name."""

    lines: Sequence[str] = ()
    note: str = ""
    name: str = ""
    bold_lines: bool = True
    space: float = 22 * mm


def _signer_flowables(s: Signer) -> list[Flowable]:
    st = L.styles()
    out: list[Flowable] = [Paragraph(L.esc(line), st["sig_title"] if s.bold_lines else st["sig_note"])
                           for line in s.lines if L.clean(line).strip()]
    if s.note:
        out.append(Paragraph(L.esc(s.note), st["sig_note"]))
    out.append(Spacer(1, s.space))
    if L.clean(s.name).strip():
        out.append(Paragraph(L.esc(s.name), st["sig_name"]))
    return out


def _title_lines(s: Signer) -> int:
    return len([line for line in s.lines if L.clean(line).strip()]) + (1 if s.note else 0)


def signatures(left: Signer | None, right: Signer, *, left_block: Sequence[Flowable] = (),
               keep_with: Sequence[Flowable] = ()) -> Flowable:
    """Two signature columns side by side (or "Nơi nhận:" on the left), kept on one page with `keep_with`."""
    half = L.FRAME_WIDTH / 2
    if left is not None and not left_block:  # names on the same line: pad the shorter title block
        diff = _title_lines(right) - _title_lines(left)
        if diff:
            short = left if diff > 0 else right
            short.space += abs(diff) * L.style("sig_title").leading
    left_cell = list(left_block) or (_signer_flowables(left) if left else [Spacer(1, 1)])
    if left_block:
        widths = [L.FRAME_WIDTH - L.SIGNATURE_WIDTH, L.SIGNATURE_WIDTH]
    else:
        widths = [half, half]
    table = Table([[left_cell, _signer_flowables(right)]], colWidths=widths)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return KeepTogether([*keep_with, Spacer(1, 10), table])


def recipients_block(heading_text: str, items: Iterable[str]) -> list[Flowable]:
    """"Nơi nhận:" (12, bold italic) and "- …;" lines (11), the last one ending with a full stop."""
    lines = [L.clean(i).strip().lstrip("-").strip() for i in items]
    lines = [line for line in lines if line]
    out: list[Flowable] = [p(heading_text, "recipients_head")]
    for i, line in enumerate(lines):
        if i == len(lines) - 1:
            line = line.rstrip(";,") + ("" if line.endswith(".") else ".")
        elif not line.endswith((";", ".", ",")):
            line += ";"
        out.append(p(f"- {line}", "recipient"))
    return out


def tail(story: list[Flowable]) -> list[Flowable]:
    """The last short paragraph of the story, moved along with the signature (never a lone signature)."""
    return L.short_tail(story)
