"""Vietnam time and the phrases every screen uses."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from models.clock import VN, fmt_date, fmt_datetime, time_left

AT = datetime(2026, 11, 24, 9, 5, tzinfo=VN)


def test_time_left_reads_as_a_person_says_it():
    assert time_left(AT + timedelta(hours=2), AT) == "Còn 2 giờ"  # not "2 giờ 0 phút"
    assert time_left(AT + timedelta(hours=5, minutes=20), AT) == "Còn 5 giờ 20 phút"
    assert time_left(AT + timedelta(minutes=7), AT) == "Còn 7 phút"
    assert time_left(AT - timedelta(days=1, hours=3, minutes=10), AT) == "Quá hạn 1 ngày 3 giờ"
    assert time_left(AT, AT) == "Còn 0 phút"


def test_dates_are_vietnam_dates():
    utc_evening = datetime(2026, 11, 23, 20, 30, tzinfo=timezone.utc)  # 03:30 on the 24th in Vietnam
    assert fmt_date(utc_evening) == "24/11/2026"
    assert fmt_datetime(utc_evening) == "03:30 24/11/2026"
    assert fmt_date(date(2026, 2, 5)) == "05/02/2026" and fmt_date(None) == "" and fmt_datetime(None) == ""
