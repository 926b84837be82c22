"""Mẫu số 08 — Đơn đăng ký nhận chăm sóc thay thế (NĐ 56 Điều 39.1), printed from a Carer.

Wording: resources/forms/mau08.json (not the decree's text, which was not found: built on NĐ 56 Điều 39, 41.1
and Luật Trẻ em Điều 63.2, 65; the paper does not print "Mẫu số 08"). A relative's notice (Luật Điều 65.4) has
no application: printing one is refused with a message. The blank is the form to fill in by hand.
"""
from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from models.care_entities import Carer
from models.entities import Office

from . import admin_layout as L
from . import care_layout as C
from . import process_layout as P

FORM = "08"


def _spec() -> dict[str, Any]:
    return P.spec(FORM)


def _values(carer: Carer) -> dict[str, str]:
    s = _spec()
    return {
        "full_name": carer.full_name, "date_of_birth": P.fmt_day(carer.date_of_birth),
        "gender": s["genders"].get(carer.gender, ""), "personal_id": carer.personal_id,
        "nationality": carer.nationality, "occupation": carer.occupation,
        "address": ", ".join(x for x in (L.clean(carer.address).strip(), L.clean(carer.village).strip()) if x),
        "phone": carer.phone,
    }


def _story(carer: Carer | None, office: Office | None) -> list[Flowable]:
    s = _spec()
    filled = carer is not None
    story: list[Flowable] = [*P.form_code(FORM), *C.national_heading()]
    story += P.title(s["title"], s["subtitle"])
    story.append(P.p(P.fill(s["addressee"], {"commune": C.commune_name(office)}), "centre_bold"))
    story.append(P.p(s["intro"], "body_left"))
    values = _values(carer) if filled else None
    story += P.header_fields(s["person_fields"], values)
    kinds = s["kinds"]
    story += P.option_lines(kinds.items(), [carer.kind] if filled else [])
    r = s["residence"]
    if not filled or carer.is_foreigner:
        story.append(P.heading(r["heading"]))
        if filled:
            story.append(P.label_value(r["from"], P.fmt_day(carer.residence_from)))
            story.append(P.label_value(r["until"], P.fmt_day(carer.residence_until)))
        else:
            story += P.label_dots(r["from"]) + P.label_dots(r["until"])
    m = s["members"]
    if not filled or carer.kind == "gia_dinh":
        story += P.table_heading(m["heading"], 40 * mm)
        rows = [P.head_cells(m["columns"])]
        members = (carer.members or []) if filled else [{}] * m["blank_rows"]
        for i, mem in enumerate(members, start=1):
            rows.append([P.cell(str(i) if filled else "", "cell_center"), P.cell(mem.get("full_name", "")),
                         P.cell(str(mem.get("year_of_birth") or ""), "cell_center"), P.cell(mem.get("relation", "")),
                         P.cell(mem.get("occupation", ""))])
        story.append(P.grid(rows, [12 * mm, 55 * mm, 20 * mm, 42 * mm, 36 * mm],
                            min_heights=None if filled else [0] + [8 * mm] * len(members)))
    story.append(P.heading(s["wishes_label"]))
    story += P.text_block(carer.wishes if filled else "", 2, filled=filled)
    story.append(P.heading(s["reasons_label"]))
    story += P.text_block(carer.reasons if filled else "", 2, filled=filled)
    for line in s["pledge"]:
        story.append(P.p(line, "indented"))
    enclosed = s["enclosed"]
    story.append(P.heading(enclosed["heading"]))
    have = []
    if filled:
        if carer.health_certificate_on is not None:
            have.append("health_certificate")
        if carer.criminal_record_on is not None:
            have.append("criminal_record")
    story += P.option_lines([(i["id"], i["text"]) for i in enclosed["items"]], have)
    sig = s["signature"]
    date_line = P.p(P.place_date(office, carer.applied_on if filled else None), "sig_note")
    story.append(P.signatures(None, P.Signer([sig["title"]], sig["note"], carer.full_name if filled else ""),
                              keep_with=[date_line]))
    return story


def document(carer: Carer, office: Office | None = None) -> P.Doc:
    if carer.registration != "don_dang_ky":
        raise P.NotPrintable("Người thân thích không làm đơn Mẫu số 08: chỉ thông báo với Ủy ban nhân dân cấp xã "
                             "(khoản 4 Điều 65 Luật Trẻ em). In báo cáo xác minh (Mẫu số 11) thay vào đó.")
    return P.Doc(_story(carer, office), P.metadata(FORM, f"NCS-{carer.id}"), P.outline_title(FORM))


def render(carer: Carer, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    if carer is None:
        raise P.NotPrintable("Chưa chọn người nhận chăm sóc thay thế để in.")
    document(carer, office).build(out)


def render_blank(office: Office | None, out: L.Output) -> None:
    P.Doc(_story(None, office), P.metadata(FORM), P.outline_title(FORM)).build(out)
