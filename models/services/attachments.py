"""Attached documents: add, list, view, save a copy out, remove — each checked, encrypted and audited.

Owners are generic (`OWNER_KINDS`, resources/attachments.json): a child, a case, a form of a case (its code and
its record's id; the owner id is the case's), a carer, a placement. An owner of a kind whose table exists is
checked to exist; no foreign key ties this table to another one, so a screen of any area can use the panel
with its own owner kind.

Removing asks a reason and keeps the row — who attached what, when, who removed it and why — but erases the
content, the thumbnail and the row's content key at once: a document attached by mistake (another child's birth certificate) must
really leave the live data, while the trail says it was there. (Older backups still hold it until they rotate
away; restoring one brings it back, with its row, as it was on that day.)
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session, undefer

from .. import attachment_crypto as crypto
from .. import validation as v
from ..attachment_entities import Attachment
from ..attachment_files import BadAttachment, Incoming, check_file, check_thumbnail, size_text
from ..base import Base
from ..clock import fmt_date, fmt_datetime, now
from ..entities import Case
from ..errors import UserError
from ..safe_files import release_after_audit
from ..security import audit
from .accounts import Workspace

AUDIT_ENTITY = "tep_dinh_kem"
# The table each owner kind points at (checked to exist when that table does); a form's owner is its case.
OWNER_TABLES = {"child": "child", "case": "case_file", "form": "case_file", "carer": "carer", "placement": "placement"}
MIN_REASON = 5


class AttachmentError(UserError):
    """A refused action on an attachment (Vietnamese message)."""


@lru_cache(maxsize=1)
def _words() -> dict:
    return json.loads(resources.files("resources").joinpath("attachments.json").read_text(encoding="utf-8"))


def kinds() -> dict[str, str]:
    """code → label of the kinds of document (resources/attachments.json)."""
    return dict(_words()["kinds"])


def owner_kinds() -> dict[str, str]:
    return dict(_words()["owner_kinds"])


def type_label(file_type: str) -> str:
    return _words()["types"].get(file_type, file_type)


@dataclass(frozen=True)
class AttachmentInfo:
    """One attachment as lists show it (no content, no ORM object)."""

    id: int
    owner_kind: str
    owner_id: int
    form_code: str
    form_record_id: int | None
    kind: str
    note: str
    file_name: str
    file_type: str
    size: int
    sha256: str
    pages: int | None
    width: int | None
    height: int | None
    created_at: datetime
    created_by: str
    removed_at: datetime | None
    removed_by: str
    removed_reason: str

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    @property
    def kind_label(self) -> str:
        return kinds().get(self.kind, self.kind)

    @property
    def type_label(self) -> str:
        return type_label(self.file_type)

    @property
    def size_text(self) -> str:
        return size_text(self.size)

    @property
    def summary(self) -> str:
        """"Ảnh JPEG, 1,2 MB" / "Tệp PDF, 3 trang, 240 KB"."""
        pages = f", {self.pages} trang" if self.pages else ""
        return f"{self.type_label}{pages}, {self.size_text}"

    @property
    def title(self) -> str:
        return f"{self.kind_label}: {self.note}" if self.note else self.kind_label


def _info(a: Attachment) -> AttachmentInfo:
    return AttachmentInfo(a.id, a.owner_kind, a.owner_id, a.form_code, a.form_record_id, a.kind, a.note, a.file_name,
                          a.file_type, a.size, a.sha256, a.pages, a.width, a.height, a.created_at, a.created_by,
                          a.removed_at, a.removed_by, a.removed_reason)


def _owner_tuple(a: Attachment) -> tuple:
    return (a.id, a.owner_kind, a.owner_id, a.form_code, a.form_record_id)


# -- owners --------------------------------------------------------------------------------------------------
def _check_owner(session: Session, owner_kind: str, owner_id: int, form_code: str) -> None:
    if owner_kind not in owner_kinds():
        raise AttachmentError(f"Không đính kèm được: loại chủ sở hữu «{owner_kind}» không có trong chương trình.")
    if owner_kind == "form" and not form_code:
        raise AttachmentError("Bản đã ký của một mẫu phải cho biết đó là mẫu nào.")
    table = Base.metadata.tables.get(OWNER_TABLES[owner_kind])
    if table is None:  # an area whose tables are not in this version: nothing to check against
        return
    if session.execute(select(table.c.id).where(table.c.id == owner_id)).first() is None:
        raise AttachmentError(f"Không tìm thấy {owner_kinds()[owner_kind]} số {owner_id} để đính kèm.")


def _audit_id(session: Session, owner_kind: str, owner_id: int) -> str:
    """What the audit entry is recorded under: a case's code (so that the case's history shows it), else the id."""
    if owner_kind in ("case", "form"):
        code = session.scalar(select(Case.code).where(Case.id == owner_id))
        if code:
            return code
    return f"{owner_kind}:{owner_id}" if owner_kind != "child" else str(owner_id)


def _owner_words(a: Attachment | AttachmentInfo) -> str:
    words = owner_kinds().get(a.owner_kind, a.owner_kind)
    if a.owner_kind == "form":
        from .. import forms

        try:
            short = forms.get(a.form_code).short
        except UserError:
            short = a.form_code
        return f"bản đã ký {short}"
    return f"{words} #{a.owner_id}"


# -- adding --------------------------------------------------------------------------------------------------
def check(path: Path | str) -> Incoming:
    """Read and check a file chosen to attach (see models/attachment_files.py); raises BadAttachment."""
    return check_file(path)


def add(ws: Workspace, owner_kind: str, owner_id: int, incoming: Incoming, *, kind: str, note: str = "",
        form_code: str = "", form_record_id: int | None = None, thumbnail: bytes | None = None) -> int:
    """Store a checked file for its owner, encrypted; returns the attachment's id. `thumbnail`: a PDF's first
    page as a small PNG made by the window (checked again here), ignored for images (they make their own)."""
    ws.actor.require("case.edit")
    if kind not in kinds():
        raise AttachmentError("Chọn loại giấy tờ.", field="kind")
    note = " ".join((note or "").split())
    if len(note) > 200:
        raise AttachmentError("Ghi chú dài quá 200 ký tự.", field="note")
    if not isinstance(incoming, Incoming):
        raise BadAttachment("Tệp chưa được kiểm tra.")
    thumb = incoming.thumbnail if incoming.file_type != "pdf" else check_thumbnail(thumbnail)
    data_key = ws.db.key
    content_key = crypto.new_content_key()
    with ws.db.transaction() as session:
        _check_owner(session, owner_kind, int(owner_id), form_code)
        row = Attachment(owner_kind=owner_kind, owner_id=int(owner_id), form_code=form_code or "",
                         form_record_id=form_record_id, kind=kind, note=note, file_name=incoming.file_name,
                         file_type=incoming.file_type, size=len(incoming.content), source_size=incoming.source_size,
                         sha256=incoming.sha256, source_sha256=incoming.source_sha256, pages=incoming.pages,
                         width=incoming.width, height=incoming.height, key_id=crypto.key_id(data_key),
                         wrapped_key=b"", content=None, thumbnail=None, created_at=now(),
                         created_by=ws.actor.username, removed_by="", removed_reason="")
        session.add(row)
        session.flush()  # the id, bound into the encryption
        row.wrapped_key = crypto.wrap(data_key, content_key, _owner_tuple(row))
        row.content = crypto.seal(content_key, row.id, "content", incoming.content)
        row.thumbnail = crypto.seal(content_key, row.id, "thumbnail", thumb) if thumb else None
        audit.record(session, ws.actor, "create", AUDIT_ENTITY, _audit_id(session, owner_kind, int(owner_id)),
                     detail=f"Đính kèm {kinds()[kind].lower()} «{incoming.file_name}» ({type_label(incoming.file_type)}, "
                            f"{size_text(len(incoming.content))}, sha256 {incoming.sha256[:16]}…) vào "
                            f"{_owner_words(row)}")
        return row.id


# -- listing -------------------------------------------------------------------------------------------------
def list_for(ws: Workspace, owner_kind: str, owner_id: int, *, form_code: str | None = None,
             form_record_id: int | None = None, include_removed: bool = False) -> list[AttachmentInfo]:
    """The attachments of one owner, oldest first (a form's: only that form's, and that record's if given)."""
    ws.actor.require("case.view")
    with ws.db.session() as session:
        return owner_list(session, owner_kind, owner_id, form_code=form_code, form_record_id=form_record_id,
                          include_removed=include_removed)


def owner_list(session: Session, owner_kind: str, owner_id: int, *, form_code: str | None = None,
               form_record_id: int | None = None, include_removed: bool = False) -> list[AttachmentInfo]:
    query = select(Attachment).where(Attachment.owner_kind == owner_kind, Attachment.owner_id == int(owner_id))
    if form_code is not None:
        query = query.where(Attachment.form_code == form_code)
    if form_record_id is not None:
        query = query.where(Attachment.form_record_id == form_record_id)
    if not include_removed:
        query = query.where(Attachment.removed_at.is_(None))
    return [_info(a) for a in session.scalars(query.order_by(Attachment.created_at, Attachment.id))]


def signed_copies(ws: Workspace, case_id: int) -> dict[tuple[str, int | None], list[AttachmentInfo]]:
    """The signed copies of a case's forms, by (form code, record id): for the case view's list of papers."""
    ws.actor.require("case.view")
    out: dict[tuple[str, int | None], list[AttachmentInfo]] = {}
    with ws.db.session() as session:
        for info in owner_list(session, "form", case_id):
            out.setdefault((info.form_code, info.form_record_id), []).append(info)
    return out


@dataclass(frozen=True)
class ListedAttachment:
    """A line of an export's list of attachments: what and whose, never the content."""

    whose: str  # "Trẻ em" / "Hồ sơ" / "Bản đã ký Mẫu số 05"
    kind: str
    note: str
    file_name: str
    summary: str
    created: str


def listing_for_case(session: Session, case: Case) -> list[ListedAttachment]:
    """The attachments of a case (its own, its forms' signed copies) and of its child, for the dossier."""
    out: list[ListedAttachment] = []
    for owner_kind, owner_id, whose in (("child", case.child_id, "Trẻ em"), ("case", case.id, "Hồ sơ"),
                                        ("form", case.id, "")):
        for a in owner_list(session, owner_kind, owner_id):
            words = _owner_words(a)
            out.append(ListedAttachment(whose or words[:1].upper() + words[1:], a.kind_label, a.note, a.file_name,
                                        a.summary, fmt_date(a.created_at)))
    return out


def listing_for_children(session: Session, child_ids: set[int] | None = None) -> dict[int, list[AttachmentInfo]]:
    """Each child's attachments (not removed), for the register's export; None: every child."""
    query = select(Attachment).where(Attachment.owner_kind == "child", Attachment.removed_at.is_(None))
    out: dict[int, list[AttachmentInfo]] = {}
    for a in session.scalars(query.order_by(Attachment.owner_id, Attachment.created_at, Attachment.id)):
        if child_ids is None or a.owner_id in child_ids:
            out.setdefault(a.owner_id, []).append(_info(a))
    return out


# -- reading -------------------------------------------------------------------------------------------------
def _load(session: Session, attachment_id: int) -> Attachment:
    row = session.scalar(select(Attachment).where(Attachment.id == int(attachment_id))
                         .options(undefer(Attachment.content), undefer(Attachment.thumbnail)))
    if row is None:
        raise AttachmentError(f"Không tìm thấy tệp đính kèm số {attachment_id}.")
    return row


def _decrypt(db, row: Attachment, part: str) -> bytes | None:
    blob = row.content if part == "content" else row.thumbnail
    if blob is None:
        return None
    content_key = crypto.unwrap(crypto.key_for(db, row.key_id), bytes(row.wrapped_key), _owner_tuple(row))
    return crypto.open_sealed(content_key, row.id, part, bytes(blob))


def thumbnail(ws: Workspace, attachment_id: int) -> bytes | None:
    """The small PNG shown in lists (None: none stored; the list shows an icon). Not recorded: the list belongs
    to a file whose opening is recorded."""
    ws.actor.require("case.view")
    with ws.db.session() as session:
        row = session.scalar(select(Attachment).where(Attachment.id == int(attachment_id))
                             .options(undefer(Attachment.thumbnail)))
        if row is None or row.removed_at is not None:
            return None
        return _decrypt(ws.db, row, "thumbnail")


def open_content(ws: Workspace, attachment_id: int) -> tuple[AttachmentInfo, bytes]:
    """The document's bytes, in memory, for the viewer; the viewing is recorded in the audit trail."""
    ws.actor.require("case.view")
    with ws.db.transaction() as session:
        row = _load(session, attachment_id)
        if row.removed_at is not None:
            raise AttachmentError(f"Tệp «{row.file_name}» đã được gỡ bỏ lúc {fmt_datetime(row.removed_at)} "
                                  f"({row.removed_reason}); nội dung không còn.")
        data = _decrypt(ws.db, row, "content")
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise crypto.AttachmentKeyError(f"Tệp «{row.file_name}» không còn nguyên vẹn (mã kiểm tra không khớp).")
        audit.record(session, ws.actor, "view", AUDIT_ENTITY, _audit_id(session, row.owner_kind, row.owner_id),
                     detail=f"Xem tệp đính kèm «{row.file_name}» ({row.kind and kinds().get(row.kind, row.kind)})")
        return _info(row), data


def save_copy(ws: Workspace, attachment_id: int, out: Path | str) -> Path:
    """Write a copy of the document out of the program (a release of personal data): under a temporary name,
    the audit entry recorded, then its final name (models.safe_files.release_after_audit)."""
    ws.actor.require("print")
    out = Path(out)
    with ws.db.session() as session:
        row = _load(session, attachment_id)
        if row.removed_at is not None:
            raise AttachmentError(f"Tệp «{row.file_name}» đã được gỡ bỏ; không còn nội dung để lưu.")
        data = _decrypt(ws.db, row, "content")
        audit_id, name, kind_word = _audit_id(session, row.owner_kind, row.owner_id), row.file_name, row.kind

    def entry(session) -> None:
        audit.record(session, ws.actor, "export", AUDIT_ENTITY, audit_id,
                     detail=f"Lưu bản sao tệp đính kèm «{name}» ({kinds().get(kind_word, kind_word)}) ra {out.name}")

    return release_after_audit(ws.db, out, data, entry)


# -- removing ------------------------------------------------------------------------------------------------
def remove(ws: Workspace, attachment_id: int, reason: str) -> None:
    """Remove an attachment: its content and thumbnail are erased, the row stays with who, when and why."""
    ws.actor.require("case.edit")
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise v.Invalid("Ghi lý do gỡ bỏ tệp (ít nhất vài chữ, ví dụ «đính kèm nhầm trẻ khác»).", field="reason")
    with ws.db.transaction() as session:
        row = _load(session, attachment_id)
        if row.removed_at is not None:
            raise AttachmentError(f"Tệp «{row.file_name}» đã được gỡ bỏ trước đó.")
        row.content = None
        row.thumbnail = None
        # The content key goes too: any copy of the ciphertext left behind (a free page of the file, the journal,
        # a dead row version on the server) can no longer be opened by anyone.
        row.wrapped_key, row.key_id = b"", ""
        row.removed_at, row.removed_by, row.removed_reason = now(), ws.actor.username, reason[:500]
        audit.record(session, ws.actor, "delete", AUDIT_ENTITY, _audit_id(session, row.owner_kind, row.owner_id),
                     detail=f"Gỡ bỏ tệp đính kèm «{row.file_name}» của {_owner_words(row)}. Lý do: {reason[:300]}")


def move_owner(session: Session, db, owner_kind: str, from_id: int, to_id: int) -> int:
    """Give one owner's attachments to another (two records of one child merged): each row's content key is
    re-wrapped for its new owner (the owner is bound into the encryption). Returns how many moved."""
    rows = list(session.scalars(select(Attachment).where(Attachment.owner_kind == owner_kind,
                                                         Attachment.owner_id == int(from_id))))
    for row in rows:
        if not row.wrapped_key:  # a removed document: no key left to re-wrap
            row.owner_id = int(to_id)
            continue
        content_key = crypto.unwrap(crypto.key_for(db, row.key_id), bytes(row.wrapped_key), _owner_tuple(row))
        row.owner_id = int(to_id)
        row.wrapped_key = crypto.wrap(db.key, content_key, _owner_tuple(row))
        row.key_id = crypto.key_id(db.key)
    session.flush()
    return len(rows)


def count_stored(session: Session) -> int:
    """How many attachments hold content (for the backup's check and the overview)."""
    return int(session.execute(text("SELECT count(*) FROM attachment WHERE content IS NOT NULL")).scalar() or 0)
