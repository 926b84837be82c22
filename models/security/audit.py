"""The audit trail: who viewed, created, changed, printed, exported, approved or deleted what, and when.

Entries are chained: each stores the SHA-256 of the previous entry's hash and its own content, so that
changing, inserting or deleting an entry breaks the chain from there on; `verify_chain` finds where.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..clock import now
from ..entities import AuditEvent, AuditHead
from .roles import Actor

GENESIS = "0" * 64


def _digest(prev_hash: str, event: AuditEvent) -> str:
    body = json.dumps(
        [prev_hash, event.at.astimezone(timezone.utc).isoformat(), event.username, event.action, event.entity,
         event.entity_id, event.field, event.old_value, event.new_value, event.detail],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def record(session: Session, actor: Actor, action: str, entity: str = "", entity_id="", *, detail: str = "",
           changes: list[tuple[str, object, object]] | None = None) -> None:
    """Append entries in the caller's transaction: one per changed field, or one without a field."""
    # Taking the write lock first (UPDATE) makes reading the last hash safe against another program.
    bumped = session.execute(update(AuditHead).where(AuditHead.id == 1).values(count=AuditHead.count))
    if bumped.rowcount == 0:
        session.add(AuditHead(id=1, count=0, last_hash=GENESIS))
        session.flush()
    head = session.get(AuditHead, 1, populate_existing=True)
    rows = [(f, _text(o), _text(n)) for f, o, n in (changes or [])] or [("", "", "")]
    at = now()
    for field, old, new in rows:
        event = AuditEvent(at=at, username=actor.username, action=action, entity=entity, entity_id=_text(entity_id),
                           field=field, old_value=old, new_value=new, detail=detail, prev_hash=head.last_hash)
        event.hash = _digest(head.last_hash, event)
        session.add(event)
        head.last_hash = event.hash
        head.count += 1
    session.flush()


@dataclass
class ChainReport:
    ok: bool
    count: int
    message: str
    first_bad_id: int | None = None


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole trail; the first entry whose link or content does not match is reported."""
    prev = GENESIS
    count = 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(2000):
        if event.prev_hash != prev:
            return ChainReport(False, count, f"Nhật ký bị xoá hoặc chèn trước mục số {event.id}.", event.id)
        if _digest(prev, event) != event.hash:
            return ChainReport(False, count, f"Nội dung mục nhật ký số {event.id} đã bị sửa.", event.id)
        prev = event.hash
        count += 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.count != count or head.last_hash != prev):
        return ChainReport(False, count, "Các mục cuối của nhật ký đã bị xoá (số mục không khớp với đầu chuỗi).")
    return ChainReport(True, count, f"Nhật ký nguyên vẹn: {count} mục.")
