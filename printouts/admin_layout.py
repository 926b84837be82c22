"""A small kit for Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I).

Every Mẫu printout is a platypus story built from these pieces:

* the page: A4 portrait, margins 20/20/30/15 mm (top/bottom/left/right), page numbers from page 2 on,
  centred in the top margin (``build_pdf``);
* the two-column header (agency and number on the left; national name, motto and the place-date line on the
  right), the centred title block, the signature block on the right, footnotes (``header_block``,
  ``title_block``, ``signature_block``, ``footnotes_block``);
* paragraphs: ``para`` takes plain text (NFC-normalised and XML-escaped here, so user text with ``<`` or
  ``&`` prints literally); ``para_markup`` takes markup a printout composed itself from ``esc()``-ed pieces;
* dotted leaders for blank forms (``dots``, ``dots_to_fill``).

Long user text goes into plain paragraphs (never into table cells), so platypus splits it across pages.
No Qt here: this module is imported only when something is printed.
"""
from __future__ import annotations

import io
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import BinaryIO, Iterable, Sequence, Union
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, HRFlowable, KeepTogether, PageTemplate, Paragraph, Spacer, Table,
    TableStyle,
)

from models.clock import date_phrase

from . import fonts

Output = Union[str, "os.PathLike[str]", BinaryIO]

# --- Page -----------------------------------------------------------------------------------------------
PAGE_SIZE = A4
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

# Header columns: the national name (12 pt bold, ~89 mm) needs the wider right column.
HEADER_LEFT_WIDTH = 68 * mm
HEADER_RIGHT_WIDTH = FRAME_WIDTH - HEADER_LEFT_WIDTH
SIGNATURE_WIDTH = 85 * mm

# Generic words of the national format (not form wording, so they live in code).
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER_PREFIX = "Số:"
BLANK = "……"  # where nothing was recorded
WRITE_GAP = "......"  # a short gap to write in by hand (number, date)

BODY_SIZE = 13
RULE_THICKNESS = 0.6

# --- Text -----------------------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: object) -> str:
    """NFC text with Unix line ends, tabs as spaces and no control characters ('' for None)."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFC", str(text))
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", value)


def esc(text: object) -> str:
    """Plain text made safe for a Paragraph: NFC, XML-escaped, line breaks kept."""
    return escape(clean(text)).replace("\n", "<br/>")


def upper(text: object) -> str:
    return clean(text).upper()


def date_words(d: date | None) -> str:
    """'ngày 05 tháng 02 năm 2026' (NĐ 30: a zero before days below 10 and months 1 and 2);
    the dotted 'ngày ...... tháng ...... năm 20...' when there is no date."""
    if d is None:
        return f"ngày {WRITE_GAP} tháng {WRITE_GAP} năm 20{WRITE_GAP[:3]}"
    return date_phrase(d)


def place_date_line(place: str, d: date | None) -> str:
    """'Cẩm Hưng, ngày 20 tháng 11 năm 2026'."""
    return f"{clean(place).strip()}, {date_words(d)}"


# --- Styles ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles every printout shares (fonts are registered on first use)."""
    fonts.register_fonts()
    base = ParagraphStyle(
        "body", fontName=fonts.REGULAR, fontSize=BODY_SIZE, leading=18, alignment=TA_JUSTIFY,
        spaceBefore=0, spaceAfter=3, textColor=colors.black, splitLongWords=1, allowWidows=0, allowOrphans=0,
    )

    def derive(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "body_left": derive("body_left", alignment=TA_LEFT),
        "indented": derive("indented", firstLineIndent=10 * mm),
        # Blank forms: wider line spacing to write on by hand.
        "blank": derive("blank", alignment=TA_LEFT, leading=19, spaceAfter=1),
        "heading": derive("heading", fontName=fonts.BOLD, alignment=TA_LEFT, spaceBefore=4, spaceAfter=3, keepWithNext=1),
        "title": derive("title", fontName=fonts.BOLD, fontSize=14, leading=18, alignment=TA_CENTER, spaceBefore=14, spaceAfter=0),
        "subtitle": derive("subtitle", fontName=fonts.BOLD, fontSize=14, leading=18, alignment=TA_CENTER, spaceAfter=14),
        "subtitle_cont": derive("subtitle_cont", fontName=fonts.BOLD, fontSize=14, leading=18, alignment=TA_CENTER,
                                spaceAfter=0),
        "agency_parent": derive("agency_parent", fontSize=13, leading=16, alignment=TA_CENTER, spaceAfter=0),
        "agency": derive("agency", fontName=fonts.BOLD, fontSize=13, leading=16, alignment=TA_CENTER, spaceAfter=0),
        "number": derive("number", fontSize=13, leading=16, alignment=TA_CENTER, spaceBefore=4, spaceAfter=0),
        "national": derive("national", fontName=fonts.BOLD, fontSize=12, leading=16, alignment=TA_CENTER, spaceAfter=0),
        "motto": derive("motto", fontName=fonts.BOLD, fontSize=13, leading=16, alignment=TA_CENTER, spaceAfter=0),
        "date_line": derive("date_line", fontName=fonts.ITALIC, fontSize=13, leading=16, alignment=TA_CENTER,
                            spaceBefore=4, spaceAfter=0),
        "sig_title": derive("sig_title", fontName=fonts.BOLD, leading=16, alignment=TA_CENTER, spaceAfter=0),
        "sig_note": derive("sig_note", fontName=fonts.ITALIC, leading=16, alignment=TA_CENTER, spaceAfter=0),
        "sig_name": derive("sig_name", fontName=fonts.BOLD, leading=16, alignment=TA_CENTER, spaceAfter=0),
        "footnote": derive("footnote", fontSize=11, leading=14, spaceAfter=1),
        "footnote_left": derive("footnote_left", fontSize=11, leading=13, spaceAfter=1, alignment=TA_LEFT,
                                rightIndent=4 * mm),
    }


def style(name: str) -> ParagraphStyle:
    return styles()[name]


def para(text: object, style_name: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped here)."""
    return Paragraph(esc(text), style(style_name))


def para_markup(markup: str, style_name: str = "body") -> Paragraph:
    """A paragraph of markup the caller composed from esc()-ed pieces."""
    return Paragraph(markup, style(style_name))


# --- Measuring and dotted leaders ----------------------------------------------------------------------
DOT = "."


def text_width(text: str, style_name: str = "body", *, font: str | None = None) -> float:
    st = style(style_name)
    return stringWidth(clean(text), font or st.fontName, st.fontSize)


def fits_one_line(text: str, style_name: str = "body", width: float = FRAME_WIDTH) -> bool:
    return text_width(text, style_name) <= width - 2  # a little slack for rounding in the line breaker


UNBREAKABLE_PREFIXES = ("CHỦ TỊCH ỦY BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN")


def balanced_lines(text: str, style_name: str, width: float) -> list[str]:
    """Wrap `text` into as few lines as greedy wrapping needs, but with lines of even length
    ("ỦY BAN NHÂN DÂN / XÃ CẨM HƯNG" rather than "ỦY BAN NHÂN DÂN XÃ CẨM / HƯNG")."""
    st = style(style_name)
    text = clean(text).strip()
    lines = simpleSplit(text, st.fontName, st.fontSize, width)
    if len(lines) <= 1:
        return lines or [""]
    for phrase in UNBREAKABLE_PREFIXES:
        # "ỦY BAN NHÂN DÂN / XÃ HẠ HÒA", never "ỦY BAN NHÂN / DÂN XÃ HẠ HÒA": the body's name stays whole.
        if len(lines) == 2 and text.upper().startswith(phrase + " "):
            rest = text[len(phrase):].strip()
            if stringWidth(rest, st.fontName, st.fontSize) <= width:
                return [text[:len(phrase)], rest]
    lo, hi = 0.0, width
    for _ in range(20):  # narrowest width that still needs no more lines
        mid = (lo + hi) / 2
        if len(simpleSplit(text, st.fontName, st.fontSize, mid)) <= len(lines):
            hi = mid
        else:
            lo = mid
    return simpleSplit(text, st.fontName, st.fontSize, hi)


def balanced_para(text: str, style_name: str, width: float) -> Paragraph:
    """A centred block (agency name, title) broken into even lines."""
    return Paragraph("<br/>".join(escape(line) for line in balanced_lines(text, style_name, width)),
                     style(style_name))


def dots(width: float, style_name: str = "blank") -> str:
    """As many dots as fill `width` points."""
    st = style(style_name)
    n = int(width // stringWidth(DOT, st.fontName, st.fontSize))
    return DOT * max(n, 0)


def last_line_width(text: str, style_name: str = "blank", width: float = FRAME_WIDTH) -> float:
    """Width of the last line `text` takes when wrapped at `width` (for finishing it with dots)."""
    st = style(style_name)
    lines = simpleSplit(clean(text), st.fontName, st.fontSize, width) or [""]
    return stringWidth(lines[-1], st.fontName, st.fontSize)


def dots_to_fill(text: str, style_name: str = "blank", width: float = FRAME_WIDTH, *, slack: float = 8) -> str:
    """The dots that complete the last line of `text` up to the right margin."""
    remaining = width - last_line_width(text, style_name, width) - slack
    if remaining < 20:  # no room on this line: a whole dotted line below would be a new paragraph
        return ""
    return dots(remaining, style_name)


def dotted_line(style_name: str = "blank", width: float = FRAME_WIDTH) -> Paragraph:
    """A full line of dots to write on."""
    return Paragraph(dots(width - 8, style_name), style(style_name))


# --- Blocks ---------------------------------------------------------------------------------------------
def _rule(width: float, *, space_before: float = 3, space_after: float = 2) -> HRFlowable:
    return HRFlowable(width=width, thickness=RULE_THICKNESS, color=colors.black, hAlign="CENTER",
                      spaceBefore=space_before, spaceAfter=space_after)


def header_block(agency: str, number: str, place_date: str, *, parent_agency: str = "") -> Table:
    """The two-column header of NĐ 30.

    Left: [parent agency, regular caps], issuing agency (bold caps) with a short rule under it, then the
    number line ("Số: 01/BC-UBND", passed whole). Right: national name, motto with a rule as long as the
    motto, then the place-date line (italic). The number and the date line sit on the same row.
    """
    st = styles()
    left_top: list[Flowable] = []
    if parent_agency:
        left_top.append(balanced_para(upper(parent_agency), "agency_parent", HEADER_LEFT_WIDTH))
    agency_text = upper(agency)
    left_top.append(balanced_para(agency_text, "agency", HEADER_LEFT_WIDTH))
    lines = balanced_lines(agency_text, "agency", HEADER_LEFT_WIDTH)
    longest = max(stringWidth(line, st["agency"].fontName, st["agency"].fontSize) for line in lines)
    left_top.append(_rule(max(longest * 0.4, 18 * mm)))

    motto_width = stringWidth(NATIONAL_MOTTO, st["motto"].fontName, st["motto"].fontSize)
    right_top: list[Flowable] = [
        Paragraph(NATIONAL_NAME, st["national"]),
        Paragraph(NATIONAL_MOTTO, st["motto"]),
        _rule(motto_width),
    ]
    table = Table(
        [[left_top, right_top],
         [Paragraph(esc(number), st["number"]), Paragraph(esc(place_date), st["date_line"])]],
        colWidths=[HEADER_LEFT_WIDTH, HEADER_RIGHT_WIDTH],
        hAlign="CENTER",
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # else Table sets an unembedded Helvetica
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def number_line(number: str) -> str:
    """'Số: 01/BC-UBND'."""
    return f"{NUMBER_PREFIX} {clean(number).strip()}"


def title_block(title: str, *subtitles: str) -> list[Flowable]:
    """The centred title (bold caps) and its subject lines."""
    out: list[Flowable] = [para(title, "title")]
    for i, line in enumerate(subtitles):
        out.append(para(line, "subtitle" if i == len(subtitles) - 1 else "subtitle_cont"))
    if not subtitles:
        out.append(Spacer(1, 12))
    return out


def signature_block(title: str, note: str = "", name: str = "", *, authority: str = "",
                    left: Sequence[Flowable] = (), space: float = 22 * mm,
                    keep_with: Sequence[Flowable] = (), width: float = SIGNATURE_WIDTH) -> Flowable:
    """The signature on the right: [authority (TM./KT. …)], title (bold), note (italic), room to sign,
    name (bold). `left` holds what sits beside it (e.g. "Nơi nhận:"). Kept on one page, together with
    `keep_with` (the last short lines of the body: a signature never stands alone on a page)."""
    st = styles()
    right: list[Flowable] = []
    if authority:
        right.append(Paragraph(esc(upper(authority)), st["sig_title"]))
    right.append(Paragraph(esc(title), st["sig_title"]))
    if note:
        right.append(Paragraph(esc(note), st["sig_note"]))
    right.append(Spacer(1, space))
    if clean(name).strip():
        right.append(Paragraph(esc(name), st["sig_name"]))
    table = Table([[list(left) or [Spacer(1, 1)], right]], colWidths=[FRAME_WIDTH - width, width])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # else Table sets an unembedded Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return KeepTogether([*keep_with, Spacer(1, 10), table])


def short_tail(story: list[Flowable], max_height: float = 80) -> list[Flowable]:
    """Remove and return the last flowable of `story` when it is short enough to move to the next page
    with the signature (a long answer stays where it is and splits)."""
    if story and isinstance(story[-1], Paragraph):
        _, height = story[-1].wrap(FRAME_WIDTH, PAGE_HEIGHT)
        if height <= max_height:
            return [story.pop()]
    return []


def footnotes_block(notes: Iterable[str]) -> list[Flowable]:
    """Footnotes under a short rule at the left, in 11 pt."""
    notes = [n for n in notes if clean(n).strip()]
    if not notes:
        return []
    items: list[Flowable] = [
        Spacer(1, 8),
        HRFlowable(width=45 * mm, thickness=RULE_THICKNESS, color=colors.black, hAlign="LEFT",
                   spaceBefore=0, spaceAfter=3),
    ]
    items.extend(para(n, "footnote") for n in notes)
    return [KeepTogether(items)]


# --- Document -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Metadata:
    title: str
    subject: str = ""
    author: str = "BVTE"


def _page_number(canvas, doc) -> None:
    """NĐ 30: no number on page 1; from page 2, centred in the top margin, 13 pt upright."""
    from .marks import draw_page_marks

    draw_page_marks(canvas, doc)  # "DỮ LIỆU MẪU" on a demo office's papers
    if doc.page < 2:
        return
    canvas.saveState()
    canvas.setFont(fonts.REGULAR, 13)
    canvas.drawCentredString(MARGIN_LEFT + FRAME_WIDTH / 2, PAGE_HEIGHT - MARGIN_TOP / 2 - 4, str(doc.page))
    canvas.restoreState()


def build_pdf(out: Output, story: list[Flowable], meta: Metadata) -> None:
    """Lay the story out on A4 pages and write the PDF to a path or a binary file object.

    The whole document is made in memory first, so a layout error never leaves half a file behind.
    Metadata carries the form's title only: never a child's name (the file may be mailed or indexed).
    """
    fonts.register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=clean(meta.title), author=clean(meta.author), subject=clean(meta.subject),
        creator="BVTE", lang="vi-VN",
        # Start every page in the embedded face, so no unembedded Helvetica is referenced.
        initialFontName=fonts.REGULAR, initialFontSize=BODY_SIZE, initialLeading=18,
    )
    # No frame padding: the text area is exactly the page less the NĐ 30 margins (FRAME_WIDTH wide).
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_number)])
    doc.build(story)
    data = buffer.getvalue()
    if hasattr(out, "write"):
        out.write(data)  # type: ignore[union-attr]
    else:
        from models.safe_files import replace_atomically  # never half a PDF under the final name (disk full)

        replace_atomically(os.fspath(out), data)  # type: ignore[arg-type]
