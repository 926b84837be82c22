"""Lists printed from the window: the to-do list, the case list, the register of children.

A short administrative page in the NĐ 30/2020 manner: the agency and the national name at the top, a bold
title, what the list covers (filters, the moment it was made), a ruled table, the number of rows and the
preparer's line. The rows come as the texts the window shows, so a list prints as it is read on screen.
"""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from models.clock import now
from models.entities import Office

from . import admin_layout as L
from . import fonts
from .marks import office_marks

# What each list is, in the words printed as its title.
TITLES = {
    "tasks": "DANH SÁCH VIỆC CẦN LÀM",
    "cases": "DANH SÁCH HỒ SƠ TRƯỜNG HỢP TRẺ EM",
    "register": "DANH SÁCH TRẺ EM TRONG SỔ THEO DÕI",
}


def _time_words(at: datetime) -> str:
    return f"{at.hour:02d} giờ {at.minute:02d} phút, ngày {at.day:02d}/{at.month:02d}/{at.year}"


def story(kind: str, headers: Sequence[str], rows: Sequence[Sequence[str]], office: Office | None, *,
          scope: str = "", at: datetime | None = None, weights: Sequence[float] | None = None) -> list[Flowable]:
    at = at or now()
    agency = office.agency_name if office is not None and office.agency_name else "................"
    place = office.place_name if office is not None and office.place_name else ""
    out: list[Flowable] = [L.header_block(agency, "", L.place_date_line(place, at.date()))]
    out += L.title_block(TITLES[kind], f"Lập lúc {_time_words(at)}")
    if scope:
        out.append(L.para(f"Phạm vi: {scope}", "body_left"))
    weights = list(weights or [1.0] * len(headers))
    usable = L.FRAME_WIDTH - 10 * mm
    widths = [10 * mm] + [usable * w / sum(weights) for w in weights]
    small = L.style("footnote")
    head = [L.Paragraph("<b>STT</b>", small)] + [L.Paragraph(f"<b>{L.esc(h)}</b>", small) for h in headers]
    body = [head] + [[L.Paragraph(str(i), small)] + [L.Paragraph(L.esc(v), small) for v in row]
                     for i, row in enumerate(rows, start=1)]
    if not rows:
        body.append([L.Paragraph("", small), L.Paragraph("Không có mục nào.", small)] + [""] * (len(headers) - 1))
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    out += [Spacer(1, 4), table, Spacer(1, 6), L.para(f"Tổng cộng: {len(rows)} mục.", "body_left")]
    worker = office.worker_name if office is not None and office.worker_name else ""
    out.append(L.signature_block("NGƯỜI LẬP", "(Ký, ghi rõ họ tên)", worker))
    return out


def render_list(kind: str, headers: Sequence[str], rows: Sequence[Sequence[str]], office: Office | None,
                out: L.Output, *, scope: str = "", at: datetime | None = None,
                weights: Sequence[float] | None = None) -> None:
    """Print one list (kind: tasks, cases or register) to a path or a binary file object."""
    with office_marks(office):
        L.build_pdf(out, story(kind, headers, rows, office, scope=scope, at=at, weights=weights),
                    L.Metadata(title=TITLES[kind].capitalize()))
