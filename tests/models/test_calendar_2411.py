"""24/11 "Ngày Văn hóa Việt Nam" is a working day until the law says otherwise: the holiday library makes it a
day off from 2026, the Labour Code's Điều 112 still has 11 days. Counting it as a day off would make 5- and
2-working-day limits one day later than the law allows."""
from __future__ import annotations

from datetime import date, datetime

from models.calendar_days import WorkCalendar, _library_year, end_of_day
from models.clock import VN
from models.services.calendar_edits import load_calendar, set_calendar_day
from models.stages import CaseFacts, pending_steps, stage_from_facts

CAL = WorkCalendar()


def test_the_library_says_day_off_the_shipped_calendar_says_working_day():
    lib_off, _work = _library_year(2026, date(2026, 2, 17))
    assert lib_off[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"  # what the library says
    assert CAL.is_working_day(date(2026, 11, 24)) and CAL.day_off_name(date(2026, 11, 24)) is None
    (day, name, status, basis), = CAL.proposed_days_in_year(2026)
    assert (day, name, status) == (date(2026, 11, 24), "Ngày Văn hóa Việt Nam", "đề xuất, chưa có hiệu lực")
    assert "Điều 112" in basis
    # its substitute day (24/11/2029 is a Saturday) is not law either
    assert CAL.is_working_day(date(2029, 11, 26))
    # the law's own days stay days off
    for d in (date(2026, 1, 1), date(2026, 4, 30), date(2026, 5, 1), date(2026, 9, 2), date(2026, 2, 17)):
        assert not CAL.is_working_day(d), d


def _plan_step(ia_done: datetime, cal: WorkCalendar):
    f = CaseFacts(1, ia_done, ia_completed_at=ia_done)
    assert stage_from_facts(f) == "danh_gia_ban_dau"
    return pending_steps(f, cal)[0]


def _approval_step(submitted: datetime, cal: WorkCalendar):
    f = CaseFacts(1, submitted, ia_completed_at=submitted, latest_ra_id=1, latest_ra_at=submitted, plan_id=1,
                  plan_submitted_at=submitted)
    assert stage_from_facts(f) == "cho_phe_duyet"
    return pending_steps(f, cal)[0]


def test_five_and_two_working_days_across_24_11_2026(office_db, actor):
    friday = datetime(2026, 11, 20, 16, 0, tzinfo=VN)
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=VN)
    # 23, 24, 25, 26, 27/11: Tuesday 24/11 counts
    assert _plan_step(friday, CAL).deadline == end_of_day(date(2026, 11, 27))
    # 24, 25/11
    assert _approval_step(monday, CAL).deadline == end_of_day(date(2026, 11, 25))
    # once a notice makes it a day off, one edit moves both limits by a day
    set_calendar_day(office_db, actor, date(2026, 11, 24), "day_off", "Ngày Văn hóa Việt Nam (đã có văn bản cho nghỉ)")
    with office_db.session() as s:
        cal = load_calendar(s)
    assert not cal.is_working_day(date(2026, 11, 24)) and cal.proposed_days_in_year(2026) == []
    assert _plan_step(friday, cal).deadline == end_of_day(date(2026, 11, 30))
    assert _approval_step(monday, cal).deadline == end_of_day(date(2026, 11, 26))
