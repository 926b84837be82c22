"""Pure rules of the case process (no database, no Qt): the forms' wording as data, the Mẫu 03/06 rating
counts and conclusion, the Điều 31.1 emergency rule, the separation's end.

Everything the wizard or the printout needs to SHOW about a rule comes from here, computed from stored
answers, so that a conclusion is never typed and never goes stale.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from .calendar_days import WorkCalendar
from .wording import form_definition

LEVELS = ("cao", "trung_binh", "thap")
HIGH, LOW = "high", "low"
MAX_SEPARATION_DAYS = 15  # NĐ 56 Điều 32: unless a competent authority orders more
REASSESS_DAYS_BEFORE_END = 2
ACTIVITY_STATUSES = ("chua_bat_dau", "dang_thuc_hien", "hoan_thanh", "tam_dung", "huy")
DONE_STATUSES = frozenset({"hoan_thanh", "huy"})  # an activity in these states is never "late"
# How far an activity has gone: moving to a lower step, or away from a finished state, is going backwards.
STATUS_STEP = {"chua_bat_dau": 0, "dang_thuc_hien": 1, "tam_dung": 1, "hoan_thanh": 2, "huy": 2}
SIGNING_CAPACITIES = ("chu_tich", "kt_pho_chu_tich")
REVIEW_OUTCOMES = ("ket_thuc", "ke_hoach_moi")
SEPARATION_OUTCOMES = ("huy_bo", "de_nghi_toa_an")


def process_form(form: str) -> dict[str, Any]:
    """The definition of "02"…"07" or "bien_ban_hop" (resources/forms/*.json)."""
    return form_definition(form)  # the office's local wording when it has a valid one (models.wording)


def level_label(level: str) -> str:
    return process_form("03")["levels"].get(level, "")


def rating_tables(form: str) -> list[dict[str, Any]]:
    """The rating tables of Mẫu 03 (part 2) or Mẫu 06 (part 1), each with its items resolved
    (Mẫu 06's second table borrows Mẫu 03's items: see its `items_from`)."""
    spec = process_form(form)
    tables = spec["part2"]["tables"] if form == "03" else spec["part1"]["tables"]
    out = []
    for table in tables:
        if "items" not in table:
            src = table["items_from"]
            borrowed = next(t for t in rating_tables(src["form"]) if t["id"] == src["table"])
            table = {**table, "items": borrowed["items"]}
        out.append(table)
    return out


def rating_items(form: str, table: str) -> list[dict[str, Any]]:
    return next(t["items"] for t in rating_tables(form) if t["id"] == table)


def count_levels(ratings: Mapping[str, str], items: list[dict[str, Any]] | None = None) -> dict[str, int]:
    """The "Tổng số" row: how many items are rated Cao, Trung bình, Thấp (unrated items count nowhere)."""
    keys = [i["id"] for i in items] if items is not None else list(ratings)
    counts = dict.fromkeys(LEVELS, 0)
    for key in keys:
        level = ratings.get(key)
        if level in counts:
            counts[level] += 1
    return counts


def compare_high(harm_high: int, self_high: int) -> str:
    """The Mẫu 03 rule: strictly more "Cao" in the harm table than in the self-protection table → high
    risk; fewer or equal (a tie) → low."""
    return HIGH if harm_high > self_high else LOW


@dataclass(frozen=True)
class RiskConclusion:
    harm_counts: dict[str, int]
    self_counts: dict[str, int]
    level: str  # HIGH | LOW
    text: str  # the form's printed words for that conclusion
    complete: bool  # every item of both tables rated


def risk_conclusion(ratings: Mapping[str, Mapping[str, str]], form: str = "03") -> RiskConclusion:
    """Counts and conclusion of a Mẫu 03 (or Mẫu 06) from its stored ratings."""
    harm_items, self_items = rating_items(form, "harm"), rating_items(form, "self_protection")
    harm = count_levels(ratings.get("harm", {}), harm_items)
    self_ = count_levels(ratings.get("self_protection", {}), self_items)
    level = compare_high(harm["cao"], self_["cao"])
    spec = process_form(form)
    if form == "03":
        text = next(r["text"] for r in spec["part3"]["rules"] if r["conclusion"] == level)
    else:
        text = spec["part1"]["conclusion"][level]
    complete = sum(harm.values()) == len(harm_items) and sum(self_.values()) == len(self_items)
    return RiskConclusion(harm, self_, level, text, complete)


def needs_emergency_by_rule(*, threat_life: bool | None, threat_health: bool | None, threat_dignity: bool | None,
                            caregiver_is_abuser: bool | None) -> bool | None:
    """NĐ 56 Điều 31.1: serious threat or harm to life, health or dignity, or the parent/caregiver is the
    one causing harm → emergency protection within 12 hours of receiving the information.
    One "Có" is enough; "no emergency" needs every answer to be "Không"; otherwise None (not yet known)."""
    answers = (threat_life, threat_health, threat_dignity, caregiver_is_abuser)
    if any(a is True for a in answers):
        return True
    if all(a is False for a in answers):
        return False
    return None


def missing_ratings(ratings: Mapping[str, Mapping[str, str]] | None, form: str = "03") -> list[tuple[str, str]]:
    """(table id, item id) of every item of the form's rating tables with no level chosen."""
    ratings = ratings or {}
    return [(t["id"], i["id"]) for t in rating_tables(form) for i in t["items"]
            if (ratings.get(t["id"]) or {}).get(i["id"]) not in LEVELS]


def separation_end(start_at: datetime, duration_days: int, calendar: WorkCalendar | None = None) -> datetime:
    """End of a separation of `duration_days` days from `start_at`: from the next day to 24:00 of the last
    day (BLDS Điều 147), NEVER moved to a working day: "thời hạn cách ly tối đa không quá 15 ngày" (NĐ 56
    Điều 32 khoản 3) is a limit on the child's separation, not a time limit for an office to act, so a last
    day on a weekend or holiday stays the last day (Điều 148's roll would make it 16 days or more)."""
    return WorkCalendar.add_days_unrolled(start_at, duration_days)


def separation_reminder(end: datetime, calendar: WorkCalendar) -> datetime:
    """From when the to-do list warns that the separation ends: the start of the REASSESS_DAYS_BEFORE_END-th
    working day before its last day, so the reassessment (Mẫu 03) falls on working days before the end
    even when the last day is a weekend or a holiday."""
    from .calendar_days import start_of_day

    return start_of_day(calendar.nth_working_day_before(end.date(), REASSESS_DAYS_BEFORE_END))


def printed_objectives() -> list[dict[str, str]]:
    return process_form("04")["objectives"]["printed"]


def activity_kinds() -> dict[str, str]:
    return {k["id"]: k["text"] for k in process_form("04")["activity_kinds"]["kinds"]}


def is_backward(old: str, new: str) -> bool:
    """Whether an activity's status change undoes work recorded as done or begun (Hoàn thành → Đang thực
    hiện / Chưa bắt đầu, Huỷ → …, Đang thực hiện → Chưa bắt đầu): it needs a confirmation and a reason."""
    if new == old:
        return False
    return old in DONE_STATUSES or STATUS_STEP.get(new, 0) < STATUS_STEP.get(old, 0)


def activity_status_label(status: str) -> str:
    return process_form("04")["activity_statuses"]["values"].get(status, status)


def separation_grounds() -> dict[str, str]:
    return {g["id"]: g["text"] for g in process_form("07")["grounds"]["items"]}


def signing_lines(form: str, capacity: str) -> list[str]:
    """"CHỦ TỊCH" or "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" for the decision's signature block."""
    return process_form(form)["signing_capacities"][capacity]["lines"]


def format_vnd(amount: int) -> str:
    """12.500.000 (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")
