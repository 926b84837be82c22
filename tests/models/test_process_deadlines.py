"""Legal time limits of the case process: 12 clock hours, 5 and 2 working days, the 15-day separation
(BLDS Điều 148 roll-over), across weekends, Tết 2026 (14/02–22/02) and a day off the user added."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from models.calendar_days import WorkCalendar, end_of_day
from models.clock import VN
from models.services.calendar_edits import load_calendar, set_calendar_day
from models.stages import CaseFacts, pending_steps, stage_from_facts
from tests.models.test_process_data import CAL


def vn(y, m, d, h=9, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=VN)


def step(f: CaseFacts, cal=CAL):
    return pending_steps(f, cal)[0]


def test_emergency_is_twelve_clock_hours_even_over_a_weekend_night():
    received = vn(2026, 2, 13, 21, 15)  # Friday evening before Tết
    f = CaseFacts(1, received, ia_completed_at=received + timedelta(hours=1), needs_emergency=True)
    assert stage_from_facts(f) == "khan_cap"
    s = step(f)
    assert s.deadline == vn(2026, 2, 14, 9, 15) and s.form == "07"
    assert s.status(vn(2026, 2, 14, 10, 0)) == "Quá hạn 45 phút"


def test_plan_limit_skips_tet_2026():
    # Mẫu 02 ends Thursday 12/02/2026: Friday 13/02, then Tết 14/02–22/02, then 23, 24, 25, 26/02.
    f = CaseFacts(1, vn(2026, 2, 12, 8), ia_completed_at=vn(2026, 2, 12, 15))
    assert step(f).deadline == end_of_day(date(2026, 2, 26))


def test_plan_limit_over_a_weekend():
    f = CaseFacts(1, vn(2026, 3, 5, 8), ia_completed_at=vn(2026, 3, 5, 10))  # Thursday
    assert step(f).deadline == end_of_day(date(2026, 3, 12))  # 6, 9, 10, 11, 12


def test_approval_limit_two_working_days_over_tet():
    f = CaseFacts(1, vn(2026, 2, 2), ia_completed_at=vn(2026, 2, 2, 10), latest_ra_id=1,
                  latest_ra_at=vn(2026, 2, 4), plan_id=1, plan_submitted_at=vn(2026, 2, 13, 16))
    assert stage_from_facts(f) == "cho_phe_duyet"
    assert step(f).deadline == end_of_day(date(2026, 2, 24))


def test_separation_end_is_never_rolled_past_tet_and_warns_on_working_days_before():
    f = CaseFacts(1, vn(2026, 2, 5, 7), ia_completed_at=vn(2026, 2, 5, 8), needs_emergency=True,
                  separation_decided=True, active_separation=(vn(2026, 2, 5, 10), 15))
    assert stage_from_facts(f) == "cach_ly"
    sep = [s for s in pending_steps(f, CAL) if s.form == "07"][0]
    # 15 days → Friday 20/02, a Tết day off: the separation still ends that day (NĐ 56 Điều 32.3).
    assert sep.deadline == end_of_day(date(2026, 2, 20))
    # the reassessment is due from the 2nd working day before it: 14/02–22/02 are days off, so 12/02
    assert sep.remind_from == datetime(2026, 2, 12, tzinfo=VN)


def test_a_day_off_the_user_added_moves_the_deadline(office_db, actor):
    f = CaseFacts(1, vn(2026, 3, 5, 8), ia_completed_at=vn(2026, 3, 5, 10))
    set_calendar_day(office_db, actor, "11/03/2026", "day_off", "Nghỉ bù lễ hội địa phương")
    with office_db.session() as s:
        cal = load_calendar(s)
    assert cal.day_off_name(date(2026, 3, 11)) == "Nghỉ bù lễ hội địa phương"
    assert step(f, cal).deadline == end_of_day(date(2026, 3, 13))
    set_calendar_day(office_db, actor, "07/03/2026", "working_day", "Làm bù thứ Bảy")  # a swapped Saturday
    with office_db.session() as s:
        cal = load_calendar(s)
    assert step(f, cal).deadline == end_of_day(date(2026, 3, 12))


moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2031, 12, 31)).map(lambda d: d.replace(tzinfo=VN))


@settings(max_examples=150, deadline=None)
@given(received=moments, hours=st.integers(0, 400), days=st.integers(1, 30))
def test_deadlines_are_never_earlier_than_the_event(received, hours, days):
    done = received + timedelta(hours=hours)
    cases = [
        CaseFacts(1, received),
        CaseFacts(1, received, ia_completed_at=done, needs_emergency=True),
        CaseFacts(1, received, ia_completed_at=done),
        CaseFacts(1, received, ia_completed_at=done, latest_ra_id=1, latest_ra_at=done, plan_id=1,
                  plan_submitted_at=done),
        CaseFacts(1, received, ia_completed_at=done, separation_decided=True, active_separation=(done, days)),
    ]
    for f in cases:
        for s in pending_steps(f, CAL):
            assert s.deadline > received
            if f.ia_completed_at is not None and s.form != "07":
                assert s.deadline > done
    sep = [s for s in pending_steps(cases[-1], CAL) if s.form == "07"][0]
    # the separation ends exactly `days` calendar days on, whatever day that is (Điều 32.3), and the
    # reminder starts on a working day before its last day
    assert sep.deadline.date() == (done + timedelta(days=days)).date()
    assert sep.remind_from.date() < sep.deadline.date() and CAL.is_working_day(sep.remind_from.date())
    plan = pending_steps(cases[2], CAL)[0]
    assert CAL.working_days_between(done.date(), plan.deadline.date()) == 5


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)), n=st.integers(1, 10))
def test_a_user_day_off_never_makes_a_deadline_earlier(day, n):
    off = WorkCalendar(user_days_off=[day])
    event = vn(day.year, day.month, day.day) - timedelta(days=3)
    assert off.add_working_days(event, n) >= CAL.add_working_days(event, n)
    assert off.add_days(event, n) >= CAL.add_days(event, n)
