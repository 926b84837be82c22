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

from .. import process_rules as rules
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


def chosen_id(value: Any) -> int | None:
    """The id of a record a person chose (a number, or its digits as text); None when nothing, or no number, was
    given."""
    return int(value) if str(value or "").isdigit() else None


def chosen_record(session: Session, model: type, value: Any) -> Any:
    """The record of `model` a person chose by its id (`chosen_id`); None when none was chosen or none has it."""
    number = chosen_id(value)
    return session.get(model, number) if number is not None else None


def check_day_between(check: Checker, key: str, day: date | None, *, today: date, what: str,
                      earliest: date | None = None, too_early: str = "") -> bool:
    """A day a person typed: not before `earliest` (refused at `key` with `too_early`), then not after `today`
    ("<what> không thể ở tương lai."). True when there is a day and it passed both."""
    if day is None:
        return False
    if earliest is not None and day < earliest:
        check.fail(key, too_early)
        return False
    if day > today:
        check.fail(key, f"{what} không thể ở tương lai.")
        return False
    return True


def check_signer(check: Checker, decided_by: str, decided_at: Any, signing_capacity: str,
                 at: datetime) -> tuple[str | None, datetime | None]:
    """Who signs a decision, when (default `at`) and in which capacity (rules.SIGNING_CAPACITIES), each checked
    in that order; the limits on the moment are the caller's. Returns the name and the moment."""
    name = check("decided_by", v.person_name, decided_by, required=True, what="Người ký quyết định")
    moment = check("decided_at", v.parse_datetime, decided_at or at, required=True, what="Thời điểm ký")
    if signing_capacity not in rules.SIGNING_CAPACITIES:
        check.fail("signing_capacity", "Chọn thẩm quyền ký: Chủ tịch hoặc KT. Chủ tịch / Phó Chủ tịch.")
    return name, moment


def reason_given(reason: str | None, field: str, missing: str) -> str:
    """The reason a person gave for taking something back or closing it (NFC, trimmed); refused at `field` with
    `missing` when empty: nothing moves backwards without one."""
    text = v.nfc(reason or "").strip()
    if not text:
        raise ProcessError({field: missing})
    return text


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


class EditConflict(ProcessError):
    """Another person (another workstation) saved this form after it was opened here: nothing was overwritten."""


def _shorten(value: str, limit: int = 60) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[:limit - 1] + "…"


def conflict_message(session: Session, entity: str, entity_id: str, what: str) -> str:
    """Who saved `what` last and what they changed, from the audit trail (their last save, all its fields)."""
    from sqlalchemy import select

    from ..entities import Account, AuditEvent
    from .audit_log import FIELD_WORDS

    newest = session.execute(
        select(AuditEvent.at, AuditEvent.username)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id,
               AuditEvent.action.in_(("create", "update", "approve")))
        .order_by(AuditEvent.id.desc()).limit(1)).first()
    if newest is None:
        who_when, changed = "người khác", []
    else:
        at, username = newest
        name = session.scalar(select(Account.full_name).where(Account.username == username)) or username
        who_when = f"{name} ({username}) lúc {fmt_datetime(at)}"
        changed = [
            f"{FIELD_WORDS.get(f, f)}: «{_shorten(o) or 'trống'}» → «{_shorten(n) or 'trống'}»"
            for f, o, n in session.execute(
                select(AuditEvent.field, AuditEvent.old_value, AuditEvent.new_value)
                .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id, AuditEvent.at == at,
                       AuditEvent.username == username, AuditEvent.field != "")
                .order_by(AuditEvent.id))
        ]
    text = (f"{what} đã được {who_when} lưu sau khi anh/chị mở mẫu này, nên bản của anh/chị chưa được lưu "
            "(không ghi đè lên bản của người đó).")
    if changed:
        text += " Người đó đã đổi: " + "; ".join(changed[:8]) + ("; …" if len(changed) > 8 else "") + "."
    return text + (" Hãy ghi lại những gì mình vừa sửa, đóng và mở lại mẫu để xem bản mới nhất, rồi sửa tiếp "
                   "trên bản đó.")


def apply_values(record: Any, values: Mapping[str, Any], *, loaded_version: Any = None,
                 conflict: tuple[Session, str, str, str] | None = None) -> list[tuple[str, Any, Any]]:
    """Set a form record's fields from checked values; returns (field, old, new) for each one that changed,
    as the audit trail records a correction.

    `loaded_version`: the record's `row_version` when the form was opened (the window passes it as
    raw["row_version"]); if the record was saved since, EditConflict says by whom and what changed (`conflict` =
    session, audit entity, entity id, the form's name) and nothing is written."""
    if loaded_version not in (None, "") and conflict is not None \
            and conflict[0].get_bind().dialect.name == "postgresql":
        # The server: lock the row and read its version now, so that two saves at the same moment are told apart
        # here (the second waits for the first, then is refused with who and what) rather than at the UPDATE.
        # "OF" the record's own table: a record read with a joined relation (a placement's carer, a Mẫu 10's
        # child) would otherwise lock the outer join's nullable side, which PostgreSQL refuses.
        conflict[0].refresh(record, with_for_update={"of": type(record)})
    if loaded_version not in (None, "") and int(loaded_version) != record.row_version:
        session, entity, entity_id, what = conflict
        raise EditConflict(conflict_message(session, entity, entity_id, what))
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
