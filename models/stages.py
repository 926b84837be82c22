"""The stage of a case, derived from which forms it has (never stored), and the next step with its time limit.

Later forms (02–07) add their stages here; the list and the SQL expression grow together.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case as sql_case
from sqlalchemy.sql.elements import ColumnElement

from .clock import fmt_datetime
from .entities import Case

STAGES: dict[str, str] = {
    "tiep_nhan": "Đã tiếp nhận (Mẫu 01)",
    "da_dong": "Đã đóng hồ sơ",
}

EMERGENCY_HOURS = 12  # NĐ 56 Điều 31 / Luật Trẻ em Điều 50: emergency measures within 12 hours


def stage_expression() -> ColumnElement[str]:
    """The stage as an SQL expression, so that a 20,000-case list can be filtered by stage in the database."""
    return sql_case((Case.closed_at.is_not(None), "da_dong"), else_="tiep_nhan")


def stage_of(case: Case) -> str:
    return "da_dong" if case.closed_at is not None else "tiep_nhan"


@dataclass
class NextStep:
    title: str
    rule: str  # the legal time limit in words
    deadline: datetime | None = None

    def status(self, at: datetime) -> str:
        """'Còn 5 giờ 20 phút' / 'Quá hạn 1 ngày 3 giờ', for the case view and the to-do list."""
        if self.deadline is None:
            return ""
        delta = self.deadline - at
        late = delta.total_seconds() < 0
        seconds = abs(int(delta.total_seconds()))
        days, rest = divmod(seconds, 86400)
        hours, rest = divmod(rest, 3600)
        minutes = rest // 60
        parts = ([f"{days} ngày"] if days else []) + ([f"{hours} giờ"] if hours else [])
        if not days:
            parts.append(f"{minutes} phút")
        return ("Quá hạn " if late else "Còn ") + " ".join(parts)


def next_step(case: Case) -> NextStep | None:
    stage = stage_of(case)
    if stage == "tiep_nhan":
        deadline = case.opened_at + timedelta(hours=EMERGENCY_HOURS)
        return NextStep(
            title="Đánh giá nguy cơ ban đầu (Mẫu số 02)",
            rule=(
                "Thực hiện ngay khi nhận thông tin. Nếu trẻ em cần can thiệp khẩn cấp, các biện pháp phải được "
                f"áp dụng trong vòng {EMERGENCY_HOURS} giờ kể từ khi nhận thông tin, tức trước {fmt_datetime(deadline)}."
            ),
            deadline=deadline,
        )
    return None
