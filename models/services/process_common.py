"""What every case-process service shares: the error it raises, field checks, finding the case.

Services follow one pattern: check the actor's permission, parse and check the input collecting one
Vietnamese message per field, then write everything and the audit entries in one transaction. Input
comes as a mapping of field → value, where values may be typed (date, datetime, bool, int) or the text a
person typed ("05/09/2026", "08:30 05/09/2026", "12.500.000"), so the wizard, the command line and the
tests call the same function.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy.orm import Session

from .. import validation as v
from ..validation import Checker, ProcessError  # noqa: F401  (the services import them from here)
from ..clock import fmt_date, fmt_datetime, now
from ..entities import Case



def truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in {"1", "true", "yes", "co", "có"}


YES_WORDS = frozenset({"1", "true", "yes", "co", "có", "c"})
NO_WORDS = frozenset({"0", "false", "no", "khong", "không", "k"})


def yes_no(value: Any) -> bool | None:
    """A three-state answer: True (Có), False (Không) or None (not answered: None, "", anything else).
    A blank is never read as "Không"."""
    if value is True or value is False:
        return value
    word = v.nfc(str(value)).strip().lower() if value is not None else ""
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def money(value: Any, *, what: str = "Kinh phí") -> int:
    """Whole đồng: 12500000, "12.500.000", "12 500 000" or "" (0)."""
    if isinstance(value, bool):
        raise v.Invalid(f"{what} phải là một số tiền (đồng).")
    if isinstance(value, int):
        number = value
    else:
        raw = v.nfc(value).replace(".", "").replace(" ", "").replace(",", "")
        if raw.endswith("đ"):
            raw = raw[:-1]
        if not raw:
            return 0
        if not raw.isdigit():
            raise v.Invalid(f"{what} phải là số tiền bằng chữ số (đồng), ví dụ 1.500.000.")
        number = int(raw)
    if number < 0:
        raise v.Invalid(f"{what} không được âm.")
    if number > 10_000_000_000:
        raise v.Invalid(f"{what} quá lớn (tối đa 10 tỷ đồng cho một hoạt động).")
    return number


def apply_values(record: Any, values: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """Set a form record's fields from checked values; returns (field, old, new) for each one that changed,
    as the audit trail records a correction."""
    changes = [(k, getattr(record, k), val) for k, val in values.items() if getattr(record, k) != val]
    for k, val in values.items():
        setattr(record, k, val)
    return changes


def received_at(case: Case) -> datetime:
    return case.intake.received_at if case.intake is not None else case.opened_at


def get_case(session: Session, case_id: int, *, must_be_open: bool = True) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise ProcessError(f"Không tìm thấy hồ sơ số {case_id}.")
    if must_be_open and case.closed_at is not None:
        raise ProcessError(
            f"Hồ sơ {case.code} đã đóng ngày {fmt_date(case.closed_at)}. Mở lại hồ sơ (ghi rõ lý do) trước khi ghi thêm."
        )
    return case


def check_moment(check: Checker, key: str, moment: datetime | None, case: Case, what: str,
                 at: datetime | None = None) -> None:
    """A moment of the process: not before the information was received, not in the future."""
    if moment is None:
        return
    start = received_at(case)
    if moment < start:
        check.fail(key, f"{what} ({fmt_datetime(moment)}) không thể trước thời điểm nhận thông tin "
                        f"({fmt_datetime(start)}).")
    elif moment > (at or now()) + v.FUTURE_TOLERANCE:
        check.fail(key, f"{what} không thể ở tương lai.")


def check_day(check: Checker, key: str, day: date | None, case: Case, what: str, *,
              at: datetime | None = None, future_ok: bool = False) -> None:
    """A day of the process: not before the day the information was received (and not future unless planned)."""
    if day is None:
        return
    start = received_at(case).date()
    if day < start:
        check.fail(key, f"{what} ({fmt_date(day)}) không thể trước ngày nhận thông tin ({fmt_date(start)}).")
    elif not future_ok and day > (at or now()).date():
        check.fail(key, f"{what} không thể ở tương lai.")


def case_ref(case: Case) -> str:
    return case.code
