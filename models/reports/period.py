"""Reporting periods: "2026-H1", "2026-9M", "2026", "2026-01-01:2026-06-30" (or dd/mm/yyyy-dd/mm/yyyy).

The periodic reports of seed 003 (6-month report due 15/5, 9-month by 15/9, annual by 10/11) are defined
in resources/report_layouts/periods.json. Default scheme "calendar", both ends included:
    2026-H1  = 01/01/2026 – 30/06/2026   (6 tháng đầu năm)
    2026-9M  = 01/01/2026 – 30/09/2026   (9 tháng đầu năm)
    2026     = 01/01/2026 – 31/12/2026   (năm)
Scheme "nd09" (Nghị định 09/2019/NĐ-CP Điều 12 data cut-off) gives 15/12 of the previous year to 14/6,
14/9, 14/12. Any other range is typed as two dates. A range is inclusive of both days; instants are
compared in Vietnam time: [start 00:00, end+1 00:00).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources

from ..errors import UserError
from ..clock import VN, fmt_date


class PeriodError(UserError, ValueError):
    """A period the user typed that cannot be understood (Vietnamese message)."""


@lru_cache(maxsize=1)
def period_settings() -> dict:
    text = resources.files("resources").joinpath("report_layouts", "periods.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Period:
    code: str  # "2026-H1", "2026-9M", "2026", "2026-01-01:2026-05-10"
    start: date
    end: date  # inclusive
    label: str  # "6 tháng đầu năm 2026", "từ 01/01/2026 đến 10/05/2026"

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=VN)

    @property
    def end_before(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=VN)

    @property
    def range_text(self) -> str:
        return f"từ ngày {fmt_date(self.start)} đến ngày {fmt_date(self.end)}"

    def contains(self, moment: datetime | date | None) -> bool:
        if moment is None:
            return False
        if isinstance(moment, datetime):
            return self.start_at <= moment < self.end_before
        return self.start <= moment <= self.end

    @property
    def file_tag(self) -> str:
        return self.code.replace(":", "_")


def _shift(year: int, spec) -> date:
    dy, m, d = spec
    return date(year + dy, m, d)


def named_period(year: int, kind: str) -> Period:
    """kind: "H1", "9M" or "Y" in the configured scheme."""
    settings = period_settings()
    scheme = settings["schemes"][settings.get("scheme", "calendar")]
    spec = scheme[kind]
    code = str(year) if kind == "Y" else f"{year}-{kind}"
    return Period(code, _shift(year, spec["start"]), _shift(year, spec["end"]), f"{spec['label']} {year}")


def custom_period(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError(f"Ngày cuối kỳ ({fmt_date(end)}) phải sau ngày đầu kỳ ({fmt_date(start)}).")
    if (end - start).days > 3 * 366:
        raise PeriodError("Kỳ báo cáo dài quá 3 năm; hãy chọn khoảng ngày ngắn hơn.")
    return Period(f"{start.isoformat()}:{end.isoformat()}", start, end, f"từ {fmt_date(start)} đến {fmt_date(end)}")


_DATE = r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})"
_RANGE = re.compile(rf"^{_DATE}\s*(?::|\s-\s|–|\.\.|\s+đến\s+)\s*{_DATE}$")


def _parse_day(text: str) -> date:
    try:
        if "/" in text:
            d, m, y = (int(p) for p in text.split("/"))
            return date(y, m, d)
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except ValueError:
        raise PeriodError(f"Ngày «{text}» không có thật.") from None


def parse_period(text: str) -> Period:
    """'2026-H1' | '2026-6T' | '2026-9M' | '2026-9T' | '2026' | '2026-01-01:2026-06-30' | '01/01/2026-30/06/2026'."""
    raw = (text or "").strip()
    t = raw.upper().replace(" ", "")
    m = re.fullmatch(r"(\d{4})(?:-?(H1|6T|6M|9M|9T|Y|N|NAM|NĂM))?", t)
    if m:
        year = int(m.group(1))
        if not 2000 <= year <= 2100:
            raise PeriodError(f"Năm {year} không hợp lệ.")
        kind = {"H1": "H1", "6T": "H1", "6M": "H1", "9M": "9M", "9T": "9M"}.get(m.group(2) or "", "Y")
        return named_period(year, kind)
    m = _RANGE.match(raw) or re.fullmatch(rf"{_DATE}-{_DATE}", raw.replace(" ", ""))
    if m:
        return custom_period(_parse_day(m.group(1)), _parse_day(m.group(2)))
    raise PeriodError(
        f"Không hiểu kỳ báo cáo «{raw}». Viết 2026-H1 (6 tháng), 2026-9M (9 tháng), 2026 (cả năm) "
        "hoặc một khoảng ngày, ví dụ 2026-01-01:2026-06-30."
    )
