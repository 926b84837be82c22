"""Mẫu 07 — temporary separation (NĐ 56 Điều 32): the worker drafts, the chairman decides, the worker
records an authority's extension and the outcome (child returns home, or the court is asked)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import select

from .. import validation as v
from ..clock import fmt_datetime, now
from ..db import Database
from ..entities import Office
from .. import numbering
from ..numbering import next_number
from ..process_entities import Separation
from ..security import audit
from ..security.roles import Actor
from .. import process_rules as rules
from .process_common import Checker, ProcessError, apply_values, check_moment, get_case, received_at


def ground_hints(case) -> dict[str, str]:
    """What the case's own records say about each ground of Điều 32.1, as "Hồ sơ cho thấy …" hints beside the
    grounds on the Mẫu 07 screen. The worker still chooses: nothing here ticks a ground, and a question left
    unanswered stays "chưa trả lời", never "không". `case` is a Case loaded with its process records."""
    intake = case.intake
    abused = intake is not None and intake.category == "bi_xam_hai"
    abused_text = ("Mẫu 01 ghi trẻ em bị xâm hại" if abused else
                   "Mẫu 01 chưa ghi trẻ em bị xâm hại" + (f" (ghi: {_category_label(intake.category)})" if intake else ""))
    ia = case.initial_assessment
    if ia is None or ia.completed_at is None:
        by_parent = "Mẫu 02 chưa hoàn thành: chưa rõ cha, mẹ, người chăm sóc có phải là người gây tổn hại không"
        reach = ""
    else:
        by_parent = {True: "Mẫu 02 ghi cha, mẹ, người chăm sóc là người gây tổn hại cho trẻ em",
                     False: "Mẫu 02 ghi cha, mẹ, người chăm sóc không phải là người gây tổn hại cho trẻ em"}.get(
            ia.caregiver_is_abuser, "Mẫu 02 chưa trả lời cha, mẹ, người chăm sóc có phải là người gây tổn hại không")
        reach = {True: "đối tượng xâm hại còn khả năng tiếp cận trẻ em",
                 False: "đối tượng xâm hại không còn khả năng tiếp cận trẻ em"}.get(
            ia.abuser_can_reach, "chưa trả lời đối tượng xâm hại còn tiếp cận được trẻ em không")
    plans = [v for p in getattr(case, "plans", []) or [] for v in p.versions if v.approval is not None]
    if plans:
        plan = ("hồ sơ có kế hoạch hỗ trợ, can thiệp đã phê duyệt (Mẫu số 05); phần mềm không ghi việc cha, mẹ, "
                "người chăm sóc từ chối thực hiện: chỉ chọn căn cứ này khi có biên bản, văn bản ghi việc từ chối")
    else:
        plan = "hồ sơ chưa có kế hoạch hỗ trợ, can thiệp được phê duyệt (Mẫu số 05), nên chưa có kế hoạch để từ chối"
    return {
        "bi_xam_hai_boi_cha_me": f"Hồ sơ cho thấy: {by_parent}.",
        "tu_choi_ke_hoach": f"Hồ sơ cho thấy: {abused_text}; {plan}.",
        "nguy_co_tiep_tuc": f"Hồ sơ cho thấy: {abused_text}; {by_parent}"
                            + (f"; {reach}" if reach else "") + ".",
    }


def supported_grounds(case) -> list[str]:
    """The grounds the records support outright (for the screen's summary; the worker still ticks them)."""
    intake, ia = case.intake, case.initial_assessment
    abused = intake is not None and intake.category == "bi_xam_hai"
    by_parent = ia is not None and ia.completed_at is not None and ia.caregiver_is_abuser is True
    out = []
    if by_parent:
        out.append("bi_xam_hai_boi_cha_me")
    if abused and by_parent and ia.abuser_can_reach is True:
        out.append("nguy_co_tiep_tuc")
    return out


def _category_label(code: str) -> str:
    from ..wording import form_definition

    return form_definition("01")["categories"].get(code, {}).get("label", code)


def _check_duration(check: Checker, days: int | None, order_number: str, order_date, order_body: str) -> None:
    if days is None:
        return
    if days > rules.MAX_SEPARATION_DAYS and not (order_number and order_date and order_body):
        check.fail("duration_days",
                   f"Thời gian tạm thời cách ly không quá {rules.MAX_SEPARATION_DAYS} ngày. Muốn dài hơn, ghi số, ngày "
                   "và cơ quan ban hành văn bản của cơ quan có thẩm quyền (Nghị định 56/2017, Điều 32).")


def _parse(check: Checker, raw: Mapping[str, Any], case, at) -> dict[str, Any]:
    g = raw.get
    grounds_spec = rules.separation_grounds()
    grounds = list(dict.fromkeys(str(x) for x in (g("grounds") or [])))
    if not grounds:
        check.fail("grounds", "Chọn ít nhất một căn cứ tạm thời cách ly.")
    elif any(x not in grounds_spec for x in grounds):
        check.fail("grounds", "Căn cứ cách ly không có trong Mẫu số 07.")
    carer_kind = str(g("carer_kind") or "")  # never chosen for the user
    if carer_kind not in rules.process_form("07")["carer_kinds"]:
        check.fail("carer_kind", "Chọn người chăm sóc thay thế hoặc cơ sở trợ giúp xã hội.")
    start_at = check("start_at", v.parse_datetime, g("start_at"), required=True, what="Thời điểm bắt đầu cách ly")
    if start_at is not None and start_at < received_at(case):
        check.fail("start_at", f"Thời điểm bắt đầu cách ly không thể trước thời điểm nhận thông tin "
                               f"({fmt_datetime(received_at(case))}).")
    days = check("duration_days", v.small_int, g("duration_days"), lo=1, hi=365, what="Thời hạn cách ly (ngày)")
    if days is None and "duration_days" not in check.errors:
        check.fail("duration_days", "Ghi thời hạn cách ly (số ngày, không quá 15).")
    order_number = check("order_number", v.text, g("order_number"), max_len=60, what="Số văn bản") or ""
    order_date = check("order_date", v.parse_date, g("order_date"), what="Ngày văn bản")
    order_body = check("order_body", v.text, g("order_body"), max_len=200, what="Cơ quan ban hành") or ""
    _check_duration(check, days, order_number, order_date, order_body)
    return dict(
        grounds=grounds,
        separated_from=check("separated_from", v.text, g("separated_from"), required=True, what="Cách ly khỏi") or "",
        safe_place=check("safe_place", v.text, g("safe_place"), required=True, what="Nơi ở an toàn tạm thời") or "",
        carer_kind=carer_kind,
        carer_name=check("carer_name", v.text, g("carer_name"), required=True, max_len=200,
                         what="Người chăm sóc thay thế hoặc cơ sở") or "",
        carer_address=check("carer_address", v.text, g("carer_address"), max_len=v.SHORT_MAX, what="Địa chỉ") or "",
        executing_officer=check("executing_officer", v.text, g("executing_officer"), max_len=200,
                                what="Người thực hiện") or "",
        recipients=check("recipients", v.text, g("recipients"), what="Nơi nhận") or "",
        start_at=start_at, duration_days=days, order_number=order_number, order_date=order_date,
        order_body=order_body,
    )


def save_separation_draft(db: Database, actor: Actor, case_id: int, raw: Mapping[str, Any], *,
                          separation_id: int | None = None, at: datetime | None = None) -> int:
    """The worker drafts (or corrects the draft of) a Mẫu 07 for the chairman. Returns its id."""
    actor.require("case.edit")
    with db.transaction() as session:
        case = get_case(session, case_id)
        check = Checker()
        values = _parse(check, raw, case, at)
        check.raise_if_any()
        if separation_id is None:
            sep = Separation(case_id=case_id, drafted_by=actor.full_name, drafted_at=at or now(), **values)
            session.add(sep)
            session.flush()
            audit.record(session, actor, "create", "mau07", case.code, detail=f"Dự thảo Mẫu 07 #{sep.id}")
        else:
            sep = _get(session, separation_id, case_id)
            if sep.decided_at is not None:
                raise ProcessError("Quyết định cách ly đã được ký; không sửa được. Ghi gia hạn hoặc kết thúc cách ly.")
            changes = apply_values(sep, values, loaded_version=raw.get("row_version"),
                                   conflict=(session, "mau07", case.code, "Dự thảo Mẫu số 07"))
            audit.record(session, actor, "update", "mau07", case.code, detail=f"Dự thảo Mẫu 07 #{sep.id}",
                         changes=changes)
        return sep.id


def _get(session, separation_id: int, case_id: int | None = None) -> Separation:
    sep = session.get(Separation, separation_id)
    if sep is None or (case_id is not None and sep.case_id != case_id):
        raise ProcessError("Không tìm thấy quyết định tạm thời cách ly.")
    return sep


def decide_separation(db: Database, actor: Actor, separation_id: int, *, decided_by: str,
                      signing_capacity: str = "chu_tich", decided_at: datetime | str | None = None,
                      at: datetime | None = None) -> str:
    """The chairman (or a vice-chairman signing "KT. CHỦ TỊCH") decides the separation: the decision gets
    its number "…/QĐ-UBND". Leader only. Returns the number as printed ("05/QĐ-UBND")."""
    actor.require("approve")
    with db.transaction() as session:
        sep = _get(session, separation_id)
        case = get_case(session, sep.case_id)
        if sep.decided_at is not None:
            raise ProcessError("Quyết định cách ly này đã được ký.")
        check = Checker()
        name = check("decided_by", v.person_name, decided_by, required=True, what="Người ký quyết định")
        moment = check("decided_at", v.parse_datetime, decided_at or (at or now()), required=True, what="Thời điểm ký")
        check_moment(check, "decided_at", moment, case, "Thời điểm ký quyết định", at)
        if signing_capacity not in rules.SIGNING_CAPACITIES:
            check.fail("signing_capacity", "Chọn thẩm quyền ký: Chủ tịch hoặc KT. Chủ tịch / Phó Chủ tịch.")
        check.raise_if_any()
        sep.doc_year = moment.year
        sep.doc_number = next_number(session, "QĐ", moment.year)
        sep.decided_by, sep.signing_capacity, sep.decided_at = name, signing_capacity, moment
        sep.decided_by_user = actor.username
        audit.record(session, actor, "approve", "mau07", case.code,
                     detail=f"Quyết định tạm thời cách ly số {sep.doc_number:02d}/QĐ ({sep.duration_days} ngày)")
        # The number as the paper prints it, with the office's own abbreviation (printouts.form07).
        return numbering.document_number(sep.doc_number, "QĐ", session.scalar(select(Office).limit(1)))


def extend_separation(db: Database, actor: Actor, separation_id: int, raw: Mapping[str, Any]) -> None:
    """Record a competent authority's order allowing a longer separation: duration_days, order_number,
    order_date, order_body (all required)."""
    actor.require("case.edit")
    with db.transaction() as session:
        sep = _get(session, separation_id)
        case = get_case(session, sep.case_id)
        if sep.decided_at is None or sep.outcome:
            raise ProcessError("Chỉ gia hạn được quyết định cách ly đã ký và đang thực hiện.")
        check = Checker()
        g = raw.get
        days = check("duration_days", v.small_int, g("duration_days"), lo=1, hi=365, what="Thời hạn cách ly (ngày)")
        number = check("order_number", v.text, g("order_number"), required=True, max_len=60, what="Số văn bản") or ""
        day = check("order_date", v.parse_date, g("order_date"), required=True, what="Ngày văn bản")
        body = check("order_body", v.text, g("order_body"), required=True, max_len=200, what="Cơ quan ban hành") or ""
        if days is not None and days <= sep.duration_days:
            check.fail("duration_days", f"Thời hạn mới phải dài hơn thời hạn hiện tại ({sep.duration_days} ngày).")
        _check_duration(check, days, number, day, body)
        check.raise_if_any()
        changes = [("duration_days", sep.duration_days, days), ("order_number", sep.order_number, number),
                   ("order_date", sep.order_date, day), ("order_body", sep.order_body, body)]
        if sep.original_duration_days is None:  # the decision as signed stays on record (and on paper)
            sep.original_duration_days = sep.duration_days
            sep.original_order_number, sep.original_order_date = sep.order_number, sep.order_date
            sep.original_order_body = sep.order_body
        sep.duration_days, sep.order_number, sep.order_date, sep.order_body = days, number, day, body
        audit.record(session, actor, "update", "mau07", case.code, detail=f"Gia hạn cách ly #{sep.id}", changes=changes)


def end_separation(db: Database, actor: Actor, separation_id: int, *, outcome: str, at: datetime | str,
                   note: str = "") -> None:
    """How the separation ended: "huy_bo" (decision cancelled, the child returns home) or
    "de_nghi_toa_an" (the commune asked the court to continue it), and when."""
    actor.require("case.edit")
    with db.transaction() as session:
        sep = _get(session, separation_id)
        case = get_case(session, sep.case_id)
        if sep.decided_at is None:
            raise ProcessError("Quyết định cách ly chưa được ký; xoá dự thảo nếu không cần nữa.")
        if sep.outcome:
            raise ProcessError("Việc cách ly này đã kết thúc.")
        check = Checker()
        if outcome not in rules.SEPARATION_OUTCOMES:
            check.fail("outcome", "Chọn: hủy bỏ quyết định (trẻ em về gia đình) hoặc đề nghị Tòa án.")
        moment = check("outcome_at", v.parse_datetime, at, required=True, what="Thời điểm")
        if moment is not None and moment < sep.decided_at:
            check.fail("outcome_at", f"Thời điểm kết thúc không thể trước khi quyết định cách ly được ký "
                                     f"({fmt_datetime(sep.decided_at)}).")
        text = check("outcome_note", v.text, note, what="Ghi chú") or ""
        check.raise_if_any()
        sep.outcome, sep.outcome_at, sep.outcome_note = outcome, moment, text
        audit.record(session, actor, "update", "mau07", case.code,
                     detail=f"Kết thúc cách ly #{sep.id}: {rules.process_form('07')['outcomes'][outcome]}")


def delete_separation_draft(db: Database, actor: Actor, separation_id: int) -> None:
    """Delete an undecided draft; a signed decision is never deleted."""
    actor.require("case.edit")
    with db.transaction() as session:
        sep = _get(session, separation_id)
        case = get_case(session, sep.case_id)
        if sep.decided_at is not None:
            raise ProcessError("Quyết định cách ly đã ký không xoá được; ghi kết thúc cách ly thay vào đó.")
        session.delete(sep)
        audit.record(session, actor, "delete", "mau07", case.code, detail=f"Dự thảo Mẫu 07 #{separation_id}")
