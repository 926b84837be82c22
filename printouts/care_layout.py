"""Pieces shared by the printouts of alternative care (Mẫu 08–16): the national heading of a paper a person
writes (an application has no issuing agency), the commune's words, a carer's name and birth as printed.

Care forms print from the record they are about (a Carer, a CarerList …), not from a case:
`render(record, office, out, *, version=None)` (models/forms.py)."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, Paragraph

from models.entities import Office
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
