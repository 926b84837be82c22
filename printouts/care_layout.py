"""Pieces shared by the printouts of alternative care (Mẫu 08–16): the national heading of a paper a person
writes (an application has no issuing agency), the commune's words, a carer's name and birth as printed.

Care forms print from the record they are about (a Carer, a CarerList …), not from a case:
`render(record, office, out, *, version=None)` (models/forms.py). The child's side (Mẫu 10, 12–16) prints the
child from a Child (not a case), the carer or facility receiving the child, and a report's header block."""
from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, Paragraph

from models import numbering
from models.entities import Child, Office
from models.services.register import age_text
from models.vocab import COMMUNE_KINDS

from . import admin_layout as L
from . import process_layout as P


def national_heading() -> list[Flowable]:
    """"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" centred, with the motto's rule."""
    st = L.styles()
    width = stringWidth(L.NATIONAL_MOTTO, st["motto"].fontName, st["motto"].fontSize)
    return [Paragraph(L.NATIONAL_NAME, st["national"]), Paragraph(L.NATIONAL_MOTTO, st["motto"]),
            HRFlowable(width=width, thickness=L.RULE_THICKNESS, color=colors.black, hAlign="CENTER",
                       spaceBefore=3, spaceAfter=2)]


def commune_name(office: Office | None) -> str:
    """"xã Cẩm Hưng" (dotted when the office settings are empty)."""
    if office is None or not L.clean(office.commune_name).strip():
        return P.BLANK_GAP
    kind = COMMUNE_KINDS.get(office.commune_kind, office.commune_kind or "")
    return f"{kind.lower()} {L.clean(office.commune_name).strip()}".strip()


def child_birth(child: Child | None) -> str:
    if child is None:
        return L.BLANK
    if child.date_of_birth is not None:
        return P.fmt_day(child.date_of_birth)
    return age_text(None, child.estimated_age) or L.BLANK


def child_address(child: Child | None, office: Office | None) -> str:
    if child is None:
        return L.BLANK
    parts = [L.clean(child.address).strip(), L.clean(child.village).strip(), P.commune_words(office)]
    return ", ".join(p for p in parts if p) or L.BLANK


def receiver(placement: Any) -> str:
    """The carer (name, address) or the facility that receives the child."""
    if placement.carer is not None:
        c = placement.carer
        return ", ".join(x for x in (L.clean(c.full_name).strip(), L.clean(c.address).strip()) if x)
    return L.clean(placement.facility_name).strip() or L.BLANK


def placement_number(placement: Any, office: Office | None) -> str:
    return numbering.document_number(placement.doc_number, "QĐ", P.abbrev_of(office)) or L.BLANK


def report_header(office: Office | None, day: date | None) -> Flowable:
    """The NĐ 30 header of a report of the commune (no number: the worker's report)."""
    agency = P.agency_of(office) or f"{P.spec('04')['header']['agency']} {L.WRITE_GAP}"
    return L.header_block(agency, "", P.place_date(office, day))
