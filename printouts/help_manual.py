"""The printed user manual: the pages of resources/help (models.help) as one A4 PDF with a cover, a table of
contents, page numbers, the drawing of the process and the screenshots taken by tests/tools/screenshots.py
when the manual is built (`bvte help --pdf -o FILE --anh DIR`). Without screenshots the manual is still
complete, and its cover says the pictures are left out.

The Markdown is read with markdown-it-py (CommonMark with tables); each block becomes a reportlab flowable.
"""
from __future__ import annotations

import io
from html import escape
from pathlib import Path
from typing import BinaryIO

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Frame, Image, KeepTogether, PageBreak, PageTemplate, Paragraph, Spacer,
    Table, TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from models import __version__, help as guide

from .fonts import BOLD, REGULAR, register_fonts

NO_SCREENSHOTS = ("Bản in này không có ảnh màn hình (ảnh được chụp tự động khi đóng gói chương trình). "
                  "Nội dung hướng dẫn vẫn đầy đủ.")
WITH_SCREENSHOTS = "Ảnh màn hình trong bản in này được chụp tự động từ chính chương trình phiên bản {version}."
SCREEN_PIXELS = 1024  # the width of the screen the screenshots are taken on (installer/build_manual.py)
MARGINS = dict(left=25 * mm, right=20 * mm, top=22 * mm, bottom=20 * mm)
TEXT_WIDTH = A4[0] - MARGINS["left"] - MARGINS["right"]


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=12, leading=16, spaceAfter=5)
    return {
        "body": base,
        "item": ParagraphStyle("item", parent=base, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=12.5, spaceAfter=0),
        "caption": ParagraphStyle("caption", parent=base, fontSize=10, leading=12, alignment=TA_CENTER,
                                  textColor=colors.HexColor("#444444"), spaceAfter=10),
        "chapter": ParagraphStyle("chapter", parent=base, fontName=BOLD, fontSize=20, leading=25, spaceBefore=40,
                                  spaceAfter=16),
        "page": ParagraphStyle("page", parent=base, fontName=BOLD, fontSize=16, leading=20, spaceBefore=6,
                               spaceAfter=10, textColor=colors.HexColor("#0d47a1"), keepWithNext=True),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=13, leading=17, spaceBefore=8, spaceAfter=4,
                             keepWithNext=True),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=26, leading=32, alignment=TA_CENTER,
                                spaceBefore=120, spaceAfter=18),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=19, alignment=TA_CENTER,
                                   spaceAfter=10),
        "toc0": ParagraphStyle("toc0", parent=base, fontName=BOLD, fontSize=12, leading=16, spaceBefore=6),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=11.5, leading=15, leftIndent=14),
    }


class _Heading(Paragraph):
    """A chapter or page title: listed in the table of contents and in the PDF's bookmarks."""

    def __init__(self, text: str, style, level: int, key: str):
        super().__init__(f'<a name="{key}"/>{escape(text)}', style)
        self.toc = (level, text, key)


class _ManualDoc(BaseDocTemplate):
    def __init__(self, out, **kwargs):
        super().__init__(out, pagesize=A4, leftMargin=MARGINS["left"], rightMargin=MARGINS["right"],
                         topMargin=MARGINS["top"], bottomMargin=MARGINS["bottom"],
                         title="Hướng dẫn sử dụng BVTE", author="BVTE", subject=f"BVTE {__version__}", **kwargs)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="text")
        self.addPageTemplates([PageTemplate("cover", [frame], onPage=lambda c, d: None),
                               PageTemplate("page", [frame], onPage=self._decorate)])

    def _decorate(self, canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 9.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGINS["left"], A4[1] - 13 * mm, f"Hướng dẫn sử dụng BVTE {__version__}")
        canvas.drawCentredString(A4[0] / 2, 11 * mm, f"Trang {canvas.getPageNumber()}")
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:  # noqa: N802 - reportlab's name
        toc = getattr(flowable, "toc", None)
        if toc:
            level, text, key = toc
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level == 0)
            self.notify("TOCEntry", (level, text, self.page, key))


# -- Markdown → flowables ----------------------------------------------------------------------------------
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _inline(token, page_names: set[str]) -> str:
    """reportlab Paragraph markup of an inline token (bold, italic, code, links to other pages)."""
    out: list[str] = []
    closing: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind == "text":
            out.append(escape(child.content))
        elif kind in ("softbreak",):
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind == "strong_open":
            out.append("<b>")
        elif kind == "strong_close":
            out.append("</b>")
        elif kind == "em_open":
            out.append("<i>")
        elif kind == "em_close":
            out.append("</i>")
        elif kind == "code_inline":
            out.append(f'<font color="#37474f">{escape(child.content)}</font>')
        elif kind == "link_open":
            name = (child.attrGet("href") or "").removesuffix(".md")
            inside = name in page_names
            out.append(f'<a href="#p-{name}" color="#0d47a1">' if inside else "<u>")
            closing.append("</a>" if inside else "</u>")
        elif kind == "link_close":
            out.append(closing.pop() if closing else "")
        elif kind == "image":
            out.append(escape(child.content))
    return "".join(out)


def _image_of(token) -> tuple[str, str] | None:
    """(target, caption) when a paragraph is just one image."""
    children = [c for c in (token.children or ()) if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image":
        return children[0].attrGet("src") or "", children[0].content
    return None


def _screenshot(name: str, caption: str, shots: Path | None, styles) -> list:
    if shots is None:
        return []
    path = shots / f"{name}.png"
    if not path.is_file():
        return [Paragraph(f"<i>(Chưa có ảnh màn hình «{escape(caption)}».)</i>", styles["caption"])]
    image = Image(str(path))
    # One scale for every picture (a 1024-pixel screen fills the width), so a small box looks small.
    scale = min(TEXT_WIDTH / SCREEN_PIXELS, 120 * mm / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    image.hAlign = "CENTER"
    return [KeepTogether([image, Spacer(1, 3), Paragraph(escape(caption), styles["caption"])])]


def _table(tokens, i: int, styles, names) -> tuple[Table, int]:
    rows: list[list] = []
    row: list = []
    while tokens[i].type != "table_close":
        t = tokens[i]
        if t.type == "tr_open":
            row = []
        elif t.type == "inline":
            row.append(Paragraph(_inline(t, names), styles["cell"]))
        elif t.type == "tr_close":
            rows.append(row)
        i += 1
    columns = max(len(r) for r in rows)
    table = Table(rows, colWidths=[TEXT_WIDTH / columns] * columns, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#90a4ae")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table, i


def page_flowables(page: guide.Page, shots: Path | None, styles, names: set[str]) -> list:
    tokens = _parser().parse(page.text)
    out: list = []
    lists: list[list] = []  # open lists: [kind, number]
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type == "heading_open":
            inline = tokens[i + 1]
            if t.tag == "h1":
                out.append(CondPageBreak(60 * mm))
                out.append(_Heading(page.title, styles["page"], 1, f"p-{page.name}"))
            else:
                out.append(Paragraph(_inline(inline, names), styles["h2"]))
            i += 3
            continue
        if t.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(["bullet" if t.type == "bullet_list_open" else "ordered", int(t.attrGet("start") or 1)])
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t.type == "paragraph_open":
            inline = tokens[i + 1]
            image = _image_of(inline)
            if image and image[0].startswith(guide.SCREENSHOT_SCHEME):
                out.extend(_screenshot(image[0][len(guide.SCREENSHOT_SCHEME):], image[1], shots, styles))
            elif image and image[0].startswith(guide.DIAGRAM_SCHEME):
                out.append(KeepTogether([process_drawing(), Paragraph(escape(image[1]), styles["caption"])]))
            else:
                text = _inline(inline, names)
                if lists:
                    kind = lists[-1]
                    bullet = "•" if kind[0] == "bullet" else f"{kind[1]}."
                    if kind[0] == "ordered":
                        kind[1] += 1
                    indent = 14 * len(lists)
                    style = ParagraphStyle("li", parent=styles["item"], leftIndent=indent + 6, bulletIndent=indent - 8)
                    out.append(Paragraph(text, style, bulletText=bullet))
                else:
                    out.append(Paragraph(text, styles["body"]))
            i += 3
            continue
        elif t.type == "table_open":
            table, i = _table(tokens, i, styles, names)
            out.append(table)
            out.append(Spacer(1, 6))
        elif t.type in ("fence", "code_block"):
            out.append(Paragraph(escape(t.content).replace("\n", "<br/>"), styles["body"]))
        i += 1
    return out


# -- the process drawing (the same data as the window's ProcessDiagram) -----------------------------------
def process_drawing(width: float = TEXT_WIDTH) -> Drawing:
    steps = guide.process()["steps"]
    gap_x, gap_y, box_h = 8 * mm, 12 * mm, 46 * mm
    box_w = (width - 2 * gap_x - 6 * mm) / 3
    height = 2 * box_h + gap_y + 14 * mm
    d = Drawing(width, height)
    border = colors.HexColor("#607d8b")

    def box_xy(i: int) -> tuple[float, float]:
        row, col = divmod(i, 3)
        return col * (box_w + gap_x), height - (row + 1) * box_h - row * gap_y

    def wrap(text: str, font: str, size: float, room: float) -> list[str]:
        lines, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if stringWidth(trial, font, size) <= room or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        return lines + ([line] if line else [])

    def arrow(x1, y1, x2, y2):
        d.add(Line(x1, y1, x2, y2, strokeColor=border, strokeWidth=1))
        if x1 == x2:
            sign = 1 if y2 > y1 else -1
            d.add(Polygon([x2, y2, x2 - 3, y2 - 6 * sign, x2 + 3, y2 - 6 * sign], fillColor=border, strokeColor=None))
        else:
            sign = 1 if x2 > x1 else -1
            d.add(Polygon([x2, y2, x2 - 6 * sign, y2 - 3, x2 - 6 * sign, y2 + 3], fillColor=border, strokeColor=None))

    for i, step in enumerate(steps):
        x, y = box_xy(i)
        d.add(Rect(x, y, box_w, box_h, rx=6, ry=6, strokeColor=border, fillColor=colors.white, strokeWidth=1))
        cursor = y + box_h - 12
        d.add(String(x + 6, cursor, f"Bước {step['no']}", fontName=BOLD, fontSize=9.5,
                     fillColor=colors.HexColor("#0d47a1")))
        cursor -= 13
        for line in wrap(step["title"], BOLD, 10, box_w - 12):
            d.add(String(x + 6, cursor, line, fontName=BOLD, fontSize=10))
            cursor -= 12
        cursor -= 2
        for line in wrap(step["forms"], REGULAR, 9, box_w - 12):
            d.add(String(x + 6, cursor, line, fontName=REGULAR, fontSize=9))
            cursor -= 11
        for line in wrap("Thời hạn: " + step["limit"], REGULAR, 9, box_w - 12):
            d.add(String(x + 6, cursor, line, fontName=REGULAR, fontSize=9, fillColor=colors.HexColor("#8a3b00")))
            cursor -= 11
        d.add(String(x + 6, y + 5, step["basis"].replace("Nghị định", "NĐ"), fontName=REGULAR,
                     fontSize=8, fillColor=colors.HexColor("#555555")))
        if i % 3 != 2:
            arrow(x + box_w + 1, y + box_h / 2, x + box_w + gap_x - 1, y + box_h / 2)
    x3, y3 = box_xy(2)
    x4, y4 = box_xy(3)
    mid = y3 - gap_y / 2
    d.add(Line(x3 + box_w / 2, y3, x3 + box_w / 2, mid, strokeColor=border))
    d.add(Line(x3 + box_w / 2, mid, x4 + box_w / 2, mid, strokeColor=border))
    arrow(x4 + box_w / 2, mid, x4 + box_w / 2, y4 + box_h + 1)
    x6, y6 = box_xy(5)
    low = y6 - 7 * mm
    right = width - 1
    for seg in ((x6 + box_w / 2, y6, x6 + box_w / 2, low), (x6 + box_w / 2, low, right, low),
                (right, low, right, y3 + box_h / 2)):
        d.add(Line(*seg, strokeColor=border, strokeDashArray=[3, 2]))
    arrow(right, y3 + box_h / 2, x3 + box_w + 1, y3 + box_h / 2)
    d.add(String(x6 + box_w / 2 - 4, low + 2, guide.process()["loop_back"], fontName=REGULAR, fontSize=8.5,
                 textAnchor="end"))
    return d


# -- the whole manual ---------------------------------------------------------------------------------------
def story(shots: Path | None) -> list:
    register_fonts()
    styles = _styles()
    contents = guide.contents()
    names = set(guide.pages())
    flow: list = [
        Paragraph(escape(contents["title"]), styles["title"]),
        Paragraph(escape(contents["subtitle"]), styles["subtitle"]),
        Paragraph(f"Phiên bản {escape(__version__)}", styles["subtitle"]),
        Spacer(1, 30 * mm),
        Paragraph(escape(WITH_SCREENSHOTS.format(version=__version__) if shots else NO_SCREENSHOTS),
                  styles["caption"]),
        Paragraph("Bấm phím F1 ở bất kỳ cửa sổ nào của chương trình để đọc trang hướng dẫn của cửa sổ đó.",
                  styles["caption"]),
    ]
    from reportlab.platypus.doctemplate import NextPageTemplate

    flow += [NextPageTemplate("page"), PageBreak(), Paragraph("Mục lục", styles["chapter"])]
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [styles["toc0"], styles["toc1"]]
    flow += [toc, PageBreak()]
    for n, chapter in enumerate(contents["chapters"], 1):
        if n > 1:
            flow.append(PageBreak())
        flow.append(_Heading(f"{n}. {chapter['title']}", styles["chapter"], 0, f"c-{n}"))
        for name in chapter["pages"]:
            flow += page_flowables(guide.page(name), shots, styles, names)
            flow.append(Spacer(1, 8))
    return flow


def build_manual(screenshots: Path | str | None, out: BinaryIO | None = None) -> bytes:
    """The manual as PDF bytes (also written to `out` if given). `screenshots`: the folder of PNGs named after
    the window catalogue (None: a manual without pictures)."""
    shots = Path(screenshots) if screenshots else None
    buffer = io.BytesIO()
    doc = _ManualDoc(buffer)
    doc.multiBuild(story(shots))
    data = buffer.getvalue()
    if out is not None:
        out.write(data)
    return data
