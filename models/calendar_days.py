"""Working-day calendar and legal deadline arithmetic (Bộ luật Dân sự Điều 147–148). Qt-free, no database.

Three layers decide whether a date is a day off, each overriding the one before it:

1. "thư viện": the `holidays` package's Vietnam calendar (Labour Code Điều 112 holidays, observed days, the
   swaps it knows), in Vietnamese. Its Tết block is replaced when its first day of Tết disagrees with the table
   in the shipped JSON.
2. "quy định": `resources/holidays/vn_official_days_off.json`, the civil servants' official days off and
   swapped working days (e.g. Tết 2026: 14/02–22/02) the library lacks.
3. "người dùng": the user's own edits, passed in as plain data (the database layer stores them elsewhere).

Deadline conventions (one rule everywhere):
- A period in hours starts at the stated moment: `add_hours` is exact clock arithmetic.
- A period in days starts the day after the event (Điều 147) and ends at 24:00 of its last day. We represent
  24:00 as the LAST INSTANT OF THAT DAY, 23:59:59.999999 Asia/Ho_Chi_Minh (see `end_of_day`), so that
  `deadline.date()` is the last day the worker may act, printouts show that date, and "overdue" is simply
  `now > deadline`.
- If a calendar-day period's last day is not a working day (weekend, holiday, official day off), the period
  ends at the end of the next working day (Điều 148). A Saturday listed as a swapped working day counts as a
  working day here.
- "n working days" counts only working days, starting the day after the event; the deadline is the end of
  the n-th one.
"""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Union

from models.clock import VN

SOURCE_LIBRARY = "thư viện"
SOURCE_OFFICIAL = "quy định"
SOURCE_USER = "người dùng"

DAY_OFF = "day_off"
WORKING_DAY = "working_day"

USER_DAY_OFF_NAME = "Ngày nghỉ (người dùng thêm)"
USER_WORKING_DAY_NAME = "Ngày làm việc (người dùng thêm)"

END_OF_DAY = time(23, 59, 59, 999999)

_ONE_DAY = timedelta(days=1)
_SUBSTITUTED_FROM = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")
# Library names whose dates form its Tết Nguyên đán block (eve, the days, "29 Tết", observed substitutes).
_TET_NAME = re.compile(r"Tết Nguyên [Đđ]án|Giao thừa|29 Tết")
_OBSERVED = re.compile(r"\s*\(nghỉ bù\)")

# A user edit: a date, or a (date, name) pair so the calendar screen can show the user's own label.
UserDay = Union[date, tuple[date, str]]


@dataclass(frozen=True)
class DayEntry:
    day: date
    name: str
    source: str  # SOURCE_LIBRARY / SOURCE_OFFICIAL / SOURCE_USER


@lru_cache(maxsize=1)
def official_data() -> dict[str, Any]:
    """The shipped JSON, parsed once."""
    text = resources.files("resources").joinpath("holidays").joinpath("vn_official_days_off.json").read_text(encoding="utf-8")
    return json.loads(text)


def tet_table(data: Mapping[str, Any] | None = None) -> dict[int, date]:
    """First day of Tết per year from the JSON table (domain §3)."""
    raw = (official_data() if data is None else data).get("tet_first_day", {})
    return {int(k): date.fromisoformat(v) for k, v in raw.items() if not k.startswith("_")}


def end_of_day(d: date) -> datetime:
    """24:00 of day `d`, represented as its last instant in Vietnam time (see the module docstring)."""
    return datetime.combine(d, END_OF_DAY, tzinfo=VN)


def start_of_day(d: date) -> datetime:
    """00:00 of day `d` in Vietnam time."""
    return datetime.combine(d, time(0), tzinfo=VN)


_DEADLINES_KEPT = 50_000  # remembered deadlines of one calendar (a few years of days × the few limits there are)


def _event_day(event: datetime | date) -> date:
    if isinstance(event, datetime):
        if event.tzinfo is None or event.utcoffset() is None:
            raise ValueError("event must be a timezone-aware datetime (Asia/Ho_Chi_Minh)")
        return event.astimezone(VN).date()
    if isinstance(event, date):
        return event
    raise TypeError(f"expected datetime or date, got {type(event).__name__}")


def _normalise_name(name: str) -> str:
    # Vietnamese administrative spelling: "Tết Nguyên đán" (the library capitalises "Đán").
    return name.replace("Nguyên Đán", "Nguyên đán")


def _user_days(items: Iterable[UserDay] | Mapping[date, str], default_name: str) -> dict[date, str]:
    if isinstance(items, Mapping):
        return {d: (n or default_name) for d, n in items.items()}
    out: dict[date, str] = {}
    for item in items:
        if isinstance(item, tuple):
            d, name = item
            out[d] = name or default_name
        else:
            out[item] = default_name
    return out


_LOADING = threading.Lock()  # the to-do list's thread and the window's may both need the calendar first


def _vietnam_holidays():
    """The `holidays` package's Vietnam class, loaded once (under a lock: Vietnam's module is put in sys.modules
    before it has run, and a second thread finding it there half-made would not find `Vietnam` in it)."""
    with _LOADING:
        return _load_vietnam_holidays()


def _load_vietnam_holidays():
    """The `holidays` package's Vietnam class, loading that one country's module only.

    `holidays.Vietnam` and `holidays.countries.vietnam` both import `holidays.countries`, which imports the
    modules of every country (3× the cost of the package itself). Vietnam's module needs only the package's
    base classes and calendars, so it is loaded from its file under its own name; should `holidays.countries`
    be imported later, it finds this module already loaded and uses it.
    """
    import importlib
    import importlib.util
    import sys

    name = "holidays.countries.vietnam"
    module = sys.modules.get(name)
    if module is None and "holidays.countries" in sys.modules:
        module = importlib.import_module(name)
    if module is None:
        import holidays  # noqa: F401  the package's base classes (imported lazily: not at start-up)

        package = importlib.util.find_spec("holidays.countries")  # locating the package does not run it
        source = Path(package.origin).with_name("vietnam.py") if package and package.origin else None
        # In the frozen program (PyInstaller) the modules live in an archive, not as files: import normally there.
        spec = importlib.util.spec_from_file_location(name, source) if source and source.is_file() else None
        if spec is None or spec.loader is None:
            return importlib.import_module(name).Vietnam
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
    return module.Vietnam


def _library_year(year: int, tet_first: date | None) -> tuple[dict[date, str], dict[date, str]]:
    """(days off, weekend working days) from the `holidays` package for one year, Tết corrected by the table."""
    lib = _vietnam_holidays()(years=year, language="vi")
    off = {d: _normalise_name(n) for d, n in lib.items() if d.year == year}
    working: dict[date, str] = {}
    for d, name in off.items():
        m = _SUBSTITUTED_FROM.search(name)
        if m:
            w = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if w.year == year:
                working[w] = f"Đi làm bù (hoán đổi cho ngày {d:%d/%m/%Y})"
    for w in getattr(lib, "weekend_workdays", ()):  # public attribute; may hold other years' dates
        if w.year == year:
            working.setdefault(w, "Đi làm bù (ngày làm việc hoán đổi)")

    if tet_first is not None:
        lib_tet = next((d for d, n in off.items() if n == "Tết Nguyên đán"), None)
        if lib_tet != tet_first:
            off = _replace_tet_block(off, lib_tet, tet_first)
    return off, working


def _replace_tet_block(off: dict[date, str], lib_tet: date | None, tet: date) -> dict[date, str]:
    """Drop the library's Tết days and put the table's: giao thừa to mùng 4 (Labour Code: 5 days), each day on
    a Saturday compensated on the previous free weekday, on a Sunday on the next one (the library's own rule)."""
    if lib_tet is not None:
        lo, hi = lib_tet - timedelta(days=10), lib_tet + timedelta(days=10)
        off = {d: n for d, n in off.items() if not (lo <= d <= hi and _TET_NAME.search(n))}
    else:
        off = dict(off)
    names = ["Giao thừa Tết Nguyên đán", "Tết Nguyên đán", "Mùng hai Tết Nguyên đán", "Mùng ba Tết Nguyên đán",
             "Mùng bốn Tết Nguyên đán"]
    block = {tet + timedelta(days=i - 1): names[i] for i in range(5)}
    off.update(block)
    for d in sorted(block):
        wd = d.weekday()
        if wd < 5:
            continue
        step = -_ONE_DAY if wd == 5 else _ONE_DAY
        c = d + step
        while c.weekday() >= 5 or c in off:
            c += step
        off[c] = "Nghỉ bù Tết Nguyên đán"
    return off


@dataclass
class _Year:
    off: dict[date, tuple[str, str]]      # final days off: date -> (name, source)
    work: dict[date, tuple[str, str]]     # final working days on a Saturday/Sunday: date -> (name, source)
    non_working_weekdays: frozenset[date]  # Mon–Fri dates that are days off (the fast-path set)
    # library days off not (yet) in the Labour Code, counted as working days: date -> (name, status, basis)
    proposed: dict[date, tuple[str, str, str]] = field(default_factory=dict)


class WorkCalendar:
    """Which days are working days for a commune office, and the legal deadlines built on them.

    User edits (plain data; the lead's database table feeds them in):
    - `user_days_off`: extra days off (dates, or (date, name) pairs, or a {date: name} mapping);
    - `user_working_days`: days worked although normally off (a swapped Saturday, or a library holiday the
      office worked through);
    - `user_removed`: days off from the library or the JSON that the user deleted (the day reverts to its
      weekday status: Mon–Fri working, Sat/Sun not).
    A date may not be both a user day off and a user working day. `official` replaces the shipped JSON
    (tests); `use_library=False` drops the `holidays` layer.
    Years are computed on first use and cached; `is_working_day` is then two dict/set look-ups.
    """

    def __init__(
        self,
        user_days_off: Iterable[UserDay] | Mapping[date, str] = (),
        user_working_days: Iterable[UserDay] | Mapping[date, str] = (),
        user_removed: Iterable[date] = (),
        *,
        official: Mapping[str, Any] | None = None,
        use_library: bool = True,
    ) -> None:
        self._user_off = _user_days(user_days_off, USER_DAY_OFF_NAME)
        self._user_work = _user_days(user_working_days, USER_WORKING_DAY_NAME)
        self._user_removed = frozenset(user_removed)
        clash = self._user_off.keys() & self._user_work.keys()
        if clash:
            raise ValueError(f"both a day off and a working day: {', '.join(f'{d:%d/%m/%Y}' for d in sorted(clash))}")
        self._official = official_data() if official is None else official
        self._tet = tet_table(self._official)
        self._official_by_year = self._index_official(self._official)
        self._use_library = use_library
        self._years: dict[int, _Year] = {}
        self._deadlines: dict[tuple[date, int], datetime] = {}  # add_working_days by (day, n): see there

    # ----- building ---------------------------------------------------------------------------------------

    @staticmethod
    def _index_official(data: Mapping[str, Any]) -> dict[int, dict[date, tuple[str, str]]]:
        by_year: dict[int, dict[date, tuple[str, str]]] = {}
        for key, block in data.get("years", {}).items():
            if key.startswith("_"):
                continue
            for entry in block.get("entries", ()):
                d = date.fromisoformat(entry["date"])
                kind = entry["kind"]
                if kind not in (DAY_OFF, WORKING_DAY):
                    raise ValueError(f"{entry['date']}: kind must be '{DAY_OFF}' or '{WORKING_DAY}', not {kind!r}")
                year = by_year.setdefault(d.year, {})
                if d in year and year[d][1] != kind:
                    raise ValueError(f"{entry['date']} is listed both as a day off and as a working day")
                year[d] = (entry["name"], kind)
        return by_year

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        off: dict[date, tuple[str, str]] = {}
        work: dict[date, tuple[str, str]] = {}
        proposed: dict[date, tuple[str, str, str]] = {}
        if self._use_library:
            lib_off, lib_work = _library_year(year, self._tet.get(year))
            lib_off, proposed = self._not_in_law(lib_off)
            off.update((d, (n, SOURCE_LIBRARY)) for d, n in lib_off.items())
            work.update((d, (n, SOURCE_LIBRARY)) for d, n in lib_work.items() if d not in lib_off)
        for d, (name, kind) in self._official_by_year.get(year, {}).items():
            if kind == DAY_OFF:
                off[d] = (name, SOURCE_OFFICIAL)
                work.pop(d, None)
            else:
                work[d] = (name, SOURCE_OFFICIAL)
                off.pop(d, None)
        for d in self._user_removed:
            if d.year == year:
                off.pop(d, None)
        for d, name in self._user_off.items():
            if d.year == year:
                off[d] = (name, SOURCE_USER)
                work.pop(d, None)
        for d, name in self._user_work.items():
            if d.year == year:
                work[d] = (name, SOURCE_USER)
                off.pop(d, None)
        # Working days only matter on weekends; a weekday is working unless it is a day off.
        work = {d: v for d, v in work.items() if d.weekday() >= 5}
        built = _Year(off, work, frozenset(d for d in off if d.weekday() < 5),
                      {d: v for d, v in proposed.items() if d not in off})
        self._years[year] = built
        return built

    def _not_in_law(self, lib_off: dict[date, str]) -> tuple[dict[date, str], dict[date, tuple[str, str, str]]]:
        """Split the library's days off into those the law has (Labour Code Điều 112, substitutes, swaps) and
        those it has not yet: these count as working days, the stricter way (a working-day limit never
        grows), and the calendar screen offers them as "đề xuất, chưa có hiệu lực"."""
        spec = self._official.get("not_in_law") or {}
        names = spec.get("law_names") or ()
        if not names:
            return lib_off, {}
        known = list(spec.get("known", ()))
        kept: dict[date, str] = {}
        proposed: dict[date, tuple[str, str, str]] = {}
        for d, name in lib_off.items():
            base = _OBSERVED.sub("", name)  # a substitute day of a holiday the law lacks is not in the law either
            if any(n in base for n in names) or _TET_NAME.search(base):
                kept[d] = name
                continue
            entry = next((e for e in known if e["name"] in base and d.year >= int(e.get("from_year", 0))), None)
            if entry:
                proposed[d] = (name, entry["status"], entry["basis"])
            else:
                proposed[d] = (name, "chưa có trong Bộ luật Lao động Điều 112",
                               "Ngày nghỉ do thư viện holidays đưa ra, chưa thấy trong luật.")
        return kept, proposed

    # ----- questions about a day --------------------------------------------------------------------------

    def proposed_days_in_year(self, year: int) -> list[tuple[date, str, str, str]]:
        """(date, name, status, basis) of days the holiday library gives as days off but the law does not yet
        (e.g. 24/11 "Ngày Văn hóa Việt Nam"), counted here as working days; an office edit making one a day
        off removes it from this list."""
        return [(d, *v) for d, v in sorted(self._year(year).proposed.items())]


    def is_working_day(self, d: date) -> bool:
        y = self._years.get(d.year) or self._year(d.year)
        if d.weekday() < 5:
            return d not in y.non_working_weekdays
        return d in y.work

    def day_off_name(self, d: date) -> str | None:
        """Vietnamese name of the holiday/official day off on `d`, for display; None on a working day or an
        ordinary weekend."""
        entry = self._year(d.year).off.get(d)
        return entry[0] if entry else None

    def days_off_in_year(self, year: int) -> list[tuple[date, str, str]]:
        """(date, name, source) of every day off listed for `year` (ordinary weekends are not listed), sorted.
        Source is "thư viện", "quy định" or "người dùng"."""
        return [(d, n, s) for d, (n, s) in sorted(self._year(year).off.items())]

    def working_weekend_days_in_year(self, year: int) -> list[tuple[date, str, str]]:
        """(date, name, source) of Saturdays/Sundays that are working days (swaps), sorted."""
        return [(d, n, s) for d, (n, s) in sorted(self._year(year).work.items())]

    def next_working_day(self, d: date) -> date:
        """`d` itself if it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def nth_working_day_after(self, d: date, n: int) -> date:
        """The n-th working day strictly after `d` (n >= 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        while n:
            d += _ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def nth_working_day_before(self, d: date, n: int) -> date:
        """The n-th working day strictly before `d` (n >= 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        while n:
            d -= _ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b (counting from the day after `a`, like a period); negative when b < a.
        "How many working days late": `working_days_between(deadline.date(), today)`."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a
        while d < b:
            d += _ONE_DAY
            if self.is_working_day(d):
                count += 1
        return count

    # ----- deadlines (moments) ----------------------------------------------------------------------------

    def add_working_days(self, event: datetime | date, n: int) -> datetime:
        """Deadline of "within n working days from the event": end (see `end_of_day`) of the n-th working day
        after the event's day in Vietnam time. n >= 1.

        Remembered by (day, n): a deadline depends on nothing else, and a report or a to-do list asks it for
        thousands of events on a few hundred days (the calendar does not change once made)."""
        key = (_event_day(event), n)
        found = self._deadlines.get(key)
        if found is None:
            if len(self._deadlines) >= _DEADLINES_KEPT:
                self._deadlines.clear()
            found = self._deadlines[key] = end_of_day(self.nth_working_day_after(key[0], n))
        return found

    def add_days(self, event: datetime | date, n: int, *, roll_to_working_day: bool = True) -> datetime:
        """Deadline of a period of n calendar days (e.g. the 15-day separation): it starts the day after the
        event and ends at the end of day event+n; if that day is not a working day it ends at the end of the
        next working day (Điều 148) unless `roll_to_working_day=False` (a pure calendar end). n >= 1."""
        if n < 1:
            raise ValueError("n must be at least 1")
        last = _event_day(event) + timedelta(days=n)
        if roll_to_working_day:
            last = self.next_working_day(last)
        return end_of_day(last)

    @staticmethod
    def add_days_unrolled(event: datetime | date, n: int) -> datetime:
        """A period of n calendar days that no weekend or holiday lengthens (the 15-day separation limit):
        from the day after the event to the end of day event+n. n >= 1."""
        if n < 1:
            raise ValueError("n must be at least 1")
        return end_of_day(_event_day(event) + timedelta(days=n))

    @staticmethod
    def add_hours(event: datetime, hours: int | float) -> datetime:
        """Deadline of a period in hours (12 h emergency): exactly `hours` after the stated moment, returned in
        Vietnam time. Weekends and holidays do not matter."""
        if not isinstance(event, datetime) or event.tzinfo is None or event.utcoffset() is None:
            raise ValueError("event must be a timezone-aware datetime (Asia/Ho_Chi_Minh)")
        return (event.astimezone(timezone.utc) + timedelta(hours=hours)).astimezone(VN)
