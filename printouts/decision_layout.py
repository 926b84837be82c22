"""The layout of a Quyết định (NĐ 30/2020 Phụ lục I; domain §6), shared by Mẫu 05, 07, 12 and 16.

    [DỰ THẢO]                                   (while not signed)
    agency / Số: 05/QĐ-UBND       national name, motto / Cẩm Hưng, ngày … tháng … năm …
                         QUYẾT ĐỊNH
                 Về việc … (bold), a short rule
      CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ … (bold)
    Căn cứ …; (italic)  [further considerations]  Theo đề nghị của … (italic)
                         QUYẾT ĐỊNH:
    Điều 1. … (the article number bold)  Điều 2. …  Điều 3. …
    Nơi nhận: - …;  - Lưu: VT, ….        CHỦ TỊCH | KT. CHỦ TỊCH / PHÓ CHỦ TỊCH, signature, name

The words all come from the form's JSON (title, subject, authority, grounds, proposal, decides, articles
with {placeholders}, signing_capacities, recipients).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping, Sequence

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer

from models import numbering
from models.entities import Office
from models.vocab import COMMUNE_KINDS

from . import admin_layout as L
from . import process_layout as P

_ARTICLE = re.compile(r"^(Điều\s+\d+\.)\s*(.*)$", re.S)


@dataclass
class Decision:
    form: str
    office: Office | None
    number: str | None  # "02/QĐ-UBND"; None → dotted (not yet signed, or blank)
    day: date | None  # the date line; None → dotted
    values: Mapping[str, str] | None  # placeholders; None → blank form
    capacity: str | None = None  # "chu_tich" | "kt_pho_chu_tich"; None → CHỦ TỊCH on a blank
    signer: str = ""
    recipients: Sequence[str] = ()
    considerations: list[Flowable] = field(default_factory=list)  # after the "Căn cứ" lines
    draft: bool = False
    grounds_key: str = "grounds"


def authority_values(office: Office | None) -> dict[str, str]:
    if office is None or not L.clean(office.commune_name).strip():
        return {"commune_kind_upper": "", "commune_name_upper": P.BLANK_GAP}
    kind = COMMUNE_KINDS.get(office.commune_kind, office.commune_kind or "")
    return {"commune_kind_upper": L.upper(kind), "commune_name_upper": L.upper(office.commune_name).strip()}


def _header(d: Decision, spec: Mapping[str, Any]) -> Flowable:
    agency = P.agency_of(d.office)
    if not agency:  # no office settings: the generic UBND name with a gap for the commune
        agency = f"{P.spec('04')['header']['agency']} {L.WRITE_GAP}"
    kind = spec["header"]["number_kind"]
    number = d.number or f"{L.WRITE_GAP}/{kind}-{P.abbrev_of(d.office)}"
    return L.header_block(agency, L.number_line(number), P.place_date(d.office, d.day))


def _article(text: str) -> Flowable:
    m = _ARTICLE.match(L.clean(text).strip())
    if m:
        return P.pm(f"<b>{L.esc(m.group(1))}</b> {L.esc(m.group(2))}", "article")
    return P.p(text, "article")


def _signer(d: Decision, spec: Mapping[str, Any]) -> P.Signer:
    capacities = spec["signing_capacities"]
    lines = capacities.get(d.capacity or "chu_tich", capacities["chu_tich"])["lines"]
    return P.Signer(list(lines), "", d.signer)


def story(d: Decision) -> list[Flowable]:
    spec = P.spec(d.form)
    values = None if d.values is None else {**d.values, **authority_values(d.office)}
    authority = P.fill(spec["authority"], authority_values(d.office))
    out: list[Flowable] = []
    if d.draft:
        out.append(P.draft_mark())
    out += P.form_code(d.form)
    out.append(_header(d, spec))
    out.append(L.para(spec["title"], "title"))
    # The subject in word groups, never broken inside one ("Kế hoạch hỗ trợ, can / thiệp" cannot happen).
    groups = spec.get("subject_groups") or [spec["subject"]]
    out.append(P.grouped_para([P.fill(g, values) for g in groups], "subtitle_cont", L.FRAME_WIDTH - 20 * mm))
    out.append(HRFlowable(width=40 * mm, thickness=L.RULE_THICKNESS, color=colors.black, hAlign="CENTER",
                          spaceBefore=6, spaceAfter=2))
    out.append(L.balanced_para(authority, "title", L.FRAME_WIDTH))
    out.append(Spacer(1, 4))
    grounds = spec.get("legal_grounds_intro") if isinstance(spec.get(d.grounds_key), dict) else spec.get(d.grounds_key)
    for line in grounds or []:
        out.append(P.p(line, "ground"))
    out.extend(d.considerations)
    out.append(P.p(spec["proposal"], "ground"))
    out.append(P.p(spec["decides"], "centre_bold"))
    for text in spec["articles"]:
        out.append(_article(P.fill(text, values)))
    recipients = list(d.recipients) or list(spec["recipients"]["default"])
    block = P.recipients_block(spec["recipients"]["heading"], recipients)
    out.append(P.signatures(None, _signer(d, spec), left_block=block, keep_with=P.tail(out)))
    return out


def recipient_lines(stored: str) -> list[str]:
    return [line.strip() for line in L.clean(stored).split("\n") if line.strip()]


def drafted_or_signed(form: str, office: Office | None, record: Any, values: Mapping[str, str],
                      **more: Any) -> Decision:
    """A decision kept as a record with doc_number, decided_at, decided_by, signing_capacity and recipients (Mẫu
    12, 16): its number, date and signer once the chairman signed (decided_at), else a "DỰ THẢO" without them."""
    decided = record.decided_at is not None
    number = numbering.document_number(record.doc_number, "QĐ", P.abbrev_of(office)) if decided else None
    return Decision(form, office, number, P.local_day(record.decided_at), values,
                    capacity=record.signing_capacity if decided else None, signer=record.decided_by if decided else "",
                    recipients=recipient_lines(record.recipients), draft=not decided, **more)


def document(d: Decision) -> P.Doc:
    """The printable decision: numbered in the PDF's metadata and outline once signed."""
    return P.Doc(story(d), P.metadata(d.form, L.number_line(d.number) if d.number else ""),
                 P.outline_title(d.form, d.number or ""))
