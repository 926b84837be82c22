"""Biên bản họp — the case meeting chaired by the chairman (NĐ 56 Điều 27.2)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import func, select

from .. import validation as v
from ..db import Database
from ..process_entities import CaseMeeting, RiskAssessment, SupportPlan
from ..security import audit
from ..security.roles import Actor
from .. import process_rules as rules
from .process_common import Checker, ProcessError, apply_values, check_moment, get_case


def save_meeting(db: Database, actor: Actor, case_id: int, raw: Mapping[str, Any], *,
                 meeting_id: int | None = None, at: datetime | None = None) -> int:
    """Record (or correct) a meeting's minutes. raw: purpose (bien_ban_hop.json purposes), held_at,
    ended_at, place, chair_name, chair_title, secretary, attendees [{name, role, position}], content,
    conclusions, measures. A new meeting is tied to the case's latest Mẫu 03 (None if there is none yet)."""
    actor.require("case.edit")
    spec = rules.process_form("bien_ban_hop")
    with db.transaction() as session:
        case = get_case(session, case_id)
        check = Checker()
        g = raw.get
        purpose = str(g("purpose") or "xac_dinh_nhu_cau")
        if purpose not in spec["purposes"]:
            check.fail("purpose", "Chọn mục đích cuộc họp.")
        held_at = check("held_at", v.parse_datetime, g("held_at"), required=True, what="Thời gian họp")
        check_moment(check, "held_at", held_at, case, "Thời gian họp", at)
        ended_at = check("ended_at", v.parse_datetime, g("ended_at"), what="Thời gian kết thúc")
        if held_at and ended_at and ended_at < held_at:
            check.fail("ended_at", "Cuộc họp không thể kết thúc trước khi bắt đầu.")
        attendees = []
        for i, person in enumerate(g("attendees") or []):
            name = check(f"attendees.{i}.name", v.person_name, person.get("name"), required=True, what="Họ tên người dự họp")
            role = str(person.get("role") or "khac")
            if role not in spec["attendee_roles"]:
                check.fail(f"attendees.{i}.role", "Chọn thành phần của người dự họp.")
            position = check(f"attendees.{i}.position", v.text, person.get("position"), max_len=200,
                             what="Chức vụ, đơn vị") or ""
            attendees.append({"name": name or "", "role": role, "position": position})
        if not attendees:
            check.fail("attendees", "Ghi thành phần tham dự cuộc họp.")
        values = dict(
            purpose=purpose, held_at=held_at, ended_at=ended_at,
            place=check("place", v.text, g("place"), required=True, max_len=v.SHORT_MAX, what="Địa điểm") or "",
            chair_name=check("chair_name", v.person_name, g("chair_name"), required=True, what="Người chủ trì") or "",
            chair_title=check("chair_title", v.text, g("chair_title") or "Chủ tịch UBND xã", max_len=120,
                              what="Chức vụ người chủ trì") or "",
            secretary=check("secretary", v.person_name, g("secretary"), what="Thư ký") or "",
            attendees=attendees,
            content=check("content", v.text, g("content"), what="Nội dung") or "",
            conclusions=check("conclusions", v.text, g("conclusions"), required=True, what="Kết luận") or "",
            measures=check("measures", v.text, g("measures"), what="Các biện pháp đã thống nhất") or "",
        )
        check.raise_if_any()
        if meeting_id is None:
            latest = session.scalar(select(func.max(RiskAssessment.id)).where(RiskAssessment.case_id == case_id))
            meeting = CaseMeeting(case_id=case_id, risk_assessment_id=latest, created_by=actor.username, **values)
            session.add(meeting)
            session.flush()
            audit.record(session, actor, "create", "bien_ban_hop", case.code, detail=f"Biên bản họp #{meeting.id}")
        else:
            meeting = session.get(CaseMeeting, meeting_id)
            if meeting is None or meeting.case_id != case_id:
                raise ProcessError("Không tìm thấy biên bản họp.")
            changes = apply_values(meeting, values, loaded_version=g("row_version"),
                                   conflict=(session, "bien_ban_hop", case.code, "Biên bản họp"))
            audit.record(session, actor, "update", "bien_ban_hop", case.code, detail=f"Biên bản họp #{meeting.id}",
                         changes=changes)
        return meeting.id


def delete_meeting(db: Database, actor: Actor, meeting_id: int) -> None:
    """Delete minutes entered by mistake; refused once a plan was built on the round they belong to."""
    actor.require("case.edit")
    with db.transaction() as session:
        meeting = session.get(CaseMeeting, meeting_id)
        if meeting is None:
            raise ProcessError("Không tìm thấy biên bản họp.")
        case = get_case(session, meeting.case_id)
        if meeting.risk_assessment_id is not None and session.scalar(
                select(SupportPlan.id).where(SupportPlan.risk_assessment_id == meeting.risk_assessment_id).limit(1)):
            raise ProcessError("Không xoá được biên bản họp: đã có kế hoạch hỗ trợ, can thiệp xây dựng sau cuộc họp này.")
        session.delete(meeting)
        audit.record(session, actor, "delete", "bien_ban_hop", case.code, detail=f"Biên bản họp #{meeting_id}")
