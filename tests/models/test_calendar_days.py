"""Working-day calendar and deadline arithmetic (Bộ luật Dân sự Điều 147–148; domain.md §2–3)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from models.calendar_days import (
    END_OF_DAY,
    SOURCE_LIBRARY,
    SOURCE_OFFICIAL,
    SOURCE_USER,
    WorkCalendar,
    _library_year,
    end_of_day,
    official_data,
    tet_table,
)
from models.clock import VN

CAL = WorkCalendar()  # module-level: hypothesis examples share its per-year cache

TET_TABLE = {  # domain.md §3
    2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
    2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 2), 2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
}


def vn(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


# ----- concrete deadlines ------------------------------------------------------------------------------------

def test_five_working_days_skip_tet_2026():
    # Fri 13/02/2026 10:00; civil servants are off Sat 14/02 → Sun 22/02; then 23, 24, 25, 26, 27 Feb.
    deadline = CAL.add_working_days(vn(2026, 2, 13, 10), 5)
    assert deadline == end_of_day(date(2026, 2, 27))
    assert deadline.tzinfo is VN and deadline.time() == END_OF_DAY
    for d in range(14, 23):
        assert not CAL.is_working_day(date(2026, 2, d))
        assert "Tết Nguyên đán" in CAL.day_off_name(date(2026, 2, d))


def test_five_working_days_across_an_ordinary_weekend():
    # Thu 05/03/2026 → Fri 6, Mon 9, Tue 10, Wed 11, Thu 12.
    assert CAL.add_working_days(vn(2026, 3, 5, 9), 5).date() == date(2026, 3, 12)


def test_user_day_off_shifts_the_deadline_by_one_working_day():
    cal = WorkCalendar(user_days_off=[date(2026, 3, 10)])
    assert cal.add_working_days(vn(2026, 3, 5, 9), 5).date() == date(2026, 3, 13)
    assert cal.day_off_name(date(2026, 3, 10)) == "Ngày nghỉ (người dùng thêm)"
    named = WorkCalendar(user_days_off=[(date(2026, 3, 10), "Bầu cử")])
    assert named.days_off_in_year(2026).count((date(2026, 3, 10), "Bầu cử", SOURCE_USER)) == 1


def test_user_working_saturday_counts():
    cal = WorkCalendar(user_working_days=[date(2026, 3, 7)])  # a Saturday
    assert cal.is_working_day(date(2026, 3, 7))
    # Fri 6, Sat 7, Mon 9, Tue 10, Wed 11.
    assert cal.add_working_days(vn(2026, 3, 5, 9), 5).date() == date(2026, 3, 11)
    assert (date(2026, 3, 7), "Ngày làm việc (người dùng thêm)", SOURCE_USER) in cal.working_weekend_days_in_year(2026)


def test_user_removed_day_off_becomes_a_working_day():
    assert not CAL.is_working_day(date(2026, 9, 1))  # library: Quốc khánh
    cal = WorkCalendar(user_removed=[date(2026, 9, 1)])
    assert cal.is_working_day(date(2026, 9, 1))
    assert cal.day_off_name(date(2026, 9, 1)) is None
    assert all(d != date(2026, 9, 1) for d, _, _ in cal.days_off_in_year(2026))


def test_user_edits_may_not_contradict_each_other():
    with pytest.raises(ValueError):
        WorkCalendar(user_days_off=[date(2026, 3, 7)], user_working_days=[date(2026, 3, 7)])


def test_two_working_days_from_thursday_evening_end_next_monday():
    assert CAL.add_working_days(vn(2026, 3, 5, 20, 30), 2) == end_of_day(date(2026, 3, 9))


def test_event_day_is_taken_in_vietnam_time():
    # 20:00 UTC Thu 05/03 is 03:00 Fri 06/03 in Vietnam: counting starts Sat → Mon 9, Tue 10.
    event = datetime(2026, 3, 5, 20, 0, tzinfo=timezone.utc)
    assert CAL.add_working_days(event, 2).date() == date(2026, 3, 10)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(datetime(2026, 3, 5, 9), 5)
    with pytest.raises(ValueError):
        CAL.add_hours(datetime(2026, 3, 5, 9), 12)
    with pytest.raises(ValueError):
        CAL.add_working_days(vn(2026, 3, 5), 0)


def test_add_days_landing_on_sunday_moves_to_monday():
    # Sat 14/03/2026 + 15 days = Sun 29/03 → end of Mon 30/03 (Điều 148).
    assert CAL.add_days(vn(2026, 3, 14, 8), 15) == end_of_day(date(2026, 3, 30))
    assert CAL.add_days(vn(2026, 3, 14, 8), 15, roll_to_working_day=False) == end_of_day(date(2026, 3, 29))
    # A weekday last day stays put: Thu 05/03 + 15 = Fri 20/03.
    assert CAL.add_days(vn(2026, 3, 5, 8), 15).date() == date(2026, 3, 20)


def test_add_days_landing_on_holidays_moves_past_them():
    # 15/04/2026 + 15 = Thu 30/04 (holiday) → Fri 1/5 (holiday), Sat, Sun → Mon 04/05/2026.
    assert CAL.add_days(vn(2026, 4, 15, 8), 15).date() == date(2026, 5, 4)


def test_add_hours_is_clock_time():
    assert CAL.add_hours(vn(2026, 2, 16, 20), 12) == vn(2026, 2, 17, 8)  # through Tết: no calendar effect
    utc_event = datetime(2026, 3, 5, 13, 0, tzinfo=timezone.utc)
    result = CAL.add_hours(utc_event, 12)
    assert result == vn(2026, 3, 6, 8) and result.utcoffset() == timedelta(hours=7)


def test_working_days_between():
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5
    assert CAL.working_days_between(date(2026, 2, 27), date(2026, 2, 13)) == -5
    assert CAL.working_days_between(date(2026, 3, 6), date(2026, 3, 6)) == 0
    assert CAL.working_days_between(date(2026, 3, 6), date(2026, 3, 8)) == 0  # the weekend only
    assert CAL.working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1


# ----- the holiday data ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("year", sorted(TET_TABLE))
def test_first_day_of_tet_is_a_day_off(year):
    first = TET_TABLE[year]
    assert not CAL.is_working_day(first)
    assert "Tết Nguyên đán" in CAL.day_off_name(first)
    # Five Tết days (giao thừa to mùng 4) on weekdays are all days off.
    for i in range(-1, 4):
        d = first + timedelta(days=i)
        assert not CAL.is_working_day(d), d


def test_shipped_tet_table_matches_domain_and_library():
    assert tet_table() == TET_TABLE
    for year, first in TET_TABLE.items():
        lib_off, _ = _library_year(year, None)
        assert [d for d, n in lib_off.items() if n == "Tết Nguyên đán"] == [first], year


@pytest.mark.parametrize("year", range(2024, 2033))
def test_fixed_holidays_are_days_off(year):
    for month, day in ((1, 1), (4, 30), (5, 1), (9, 2)):
        d = date(year, month, day)
        assert not CAL.is_working_day(d)
        assert CAL.day_off_name(d)


def test_table_overrides_the_library_tet_block_when_they_disagree():
    # Pretend the table said 03/02/2030 (the Chinese date) while the library has Vietnam's 02/02/2030.
    cal = WorkCalendar(official={"tet_first_day": {"2030": "2030-02-03"}})
    assert cal.day_off_name(date(2030, 2, 3)) == "Tết Nguyên đán"
    assert cal.day_off_name(date(2030, 2, 2)) == "Giao thừa Tết Nguyên đán"
    # Sat 02/02 compensated on Fri 01/02, Sun 03/02 on the first free weekday after the block (Thu 07/02).
    assert not cal.is_working_day(date(2030, 2, 1)) and not cal.is_working_day(date(2030, 2, 7))
    assert cal.is_working_day(date(2030, 1, 31))  # the library's "29 Tết" (for its date) is gone
    assert cal.is_working_day(date(2030, 2, 8))
    assert CAL.is_working_day(date(2030, 2, 7))  # the real calendar: Tết 2030 is 31/01–06/02


def test_official_swaps_and_sources():
    assert CAL.is_working_day(date(2025, 4, 26))  # Saturday worked, swapped for Fri 02/05/2025
    assert not CAL.is_working_day(date(2025, 5, 2))
    assert CAL.is_working_day(date(2026, 1, 10))  # Saturday worked, swapped for Fri 02/01/2026
    assert not CAL.is_working_day(date(2026, 1, 2))
    assert CAL.is_working_day(date(2026, 8, 22)) and not CAL.is_working_day(date(2026, 8, 31))
    assert CAL.is_working_day(date(2024, 5, 4))  # the library's own swap (for Mon 29/04/2024)
    assert not CAL.is_working_day(date(2026, 3, 7))  # an ordinary Saturday
    days = {d: (n, s) for d, n, s in CAL.days_off_in_year(2026)}
    assert days[date(2026, 1, 1)] == ("Tết Dương lịch", SOURCE_LIBRARY)
    assert days[date(2026, 2, 14)][1] == SOURCE_OFFICIAL
    assert sorted(days) == list(days)


def test_shipped_json_is_well_formed():
    data = official_data()
    assert {"_source", "_note", "tet_first_day", "years"} <= data.keys()
    assert {"2025", "2026"} <= data["years"].keys()
    for year, block in data["years"].items():
        assert block["_source"]
        for e in block["entries"]:
            assert date.fromisoformat(e["date"]).year == int(year)
            assert e["kind"] in ("day_off", "working_day")
            assert e["status"] in ("verified", "secondary", "library") and e["basis"] and e["name"]
            if e["kind"] == "working_day":
                assert date.fromisoformat(e["date"]).weekday() >= 5


def test_bad_kind_is_rejected():
    with pytest.raises(ValueError):
        WorkCalendar(official={"years": {"2026": {"entries": [
            {"date": "2026-03-07", "name": "x", "kind": "holiday"}]}}})


# ----- properties ------------------------------------------------------------------------------------------------

events = st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2034, 12, 31), timezones=st.just(VN))
days_in_range = st.dates(min_value=date(2023, 1, 1), max_value=date(2035, 3, 31))


@settings(max_examples=200, deadline=None)
@given(event=events, n=st.integers(1, 30))
def test_working_day_deadline_properties(event, n):
    deadline = CAL.add_working_days(event, n)
    assert deadline > event
    assert deadline.time() == END_OF_DAY and deadline.tzinfo is VN
    assert CAL.is_working_day(deadline.date())
    assert CAL.working_days_between(event.date(), deadline.date()) == n
    assert CAL.working_days_between(event.date(), deadline.date() - timedelta(days=1)) == n - 1
    assert CAL.add_working_days(event, n + 1) > deadline


@settings(max_examples=100, deadline=None)
@given(event=events, n=st.integers(1, 30), extra=days_in_range)
def test_adding_a_day_off_never_makes_a_deadline_earlier(event, n, extra):
    with_extra = WorkCalendar(user_days_off=[extra])
    assert with_extra.add_working_days(event, n) >= CAL.add_working_days(event, n)
    assert with_extra.add_days(event, n) >= CAL.add_days(event, n)


@settings(max_examples=200, deadline=None)
@given(event=events, n=st.integers(1, 30))
def test_calendar_day_deadline_properties(event, n):
    deadline = CAL.add_days(event, n)
    last = event.date() + timedelta(days=n)
    assert deadline.date() >= last and CAL.is_working_day(deadline.date())
    d = last
    while d < deadline.date():
        assert not CAL.is_working_day(d)
        d += timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(event=events, hours=st.integers(0, 24 * 60))
def test_add_hours_is_exact(event, hours):
    result = CAL.add_hours(event, hours)
    assert result - event == timedelta(hours=hours)
    assert result.tzinfo is VN


def test_the_holiday_calendar_loads_once_when_two_threads_need_it_first():
    """The to-do list's thread and the window's can both be first to need the calendar; one used to find the
    Vietnam module half-made ("has no attribute 'Vietnam'"). In a fresh process, eight threads at once."""
    import subprocess
    import sys

    code = """
import importlib.util, threading, time
from models import calendar_days
real_spec = importlib.util.spec_from_file_location
def slow_spec(*args, **kwargs):  # the module takes a while to run, as on a slow office PC
    spec = real_spec(*args, **kwargs)
    real_exec = spec.loader.exec_module
    def exec_module(module):
        time.sleep(0.3)
        real_exec(module)
    spec.loader.exec_module = exec_module
    return spec
importlib.util.spec_from_file_location = slow_spec
barrier = threading.Barrier(8)
found, errors = [], []
def first(i):
    barrier.wait()
    time.sleep(0.05 * i)  # the others come while the first is still loading
    try:
        found.append(calendar_days._vietnam_holidays().__name__)
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=first, args=(i,)) for i in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(len(found), errors)
"""
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.strip() == "8 []", out
