"""NĐ 56 Điều 32.3: "thời hạn cách ly tối đa không quá 15 ngày" — the end of a separation is never moved to a
working day, and the reminder to reassess comes on working days before the last day."""
from __future__ import annotations

from datetime import date, datetime

from models.calendar_days import end_of_day
from models.clock import VN
from models.process_rules import separation_end, separation_reminder
from models.stages import CaseFacts, pending_steps
from tests.models.test_process_data import CAL


def test_a_separation_from_saturday_17_10_2026_ends_on_sunday_01_11_not_monday():
    start = datetime(2026, 10, 17, 9, 0, tzinfo=VN)  # a Saturday
    end = separation_end(start, 15, CAL)
    assert end == end_of_day(date(2026, 11, 1)) and end.date().weekday() == 6
    assert (end.date() - start.date()).days == 15  # never 16 (the old roll showed Monday 02/11)
    remind = separation_reminder(end, CAL)
    assert remind == datetime(2026, 10, 29, tzinfo=VN)  # Thursday: 2 working days before, Fri 30/10 the last


def test_the_to_do_step_shows_the_unrolled_end_and_says_why():
    start = datetime(2026, 10, 17, 9, 0, tzinfo=VN)
    f = CaseFacts(1, datetime(2026, 10, 17, 7, tzinfo=VN), ia_completed_at=datetime(2026, 10, 17, 8, tzinfo=VN),
                  needs_emergency=True, separation_decided=True, active_separation=(start, 15))
    step = [s for s in pending_steps(f, CAL) if s.form == "07"][0]
    assert step.deadline == end_of_day(date(2026, 11, 1))
    assert "hết ngày 01/11/2026" in step.rule and "02/11" not in step.rule
    assert "khoản 3 Điều 32" in step.rule and "từ ngày 29/10/2026" in step.rule
    assert step.remind_from < step.deadline
