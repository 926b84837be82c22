"""The carers' side of alternative care: Mẫu 08 (application), Mẫu 09 (the commune's list, sent up every quarter),
Mẫu 11 (verification of the carer's conditions) — NĐ 56 Điều 39–42, Luật Trẻ em Điều 63.2 and 65.

A carer's standing is derived, never stored (`standing`): the placement side (models/services/placements.py)
may only place a child with a carer whose standing is "du_dieu_kien".
"""
from __future__ import annotations

from ..care_entities import Carer

# A carer's standing on the commune's list, with what a person reads.
STANDINGS: dict[str, str] = {
    "cho_xac_minh": "Chờ xác minh (Mẫu 11)",
    "du_dieu_kien": "Đủ điều kiện (đã xác minh)",
    "khong_du_dieu_kien": "Không đủ điều kiện",
    "da_rut": "Đã rút khỏi danh sách",
}


def standing(carer: Carer) -> str:
    """"da_rut" once withdrawn; else the conclusion of the newest *confirmed* verification (Mẫu 11 confirmed by
    the chairman); "cho_xac_minh" while there is none (a draft verification decides nothing)."""
    if carer.withdrawn_at is not None:
        return "da_rut"
    confirmed = [v for v in carer.verifications if v.confirmed_at is not None and v.conclusion]
    if not confirmed:
        return "cho_xac_minh"
    newest = max(confirmed, key=lambda v: (v.verified_on, v.confirmed_at, v.id or 0))
    return newest.conclusion
