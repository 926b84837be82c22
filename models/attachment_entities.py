"""Attached documents: scans and photos (PDF, JPEG, PNG) kept with a child, a case, a signed form, a carer or
a placement. See `models/services/attachments.py` for the rules and `models/attachment_crypto.py` for the
encryption.

The owner is generic — (`owner_kind`, `owner_id`), for a signed form also the form's code and its record's id —
so that any table (the alternative-care tables included) can have attachments without a foreign key to it.
The content and the thumbnail are stored in this table (so every backup carries them), each encrypted on the
client with its own random key (AES-256-GCM), itself wrapped under a key derived from the office data key:
the server of the server mode never sees a scan in clear.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from .field_crypto import Protected
from .base import AwareDateTime, Base
from .clock import now


class Attachment(Base):
    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(20))  # child / case / form / carer / placement
    owner_id: Mapped[int] = mapped_column(Integer)  # for a form: the case's id
    form_code: Mapped[str] = mapped_column(String(30), default="")  # a signed form: models.forms code
    form_record_id: Mapped[int | None] = mapped_column(Integer)  # a signed form: the form record's id
    kind: Mapped[str] = mapped_column(String(30))  # resources/attachments.json "kinds"
    note: Mapped[str] = mapped_column(Protected(200, "attachment.note"), default="")
    file_name: Mapped[str] = mapped_column(Protected(160, "attachment.file_name"))  # sanitised, with the extension of the detected type
    file_type: Mapped[str] = mapped_column(String(10))  # pdf / jpeg / png, detected from the content
    size: Mapped[int] = mapped_column(Integer)  # bytes stored (after an image's re-encoding)
    source_size: Mapped[int] = mapped_column(Integer)  # bytes of the file as it was chosen
    sha256: Mapped[str] = mapped_column(String(64))  # of the stored content (what "Xem" and "Lưu bản sao" give)
    source_sha256: Mapped[str] = mapped_column(String(64))  # of the file as it was chosen
    pages: Mapped[int | None] = mapped_column(Integer)  # a PDF's pages (None for an image)
    width: Mapped[int | None] = mapped_column(Integer)  # an image's pixels
    height: Mapped[int | None] = mapped_column(Integer)
    # The encryption (attachment_crypto): the row's content key wrapped under the office key of `key_id`.
    key_id: Mapped[str] = mapped_column(String(16))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # None once removed
    thumbnail: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # a small PNG; None: shown as an icon
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(40), default="")
    removed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    removed_by: Mapped[str] = mapped_column(String(40), default="")
    removed_reason: Mapped[str] = mapped_column(Protected(None, "attachment.removed_reason"), default="")
