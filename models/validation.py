"""Checks of what a person types, each returning a clear Vietnamese message (or the cleaned value).

Every checker raises `Invalid(message)`; callers collect the messages per field so that the window can
show each one beside its field and the command line can list them.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from datetime import date, datetime, timedelta
from typing import Any, Callable, Mapping

from .errors import UserError
from .clock import VN, today
from .textnorm import clean_name, nfc

NAME_MAX = 120
SHORT_MAX = 300
TEXT_MAX = 20_000  # long answers are allowed: the printout wraps them onto further pages
CHILD_AGE_LIMIT = 16  # Luật Trẻ em Điều 1: a child is a person under 16
# A clock a few minutes fast on the office PC must not block a moment entered as "just now".
FUTURE_TOLERANCE = timedelta(minutes=10)


class Invalid(UserError, ValueError):
    """User input that cannot be accepted; the message is shown to the user as it is."""


class ProcessError(Invalid):
    """Input or an action the law or the file's state does not allow. `errors` = {field: message};
    the field "" holds a message about the whole form (shown at its top)."""

    def __init__(self, errors: Mapping[str, str] | str, field: str = ""):
        self.errors: dict[str, str] = {field: errors} if isinstance(errors, str) else dict(errors)
        super().__init__(" ".join(dict.fromkeys(self.errors.values())), field=field)


class Checker:
    """Runs each check and keeps its message under the field it belongs to; `raise_if_any` raises one
    ProcessError with every message. The one way a form's input is checked (Mẫu 01 to Mẫu 07)."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def __call__(self, key: str, check: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        except Invalid as exc:
            self.errors.setdefault(key, str(exc))
            return None

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ProcessError(self.errors)


@lru_cache(maxsize=4096)
def _bad_char(ch: str) -> bool:
    if ch in "\n\t":
        return False
    cat = unicodedata.category(ch)
    if cat.startswith("C") or cat == "So" or cat == "Cs":
        return True
    return cat.startswith("L") and not unicodedata.name(ch, "").startswith("LATIN")


def _bad_chars(text: str) -> list[str]:
    """Characters a printed Vietnamese form cannot hold: emoji, pictographs, CJK and other scripts, controls.
    (Each character is classified once: a list of 10,000 names has a few dozen different letters.)"""
    return [ch for ch in text if _bad_char(ch)]


def _check_printable(text: str) -> None:
    bad = _bad_chars(text)
    if bad:
        shown = " ".join(dict.fromkeys(bad))[:20]
        raise Invalid(
            f"Có ký tự không dùng được trong văn bản hành chính: {shown}. "
            "Chỉ dùng chữ tiếng Việt, chữ số và dấu câu thông thường."
        )


def text(value: str | None, *, required: bool = False, max_len: int = TEXT_MAX, what: str = "Nội dung") -> str:
    cleaned = nfc(value).replace("\r\n", "\n").replace("\r", "\n")
    if not cleaned:
        if required:
            raise Invalid(f"{what} không được để trống.")
        return ""
    if len(cleaned) > max_len:
        raise Invalid(f"{what} quá dài ({len(cleaned):,} ký tự; tối đa {max_len:,}).".replace(",", "."))
    _check_printable(cleaned)
    return cleaned


def person_name(value: str | None, *, required: bool = False, what: str = "Họ và tên") -> str:
    raw = nfc(value)
    if not raw:
        if required:
            raise Invalid(f"{what} không được để trống.")
        return ""
    if len(raw) > NAME_MAX:
        raise Invalid(f"{what} quá dài (tối đa {NAME_MAX} ký tự).")
    _check_printable(raw)
    if any(not (vietnamese_letter(ch) or ch in " -'.") for ch in raw):
        odd = " ".join(dict.fromkeys(ch for ch in raw if ch.isalpha() and not vietnamese_letter(ch)))
        raise Invalid(f"{what} chỉ gồm chữ cái tiếng Việt, dấu cách, dấu gạch nối hoặc dấu nháy (không có chữ số, ký hiệu"
                      + (f"; chữ giống chữ Việt nhưng không phải: {odd[:20]}" if odd else "") + ").")
    if not any(vietnamese_letter(ch) for ch in raw):
        raise Invalid(f"{what} phải có chữ cái (không chỉ dấu chấm, gạch nối, dấu nháy).")
    return clean_name(raw)


# Tone marks and the marks of ă â ê ô ơ ư (also the breve of Ê-đê/Jrai letters such as ĭ ŏ ŭ).
_NAME_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b")


@lru_cache(maxsize=4096)
def vietnamese_letter(ch: str) -> bool:
    """A letter of the Vietnamese alphabet (Latin a–z, with Vietnamese marks, or đ), as used in names, including
    f j w z of ethnic-minority names; look-alikes such as the dotless ı or the small capital ʟ are not."""
    if ch in "đĐ":
        return True
    parts = unicodedata.normalize("NFD", ch)
    return parts[:1].isascii() and parts[:1].isalpha() and all(m in _NAME_MARKS for m in parts[1:])


EARLIEST_YEAR = 1900  # no date in a child's file is earlier; later than a year from today is a typing mistake


def latest_date() -> date:
    """The last date any field accepts: one year from today (a plan's deadline, a planned review)."""
    now = today()
    try:
        return now.replace(year=now.year + 1)
    except ValueError:  # 29 February
        return now.replace(year=now.year + 1, day=28)


def date_in_range(value: date, what: str = "Ngày") -> date:
    """Dates outside 01/01/1900 … today + 1 year are refused (02/01/0001 would make a case 'overdue 739,949 days')."""
    day = value.date() if isinstance(value, datetime) else value
    last = latest_date()
    if day.year < EARLIEST_YEAR or day > last:
        raise Invalid(f"{what} {day.day:02d}/{day.month:02d}/{day.year:04d} nằm ngoài khoảng cho phép "
                      f"(từ năm {EARLIEST_YEAR} đến {last.day:02d}/{last.month:02d}/{last.year}). Kiểm tra lại năm.")
    return value


def year(value: int | str | None, *, what: str = "Năm") -> int | None:
    """A year typed by a person (filters, reports): 1900 … next year."""
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(f"{what} phải là một số, ví dụ {today().year}.") from None
    last = latest_date().year
    if not EARLIEST_YEAR <= number <= last:
        raise Invalid(f"{what} {number} không hợp lệ: chỉ từ {EARLIEST_YEAR} đến {last}.")
    return number


def parse_date(value: str | date | None, *, required: bool = False, what: str = "Ngày",
               check_range: bool = True) -> date | None:
    if isinstance(value, date):
        return date_in_range(value, what) if check_range else value
    raw = nfc(value)
    if not raw:
        if required:
            raise Invalid(f"{what} không được để trống.")
        return None
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", raw)
    if m:
        day, month, year = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", raw)
        if not m:
            raise Invalid(f"{what} phải viết theo dạng ngày/tháng/năm, ví dụ 05/09/2015.")
        year, month, day = (int(g) for g in m.groups())
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise Invalid(f"{what} không có thật trên lịch: {raw}.") from None
    return date_in_range(parsed, what) if check_range else parsed


def parse_datetime(value: str | datetime | None, *, required: bool = False, what: str = "Thời điểm") -> datetime | None:
    if isinstance(value, datetime):
        date_in_range(value, what)
        return value if value.tzinfo else value.replace(tzinfo=VN)
    raw = nfc(value)
    if not raw:
        if required:
            raise Invalid(f"{what} không được để trống.")
        return None
    m = re.fullmatch(r"(\d{1,2})[:hg](\d{2})\s+(.+)", raw)
    if not m:
        raise Invalid(f"{what} phải viết theo dạng giờ:phút ngày/tháng/năm, ví dụ 08:30 05/09/2026.")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise Invalid(f"{what}: giờ {hour}:{minute:02d} không hợp lệ.")
    day = parse_date(m.group(3), required=True, what=what)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def small_int(value: str | int | None, *, lo: int, hi: int, what: str) -> int | None:
    if isinstance(value, int):
        number = value
    else:
        raw = nfc(value)
        if not raw:
            return None
        if not raw.isdigit():
            raise Invalid(f"{what} phải là một số (ví dụ 7).")
        number = int(raw)
    if not lo <= number <= hi:
        raise Invalid(f"{what} phải từ {lo} đến {hi}.")
    return number


def personal_id(value: str | None) -> str | None:
    """Số định danh cá nhân: exactly 12 digits (spaces and dots people type between groups are dropped)."""
    raw = re.sub(r"[\s.]", "", nfc(value))
    if not raw:
        return None
    if not raw.isdigit():
        raise Invalid("Số định danh cá nhân chỉ gồm chữ số.")
    if len(raw) != 12:
        raise Invalid(f"Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập {len(raw)} chữ số).")
    return raw


def phone(value: str | None) -> str:
    raw = nfc(value)
    if not raw:
        return ""
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit() or not 8 <= len(digits) <= 15:
        raise Invalid("Số điện thoại không hợp lệ (8–15 chữ số, ví dụ 0912 345 678).")
    return raw


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
