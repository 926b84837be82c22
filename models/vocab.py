"""Closed lists the law fixes (codes stored in the database → the Vietnamese words shown and printed).

Codes are ASCII and never change; labels may be corrected freely.
"""
from __future__ import annotations

GENDERS: dict[str, str] = {"nam": "Nam", "nu": "Nữ", "khong_biet": "Không biết"}

COMMUNE_KINDS: dict[str, str] = {"xa": "xã", "phuong": "phường", "dac_khu": "đặc khu"}

# Luật Trẻ em Điều 4.5: the forms of abuse (used for reports to the level above).
ABUSE_FORMS: dict[str, str] = {
    "bao_luc": "Bạo lực",
    "boc_lot": "Bóc lột",
    "xam_hai_tinh_duc": "Xâm hại tình dục",
    "mua_ban": "Mua bán",
    "bo_roi": "Bỏ rơi, bỏ mặc",
    "khac": "Hình thức khác",
}

RELATION_ROLES: dict[str, str] = {
    "cha": "Cha",
    "me": "Mẹ",
    "cham_soc": "Người chăm sóc",
}

# The most common ethnic groups first; any other name may be typed.
ETHNICITIES: list[str] = [
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ê Đê",
    "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông",
]
