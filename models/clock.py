"""Time in the commune's zone. Stored datetimes are timezone-aware; the office works in Vietnam time."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    # Full precision: the stage of a case compares when records were made (a reopening against the latest
    # Mẫu 03), and two steps taken within one second must still keep their order.
    return datetime.now(VN)


def today() -> date:
    return now().date()


def fmt_date(d: date | datetime | None) -> str:
    """dd/mm/yyyy, as every Vietnamese office writes it."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.astimezone(VN)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"  # not strftime: 8 µs a call dominated the to-do list


def fmt_hour_phrase(dt: datetime) -> str:
    """"09 giờ 05", as the hour is written on Vietnamese papers (Vietnam time).

    Built in Python, not with strftime: Windows' C runtime encodes a strftime format in the ANSI code page,
    and "giờ" cannot be encoded there (UnicodeEncodeError on every Windows PC).
    """
    local = dt.astimezone(VN)
    return f"{local.hour:02d} giờ {local.minute:02d}"


def fmt_datetime(dt: datetime | None) -> str:
    if dt is None:
        return ""
    dt = dt.astimezone(VN)
    return f"{dt.hour:02d}:{dt.minute:02d} {dt.day:02d}/{dt.month:02d}/{dt.year}"


def time_left(deadline: datetime, at: datetime) -> str:
    """'Còn 5 giờ 20 phút' / 'Quá hạn 1 ngày 3 giờ' / 'Còn 2 giờ' (not '2 giờ 0 phút'): for the case view, the
    to-do list and the screens."""
    delta = deadline - at
    late = delta.total_seconds() < 0
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = ([f"{days} ngày"] if days else []) + ([f"{hours} giờ"] if hours else [])
    if not days and (minutes or not hours):
        parts.append(f"{minutes} phút")
    return ("Quá hạn " if late else "Còn ") + " ".join(parts)


# --- Dates in words (Nghị định 30/2020/NĐ-CP, Phụ lục I: "ngày 05 tháng 02 năm 2026", "ngày 23 tháng 6 năm 2026")
def day_number(d: date | datetime) -> str:
    """The day as written in a date phrase: a leading zero only below 10 ("05", "23")."""
    if isinstance(d, datetime):
        d = d.astimezone(VN).date()
    return f"{d.day:02d}"


def month_number(d: date | datetime) -> str:
    """The month as written in a date phrase: a leading zero only for months 1 and 2 ("01", "02", "6", "11")."""
    if isinstance(d, datetime):
        d = d.astimezone(VN).date()
    return f"{d.month:02d}" if d.month < 3 else str(d.month)


def date_phrase(d: date | datetime) -> str:
    """"ngày 05 tháng 02 năm 2026", "ngày 23 tháng 6 năm 2026": the one date phrase every printout uses
    (built in Python, never with a Vietnamese strftime format)."""
    if isinstance(d, datetime):
        d = d.astimezone(VN).date()
    return f"ngày {day_number(d)} tháng {month_number(d)} năm {d.year}"
