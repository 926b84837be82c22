"""Realistic Vietnamese demo data: a commune office with children, their parents and Mẫu 01 cases.

Used to show the program, to try it on a realistic load (50,000 children, 20,000 cases) and in tests.
Everything is drawn from one `random.Random(seed)`, so the same seed gives the same data. Rows are
written with bulk Core INSERTs in one transaction, with ids and document numbers computed beforehand;
the numbering continues any data already in the file and the counters are left where a real Mẫu 01
saved afterwards picks up the sequence.

Most cases older than six months are closed (closed_at and a reason), so that lists show both stages.

The names, places and case descriptions are written by hand below (no Faker): the family-name shares
follow the usual estimates for Vietnam (Nguyễn ≈ 38 %), middle and given names depend on gender and
generation, and each case's texts follow its category. Descriptions of sexual abuse stay factual and
brief, as a worker's report would.
"""
from __future__ import annotations

import json
import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import resources
from itertools import accumulate
from typing import Callable, Sequence

from sqlalchemy import func, insert, select, update

from .clock import VN
from .field_crypto import refresh_tokens
from .clock import today as clock_today
from .db import Database
from .entities import (
    Case, CaseAbuseForm, Child, ChildRelation, DocumentCounter, Intake, Office, Person,
)
from .security import audit
from .security.roles import Actor
from .textnorm import fold, vn_sort_key
from .validation import age_on

# ------------------------------------------------------------------------------------------------
# The demo office (used only when the database has no office settings yet)
# ------------------------------------------------------------------------------------------------

DEMO_OFFICE: dict[str, str] = {
    "province": "Phú Thọ",
    "commune_name": "Hạ Hòa",
    "commune_kind": "xa",
    "agency_name": "Ủy ban nhân dân xã Hạ Hòa",
    "agency_abbrev": "UBND",
    "place_name": "Hạ Hòa",
    "chairman_name": "Nguyễn Văn Thắng",
    "vice_chairmen": "Đinh Thị Hồng Nhung\nTrần Quang Huy",
    "worker_name": "Hà Thị Thu Trang",
    "worker_phone": "0978 215 364",
    "report_recipient": "Ủy ban nhân dân tỉnh Phú Thọ (qua Sở Y tế)",
}

VILLAGES: list[str] = [
    "Thôn Minh Côi", "Thôn Vụ Cầu", "Thôn Lang Sơn", "Thôn Y Sơn", "Thôn Đan Thượng", "Thôn Yên Kỳ",
    "Thôn Hậu Bổng", "Thôn Ấm Hạ", "Thôn Gia Điền", "Thôn Đồng Xuân", "Tổ dân phố Ẻn", "Tổ dân phố Hạ Hòa",
]
HAMLETS: list[str] = [
    "xóm Đình", "xóm Chùa", "xóm Giếng", "xóm Đồng", "xóm Bãi", "xóm Trại", "xóm Gò", "xóm Núi", "xóm Cầu",
    "xóm Mới", "xóm Trong", "xóm Ngoài",
]
STREETS: list[str] = ["đường Âu Cơ", "đường Hùng Vương", "đường Lạc Long Quân", "phố Ẻn", "đường Trần Phú"]
PAGODAS: list[str] = ["chùa Phúc Khánh", "chùa Linh Quang", "chùa Đồng Xuân"]

# Province codes of the personal ID (first three digits: where the birth was registered).
PROVINCE_CODES: dict[str, str] = {
    "ha noi": "001", "ha giang": "002", "cao bang": "004", "bac kan": "006", "tuyen quang": "008",
    "lao cai": "010", "dien bien": "011", "lai chau": "012", "son la": "014", "yen bai": "015",
    "hoa binh": "017", "thai nguyen": "019", "lang son": "020", "quang ninh": "022", "bac giang": "024",
    "phu tho": "025", "vinh phuc": "026", "bac ninh": "027", "hai duong": "030", "hai phong": "031",
    "hung yen": "033", "thai binh": "034", "ha nam": "035", "nam dinh": "036", "ninh binh": "037",
    "thanh hoa": "038", "nghe an": "040", "ha tinh": "042", "quang binh": "044", "quang tri": "045",
    "hue": "046", "thua thien hue": "046", "da nang": "048", "quang nam": "049", "quang ngai": "051",
    "binh dinh": "052", "gia lai": "064", "dak lak": "066", "lam dong": "068", "khanh hoa": "056",
    "tay ninh": "072", "binh duong": "074", "dong nai": "075", "ho chi minh": "079", "long an": "080",
    "vinh long": "086", "dong thap": "087", "an giang": "089", "can tho": "092", "ca mau": "096",
}
# Children born elsewhere (province hospital, parents working in the industrial zones).
OTHER_BIRTH_CODES: list[str] = ["001", "026", "017", "015", "027", "074", "079", "038"]

# ------------------------------------------------------------------------------------------------
# Names
# ------------------------------------------------------------------------------------------------

FAMILY_NAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 4.5), ("Huỳnh", 0.6),
    ("Phan", 3.5), ("Vũ", 3.4), ("Võ", 0.5), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.8), ("Đào", 0.7), ("Trịnh", 0.6), ("Mai", 0.5),
    ("Lương", 0.5), ("Tạ", 0.4), ("Cao", 0.4), ("Hà", 0.6), ("Lưu", 0.3), ("Chu", 0.3), ("Kiều", 0.3),
    ("Quách", 0.2), ("Triệu", 0.2), ("Lại", 0.2), ("Nghiêm", 0.15), ("Khuất", 0.15), ("Phùng", 0.3),
    ("Đoàn", 0.4), ("Tô", 0.2), ("Lâm", 0.3), ("Vương", 0.2), ("Tăng", 0.1), ("Thái", 0.2), ("La", 0.1),
]
ETHNIC_FAMILY_NAMES: dict[str, list[tuple[str, float]]] = {
    "Mường": [("Đinh", 5), ("Bùi", 5), ("Quách", 3), ("Hà", 3), ("Xa", 1), ("Cao", 1), ("Nguyễn", 1)],
    "Tày": [("Hoàng", 5), ("Nông", 4), ("Lường", 1), ("Ma", 2), ("Hà", 2), ("Đàm", 1), ("Lục", 1), ("Triệu", 1)],
    "Thái": [("Lò", 4), ("Cầm", 3), ("Lường", 3), ("Vi", 2), ("Hà", 3), ("Quàng", 1), ("Lự", 1)],
    "Nùng": [("Hoàng", 4), ("Nông", 3), ("Lương", 2), ("Vi", 2), ("Triệu", 2), ("Lục", 1)],
    "Mông": [("Giàng", 4), ("Sùng", 3), ("Vàng", 3), ("Thào", 3), ("Lý", 2), ("Mùa", 2), ("Hầu", 1), ("Lầu", 1)],
    "Dao": [("Triệu", 5), ("Bàn", 4), ("Đặng", 3), ("Lý", 2), ("Phùng", 1), ("Chảo", 1)],
    "Khmer": [("Thạch", 4), ("Danh", 4), ("Sơn", 2), ("Kim", 2), ("Lâm", 1)],
    "Sán Chay": [("Hoàng", 3), ("Lâm", 2), ("Trần", 1), ("Lý", 1), ("Dương", 1)],
    "Hoa": [("Lý", 2), ("Trương", 2), ("Lâm", 2), ("Quách", 1), ("Hà", 1), ("Tăng", 1)],
}
ETHNICITY_WEIGHTS: list[tuple[str, float]] = [
    ("Kinh", 78.0), ("Mường", 12.0), ("Dao", 3.0), ("Tày", 2.5), ("Thái", 1.2), ("Nùng", 0.8),
    ("Mông", 0.8), ("Sán Chay", 0.6), ("Hoa", 0.3), ("Khmer", 0.3),
]

MIDDLE_BOY: list[tuple[str, float]] = [
    ("Văn", 12), ("Đức", 10), ("Minh", 12), ("Quang", 6), ("Hữu", 4), ("Thành", 4), ("Công", 4), ("Tuấn", 3),
    ("Gia", 8), ("Hoàng", 5), ("Anh", 5), ("Bảo", 7), ("Đăng", 4), ("Xuân", 3), ("Mạnh", 3), ("Trung", 3),
    ("Tiến", 2), ("Nhật", 4), ("Duy", 4), ("Thế", 3), ("Ngọc", 2), ("Khánh", 2), ("Hải", 2), ("Trọng", 2),
]
MIDDLE_GIRL: list[tuple[str, float]] = [
    ("Thị", 22), ("Ngọc", 10), ("Thu", 6), ("Thanh", 6), ("Phương", 5), ("Minh", 5), ("Bảo", 6), ("Khánh", 5),
    ("Hải", 3), ("Mai", 3), ("Diệu", 3), ("Hồng", 3), ("Thùy", 4), ("Quỳnh", 3), ("Kim", 3), ("Ánh", 2),
    ("Gia", 4), ("Tuệ", 2), ("Hà", 2), ("Yến", 1),
]
MIDDLE_MAN: list[tuple[str, float]] = [
    ("Văn", 45), ("Đức", 8), ("Minh", 6), ("Quang", 5), ("Hữu", 6), ("Thành", 4), ("Công", 5), ("Xuân", 4),
    ("Mạnh", 3), ("Trung", 3), ("Tiến", 2), ("Duy", 2), ("Thế", 3), ("Ngọc", 2), ("Đình", 4), ("Trọng", 3),
    ("Bá", 2), ("Kim", 1),
]
MIDDLE_WOMAN: list[tuple[str, float]] = [
    ("Thị", 60), ("Ngọc", 4), ("Thu", 5), ("Thanh", 5), ("Phương", 2), ("Hồng", 4), ("Minh", 2), ("Kim", 3),
    ("Thúy", 2), ("Mai", 2), ("Hải", 2), ("Bích", 2), ("Lan", 1), ("Diệu", 1),
]
# Gender-neutral middle names used when nobody knew whether the child is a boy or a girl.
MIDDLE_ANY: list[tuple[str, float]] = [
    ("Minh", 5), ("Gia", 4), ("Bảo", 4), ("Khánh", 3), ("Ngọc", 2), ("Hải", 2), ("Thanh", 2),
]

GIVEN_BOY: list[tuple[str, float]] = [
    ("Anh", 6), ("Minh", 6), ("Huy", 6), ("Khang", 5), ("Bảo", 4), ("Phúc", 5), ("Nam", 6), ("Long", 5),
    ("Dũng", 3), ("Hùng", 3), ("Tuấn", 3), ("Đức", 4), ("Khoa", 4), ("Lâm", 4), ("Quân", 5), ("Hiếu", 4),
    ("Hoàng", 3), ("Hưng", 4), ("Kiên", 3), ("Thắng", 2), ("Trung", 3), ("Sơn", 3), ("Tùng", 3), ("Vinh", 2),
    ("Khôi", 4), ("Đạt", 5), ("Hải", 3), ("Thành", 3), ("Tâm", 2), ("Nguyên", 3), ("Phong", 3), ("Quang", 3),
    ("Tiến", 2), ("Toàn", 2), ("Việt", 3), ("Duy", 3), ("Nhật", 2), ("Thịnh", 3), ("Lộc", 3), ("Tài", 2),
    ("Hậu", 2), ("Cường", 2), ("Tú", 2), ("An", 3), ("Bình", 2), ("Kiệt", 2), ("Vũ", 2), ("Hào", 2),
    ("Dương", 2), ("Trí", 2), ("Nhân", 2), ("Phát", 2), ("Khải", 1), ("Thiện", 1),
]
GIVEN_GIRL: list[tuple[str, float]] = [
    ("Anh", 6), ("Linh", 6), ("Ngọc", 4), ("Hương", 3), ("Lan", 3), ("Mai", 3), ("Trang", 5), ("Thảo", 5),
    ("Hà", 4), ("Hoa", 2), ("Nhung", 2), ("Huyền", 4), ("Hằng", 3), ("Thủy", 2), ("Yến", 3), ("Vy", 5),
    ("Nhi", 5), ("Trâm", 3), ("Hân", 4), ("My", 4), ("Uyên", 3), ("Chi", 4), ("Giang", 3), ("Ngân", 4),
    ("Diệp", 2), ("Quỳnh", 3), ("Phương", 3), ("Thư", 4), ("Như", 3), ("Tiên", 2), ("Châu", 2), ("Hạnh", 2),
    ("Dung", 2), ("Ánh", 3), ("Loan", 1), ("Oanh", 2), ("Thu", 2), ("Hiền", 3), ("Hồng", 2), ("Nga", 2),
    ("Vân", 2), ("Xuân", 2), ("Trinh", 2), ("Thơ", 1), ("Na", 2), ("Khuê", 1), ("An", 3), ("Lam", 1),
]
GIVEN_ANY: list[tuple[str, float]] = [
    ("Anh", 5), ("Minh", 4), ("Linh", 3), ("Khánh", 3), ("An", 4), ("Bình", 2), ("Hà", 2), ("Giang", 2),
    ("Hải", 2), ("Thanh", 2), ("Tú", 2), ("Ngọc", 2), ("Châu", 2), ("Phương", 2), ("Nhật", 1), ("Lâm", 1),
    ("Dương", 1),
]
GIVEN_MAN: list[tuple[str, float]] = [
    (n, 1) for n in (
        "Hùng Dũng Tuấn Thắng Cường Hải Sơn Long Nam Thành Trung Quang Mạnh Bình Hòa Tâm Chiến Hưng Toàn "
        "Tiến Khải Lợi Hiệp Thuận Đông Tú Vinh Hoàng Phong Lâm Đức Huy Kiên Quyết Tùng Việt Hiếu Thịnh "
        "Thanh Hậu Sáng Tới Hạnh Công Luận Nghĩa Phúc Tân"
    ).split()
]
GIVEN_WOMAN: list[tuple[str, float]] = [
    (n, 1) for n in (
        "Hương Lan Hoa Hằng Thủy Hà Nga Hạnh Dung Mai Huyền Nhung Phượng Loan Oanh Thảo Trang Linh Yến "
        "Thu Hiền Hồng Liên Lụa Thơm Ngân Vân Xuân Tuyết Bích Nhàn Thắm Huệ Lý Hường Luyến Minh Anh Lương "
        "Quyên Tâm Nhài Duyên"
    ).split()
]
# Hmong names: "Giàng A Páo", "Sùng Thị Mỷ".
GIVEN_MONG_MALE: list[tuple[str, float]] = [(n, 1) for n in "Páo Sình Chứ Dế Sử Tủa Pó Lử Vàng Chống Dìn".split()]
GIVEN_MONG_FEMALE: list[tuple[str, float]] = [(n, 1) for n in "Mỷ Dợ Sua Chá Mai Dung Pàng Say Sú Xua".split()]

OCCUPATIONS_MAN: list[tuple[str, float]] = [
    ("Làm ruộng", 28), ("Công nhân", 16), ("Lao động tự do", 14), ("Làm thuê", 6), ("Thợ xây", 6),
    ("Buôn bán", 6), ("Đi làm ăn xa", 8), ("Lái xe", 3), ("Làm nương", 3), ("Thợ mộc", 2), ("Giáo viên", 1.5),
    ("Bộ đội", 0.5), ("Thợ sửa xe", 2),
]
OCCUPATIONS_WOMAN: list[tuple[str, float]] = [
    ("Làm ruộng", 28), ("Công nhân", 20), ("Buôn bán", 9), ("Lao động tự do", 10), ("Nội trợ", 7),
    ("Đi làm ăn xa", 6), ("Thợ may", 4), ("Làm thuê", 5), ("Làm nương", 3), ("Giáo viên", 2.5),
    ("Bán hàng tạp hóa", 3), ("Nhân viên y tế", 0.5),
]

PHONE_PREFIXES: list[str] = [
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
    "081", "082", "083", "084", "085", "088", "091", "094", "070", "076", "077", "078", "079", "090", "093",
    "056", "058",
]


class _Pick:
    """Weighted choice from a fixed list, fast enough for a few hundred thousand draws."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[str, float]]):
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> str:
        return self.items[bisect(self.cum, rng.random() * self.total)]


_FAMILY = _Pick(FAMILY_NAMES)
_ETHNIC_FAMILY = {k: _Pick(v) for k, v in ETHNIC_FAMILY_NAMES.items()}
_ETHNICITY = _Pick(ETHNICITY_WEIGHTS)
_MIDDLE = {"nam": _Pick(MIDDLE_BOY), "nu": _Pick(MIDDLE_GIRL), "khong_biet": _Pick(MIDDLE_ANY)}
_MIDDLE_ADULT = {"nam": _Pick(MIDDLE_MAN), "nu": _Pick(MIDDLE_WOMAN)}
_GIVEN = {"nam": _Pick(GIVEN_BOY), "nu": _Pick(GIVEN_GIRL), "khong_biet": _Pick(GIVEN_ANY)}
_GIVEN_UNISEX = _Pick(GIVEN_ANY)
_GIVEN_ADULT = {"nam": _Pick(GIVEN_MAN), "nu": _Pick(GIVEN_WOMAN)}
_GIVEN_MONG = {"nam": _Pick(GIVEN_MONG_MALE), "nu": _Pick(GIVEN_MONG_FEMALE)}
_OCCUPATION = {"nam": _Pick(OCCUPATIONS_MAN), "nu": _Pick(OCCUPATIONS_WOMAN)}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def family_name(rng: random.Random, ethnicity: str = "Kinh") -> str:
    pick = _ETHNIC_FAMILY.get(ethnicity)
    if pick is not None and rng.random() < 0.85:
        return pick(rng)
    return _FAMILY(rng)


def child_name(rng: random.Random, gender: str, family: str, ethnicity: str = "Kinh") -> str:
    """A child's full name: family name, one or two middle names, a given name fitting the gender."""
    if ethnicity == "Mông" and gender in ("nam", "nu"):
        return f"{family} {'A' if gender == 'nam' else 'Thị'} {_GIVEN_MONG[gender](rng)}"
    middle = _MIDDLE[gender](rng)
    if gender != "khong_biet" and rng.random() < 0.12:
        given = _GIVEN_UNISEX(rng)  # Minh Anh, Bảo Khánh, Thị Ngọc…
    else:
        given = _GIVEN[gender](rng)
    if given == middle:
        middle = "Thị" if gender == "nu" else ("Văn" if gender == "nam" else "Minh")
    parts = [family, middle]
    if gender == "nu" and middle == "Thị" and rng.random() < 0.15:
        second = _MIDDLE["nu"](rng)
        if second not in (given, middle):
            parts.append(second)  # Nguyễn Thị Thu Hà
    parts.append(given)
    return " ".join(parts)


def adult_name(rng: random.Random, gender: str, family: str | None = None, ethnicity: str = "Kinh") -> str:
    family = family or family_name(rng, ethnicity)
    if ethnicity == "Mông":
        return f"{family} {'A' if gender == 'nam' else 'Thị'} {_GIVEN_MONG[gender](rng)}"
    middle = _MIDDLE_ADULT[gender](rng)
    given = _GIVEN_ADULT[gender](rng)
    if given == middle:
        middle = "Văn" if gender == "nam" else "Thị"
    return f"{family} {middle} {given}"


def phone_number(rng: random.Random) -> str:
    prefix = PHONE_PREFIXES[rng.randrange(len(PHONE_PREFIXES))]
    digits = f"{prefix[1:]}{rng.randrange(10_000_000):07d}"
    return f"0{digits[:3]} {digits[3:6]} {digits[6:]}"


# ------------------------------------------------------------------------------------------------
# Families: who the child lives with, and what the report says about it
# ------------------------------------------------------------------------------------------------

# kind → weight; parents' presence and occupations follow the kind.
FAMILY_KINDS: list[tuple[str, float]] = [
    ("both", 54), ("away", 12), ("divorced_mother", 10), ("divorced_father", 4), ("stepfather", 6),
    ("single_mother", 6), ("father_dead", 3), ("father_prison", 2), ("mother_left", 3),
]
_FAMILY_KIND = _Pick(FAMILY_KINDS)

FAMILY_TEXT: dict[str, list[str]] = {
    "both": [
        "Bố mẹ sống cùng nhau, làm ăn vất vả, ít thời gian quan tâm đến con.",
        "Cháu sống cùng bố mẹ và ông bà nội; bố mẹ thường xuyên mâu thuẫn.",
        "Gia đình sống cùng nhau; bố cháu hay uống rượu, kinh tế phụ thuộc vào thu nhập của mẹ.",
        "Bố mẹ sống cùng nhau, đi làm từ sáng đến tối, ít thời gian chăm sóc con.",
    ],
    "away": [
        "Bố mẹ đi làm ăn xa ở {noi_lam}, một năm về một lần; cháu ở với ông bà {ong_ba}.",
        "Bố mẹ làm công nhân ở {noi_lam}, gửi cháu cho ông bà {ong_ba} chăm sóc từ nhỏ.",
        "Bố đi xuất khẩu lao động, mẹ làm công nhân ở {noi_lam}; cháu ở với ông bà {ong_ba} đã già yếu.",
    ],
    "divorced_mother": [
        "Bố mẹ ly hôn từ năm {nam_ly_hon}, cháu ở với mẹ; bố không đóng góp tiền nuôi con.",
        "Bố mẹ đã ly hôn, mẹ nuôi cháu và em; bố đã lập gia đình khác ở xã bên.",
    ],
    "divorced_father": [
        "Bố mẹ ly hôn, cháu ở với bố; mẹ đi làm ăn xa, ít liên lạc.",
        "Bố mẹ ly hôn từ năm {nam_ly_hon}; cháu ở với bố và mẹ kế.",
    ],
    "stepfather": [
        "Bố mẹ ly hôn; mẹ tái hôn, cháu sống cùng mẹ và bố dượng.",
        "Mẹ cháu tái hôn, gia đình có thêm hai em nhỏ con của bố dượng; cháu ít được quan tâm.",
    ],
    "single_mother": [
        "Mẹ đơn thân, nuôi cháu một mình; không xác định được bố của cháu.",
        "Mẹ sinh cháu khi chưa kết hôn, hai mẹ con ở nhờ nhà ông bà ngoại.",
    ],
    "father_dead": [
        "Bố mất năm {nam_mat} do tai nạn lao động; mẹ một mình nuôi {so_con} con.",
        "Bố mất vì bệnh, mẹ làm thuê nuôi con; gia đình thuộc diện hộ nghèo.",
    ],
    "father_prison": [
        "Bố đang chấp hành án phạt tù; mẹ làm công nhân, đi ca đêm nhiều.",
        "Bố đang chấp hành án phạt tù về tội trộm cắp tài sản; mẹ nuôi các con.",
    ],
    "mother_left": [
        "Mẹ bỏ đi khỏi địa phương từ năm {nam_mat}, không liên lạc; cháu ở với bố.",
        "Mẹ bỏ nhà đi khi cháu còn nhỏ; bố đi làm thuê, cháu thường ở nhà một mình.",
    ],
    "unknown": [
        "Chưa xác định được cha mẹ của trẻ.",
        "Không rõ cha mẹ; chưa có ai đến nhận là thân nhân của trẻ.",
    ],
}
ECONOMY_TEXT: list[tuple[str, float]] = [
    ("Kinh tế gia đình khó khăn, thuộc diện hộ nghèo.", 3),
    ("Gia đình thuộc diện hộ cận nghèo.", 3),
    ("Kinh tế gia đình ở mức trung bình.", 3),
    ("Nhà ở tạm bợ, thu nhập bấp bênh.", 1.5),
    ("Gia đình có {so_con} con, cháu là con thứ {thu}.", 3),
    ("", 2),
]
_ECONOMY = _Pick(ECONOMY_TEXT)
WORK_PLACES: list[str] = ["Bình Dương", "Bắc Ninh", "Hà Nội", "Thành phố Hồ Chí Minh", "Đồng Nai", "Hải Phòng"]

# Who the report names as the person currently caring for the child.
CAREGIVER_TEXT: dict[str, list[str]] = {
    "both": ["Mẹ đẻ là chị {me}", "Bố mẹ đẻ", "Mẹ đẻ là chị {me}; ban ngày cháu ở với bà nội"],
    "away": ["Ông bà {ong_ba}; bà là {ba}", "Bà {ong_ba} là bà {ba}, {tuoi_ba} tuổi"],
    "divorced_mother": ["Mẹ đẻ là chị {me}", "Mẹ đẻ; ông bà ngoại hỗ trợ chăm sóc"],
    "divorced_father": ["Bố đẻ là anh {bo}", "Bố đẻ và bà nội {ba}"],
    "stepfather": ["Mẹ đẻ là chị {me} và bố dượng", "Mẹ đẻ là chị {me}"],
    "single_mother": ["Mẹ đẻ là chị {me}", "Mẹ đẻ và ông bà ngoại"],
    "father_dead": ["Mẹ đẻ là chị {me}", "Mẹ đẻ; bà nội {ba} trông nom khi mẹ đi làm"],
    "father_prison": ["Mẹ đẻ là chị {me}", "Bà nội {ba} (mẹ đi làm ca đêm)"],
    "mother_left": ["Bố đẻ là anh {bo}", "Bà nội {ba}, {tuoi_ba} tuổi"],
    "unknown": ["Trạm Y tế xã đang tạm thời chăm sóc", "Bà {ba}, người phát hiện, đang tạm thời chăm sóc"],
}

# Who brought the information, and how.
INFORMANTS: list[tuple[str, float]] = [
    ("hàng xóm", 6), ("giáo viên chủ nhiệm", 4), ("trưởng thôn", 3), ("bà nội của cháu", 2),
    ("mẹ của cháu", 2), ("cộng tác viên bảo vệ trẻ em thôn", 2), ("Chi hội trưởng Chi hội Phụ nữ thôn", 1.5),
    ("người dân", 2), ("nhân viên Trạm Y tế xã", 1),
]
_INFORMANT = _Pick(INFORMANTS)

# ------------------------------------------------------------------------------------------------
# Case scenarios, by Mẫu 01 category
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class T:
    """A template that only fits children of some ages or some families."""

    text: str
    lo: int = 0
    hi: int = 15
    kinds: tuple[str, ...] = ()


Template = str | T


@dataclass(frozen=True)
class Scenario:
    key: str
    category: str
    forms: tuple[tuple[str, ...], ...]  # possible sets of abuse forms (the first is the most common)
    min_age: int
    max_age: int
    weight: float
    incident: tuple[Template, ...]
    condition: tuple[Template, ...]
    consequences: tuple[Template, ...]
    prior: tuple[Template, ...]
    notes: tuple[Template, ...]
    unknown_child: bool = False  # only for a child nobody knew (estimated age, maybe no gender)
    extra_family: tuple[str, ...] = ()


def _template(item) -> Template:
    if isinstance(item, str):
        return item
    return T(item["text"], item.get("lo", 0), item.get("hi", 15), tuple(item.get("kinds", ())))


def _load_scenarios() -> list[Scenario]:
    """The scenarios' text is data (resources/demo/scenarios.json): places, conditions, consequences, help
    already given and notes, by Mẫu 01 category, with the ages and families each fits."""
    text = resources.files("resources").joinpath("demo", "scenarios.json").read_text(encoding="utf-8")
    scenarios = []
    for d in json.loads(text)["scenarios"]:
        scenarios.append(Scenario(
            d["key"], d["category"], tuple(tuple(f) for f in d["forms"]), d["min_age"], d["max_age"], d["weight"],
            **{part: tuple(_template(t) for t in d[part])
               for part in ("incident", "condition", "consequences", "prior", "notes")},
            unknown_child=d.get("unknown_child", False), extra_family=tuple(d.get("extra_family", ())),
        ))
    return scenarios


SCENARIOS: list[Scenario] = _load_scenarios()
SCENARIO_BY_KEY = {s.key: s for s in SCENARIOS}

CLOSED_REASONS: list[str] = [
    "Trẻ em đã được hỗ trợ, can thiệp; tình trạng ổn định, không còn nguy cơ.",
    "Đã rà soát, đánh giá: trẻ em an toàn, gia đình đã thay đổi cách chăm sóc.",
    "Gia đình đã chuyển đi nơi khác; đã chuyển thông tin cho UBND xã nơi cư trú mới.",
    "Đánh giá nguy cơ thấp; tiếp tục theo dõi qua cộng tác viên thôn.",
    "Trẻ em đã được chăm sóc thay thế ổn định tại gia đình người thân.",
]

SOURCES: list[tuple[str, float]] = [("dien_thoai", 45), ("gap_truc_tiep", 30), ("nguoi_khac_bao", 25)]
_SOURCE = _Pick(SOURCES)

# ------------------------------------------------------------------------------------------------
# Generation
# ------------------------------------------------------------------------------------------------

YEARS_BACK = 3
AGE_AT_CASE_WEIGHTS = [3, 2, 3, 3, 4, 5, 6, 7, 8, 8, 9, 9, 9, 9, 8, 6]  # age 0..15 at the first report


@dataclass
class DemoSummary:
    children: int
    cases: int
    persons: int
    abuse_forms: int
    years: list[int] = field(default_factory=list)  # years of the demo cases' reception
    office_created: bool = False


@dataclass
class _ChildPlan:
    gender: str
    ethnicity: str
    family_kind: str
    case_dates: list[date]


def _school(age: int, commune: str) -> str:
    if age <= 5:
        return f"Trường Mầm non {commune}"
    if age <= 10:
        return f"Trường Tiểu học {commune}"
    if age <= 14:
        return f"Trường THCS {commune}"
    return f"Trường THPT {commune}"


def _province_code(province: str) -> str:
    key = fold(province)
    for prefix in ("tinh ", "thanh pho "):
        if key.startswith(prefix):
            key = key[len(prefix):]
    return PROVINCE_CODES.get(key, "025")


def _minute(rng: random.Random, start: str, end: str) -> int:
    """A minute of the day between two "hh:mm" times (inclusive)."""
    (h1, m1), (h2, m2) = (map(int, start.split(":")), map(int, end.split(":")))
    return rng.randint(h1 * 60 + m1, h2 * 60 + m2)


def _received_time(rng: random.Random, day: date) -> tuple[datetime, str]:
    """A moment on that day when a report plausibly reaches the commune, and how it came.

    Mostly office hours on working days; evenings and weekends by telephone; a few early or at lunch.
    """
    weekend = day.weekday() >= 5
    r = rng.random()
    if weekend:
        minutes = _minute(rng, "07:00", "20:00") if r < 0.5 else _minute(rng, "17:00", "21:30")
        source = "dien_thoai" if rng.random() < 0.75 else _SOURCE(rng)
    elif r < 0.18:
        minutes = _minute(rng, "17:00", "21:30")
        source = "dien_thoai" if rng.random() < 0.75 else _SOURCE(rng)
    elif r < 0.25:
        minutes = _minute(rng, "06:15", "07:29") if rng.random() < 0.5 else _minute(rng, "11:30", "13:29")
        source = "dien_thoai" if rng.random() < 0.6 else _SOURCE(rng)
    else:
        minutes = _minute(rng, "07:30", "11:29") if rng.random() < 0.55 else _minute(rng, "13:30", "16:59")
        source = _SOURCE(rng)
    at = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=VN)
    return at, source


def _case_days(rng: random.Random, start: date, end: date, n: int) -> list[date]:
    """n report days between start and end, more recent ones a little likelier, weekends rarer, ≥ 45 days apart."""
    span = (end - start).days

    def one() -> date:
        while True:
            offset = rng.randint(0, span)
            if rng.random() > 0.65 + 0.35 * offset / max(span, 1):  # reports grow over the years
                continue
            day = start + timedelta(days=offset)
            if day.weekday() >= 5 and rng.random() < 0.6:
                continue
            return day

    days: list[date] = []
    for _ in range(30):
        days = sorted(one() for _ in range(n))
        if all((b - a).days >= 45 for a, b in zip(days, days[1:])):
            break
    return days


def _case_counts(rng: random.Random, children: int, cases: int) -> list[int]:
    """How many cases each child with a case has (1, 2 or 3), summing to `cases`."""
    if cases == 0:
        return []
    with_cases = max(-(-cases // 3), min(children, cases, round(cases / 1.18)))
    extra = cases - with_cases
    threes = max(extra - with_cases, min(extra // 2, round(extra * 0.2)))
    twos = extra - 2 * threes
    counts = [3] * threes + [2] * twos + [1] * (with_cases - threes - twos)
    rng.shuffle(counts)
    return counts


class _Numbers:
    """Case codes and report numbers per year, continuing what the database already holds."""

    def __init__(self, session, kind: str, existing_max: dict[int, int]):
        self.kind = kind
        self.last: dict[int, int] = dict(existing_max)
        for year, last in session.execute(
            select(DocumentCounter.year, DocumentCounter.last_number).where(DocumentCounter.kind == kind)
        ):
            self.last[year] = max(self.last.get(year, 0), last)
        self.touched: set[int] = set()

    def next(self, year: int) -> int:
        self.last[year] = self.last.get(year, 0) + 1
        self.touched.add(year)
        return self.last[year]

    def save(self, session) -> None:
        existing = {
            year for (year,) in session.execute(
                select(DocumentCounter.year).where(DocumentCounter.kind == self.kind)
            )
        }
        new_rows = []
        for year in sorted(self.touched):
            if year in existing:
                session.execute(
                    update(DocumentCounter)
                    .where(DocumentCounter.kind == self.kind, DocumentCounter.year == year)
                    .values(last_number=self.last[year])
                )
            else:
                new_rows.append({"kind": self.kind, "year": year, "last_number": self.last[year]})
        if new_rows:
            session.execute(insert(DocumentCounter.__table__), new_rows)


def _next_id(session, column) -> int:
    return (session.scalar(select(func.max(column))) or 0) + 1


def _ensure_office(db: Database, actor: Actor) -> tuple[dict[str, str], bool]:
    from .services.office import save_office  # services import the db layer; keep this module light

    with db.session() as session:
        office = session.scalar(select(Office).limit(1))
        if office is not None:
            return {
                "commune_name": office.commune_name or DEMO_OFFICE["commune_name"],
                "province": office.province or DEMO_OFFICE["province"],
                "worker_name": office.worker_name or DEMO_OFFICE["worker_name"],
            }, False
    errors = save_office(db, DEMO_OFFICE, actor)
    if errors:  # pragma: no cover - the demo office is valid
        raise ValueError(f"demo office settings rejected: {errors}")
    return dict(DEMO_OFFICE), True


def generate_demo(
    db: Database,
    actor: Actor,
    *,
    children: int,
    cases: int,
    seed: int = 2026,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill the database with `children` demo children and `cases` cases (each with its Mẫu 01).

    Runs on an empty database or beside real data: ids, case codes and report numbers continue from
    what is there, and the document counters end at the last number used.
    """
    if children < 0 or cases < 0:
        raise ValueError("children and cases must not be negative")
    if cases > 3 * children:
        raise ValueError("at most three cases per child: cases must not exceed 3 × children")
    rng = random.Random(seed)
    today = today or clock_today()
    last_day = today - timedelta(days=1)  # nothing on `today` itself, so nothing lies in the future
    first_day = last_day - timedelta(days=365 * YEARS_BACK)
    total = 2 * (children + cases) or 1
    done = 0

    def tick(step: int) -> None:
        nonlocal done
        done += step
        if progress is not None:
            progress(min(done, total), total)

    office, office_created = _ensure_office(db, actor)
    if office_created:  # a demo office, not demo records added beside real ones: say so everywhere
        from .services.office import mark_demo

        mark_demo(db, actor)
    commune = office["commune_name"]
    worker = office["worker_name"]
    home_code = _province_code(office["province"])

    # -- plan: which children have cases, and when -------------------------------------------------
    counts = _case_counts(rng, children, cases)
    plans: list[_ChildPlan] = []
    case_children = set(rng.sample(range(children), len(counts))) if counts else set()
    count_iter = iter(counts)
    for index in range(children):
        ethnicity = _ETHNICITY(rng)
        r = rng.random()
        gender = "nam" if r < 0.505 else "nu"
        kind = _FAMILY_KIND(rng)
        days: list[date] = []
        if index in case_children:
            days = _case_days(rng, first_day, last_day, next(count_iter))
        plans.append(_ChildPlan(gender=gender, ethnicity=ethnicity, family_kind=kind, case_dates=days))

    with db.transaction() as session:
        used_ids = {
            pid for (pid,) in session.execute(select(Child.personal_id).where(Child.personal_id.is_not(None)))
        }
        child_id = _next_id(session, Child.id)
        person_id = _next_id(session, Person.id)
        relation_id = _next_id(session, ChildRelation.id)
        case_id = _next_id(session, Case.id)
        form_id = _next_id(session, CaseAbuseForm.id)
        intake_id = _next_id(session, Intake.id)

        hs_max: dict[int, int] = {}
        for (code,) in session.execute(select(Case.code)):
            parts = code.split("-")
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                hs_max[int(parts[1])] = max(hs_max.get(int(parts[1]), 0), int(parts[2]))
        bc_max = {
            year: number for year, number in session.execute(
                select(Intake.doc_year, func.max(Intake.doc_number)).group_by(Intake.doc_year)
            )
        }
        hs_numbers = _Numbers(session, "HS", hs_max)
        bc_numbers = _Numbers(session, "BC", bc_max)

        child_rows: list[dict] = []
        person_rows: list[dict] = []
        relation_rows: list[dict] = []
        pending_cases: list[dict] = []  # one per case, numbered once all are known

        for index, plan in enumerate(plans):
            cid = child_id + index
            days = plan.case_dates
            gender = plan.gender
            ethnicity = plan.ethnicity
            kind = plan.family_kind
            ref_day = days[0] if days else last_day

            # The first scenario decides whether this is a child nobody knew (newborn, child begging).
            scenarios: list[Scenario] = []
            unknown = False
            if days:
                if len(days) == 1 and rng.random() < 0.06:
                    unknown = True
                    scen = SCENARIO_BY_KEY["bo_roi_so_sinh" if rng.random() < 0.6 else "tre_xin_an"]
                    scenarios.append(scen)
                    kind = "unknown"
                    if scen.key == "tre_xin_an" and rng.random() < 0.3:
                        gender = "khong_biet"

            # Date of birth (or only an estimated age) so that the child is 0–15 at every report.
            dob: date | None = None
            est_age: int | None = None
            if unknown:
                scen = scenarios[0]
                est_age = 0 if scen.key == "bo_roi_so_sinh" else rng.randint(scen.min_age, scen.max_age)
            else:
                if days:
                    age = rng.choices(range(16), weights=AGE_AT_CASE_WEIGHTS)[0]
                    dob = ref_day - timedelta(days=age * 365 + rng.randint(0, 364) + (7 if age == 0 else 0))
                    while age_on(dob, days[-1]) > 15:
                        dob += timedelta(days=rng.randint(30, 200))
                    if dob >= days[0]:
                        dob = days[0] - timedelta(days=rng.randint(7, 60))
                else:
                    dob = last_day - timedelta(days=rng.randint(20, 16 * 365 - 5))
                    while age_on(dob, today) > 15:
                        dob += timedelta(days=30)
                if days and len(days) == 1 and rng.random() < 0.04:
                    est_age = age_on(dob, days[0])  # reported without a date of birth
                    dob = None
            age_ref = est_age if dob is None else age_on(dob, ref_day)

            fam = family_name(rng, ethnicity)
            mother_family = family_name(rng, ethnicity)
            if kind == "single_mother":
                fam = mother_family
            full_name = _nfc(child_name(rng, gender, fam, ethnicity))

            personal_id = None
            if dob is not None and gender != "khong_biet" and rng.random() < 0.85:
                province = home_code
                if rng.random() < 0.15:  # born in another province's hospital
                    province = OTHER_BIRTH_CODES[rng.randrange(len(OTHER_BIRTH_CODES))]
                century = (2 if gender == "nam" else 3) if dob.year >= 2000 else (0 if gender == "nam" else 1)
                while True:
                    personal_id = f"{province}{century}{dob.year % 100:02d}{rng.randrange(1_000_000):06d}"
                    if personal_id not in used_ids:
                        used_ids.add(personal_id)
                        break

            village = VILLAGES[rng.randrange(len(VILLAGES))]
            if village.startswith("Tổ dân phố"):
                address = f"Số {rng.randint(1, 180)}, {STREETS[rng.randrange(len(STREETS))]}"
            elif rng.random() < 0.5:
                address = f"Số nhà {rng.randint(1, 120)}, {HAMLETS[rng.randrange(len(HAMLETS))]}"
            else:
                hamlet = HAMLETS[rng.randrange(len(HAMLETS))]
                address = hamlet[:1].upper() + hamlet[1:]
            full_address = f"{address}, {village}, xã {commune}"
            # A child nobody knew has no known home: a foundling is registered where it was found.
            home_village, home_address = village, address
            if unknown:
                home_address = ""
                if scenarios[0].key == "tre_xin_an":
                    home_village = ""

            # Parents (none for a child nobody knew).
            father = mother = None
            if kind != "unknown":
                mother_at_birth = max(18, min(42, round(rng.gauss(26, 5))))
                mother_age = max(20, min(60, mother_at_birth + age_ref))
                father_age = max(20, min(60, mother_age + rng.choice((-1, 0, 1, 2, 2, 3, 4, 5, 6, 8))))
                mother_occ = _OCCUPATION["nu"](rng)
                father_occ = _OCCUPATION["nam"](rng)
                if kind == "both" and father_occ == "Đi làm ăn xa":
                    father_occ = "Lao động tự do"
                if kind == "away":
                    father_occ = rng.choice(("Đi làm ăn xa", "Công nhân", "Đi xuất khẩu lao động"))
                    mother_occ = rng.choice(("Đi làm ăn xa", "Công nhân"))
                elif kind == "father_dead":
                    father_occ, father_age = "Đã mất", None
                elif kind == "father_prison":
                    father_occ = "Đang chấp hành án phạt tù"
                elif kind == "mother_left":
                    mother_occ = "Không rõ (bỏ đi khỏi địa phương)"
                mother = {
                    "id": person_id, "full_name": _nfc(adult_name(rng, "nu", mother_family, ethnicity)),
                    "age": mother_age, "occupation": mother_occ,
                    "phone": phone_number(rng) if rng.random() < 0.6 and kind != "mother_left" else "",
                    "address": full_address if kind != "mother_left" else "",
                }
                person_rows.append(mother)
                relation_rows.append({"id": relation_id, "child_id": cid, "person_id": person_id, "role": "me"})
                person_id += 1
                relation_id += 1
                if kind != "single_mother":
                    father = {
                        "id": person_id, "full_name": _nfc(adult_name(rng, "nam", fam, ethnicity)),
                        "age": father_age, "occupation": father_occ,
                        "phone": phone_number(rng) if rng.random() < 0.5 and father_age is not None else "",
                        "address": full_address if kind in ("both", "divorced_father", "mother_left") else "",
                    }
                    person_rows.append(father)
                    relation_rows.append({"id": relation_id, "child_id": cid, "person_id": person_id, "role": "cha"})
                    person_id += 1
                    relation_id += 1

            created = (
                datetime.combine(days[0], time(8, 0), tzinfo=VN) if days
                else datetime.combine(first_day + timedelta(days=rng.randint(0, 365 * YEARS_BACK)),
                                      time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=VN)
            )
            child_rows.append({
                "id": cid, "full_name": full_name, "name_key": fold(full_name), "sort_key": vn_sort_key(full_name),
                "date_of_birth": dob, "estimated_age": est_age, "gender": gender, "ethnicity": ethnicity,
                "personal_id": personal_id, "village": home_village, "address": home_address,
                "created_at": created, "updated_at": created,
            })

            # The child's cases.
            for n, day in enumerate(days):
                age = est_age if dob is None else age_on(dob, day)
                if n >= len(scenarios):
                    eligible = [s for s in SCENARIOS if not s.unknown_child and s.min_age <= age <= s.max_age]
                    scenarios.append(rng.choices(eligible, weights=[s.weight for s in eligible])[0])
                scen = scenarios[n]
                received_at, source = _received_time(rng, day)
                pending_cases.append(_case_texts(
                    rng, scen, cid, received_at, source, last_day, today, age=age, full_name=full_name,
                    kind=kind, village=village, address=address, commune=commune,
                    father=father, mother=mother, ethnicity=ethnicity, worker=worker, unknown=unknown,
                ))
            if index % 5000 == 4999:
                tick(5000)
        tick(children % 5000)

        # -- numbers in chronological order, then ids ---------------------------------------------------
        pending_cases.sort(key=lambda c: c["received_at"])
        years = sorted({c["received_at"].year for c in pending_cases})
        case_rows: list[dict] = []
        form_rows: list[dict] = []
        for i, c in enumerate(pending_cases):
            c["case_id"] = case_id + i
            c["code"] = f"HS-{c['received_at'].year}-{hs_numbers.next(c['received_at'].year):04d}"
        for c in sorted(pending_cases, key=lambda c: (c["report_date"], c["received_at"])):
            c["doc_year"] = c["report_date"].year
            c["doc_number"] = bc_numbers.next(c["doc_year"])
        intake_rows: list[dict] = []
        for i, c in enumerate(pending_cases):
            case_rows.append({
                "id": c["case_id"], "code": c["code"], "child_id": c["child_id"], "opened_at": c["received_at"],
                "closed_at": c["closed_at"], "closed_reason": c["closed_reason"], "created_at": c["created_at"],
                "created_by": worker,
            })
            for code in c["forms"]:
                form_rows.append({"id": form_id, "case_id": c["case_id"], "code": code})
                form_id += 1
            intake_rows.append({
                "id": intake_id + i, "case_id": c["case_id"],
                "doc_year": c["doc_year"], "doc_number": c["doc_number"],
                **{k: c[k] for k in _INTAKE_TEXT_KEYS},
                "created_at": c["created_at"],
            })
            if i % 5000 == 4999:
                tick(5000)
        tick(len(pending_cases) % 5000)

        # -- write ----------------------------------------------------------------------------------
        def write(table, rows: list[dict], weight: float) -> None:
            chunk = 10_000
            for start in range(0, len(rows), chunk):
                part = rows[start:start + chunk]
                session.execute(insert(table), part)
                tick(round(len(part) * weight))

        # The case process after intake (own random stream: the intake data stay as they were).
        from .demo_process import _ProcessDemo, _showcase  # (it uses this module's names and counters)

        process = _ProcessDemo(session, random.Random(seed + 1), today, office)
        showcase = _showcase(pending_cases, case_rows, today)
        for c, row in zip(pending_cases, case_rows):
            process.case(c, row, showcase.get(c["case_id"]))

        write(Child.__table__, child_rows, 0.6)
        refresh_tokens(session.connection(), [(c["id"], c["name_key"], c.get("personal_id"), c.get("village"))
                                              for c in child_rows])  # on the office server: the search tokens
        write(Person.__table__, person_rows, 0.15)
        write(ChildRelation.__table__, relation_rows, 0.05)
        write(Case.__table__, case_rows, 0.3)
        write(CaseAbuseForm.__table__, form_rows, 0.1)
        write(Intake.__table__, intake_rows, 0.6)
        process.write(session, write, bc_numbers)
        hs_numbers.save(session)
        bc_numbers.save(session)
        from .base import Base
        from .portable import sync_sequences

        sync_sequences(session, Base.metadata.sorted_tables)  # the server mode: ids were given, sequences follow
        # Alternative care: carers and placements at every step (models/demo_care.py), written through the ORM.
        from .demo_care import add_care_demo

        add_care_demo(session, today, worker, office.get("chairman_name", "") or "Chủ tịch UBND", commune)
        sync_sequences(session, Base.metadata.sorted_tables)
        audit.record(session, actor, "create", "demo", detail=f"Dữ liệu mẫu: {len(child_rows)} trẻ em, {len(case_rows)} hồ sơ")

    if progress is not None:
        progress(total, total)
    return DemoSummary(
        children=len(child_rows), cases=len(case_rows), persons=len(person_rows), abuse_forms=len(form_rows),
        years=years, office_created=office_created,
    )


_INTAKE_TEXT_KEYS = (
    "report_date", "category", "source", "received_at", "receiving_officer", "incident_place",
    "child_condition", "predicted_consequences", "family_situation", "current_caregiver", "prior_actions",
    "informant_consent", "informant_name", "informant_phone", "informant_address", "notes",
)


def _fill(text: str, values: dict[str, str]) -> str:
    return _nfc(text.format_map(values))


def _choose(rng: random.Random, items: Sequence[Template], age: int, kind: str) -> str:
    """One of the templates that fit the child's age and family."""
    fitting = [
        t if isinstance(t, str) else t.text
        for t in items
        if isinstance(t, str) or (t.lo <= age <= t.hi and (not t.kinds or kind in t.kinds))
    ]
    return fitting[rng.randrange(len(fitting))]


def _case_texts(
    rng: random.Random, scen: Scenario, child_id: int, received_at: datetime, source: str,
    last_day: date, today: date, *, age: int, full_name: str, kind: str, village: str, address: str,
    commune: str, father: dict | None, mother: dict | None, ethnicity: str, worker: str, unknown: bool,
) -> dict:
    """Every Mẫu 01 field of one case, consistent with its scenario and the child's family."""
    day = received_at.date()
    # Who is said to hurt the child, following who the child lives with.
    perpetrator = {
        "both": ("bố", "bố", "mẹ"), "stepfather": ("bố dượng",), "divorced_mother": ("mẹ", "người tình của mẹ"),
        "divorced_father": ("bố", "mẹ kế"), "single_mother": ("mẹ", "cậu"), "father_dead": ("mẹ", "chú"),
        "father_prison": ("mẹ", "chú"), "mother_left": ("bố",), "away": ("ông nội", "bác", "chú"),
    }.get(kind, ("người lớn",))
    ke = rng.choice(perpetrator)
    grandparent_side = "nội" if rng.random() < 0.6 else "ngoại"
    grandmother = adult_name(rng, "nu", None, ethnicity)
    values = {
        "ke": ke, "ke_hoa": ke[:1].upper() + ke[1:], "thon": village, "xa": commune, "dia_chi": address,
        "truong": _school(age, commune), "chua": PAGODAS[rng.randrange(len(PAGODAS))],
        "noi_lam": WORK_PLACES[rng.randrange(len(WORK_PLACES))], "tuoi": str(max(age, 1)),
        "ngay": str(rng.randint(2, 10)), "lop": str(max(1, min(9, age - 6))), "ho_ten": full_name,
        "ong_ba": grandparent_side, "ba": grandmother, "tuoi_ba": str(rng.randint(62, 80)),
        "me": mother["full_name"] if mother else "", "bo": father["full_name"] if father else "",
        "nam_ly_hon": str(day.year - rng.randint(1, max(1, min(age, 8)) if age else 1)),
        "nam_mat": str(day.year - rng.randint(1, max(1, min(age, 6)) if age else 1)),
        "so_con": str(rng.randint(2, 4)), "thu": "",
    }
    values["thu"] = str(rng.randint(1, int(values["so_con"])))

    family = _fill(rng.choice(FAMILY_TEXT[kind]), values)
    if kind != "unknown":
        economy = _fill(_ECONOMY(rng), values)
        extra = _fill(rng.choice(scen.extra_family), values) if scen.extra_family and rng.random() < 0.5 else ""
        family = " ".join(part for part in (family, extra, economy) if part)
    if scen.key == "tre_xin_an":
        caregiver = "Công an xã đang tạm thời trông giữ, chờ xác minh nhân thân"
    else:
        caregiver = _fill(rng.choice(CAREGIVER_TEXT[kind]), values)

    # The report is written the day the information arrives, or the next morning (never after `today`).
    report_date = day
    if received_at.hour >= 16 or rng.random() < 0.2:
        report_date = day + timedelta(days=1)
    if report_date > today:
        report_date = day
    if report_date == day:
        created_at = min(received_at + timedelta(minutes=rng.randint(20, 180)),
                         datetime.combine(day, time(23, 55), tzinfo=VN))
    else:
        created_at = datetime.combine(report_date, time(rng.randint(7, 9), rng.randint(0, 59)), tzinfo=VN)
        if report_date >= today:
            created_at = min(received_at + timedelta(minutes=rng.randint(20, 120)),
                             datetime.combine(day, time(23, 55), tzinfo=VN))

    # The person who passed the information on; named only if they agreed (Điều 24).
    consent = rng.random() < 0.6
    role = "người dân" if unknown else _INFORMANT(rng)
    if source == "nguoi_khac_bao" and rng.random() < 0.35:
        role = rng.choice(("Tổng đài điện thoại quốc gia bảo vệ trẻ em 111", "Công an xã"))
        consent = role == "Công an xã" and rng.random() < 0.5
    informant_name = informant_phone = informant_address = ""
    if consent:
        gender = "nu" if role in ("giáo viên chủ nhiệm", "bà nội của cháu", "mẹ của cháu",
                                  "Chi hội trưởng Chi hội Phụ nữ thôn") or rng.random() < 0.5 else "nam"
        if role == "mẹ của cháu" and mother:
            informant_name = mother["full_name"]
        else:
            informant_name = _nfc(adult_name(rng, gender, None, ethnicity))
        informant_phone = phone_number(rng)
        if role == "giáo viên chủ nhiệm":
            informant_address = _school(age, commune) + f", xã {commune}"
        elif role == "Công an xã":
            informant_address = f"Công an xã {commune}"
        else:
            informant_address = f"{VILLAGES[rng.randrange(len(VILLAGES))]}, xã {commune}"
    note = _fill(_choose(rng, scen.notes, age, kind), values)
    who = f"Thông tin do {role} cung cấp."
    if not consent and role not in ("Tổng đài điện thoại quốc gia bảo vệ trẻ em 111", "Công an xã"):
        who = "Người cung cấp thông tin đề nghị giữ bí mật danh tính."
    notes = f"{note} {who}" if rng.random() < 0.7 else note

    forms = scen.forms[0] if rng.random() < 0.75 or len(scen.forms) == 1 else rng.choice(scen.forms[1:])

    closed_at = None
    closed_reason = ""
    if (last_day - day).days > 180 and rng.random() < 0.8:
        closed_day = min(day + timedelta(days=rng.randint(14, 150)), last_day)
        closed_at = datetime.combine(closed_day, time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=VN)
        closed_reason = CLOSED_REASONS[rng.randrange(len(CLOSED_REASONS))]

    return {
        "child_id": child_id, "received_at": received_at, "report_date": report_date, "created_at": created_at,
        "category": scen.category, "source": source, "receiving_officer": worker,
        "incident_place": _fill(_choose(rng, scen.incident, age, kind), values),
        "child_condition": _fill(_choose(rng, scen.condition, age, kind), values),
        "predicted_consequences": _fill(_choose(rng, scen.consequences, age, kind), values),
        "family_situation": family, "current_caregiver": caregiver,
        "prior_actions": _fill(_choose(rng, scen.prior, age, kind), values),
        "informant_consent": consent, "informant_name": informant_name, "informant_phone": informant_phone,
        "informant_address": informant_address, "notes": notes, "forms": forms,
        "closed_at": closed_at, "closed_reason": closed_reason,
    }
