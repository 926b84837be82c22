"""Mẫu số 11 — Báo cáo xác minh điều kiện của cá nhân, gia đình nhận chăm sóc thay thế (NĐ 56 Điều 42.1; TT
14/2020 Điều 7, 8, 11.1.b), printed from a Carer: its verification number `version` (1 = the first; None = the
latest).

Wording: resources/forms/mau11.json (not the decree's text: the four conditions are Luật Trẻ em Điều 63.2 a–d word
for word). A table of the conditions with one mark per row: Đạt / Không đạt / Chưa xác minh (a condition not yet
checked prints as such, never as "Không đạt"); the findings; the conclusion; the worker's signature and the
chairman's confirmation. Not yet confirmed: "CHƯA XÁC NHẬN" at the top and no chairman's name.
"""
from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from models.care_entities import Carer, CarerVerification
from models.entities import Office

from . import admin_layout as L
from . import process_layout as P

FORM = "11"


def _spec() -> dict[str, Any]:
    return P.spec(FORM)


def pick(carer: Carer, version: Any = None) -> CarerVerification:
    return P.pick(list(carer.verifications or []), version,
                  f"{carer.full_name} chưa có báo cáo xác minh điều kiện (Mẫu số 11).", "báo cáo xác minh")


def _story(carer: Carer | None, ver: CarerVerification | None, office: Office | None) -> list[Flowable]:
    s = _spec()
    filled = ver is not None
    story: list[Flowable] = []
    if filled and ver.confirmed_at is None:
        story.append(P.draft_mark(s["unconfirmed_mark"]))
    story += P.form_code(FORM)
    agency = P.agency_of(office) or f"{P.spec('04')['header']['agency']} {L.WRITE_GAP}"
    day = ver.verified_on if filled else None
    story.append(L.header_block(agency, "", P.place_date(office, day)))
    story += P.title(s["title"])
    values = None
    if filled:
        values = {"carer_name": carer.full_name, "carer_birth": P.fmt_day(carer.date_of_birth),
                  "carer_address": ", ".join(x for x in (L.clean(carer.address).strip(),
                                                          L.clean(carer.village).strip()) if x),
                  "registration": s["registrations"].get(carer.registration, ""),
                  "verifier": ver.verifier, "verified_on": P.fmt_day(ver.verified_on)}
    story += P.header_fields(s["header_fields"], values)
    cond = s["conditions"]
    story += P.table_heading(cond["heading"], 60 * mm)
    rows = [P.head_cells(cond["columns"])]
    answers = (ver.answers or {}) if filled else {}
    for item in cond["items"]:
        state = answers.get(item["id"]) if filled else "blank"
        marks = [state is True, state is False, state is None]
        rows.append([P.cell(item["text"])] + [P.cell(P.mark(on) if filled else P.UNCHECKED, "cell_center")
                                              for on in marks])
    story.append(P.grid(rows, [115 * mm, 17 * mm, 17 * mm, 16 * mm]))
    story.append(P.heading(s["findings"]["heading"]))
    story += P.text_block(ver.findings if filled else "", 5, filled=filled)
    c = s["conclusion"]
    story.append(P.heading(c["heading"]))
    story += P.option_lines(c["options"].items(), [ver.conclusion] if filled and ver.conclusion else [])
    if filled and ver.conclusion == "khong_du_dieu_kien":
        failed = [i["text"] for i in cond["items"] if answers.get(i["id"]) is False]
        story.append(P.p(c["not_met_intro"], "body_left"))
        story += P.dash_lines(failed)
    sig = s["signatures"]
    confirmed = filled and ver.confirmed_at is not None
    left = P.Signer([sig["left"]["title"]], sig["left"]["note"], ver.verifier if filled else "")
    right = P.Signer(list(sig["right"]["lines"]), sig["right"]["note"], ver.confirmed_by if confirmed else "")
    story.append(P.signatures(left, right, keep_with=P.tail(story)))
    return story


def document(carer: Carer, office: Office | None = None, ver: CarerVerification | None = None) -> P.Doc:
    ver = ver or pick(carer)
    return P.Doc(_story(carer, ver, office), P.metadata(FORM, f"NCS-{carer.id}"),
                 P.outline_title(FORM, P.fmt_day(ver.verified_on)))


def signing_document(carer: Carer, office: Office | None, ver: CarerVerification, *, signer: str, moment) -> P.Doc:
    """What the chairman is about to confirm: the report as it will read once confirmed by `signer`."""
    from types import SimpleNamespace

    fields = {c.key: getattr(ver, c.key) for c in CarerVerification.__table__.columns}
    confirmed = SimpleNamespace(**{**fields, "confirmed_by": signer, "confirmed_at": moment})
    return P.Doc(_story(carer, confirmed, office), P.metadata(FORM, f"NCS-{carer.id}"),  # type: ignore[arg-type]
                 P.outline_title(FORM))


def render(carer: Carer, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    if carer is None:
        raise P.NotPrintable("Chưa chọn người nhận chăm sóc thay thế để in.")
    document(carer, office, pick(carer, version)).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    P.Doc(_story(None, None, office), P.metadata(FORM), P.outline_title(FORM)).build(out)
