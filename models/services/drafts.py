"""Wizard drafts: saved every few seconds and on close, offered again after a crash or power cut."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..clock import now
from ..db import Database
from ..entities import Draft


@dataclass
class DraftInfo:
    id: int
    form: str
    updated_at: datetime
    payload: dict[str, Any]


def save_draft(db: Database, form: str, payload: dict[str, Any], draft_id: int | None = None, *, user: str = "") -> int:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    with db.transaction() as session:
        draft = session.get(Draft, draft_id) if draft_id is not None else None
        if draft is None:
            draft = Draft(form=form, payload=body, created_by=user)
            session.add(draft)
        elif draft.payload == body:
            return draft.id  # nothing typed since the last save: no write, no fsync
        draft.payload = body
        draft.updated_at = now()
        session.flush()
        return draft.id


def list_drafts(db: Database, form: str | None = None, *, user: str | None = None) -> list[DraftInfo]:
    with db.session() as session:
        query = select(Draft).order_by(Draft.updated_at.desc())
        if form is not None:
            query = query.where(Draft.form == form)
        if user is not None:
            query = query.where(Draft.created_by == user)
        return [DraftInfo(d.id, d.form, d.updated_at, json.loads(d.payload)) for d in session.scalars(query)]


def delete_draft(db: Database, draft_id: int) -> None:
    with db.transaction() as session:
        draft = session.get(Draft, draft_id)
        if draft is not None:
            session.delete(draft)
