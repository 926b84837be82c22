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

import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Callable, Sequence

from sqlalchemy import func, insert, select, update

from .clock import VN
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


# Families where the mother lives with the child.
_WITH_MOTHER = ("both", "divorced_mother", "stepfather", "single_mother", "father_dead", "father_prison")

SCENARIOS: list[Scenario] = [
    Scenario(
        "bao_luc_gia_dinh", "bi_xam_hai", (("bao_luc",), ("bao_luc", "khac")), 2, 15, 22,
        incident=(
            "Tại nhà riêng của gia đình, {dia_chi}, {thon}",
            "Tại nhà riêng, {thon}, xã {xa}",
            "Trong sân nhà của gia đình, {thon}",
            "Tại nhà ông bà nội, {thon}, xã {xa}",
        ),
        condition=(
            (
                "Cháu có nhiều vết bầm tím ở lưng, hai tay và chân, có vết lằn roi ở mông; cháu sợ hãi, ít "
                "nói, không dám về nhà."
            ),
            T("Trên mặt và cánh tay cháu có vết bầm; cháu kể bị {ke} đánh bằng roi tre khi làm đổ nồi cơm.", 5),
            "Cháu bị {ke} tát và đánh vào đầu, có vết sưng ở trán; đã được Trạm Y tế xã sơ cứu, hiện tỉnh táo.",
            (
                "Cháu thường xuyên bị {ke} chửi mắng, đánh đập mỗi khi nóng giận; người gầy, hay giật mình, "
                "ngủ không yên."
            ),
            (
                "Cháu bị {ke} dùng dây điện quất vào chân, để lại nhiều vết thương ngoài da; cháu đau, đi lại "
                "khó khăn."
            ),
            T(
                "Cháu bị {ke} véo tai, đánh vào lưng vì không làm xong bài tập; có vết bầm ở lưng, cháu khóc "
                "nhiều.",
                6,
            ),
            "Cháu bị {ke} trói tay, nhốt trong nhà kho một đêm; cháu đói, mệt, sợ hãi.",
        ),
        consequences=(
            "Cháu tiếp tục bị đánh nếu vẫn sống cùng {ke}; nguy cơ bị thương tích nặng hơn.",
            T("Cháu có thể bị tổn thương tâm lý lâu dài, sợ hãi, bỏ học hoặc bỏ nhà đi.", 7),
            (
                "Nếu không can thiệp kịp thời, bạo lực có thể tái diễn và ngày càng nghiêm trọng, ảnh hưởng "
                "tính mạng của cháu."
            ),
            T("Cháu có nguy cơ trầm cảm, học sa sút, có hành vi bạo lực với bạn bè.", 6),
        ),
        prior=(
            "Trưởng thôn và Chi hội Phụ nữ thôn đã đến nhà nhắc nhở.",
            "Công an xã đã đến nhà làm việc, lập biên bản ghi nhận sự việc.",
            "Trạm Y tế xã đã sơ cứu vết thương cho cháu.",
            "Hàng xóm đã can ngăn và đưa cháu sang nhà bên cạnh tạm lánh.",
            "Chưa có hành động hỗ trợ, can thiệp nào.",
            T("Nhà trường đã mời gia đình lên trao đổi nhưng gia đình chưa hợp tác.", 3),
        ),
        notes=(
            "Hàng xóm cho biết sự việc đã xảy ra nhiều lần.",
            "Người gây bạo lực có biểu hiện nghiện rượu.",
            T("Giáo viên chủ nhiệm cũng phát hiện vết bầm trên người cháu.", 6),
            T("Cháu đề nghị không cho {ke} biết cháu đã kể lại sự việc.", 6),
            "Đã chụp ảnh vết thương, lưu cùng hồ sơ.",
        ),
    ),
    Scenario(
        "bao_luc_hoc_duong", "bi_xam_hai", (("bao_luc",),), 8, 15, 6,
        incident=(
            "Tại cổng {truong}",
            "Trên đường đi học về, đoạn qua cánh đồng {thon}",
            "Trong khu nhà vệ sinh của {truong}",
            "Tại bãi đất trống gần {truong}",
        ),
        condition=(
            (
                "Cháu bị một nhóm học sinh đánh hội đồng, có vết bầm ở mặt và lưng; video sự việc bị đăng lên "
                "mạng xã hội."
            ),
            "Cháu bị bạn cùng lớp đánh, xô ngã, sưng cổ tay trái; cháu sợ, không muốn đến trường.",
            (
                "Cháu bị nhóm học sinh lớp trên chặn đường, đánh và lấy tiền; cháu có vết xước ở tay, tinh "
                "thần hoảng loạn."
            ),
        ),
        consequences=(
            "Cháu có thể bỏ học, bị tổn thương tâm lý và tiếp tục bị bắt nạt.",
            "Nếu không được hỗ trợ, cháu có nguy cơ trầm cảm hoặc trả thù bạn, dẫn đến bạo lực nghiêm trọng hơn.",
        ),
        prior=(
            "Nhà trường đã mời phụ huynh các em liên quan lên làm việc.",
            "Công an xã đã đề nghị gỡ video trên mạng xã hội.",
            "Giáo viên chủ nhiệm đã đưa cháu đến phòng y tế trường sơ cứu.",
        ),
        notes=(
            "Video sự việc đã được gỡ khỏi mạng xã hội.",
            "Nhà trường cam kết phối hợp theo dõi, bảo vệ cháu.",
            "Gia đình đề nghị xử lý nghiêm các học sinh gây bạo lực.",
        ),
    ),
    Scenario(
        "xam_hai_tinh_duc", "bi_xam_hai", (("xam_hai_tinh_duc",), ("xam_hai_tinh_duc", "bao_luc")), 5, 15, 7,
        incident=(
            "Tại nhà riêng của người bị nghi vấn ở {thon}",
            "Tại khu vực vắng người gần {thon}, xã {xa}",
            "Tại nhà riêng của gia đình, {thon}",
        ),
        condition=(
            "Cháu có dấu hiệu bị xâm hại tình dục; đã được đưa đến Trung tâm Y tế khám. Cháu hoảng sợ, hay khóc.",
            T(
                "Cháu kể với mẹ về hành vi dâm ô của một người quen trong thôn; cháu lo sợ, không muốn ra "
                "khỏi nhà.",
                kinds=_WITH_MOTHER,
            ),
            (
                "Cháu có biểu hiện thay đổi tâm lý, sợ người lạ; gia đình nghi cháu bị xâm hại và đã trình "
                "báo Công an xã."
            ),
        ),
        consequences=(
            "Cháu có nguy cơ bị tổn thương tâm lý nghiêm trọng và tiếp tục bị xâm hại nếu không được bảo vệ.",
            T("Cháu có thể bị kỳ thị, bỏ học, ảnh hưởng lâu dài đến sức khỏe và sự phát triển.", 6),
        ),
        prior=(
            "Gia đình đã trình báo Công an xã; Công an xã đã tiếp nhận và chuyển Công an tỉnh.",
            "Cháu đã được đưa đến Trung tâm Y tế khám sức khỏe.",
            "Chưa có hành động hỗ trợ, can thiệp nào.",
        ),
        notes=(
            "Giữ bí mật thông tin của trẻ em (Luật Trẻ em, Điều 33); tránh để cháu phải kể lại sự việc nhiều lần.",
            "Người bị nghi vấn đã được Công an mời làm việc.",
            "Cần hỗ trợ tư vấn tâm lý cho cháu và gia đình.",
        ),
    ),
    Scenario(
        "bo_mac", "bi_xam_hai", (("bo_roi",), ("bo_roi", "khac")), 3, 15, 5,
        incident=("Tại nhà riêng, {thon}, xã {xa}", "Tại nhà riêng của gia đình, {dia_chi}, {thon}"),
        condition=(
            "Cháu bị bỏ ở nhà một mình nhiều ngày, thiếu ăn, quần áo bẩn; hàng xóm phải cho cơm.",
            T("Cháu gầy yếu, suy dinh dưỡng, không được đưa đi học; người chăm sóc bỏ mặc.", 4),
            "Cháu thường xuyên bị bỏ đói, phải đi xin ăn ở nhà hàng xóm.",
        ),
        consequences=(
            "Cháu có nguy cơ suy dinh dưỡng nặng, ốm đau không được chữa trị.",
            "Cháu có thể bị lôi kéo vào các tệ nạn hoặc bị xâm hại khi không có người trông nom.",
        ),
        prior=(
            "Hàng xóm đã cho cháu ăn và báo trưởng thôn.",
            "Trưởng thôn đã liên lạc với người thân nhưng chưa có ai về đón cháu.",
        ),
        notes=("Cần tìm người thân phù hợp để chăm sóc cháu.", "Đề nghị xem xét hỗ trợ gạo, tiền ăn cho cháu."),
    ),
    Scenario(
        "bo_roi_so_sinh", "bi_xam_hai", (("bo_roi",),), 0, 0, 2.5,
        incident=(
            "Trước cổng Trạm Y tế xã {xa}",
            "Trước cổng {chua}, {thon}",
            "Ven đường liên thôn, đoạn qua {thon}",
        ),
        condition=(
            (
                "Trẻ sơ sinh khoảng {ngay} ngày tuổi, được quấn trong chăn, để trong thùng các-tông; sức khỏe "
                "bình thường, đã được Trạm Y tế xã kiểm tra."
            ),
            (
                "Trẻ sơ sinh còn dây rốn, được phát hiện lúc sáng sớm; trẻ bị lạnh, đã được ủ ấm và cho bú "
                "tạm sữa ngoài."
            ),
        ),
        consequences=(
            (
                "Trẻ có nguy cơ hạ thân nhiệt, nhiễm trùng, suy dinh dưỡng nếu không được chăm sóc y tế và "
                "nuôi dưỡng."
            ),
        ),
        prior=(
            "Người dân phát hiện đã báo Công an xã và đưa trẻ đến Trạm Y tế xã.",
            "Trạm Y tế xã đã kiểm tra sức khỏe, tiêm phòng ban đầu cho trẻ.",
        ),
        notes=(
            "Đã thông báo trên Đài truyền thanh xã để tìm thân nhân của trẻ.",
            "Kèm theo trẻ có một ít quần áo và sữa, không có giấy tờ gì.",
        ),
        unknown_child=True,
    ),
    Scenario(
        "nguy_co_bao_luc", "nguy_co_bao_luc", (("bao_luc",),), 1, 15, 15,
        incident=("Tại nhà riêng của gia đình, {thon}", "Tại nhà riêng, {dia_chi}, {thon}, xã {xa}"),
        condition=(
            "Cháu chưa bị thương tích nhưng sợ hãi, hay trốn sang nhà hàng xóm khi {ke} nổi nóng.",
            T(
                "Cháu thường xuyên chứng kiến bố mẹ cãi nhau, đánh nhau; cháu hay khóc, giật mình khi ngủ.",
                kinds=("both", "stepfather"),
            ),
            T("{ke_hoa} nhiều lần dọa đánh cháu khi cháu không nghe lời; cháu lo lắng, học sa sút.", 6),
            T("Cháu bị bạn học đe dọa đánh qua mạng xã hội; cháu sợ, không dám đi học một mình.", 10),
        ),
        consequences=(
            "Cháu có thể bị bạo lực thể chất nếu mâu thuẫn trong gia đình tiếp diễn.",
            T("Cháu có nguy cơ bị tổn thương tâm lý, bỏ học, bỏ nhà đi.", 7),
        ),
        prior=(
            T(
                "Trưởng thôn đã hòa giải mâu thuẫn gia đình nhưng chưa có kết quả.",
                kinds=("both", "stepfather", "divorced_father"),
            ),
            T(
                "Chi hội Phụ nữ thôn đã đến thăm, tư vấn cho mẹ cháu.",
                kinds=_WITH_MOTHER,
            ),
            "Chưa có hành động hỗ trợ, can thiệp nào.",
        ),
        notes=(
            "Gia đình đã được Tổ hòa giải thôn nhắc nhở một lần.",
            "Cần theo dõi sát, nhất là vào dịp lễ, Tết khi gia đình hay phát sinh mâu thuẫn.",
        ),
        extra_family=("Bố cháu hay uống rượu, nhiều lần đánh vợ.", "Vợ chồng thường xuyên mâu thuẫn về kinh tế."),
    ),
    Scenario(
        "nguy_co_boc_lot", "nguy_co_boc_lot", (("boc_lot",), ("boc_lot", "mua_ban")), 11, 15, 8,
        incident=(
            "Tại nhà riêng, {thon}; cháu được người quen rủ đi làm ở {noi_lam}",
            "Trên mạng xã hội (cháu nhận tin nhắn tuyển người làm)",
            "Tại xưởng sản xuất gạch ở {thon}",
        ),
        condition=(
            (
                "Cháu đã nghỉ học, đang được một người quen rủ đi làm ở xưởng may tại {noi_lam}; cháu muốn đi "
                "để có tiền giúp gia đình."
            ),
            "Cháu nhận được tin nhắn mời làm việc nhẹ, lương cao ở nước ngoài; đối tượng hứa lo chi phí đi lại.",
            "Cháu bỏ học, làm thuê ở xưởng gạch trong thôn, bưng vác nặng từ sáng đến tối.",
        ),
        consequences=(
            "Cháu có nguy cơ bị bóc lột sức lao động, làm việc nặng nhọc, nguy hiểm và bỏ học hẳn.",
            "Cháu có thể bị lừa đưa đi xa, bị mua bán hoặc bị bóc lột.",
        ),
        prior=(
            "Giáo viên chủ nhiệm đã đến nhà vận động cháu đi học lại.",
            "Gia đình đã giữ cháu ở nhà và báo cho trưởng thôn.",
            "Chưa có hành động hỗ trợ, can thiệp nào.",
        ),
        notes=(
            "Đã đề nghị Công an xã xác minh người rủ cháu đi làm.",
            "Cháu cần được hỗ trợ học nghề hoặc quay lại trường.",
        ),
    ),
    Scenario(
        "tre_xin_an", "nguy_co_boc_lot", (("boc_lot",),), 5, 12, 1.5,
        incident=("Tại chợ trung tâm xã {xa}", "Tại khu vực cổng {chua} vào ngày rằm"),
        condition=(
            (
                "Một trẻ khoảng {tuoi} tuổi đi xin tiền người đi chợ, quần áo rách, tự khai tên là {ho_ten}, "
                "không nói được địa chỉ; có người lớn đi cùng thu tiền."
            ),
            "Trẻ khoảng {tuoi} tuổi ngồi xin ăn, nói giọng nơi khác, không biết địa chỉ nhà; trẻ đói và mệt.",
        ),
        consequences=(
            "Trẻ có nguy cơ bị bóc lột, bị mua bán hoặc bị xâm hại nếu không được đưa về nơi an toàn.",
        ),
        prior=(
            "Công an xã đã đưa trẻ về trụ sở, cho ăn và hỏi thông tin.",
            "Người dân đã báo Công an xã.",
        ),
        notes=("Đang phối hợp Công an xác minh nhân thân của trẻ.",),
        unknown_child=True,
    ),
    Scenario(
        "bi_boc_lot", "bi_xam_hai", (("boc_lot",),), 12, 15, 3,
        incident=(
            "Tại xưởng may tư nhân ở {noi_lam}",
            "Tại quán ăn ở trung tâm xã {xa}", "Tại lò gạch thủ công ở {thon}",
        ),
        condition=(
            "Cháu bị chủ xưởng bắt làm việc 12 tiếng mỗi ngày, không được trả đủ lương; cháu gầy, mệt mỏi.",
            "Cháu làm phục vụ quán ăn đến khuya, bị chủ quán chửi mắng, giữ lương; cháu muốn về nhà.",
        ),
        consequences=(
            "Cháu có nguy cơ suy kiệt sức khỏe, bị tai nạn lao động và không thể quay lại trường.",
        ),
        prior=(
            "Gia đình đã đón cháu về nhà.",
            "Công an xã đã làm việc với chủ cơ sở.",
        ),
        notes=("Đề nghị kiểm tra việc sử dụng lao động dưới 15 tuổi tại cơ sở.",),
    ),
    Scenario(
        "bi_mua_ban", "bi_xam_hai", (("mua_ban",), ("mua_ban", "boc_lot")), 13, 15, 0.7,
        incident=(
            "Tại khu vực biên giới (theo thông tin của lực lượng chức năng)",
            "Trên mạng xã hội và tại {noi_lam}",
        ),
        condition=(
            (
                "Cháu bị người quen trên mạng xã hội dụ dỗ đi làm xa và bán qua biên giới; đã được lực lượng "
                "chức năng giải cứu, đưa về địa phương. Cháu mệt mỏi, hoảng sợ."
            ),
        ),
        consequences=(
            (
                "Cháu có nguy cơ bị tổn thương tâm lý nghiêm trọng, bị kỳ thị và bị mua bán lại nếu không "
                "được hỗ trợ."
            ),
        ),
        prior=("Lực lượng chức năng đã giải cứu và bàn giao cháu cho gia đình.",),
        notes=("Giữ bí mật thông tin của trẻ em; cần hỗ trợ tâm lý và hòa nhập cộng đồng.",),
    ),
    Scenario(
        "nguy_co_bo_roi", "nguy_co_bo_roi", (("bo_roi",),), 0, 15, 9,
        incident=("Tại nhà riêng, {thon}, xã {xa}", "Tại nhà ông bà, {thon}"),
        condition=(
            T(
                "Cháu ở với bà đã già yếu; bố mẹ đi làm ăn xa không gửi tiền về; cháu thiếu ăn, đi học không "
                "đều.",
                6, kinds=("away",),
            ),
            T(
                "Mẹ cháu có ý định cho con vì không đủ điều kiện nuôi; cháu chưa được làm giấy khai sinh.",
                0, 2, kinds=("single_mother", "divorced_mother", "father_dead", "father_prison"),
            ),
            T(
                "Bố mẹ ly hôn, không ai nhận nuôi cháu; cháu ở tạm nhà họ hàng.",
                kinds=("divorced_mother", "divorced_father", "stepfather"),
            ),
            "Người chăm sóc cháu bị bệnh nặng, không còn khả năng chăm sóc.",
        ),
        consequences=(
            "Cháu có nguy cơ bị bỏ rơi, không được chăm sóc, nuôi dưỡng và học hành.",
            T("Cháu có thể phải bỏ học, đi lang thang, bị lôi kéo vào tệ nạn.", 8),
        ),
        prior=(
            "Họ hàng đang tạm thời cho cháu ăn ở.",
            "Trưởng thôn đã vận động họ hàng nhận chăm sóc cháu.",
            "Chưa có hành động hỗ trợ, can thiệp nào.",
        ),
        notes=(
            "Cần xem xét chăm sóc thay thế cho cháu.",
            T("Đề nghị hỗ trợ làm giấy khai sinh cho cháu.", 0, 2),
        ),
    ),
    Scenario(
        "hoan_canh_dac_biet", "hoan_canh_dac_biet", (("khac",), ("bo_roi",)), 0, 15, 12,
        incident=(
            "Tại nhà riêng, {thon}, xã {xa}",
            T("Tại {truong}", 3), "Tại nhà riêng của gia đình, {dia_chi}, {thon}",
        ),
        condition=(
            T("Cháu mồ côi cha, mẹ làm thuê xa nhà; cháu ở với bà nội đã ngoài 70 tuổi.", kinds=("father_dead",)),
            "Cháu bị khuyết tật vận động, đi lại khó khăn, chưa được hưởng trợ cấp xã hội.",
            T("Cháu bỏ học từ năm lớp {lop}, đi làm thuê kiếm sống.", 12),
            "Cháu mắc bệnh tim bẩm sinh, phải điều trị dài ngày; gia đình thuộc hộ nghèo.",
            T(
                "Cháu bị khuyết tật trí tuệ, không tự chăm sóc được bản thân; mẹ phải nghỉ làm để trông cháu.",
                3, kinds=_WITH_MOTHER,
            ),
        ),
        consequences=(
            "Cháu có nguy cơ không được chăm sóc, học tập và chữa bệnh đầy đủ.",
            T("Cháu có thể phải bỏ học, sức khỏe giảm sút nếu không được hỗ trợ kịp thời.", 6),
        ),
        prior=(
            T("Nhà trường đã miễn học phí cho cháu.", 6),
            "UBND xã đã tặng quà nhân dịp Tết Trung thu.",
            "Chưa có hành động hỗ trợ, can thiệp nào.",
        ),
        notes=(
            "Đề nghị lập hồ sơ hưởng trợ cấp xã hội cho cháu.",
            T("Cần kết nối hỗ trợ y tế, học bổng cho cháu.", 6),
            "Gia đình mong được hỗ trợ vay vốn để có thu nhập ổn định.",
        ),
    ),
]
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
        process = _ProcessDemo(session, random.Random(seed + 1), today, office)
        showcase = _showcase(pending_cases, case_rows, today)
        for c, row in zip(pending_cases, case_rows):
            process.case(c, row, showcase.get(c["case_id"]))

        write(Child.__table__, child_rows, 0.6)
        write(Person.__table__, person_rows, 0.15)
        write(ChildRelation.__table__, relation_rows, 0.05)
        write(Case.__table__, case_rows, 0.3)
        write(CaseAbuseForm.__table__, form_rows, 0.1)
        write(Intake.__table__, intake_rows, 0.6)
        process.write(session, write, bc_numbers)
        hs_numbers.save(session)
        bc_numbers.save(session)
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


# ------------------------------------------------------------------------------------------------
# The case process after intake (Mẫu 02–07, meetings, plans, progress, reviews, closing/reopening)
# ------------------------------------------------------------------------------------------------
#
# Each case gets the records of the stage its age makes plausible: reports of the last day wait for
# Mẫu 02; a few days old ones are being assessed or planned; older ones carry out an approved plan, or
# were reviewed and closed (the closed_at the intake pass chose is moved to the review's moment). About
# one case in seven needed emergency protection; most of those were separated from the parent within the
# 12 hours. Deadlines are mostly met; a few are late by hours or days, as in a real office. The numbers
# "…/QĐ-UBND" and "…/KH-UBND" follow the decisions' dates and continue the counters.

_P_PROBLEMS = [
    "Tổn hại về thể chất, tâm lý, tình cảm cần được chăm sóc, điều trị.",
    "Môi trường chăm sóc có nguy cơ khiến trẻ em tiếp tục bị xâm hại.",
    "Trẻ em có nguy cơ bỏ học, cần hỗ trợ học tập.",
    "Gia đình khó khăn về kinh tế, chưa bảo đảm điều kiện chăm sóc.",
    "Cha, mẹ thiếu kỹ năng nuôi dạy con, hay dùng bạo lực khi dạy con.",
    "Trẻ em chưa có kỹ năng tự bảo vệ, chưa biết tìm người giúp đỡ.",
]
_P_ACTIVITIES = [
    ("y_te_tam_ly", "Khám sức khỏe, điều trị tổn thương tại Trạm y tế xã", "Trưởng trạm y tế xã", "Trạm y tế xã", (0, 800_000)),
    ("y_te_tam_ly", "Tư vấn, trị liệu tâm lý cho trẻ em (6 buổi)", "Cán bộ tư vấn Trung tâm Công tác xã hội tỉnh", "Trung tâm Công tác xã hội tỉnh", (1_200_000, 3_000_000)),
    ("tro_giup_xa_hoi", "Hỗ trợ gia đình hồ sơ đề nghị trợ cấp xã hội hằng tháng", "Công chức Văn hóa - Xã hội", "UBND xã", (0, 0)),
    ("tro_giup_xa_hoi", "Tặng quà, hỗ trợ lương thực cho gia đình", "Chủ tịch Hội Chữ thập đỏ xã", "Hội Chữ thập đỏ xã", (500_000, 1_500_000)),
    ("giao_duc_nghe", "Hỗ trợ sách vở, học phí và kèm học cho trẻ em", "Giáo viên chủ nhiệm", "Nhà trường", (600_000, 2_000_000)),
    ("giao_duc_nghe", "Tập huấn kỹ năng tự bảo vệ cho trẻ em", "Bí thư Đoàn Thanh niên xã", "Đoàn Thanh niên xã", (200_000, 600_000)),
    ("phap_ly", "Trợ giúp pháp lý, đồng hành cùng trẻ em khi làm việc với cơ quan điều tra", "Trợ giúp viên pháp lý", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh", (0, 0)),
    ("dich_vu_khac", "Thăm gia đình định kỳ, theo dõi sự an toàn của trẻ em", "Người làm công tác bảo vệ trẻ em", "Cộng tác viên thôn", (0, 300_000)),
    ("dich_vu_khac", "Tư vấn kỹ năng làm cha mẹ, nuôi dạy con không dùng bạo lực", "Chủ tịch Hội Liên hiệp Phụ nữ xã", "Hội Liên hiệp Phụ nữ xã", (300_000, 900_000)),
]
_P_COORD = ["Trưởng thôn", "Công an xã", "Chi hội Phụ nữ thôn", "Giáo viên chủ nhiệm", "Người làm công tác bảo vệ trẻ em"]
_P_EARLY_CLOSE = [
    "Xác minh không có hành vi xâm hại; trẻ em được chăm sóc bình thường.",
    "Đánh giá ban đầu nguy cơ thấp; chuyển theo dõi qua cộng tác viên thôn.",
    "Gia đình đã chuyển đi nơi khác; đã chuyển thông tin cho UBND xã nơi cư trú mới.",
]
_P_REOPEN = [
    "Nhận tin báo mới: trẻ em tiếp tục bị đánh đập.",
    "Nhà trường báo trẻ em nghỉ học nhiều ngày, có dấu hiệu bị bỏ mặc.",
    "Người chăm sóc thay thế không còn khả năng chăm sóc trẻ em.",
]
_P_LEVEL = ("cao", "trung_binh", "thap")


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


def _working_after(day: date, n: int) -> date:
    """n weekdays after `day` (weekends only: the demo need not know the holidays)."""
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


class _ProcessDemo:
    """Builds the process rows of the demo cases; `write` inserts them in bulk."""

    def __init__(self, session, rng: random.Random, today: date, office: dict[str, str]):
        from . import process_entities as pe
        from .process_rules import process_form, rating_items

        self.pe = pe
        self.rng = rng
        self.today = today
        self.end = _aware(today, 0) - timedelta(minutes=1)  # nothing on or after today
        self.worker = office.get("worker_name") or DEMO_OFFICE["worker_name"]
        self.chairman = DEMO_OFFICE["chairman_name"]
        self.vice = DEMO_OFFICE["vice_chairmen"].split("\n")[0]
        self.harm03 = [i["id"] for i in rating_items("03", "harm")]
        self.self03 = [i["id"] for i in rating_items("03", "self_protection")]
        self.harm06 = [i["id"] for i in rating_items("06", "harm")]
        self.questions = process_form("03")["part1"]["questions"]
        self.grounds = [g["id"] for g in process_form("07")["grounds"]["items"]]
        self.printed = [o["id"] for o in process_form("04")["objectives"]["printed"]]
        self.ids = {t: _next_id(session, t.id) for t in (
            pe.InitialAssessment, pe.EmergencyMeasure, pe.Separation, pe.RiskAssessment, pe.CaseMeeting,
            pe.SupportPlan, pe.PlanVersion, pe.PlanObjective, pe.PlanActivity, pe.PlanApproval,
            pe.ActivityProgress, pe.CaseReview, pe.CaseStatusEvent)}
        self.rows: dict[type, list[dict]] = {t: [] for t in self.ids}
        self.activity_key = 1
        # Numbered decisions, numbered once all are known: (moment, row dict, number field, year field)
        self.decisions: list[tuple[datetime, dict]] = []
        self.plans_numbered: list[tuple[datetime, dict]] = []
        self.incident_reports: list[dict] = []  # Báo cáo vụ việc of the cases of abuse, numbered in write()

    def _add(self, table, **row) -> int:
        row["id"] = self.ids[table]
        self.ids[table] += 1
        self.rows[table].append(row)
        return row["id"]

    # -- one case ----------------------------------------------------------------------------------

    def case(self, c: dict, case_row: dict, target: str | None = None) -> None:
        """The records of one case; `target` forces the stage it stops at (the showcase cases)."""
        self.last = c["received_at"]
        self.closed_here = False
        self.target = target
        # Random stalls (a draft left, a meeting not yet held) only in recent cases: old open cases move on.
        self.recent = (self.today - c["received_at"].date()).days <= 20
        self._case(c, case_row)
        if case_row["closed_at"] is not None and not self.closed_here:
            # Closed by the intake pass: the closing comes after the last record, with its history row.
            at = max(case_row["closed_at"], self.last + timedelta(days=1))
            self._close(c, case_row, at, case_row["closed_reason"], None, may_reopen=False)

    def _seen(self, moment: datetime) -> datetime:
        self.last = max(self.last, moment)
        return moment

    def _case(self, c: dict, case_row: dict) -> None:
        rng = self.rng
        t0: datetime = c["received_at"]
        if t0 >= self.end:
            return
        age_days = (self.today - t0.date()).days
        closed = case_row["closed_at"] is not None
        target = self.target
        if c["category"] == "bi_xam_hai":
            self._incident_report(c, t0, age_days)
        emergency = c["category"] == "bi_xam_hai" and rng.random() < 0.45 or rng.random() < 0.04
        if target in ("khan_cap", "cach_ly"):
            emergency = True
        elif target is not None:
            emergency = False
        if target == "tiep_nhan" or (target is None and not closed and age_days <= 1 and rng.random() < 0.5):
            return  # waiting for Mẫu 02 (or in the 12-hour window)
        ia_at = min(t0 + timedelta(minutes=rng.randint(30, 240)), self.end)
        done_at = self._seen(min(ia_at + timedelta(minutes=rng.randint(20, 90)), self.end))
        caregiver = emergency and rng.random() < 0.6
        threat = emergency and not caregiver or (emergency and rng.random() < 0.5)
        self._add(self.pe.InitialAssessment, case_id=c["case_id"], assessor=self.worker, assessed_at=ia_at,
                  threat_life=False, threat_health=threat, threat_dignity=threat and rng.random() < 0.3,
                  threat_description=c["child_condition"] if threat else "",
                  caregiver_is_abuser=caregiver, abuser_can_reach=emergency or rng.random() < 0.3,
                  abuser_access_description="Đối tượng sống cùng thôn, có thể gặp trẻ em hằng ngày." if emergency else "",
                  safety_measures=c["prior_actions"] or "Đã nhắc nhở gia đình, giao cộng tác viên thôn theo dõi.",
                  needs_emergency_by_rule=emergency, needs_emergency=emergency, override_reason="",
                  completed_at=done_at, created_at=done_at, created_by="demo")
        if target == "khan_cap" or (target is None and not closed and age_days <= 1 and emergency):
            return  # khan_cap: the chairman has not decided yet
        sep_row = None
        if emergency:
            late = rng.random() < 0.06
            decided = t0 + timedelta(hours=rng.uniform(12.5, 16) if late else rng.uniform(2.5, 11.5))
            decided = self._seen(min(max(decided, done_at + timedelta(minutes=15)), self.end))
            if rng.random() < 0.7 or target == "cach_ly":
                start = decided + timedelta(minutes=rng.randint(15, 60))
                sep_row = dict(case_id=c["case_id"], grounds=rng.sample(self.grounds[::2], rng.randint(1, 2)),
                               separated_from="Người gây tổn hại cho trẻ em trong gia đình",
                               safe_place="Nhà người thân trong thôn" if rng.random() < 0.7 else "Cơ sở trợ giúp xã hội tỉnh",
                               carer_kind="nguoi_cham_soc_thay_the" if rng.random() < 0.8 else "co_so_tro_giup_xa_hoi",
                               carer_name=adult_name(rng, "nu"), carer_address="", executing_officer="Công an xã",
                               recipients="", start_at=start, duration_days=15 if rng.random() < 0.8 else rng.randint(7, 14),
                               order_number="", order_date=None, order_body="", drafted_by=self.worker,
                               drafted_at=done_at, doc_year=None, doc_number=None, decided_by=self.chairman,
                               signing_capacity="chu_tich", decided_at=decided, decided_by_user="demo",
                               outcome="", outcome_at=None, outcome_note="")
                end = start + timedelta(days=sep_row["duration_days"])
                if target != "cach_ly" and end < self.end and (closed or age_days > sep_row["duration_days"] + 2):
                    sep_row["outcome"] = "huy_bo" if rng.random() < 0.9 else "de_nghi_toa_an"
                    sep_row["outcome_at"] = self._seen(end - timedelta(hours=rng.randint(2, 30)))
                self._add(self.pe.Separation, **sep_row)
                self.decisions.append((decided, self.rows[self.pe.Separation][-1]))
            else:
                self._add(self.pe.EmergencyMeasure, case_id=c["case_id"], kind="ngan_chan",
                          description="Công an xã ngăn chặn hành vi xâm hại, yêu cầu đối tượng không tiếp cận trẻ em.",
                          taken_at=decided, decided_by=self.chairman, carried_out_by="Công an xã",
                          created_at=decided, created_by="demo")
        if target is None and closed and rng.random() < 0.3 and not emergency:
            self._close(c, case_row, done_at + timedelta(days=rng.randint(1, 6)), rng.choice(_P_EARLY_CLOSE), None)
            return
        if target in ("danh_gia_ban_dau", "cach_ly") or (
                target is None and not closed and age_days <= 2 and rng.random() < 0.6):
            return  # danh_gia_ban_dau / cach_ly
        self._round(c, case_row, done_at, closed, plan_no=1)

    def _incident_report(self, c: dict, t0: datetime, age_days: int) -> None:
        """A case of abuse is reported upward by phone at once and in writing within a day; the most recent
        ones (received today or yesterday) sometimes wait for the written report, so the to-do list shows it."""
        rng = self.rng
        phoned = min(t0 + timedelta(minutes=rng.randint(15, 120)), self.end)
        row = dict(case_id=c["case_id"], phoned_at=phoned, phoned_to="Ông Trần Văn Đức, chuyên viên Sở Y tế",
                   phoned_by=self.worker, recipient=DEMO_OFFICE.get("report_recipient") or "Sở Y tế tỉnh",
                   summary=c["child_condition"] or "Trẻ em bị xâm hại; đã tiếp nhận và đánh giá ban đầu.",
                   actions_taken=c["prior_actions"] or "Đã đánh giá nguy cơ ban đầu, phối hợp Công an xã.",
                   proposals="", anonymised=True, signer=self.chairman, signing_capacity="chu_tich",
                   doc_year=None, doc_number=None, report_date=None, issued_at=None, issued_by_user="",
                   untracked=False, created_at=phoned, created_by="demo")
        if age_days > 1 or (age_days == 1 and rng.random() < 0.5):
            day = t0.date() + timedelta(days=1 if rng.random() < 0.8 else 0)
            if day < self.today:
                row["report_date"], row["issued_at"], row["issued_by_user"] = day, _aware(day, 15), "demo"
        self.incident_reports.append(row)

    def _round(self, c: dict, case_row: dict, anchor: datetime, closed: bool, plan_no: int) -> None:
        """Mẫu 03 → meeting → Mẫu 04 → Mẫu 05 → progress → Mẫu 06, as far as time allows."""
        rng = self.rng
        ra_day = _working_after(anchor.date(), rng.randint(1, 2))
        ra_at = _aware(ra_day, rng.randint(8, 16), rng.randint(0, 59))
        if ra_at >= self.end:
            return
        self._seen(ra_at)
        target, stall = self.target, self.target is None and not closed and self.recent
        harm = {k: rng.choice(_P_LEVEL) for k in self.harm03}
        self_ = {k: rng.choice(_P_LEVEL) for k in self.self03}
        caregiver_abuser = rng.random() < 0.3
        ra_id = self._add(
            self.pe.RiskAssessment, case_id=c["case_id"], assessor=self.worker, assessed_on=ra_day,
            answers={q["id"]: {a["id"]: self._answer(q["id"], a["id"], c) for a in q["answers"]} for q in self.questions},
            ratings={"harm": harm, "self_protection": self_},
            problems=rng.sample(_P_PROBLEMS, rng.randint(1, 3)),
            child_opinion=rng.choice(("Cháu muốn được an toàn và tiếp tục đi học.",
                                      "Cháu muốn ở với bà, không muốn về nhà lúc này.",
                                      "Cháu mong bố mẹ không đánh cháu nữa.")),
            parents_opinion="" if caregiver_abuser else "Gia đình mong được hỗ trợ để chăm sóc cháu tốt hơn.",
            parents_opinion_skipped=caregiver_abuser,
            parents_skip_reason="Cha, mẹ, người chăm sóc là người gây tổn hại cho trẻ em." if caregiver_abuser else "",
            service_needs=rng.sample(["cham_soc_chua_tri", "tu_van", "tro_giup_xa_hoi", "ho_tro_giao_duc"], 2),
            service_needs_note="", created_at=ra_at, created_by="demo")
        meet_at = _aware(_working_after(ra_day, rng.randint(0, 1)), 14, rng.choice((0, 30)))
        if target == "da_danh_gia" or meet_at >= self.end or (stall and rng.random() < 0.08):
            return
        self._seen(meet_at)
        self._add(self.pe.CaseMeeting, case_id=c["case_id"], risk_assessment_id=ra_id, purpose="xac_dinh_nhu_cau",
                  held_at=meet_at, ended_at=meet_at + timedelta(minutes=rng.randint(45, 120)),
                  place="Hội trường UBND xã", chair_name=self.chairman, chair_title="Chủ tịch UBND xã",
                  secretary=self.worker,
                  attendees=[{"name": self.chairman, "role": "chu_tich", "position": "Chủ tịch UBND xã"},
                             {"name": self.worker, "role": "can_bo_bvte", "position": "Người làm công tác bảo vệ trẻ em"},
                             {"name": adult_name(rng, "nam"), "role": "cong_an", "position": "Công an xã"},
                             {"name": adult_name(rng, "nu"), "role": "dai_dien_thon", "position": "Trưởng thôn"}],
                  content="Thảo luận kết quả đánh giá nguy cơ cụ thể và nhu cầu của trẻ em.",
                  conclusions="Thống nhất các vấn đề, nhu cầu của trẻ em; giao xây dựng kế hoạch hỗ trợ, can thiệp.",
                  measures="Theo dõi sự an toàn của trẻ em hằng tuần qua cộng tác viên thôn.",
                  created_at=meet_at, created_by="demo")
        if target == "da_hop":
            return
        late_plan = rng.random() < 0.08
        submit_day = _working_after(anchor.date(), rng.randint(6, 8) if late_plan else rng.randint(3, 5))
        submit_day = max(submit_day, meet_at.date() + timedelta(days=1))
        submitted = _aware(submit_day, rng.randint(8, 16), rng.randint(0, 59))
        if target == "du_thao_ke_hoach" or submitted >= self.end or (stall and rng.random() < 0.1):
            submitted = None  # still a draft
        plan_id = self._add(self.pe.SupportPlan, case_id=c["case_id"], plan_no=plan_no, risk_assessment_id=ra_id,
                            created_at=meet_at + timedelta(hours=2), created_by="demo")
        version_id = self._add(self.pe.PlanVersion, plan_id=plan_id, version=1, reason="", drafted_by=self.worker,
                               drafted_on=meet_at.date(), submitted_at=submitted,
                               submitted_by="demo" if submitted else "", created_at=meet_at + timedelta(hours=2),
                               updated_at=submitted or meet_at + timedelta(hours=2))
        for pos, oid in enumerate(rng.sample(self.printed, rng.randint(2, 3)), start=1):
            self._add(self.pe.PlanObjective, version_id=version_id, position=pos, printed_id=oid, text="")
        if submitted is None:
            return
        self._seen(submitted)
        approved = _aware(_working_after(submit_day, rng.randint(3, 4) if rng.random() < 0.07 else rng.randint(0, 2)),
                          rng.randint(8, 16), rng.randint(0, 59))
        approved = max(approved, submitted + timedelta(minutes=rng.randint(40, 180)))
        start = approved.date() + timedelta(days=1)
        length = rng.randint(60, 150)
        acts = []
        for pos, (kind, name, who, provider, (lo, hi)) in enumerate(rng.sample(_P_ACTIVITIES, rng.randint(2, 4)), start=1):
            a_start = start + timedelta(days=rng.randint(0, 20))
            a_end = min(a_start + timedelta(days=rng.randint(14, length)), start + timedelta(days=length))
            cost = rng.randrange(lo, hi + 1, 100_000) if hi else 0
            key = self.activity_key
            self.activity_key += 1
            acts.append((key, name, a_start, a_end))
            self._add(self.pe.PlanActivity, version_id=version_id, key=key, position=pos, kind=kind, name=name,
                      responsible=who, coordinating=rng.choice(_P_COORD), start_on=a_start, end_on=a_end,
                      provider=provider, cost=cost)
        if target == "cho_phe_duyet" or approved >= self.end or (stall and rng.random() < 0.06):
            return  # awaiting the chairman
        self._seen(approved)
        eff_to = start + timedelta(days=length)
        approval = dict(version_id=version_id, doc_year=None, doc_number=None, plan_doc_year=None, plan_doc_number=None,
                        approved_by=self.chairman if rng.random() < 0.8 else self.vice,
                        signing_capacity="chu_tich", approved_at=approved, approved_by_user="demo",
                        effective_from=start, effective_to=eff_to, recipients="")
        if approval["approved_by"] == self.vice:
            approval["signing_capacity"] = "kt_pho_chu_tich"
        self._add(self.pe.PlanApproval, **approval)
        approval = self.rows[self.pe.PlanApproval][-1]  # the row written, numbered in `write`
        self.decisions.append((approved, approval))
        self.plans_numbered.append((approved, approval))
        for key, name, a_start, a_end in acts:  # progress notes up to yesterday
            if a_start >= self.today:
                continue
            self._add(self.pe.ActivityProgress, plan_id=plan_id, activity_key=key, noted_on=a_start,
                      status="dang_thuc_hien", note="Đã triển khai hoạt động.", created_at=self._seen(_aware(a_start, 16)),
                      created_by="demo")
            if a_end < self.today and rng.random() < 0.9:
                self._add(self.pe.ActivityProgress, plan_id=plan_id, activity_key=key, noted_on=a_end,
                          status="hoan_thanh", note="Hoàn thành theo kế hoạch.", created_at=self._seen(_aware(a_end, 16)),
                          created_by="demo")
        review_day = eff_to + timedelta(days=rng.randint(0, 10))
        review_at = _aware(review_day, rng.randint(8, 16))
        if target == "dang_thuc_hien" or review_at >= self.end:
            return  # still running, the review not due yet
        if target is None and not closed and (self.end - review_at).days < 30 and rng.random() < 0.3:
            return  # running with its review a little overdue, as happens
        close = target != "da_ra_soat" and (closed or rng.random() < 0.5 or plan_no >= 3)
        self._seen(review_at)
        harm = {k: ("thap" if close else rng.choice(_P_LEVEL)) for k in self.harm06}
        self_ = {k: ("cao" if close else rng.choice(_P_LEVEL)) for k in self.self03}
        review_id = self._add(
            self.pe.CaseReview, case_id=c["case_id"], plan_id=plan_id, reviewer=self.worker, reviewed_on=review_day,
            ratings={"harm": harm, "self_protection": self_},
            activities_result="Các hoạt động cơ bản đã hoàn thành.",
            family_change="Gia đình đã thay đổi cách chăm sóc, không còn dùng bạo lực." if close else "Gia đình chưa thay đổi nhiều.",
            community_change="Cộng tác viên thôn thường xuyên theo dõi.",
            outcome="ket_thuc" if close else "ke_hoach_moi",
            outcome_reason=("Trẻ em không còn nguy cơ bị xâm hại; tình trạng ổn định." if close
                            else "Trẻ em vẫn còn nguy cơ; cần xây dựng kế hoạch mới."),
            created_at=review_at, created_by="demo")
        if close:
            self._close(c, case_row, review_at, "Trẻ em không còn nguy cơ bị xâm hại; tình trạng ổn định.", review_id)
        else:
            if target != "da_ra_soat":
                self._round(c, case_row, review_at, closed, plan_no + 1)

    def _close(self, c: dict, case_row: dict, at: datetime, reason: str, review_id: int | None, *,
               may_reopen: bool = True) -> None:
        self.closed_here = True
        at = min(at, self.end - timedelta(hours=1))
        case_row["closed_at"], case_row["closed_reason"] = at, reason
        self._add(self.pe.CaseStatusEvent, case_id=c["case_id"], kind="dong", at=at, reason=reason,
                  review_id=review_id, created_by="demo")
        # Reopened cases were reopened lately (an old reopening would have been worked on since).
        reopen = self.end - timedelta(days=self.rng.randint(1, 12), hours=self.rng.randint(1, 8))
        if may_reopen and (self.target == "mo_lai" or self.rng.random() < 0.01) and at < reopen:
            case_row["closed_at"], case_row["closed_reason"] = None, ""
            self._add(self.pe.CaseStatusEvent, case_id=c["case_id"], kind="mo_lai", at=reopen,
                      reason=self.rng.choice(_P_REOPEN), review_id=None, created_by="demo")

    def _answer(self, question: str, answer: str, c: dict) -> str:
        if question == "tinh_trang":
            return c["child_condition"]
        if question == "hoan_canh":
            return c["family_situation"]
        if question == "nguoi_cham_soc":
            return c["current_caregiver"] or "Mẹ của trẻ em"
        if answer == "tich_cuc":
            return "Có người thân quan tâm, nhà trường và thôn sẵn sàng hỗ trợ."
        return "Kinh tế gia đình khó khăn; người gây tổn hại vẫn ở gần trẻ em."

    # -- numbers and writing -----------------------------------------------------------------------

    def write(self, session, write, bc: "_Numbers") -> None:
        from .incident_entities import IncidentReport

        for row in sorted(self.incident_reports, key=lambda r: r["issued_at"] or r["created_at"]):
            if row["issued_at"] is not None:
                row["doc_year"], row["doc_number"] = row["report_date"].year, bc.next(row["report_date"].year)
        write(IncidentReport.__table__, self.incident_reports, 0)
        qd = _Numbers(session, "QĐ", {})
        kh = _Numbers(session, "KH", {})
        for moment, row in sorted(self.decisions, key=lambda t: t[0]):
            row["doc_year"], row["doc_number"] = moment.year, qd.next(moment.year)
        for moment, row in sorted(self.plans_numbered, key=lambda t: t[0]):
            row["plan_doc_year"], row["plan_doc_number"] = moment.year, kh.next(moment.year)
        pe = self.pe
        for table in (pe.InitialAssessment, pe.EmergencyMeasure, pe.Separation, pe.RiskAssessment, pe.CaseMeeting,
                      pe.SupportPlan, pe.PlanVersion, pe.PlanObjective, pe.PlanActivity, pe.PlanApproval,
                      pe.ActivityProgress, pe.CaseReview, pe.CaseStatusEvent):
            write(table.__table__, self.rows[table], 0)
        qd.save(session)
        kh.save(session)


# Stage → the case age (days) that lets its records fit before today; one recent case per stage is forced
# there so that even a small demo shows every stage.
_SHOWCASE_AGES: dict[str, tuple[int, int]] = {
    "tiep_nhan": (1, 3), "khan_cap": (1, 3), "danh_gia_ban_dau": (1, 4), "cach_ly": (2, 10),
    "da_danh_gia": (5, 15), "da_hop": (8, 25), "du_thao_ke_hoach": (8, 25), "cho_phe_duyet": (12, 30),
    "dang_thuc_hien": (25, 90), "da_ra_soat": (200, 420), "mo_lai": (200, 1200),
}


def _showcase(pending_cases: list[dict], case_rows: list[dict], today: date) -> dict[int, str]:
    chosen: dict[int, str] = {}
    newest_first = sorted(zip(pending_cases, case_rows), key=lambda t: t[0]["received_at"], reverse=True)
    for stage, (lo, _usual_hi) in _SHOWCASE_AGES.items():
        for c, row in newest_first:
            age = (today - c["received_at"].date()).days
            wants_closed = stage == "mo_lai"
            # The youngest case old enough for the stage (a small demo may have none inside the usual ages:
            # then an older case stops at that stage, and its deadline shows as overdue).
            if (c["case_id"] not in chosen and lo <= age and (row["closed_at"] is not None) == wants_closed
                    and c["received_at"].hour < 20):
                chosen[c["case_id"]] = stage
                break
    return chosen
