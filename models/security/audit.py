"""The audit trail: who viewed, created, changed, printed, exported, approved or deleted what, and when.

Entries are chained: each stores the hash of the previous entry, so that changing, inserting or deleting an
entry breaks the chain from there on; `verify_chain` finds where.

Since version SIGNED_SINCE each entry is also signed (Ed25519) with the private key of the account that wrote
it — a key only that account's password unwraps (see `vault.py`). The chain hash covers the signature, and
each signature covers the previous hash: an account can re-sign its own entries, but not anyone else's, so a
worker who removes or edits an entry followed by another account's entry is found out. The signing keys are
registered in the trail itself ("key" entries, signed by the administrator who made or reset the account, or
by the account itself the first time it signs in after the upgrade); and the chain head (last id and hash)
is copied outside the database — into every backup's manifest and every exported report — where
`verify_anchor` checks that a past head is still part of today's chain.
What this does and does not detect is written in the README ("Nhật ký truy cập").
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..clock import now
from ..entities import Account, AuditEvent, AuditHead
from .roles import Actor
from .vault import SigningKey, key_id_of, parse_public_key

GENESIS = "0" * 64
SIGNED_SINCE = "0.2.0"  # the first version of BVTE that signs its audit entries
KEY_ACTION, KEY_FIELD = "key", "sign_key"
_SIG_PREFIX = b"BVTE audit entry v2\n"


def _digest(prev_hash: str, event: AuditEvent) -> str:
    """The hash of an unsigned entry (as the first release wrote them)."""
    body = json.dumps(
        [prev_hash, event.at.astimezone(timezone.utc).isoformat(), event.username, event.action, event.entity,
         event.entity_id, event.field, event.old_value, event.new_value, event.detail],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _content(prev_hash: str, event: AuditEvent) -> bytes:
    """What a signature covers: the previous hash, the whole entry, who signs and with which key."""
    body = json.dumps(
        ["v2", prev_hash, event.at.astimezone(timezone.utc).isoformat(), event.username, event.action, event.entity,
         event.entity_id, event.field, event.old_value, event.new_value, event.detail, event.signer, event.key_id],
        ensure_ascii=False, separators=(",", ":"),
    )
    return _SIG_PREFIX + hashlib.sha256(body.encode("utf-8")).digest()


def _signed_hash(content: bytes, signature: str) -> str:
    return hashlib.sha256(content + b"|" + signature.encode("ascii")).hexdigest()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _head(session: Session) -> AuditHead:
    # Taking the write lock first (UPDATE) makes reading the last hash safe against another program.
    # On the server (PostgreSQL) the UPDATE's row lock queues the workstations: one chain, entries one after another.
    bumped = session.execute(update(AuditHead).where(AuditHead.id == 1).values(count=AuditHead.count))
    if bumped.rowcount == 0 and session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(AuditHead).values(id=1, count=0, last_hash=GENESIS, signed_from=1)
                        .on_conflict_do_nothing(index_elements=["id"]))
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(count=AuditHead.count))
    elif bumped.rowcount == 0:
        session.add(AuditHead(id=1, count=0, last_hash=GENESIS, signed_from=1))
        session.flush()
    return session.get(AuditHead, 1, populate_existing=True)


def record(session: Session, actor: Actor, action: str, entity: str = "", entity_id="", *, detail: str = "",
           changes: list[tuple[str, object, object]] | None = None, signed_by: Actor | None = None) -> None:
    """Append entries in the caller's transaction: one per changed field, or one without a field.

    Each is signed with the key of `signed_by` (default: the actor; for the program's own entries, the
    account signed in at the time)."""
    signing: SigningKey | None = getattr(signed_by or actor, "signing", None)
    head = _head(session)
    rows = [(f, _text(o), _text(n)) for f, o, n in (changes or [])] or [("", "", "")]
    at = now()
    for fld, old, new in rows:
        event = AuditEvent(at=at, username=actor.username, action=action, entity=entity, entity_id=_text(entity_id),
                           field=fld, old_value=old, new_value=new, detail=detail, prev_hash=head.last_hash)
        _seal(event, head.last_hash, signing)
        session.add(event)
        head.last_hash = event.hash
        head.count += 1
    session.flush()


def _seal(event: AuditEvent, prev_hash: str, signing: SigningKey | None) -> None:
    if signing is None:
        event.signer = event.key_id = event.signature = None
        event.hash = _digest(prev_hash, event)
        return
    event.signer, event.key_id = signing.username, signing.key_id
    content = _content(prev_hash, event)
    event.signature = base64.b64encode(signing.sign(content)).decode("ascii")
    event.hash = _signed_hash(content, event.signature)


def registered_key_id(session: Session, username: str) -> str | None:
    """The signing key the trail last registered for this account (None: none yet)."""
    value = session.scalar(
        select(AuditEvent.new_value).where(AuditEvent.action == KEY_ACTION, AuditEvent.field == KEY_FIELD,
                                           AuditEvent.entity_id == username).order_by(AuditEvent.id.desc()).limit(1))
    key = parse_public_key(value) if value else None
    return key_id_of(key.public_bytes_raw()) if key is not None else None


def register_key(session: Session, owner: SigningKey, by: Actor | None, detail: str) -> None:
    """Write an account's signing public key into the trail: signed by `by` (an administrator who made or
    reset the account), or by the new key itself when `by` is None (first key of an existing account)."""
    who = by or Actor(owner.username, "", frozenset(), signing=owner)
    record(session, who, KEY_ACTION, "account", owner.username, detail=detail,
           changes=[(KEY_FIELD, "", owner.public_text)])


# -- checking ------------------------------------------------------------------------------------------
@dataclass
class ChainReport:
    ok: bool
    count: int
    message: str
    first_bad_id: int | None = None
    unsigned: int = 0  # entries written before signing existed (not a fault)
    last_id: int | None = None
    last_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)


def _bad(count: int, message: str, event_id: int | None, unsigned: int) -> ChainReport:
    return ChainReport(False, count, message, event_id, unsigned)


def verify_chain(session: Session, *, public_keys: dict[str, str] | None = None) -> ChainReport:
    """Walk the whole trail; the first entry whose link, content, signature or key does not match is reported.

    `public_keys` (username → key, from the key file) are compared with the keys the trail registered."""
    head = session.get(AuditHead, 1)
    signed_from = head.signed_from if head is not None and head.signed_from is not None else 1
    admins = {u for u, roles in session.execute(select(Account.username, Account.roles)) if "admin" in roles.split(",")}
    keys: dict[str, tuple[str, object]] = {}  # key id → (owner, public key)
    latest: dict[str, str] = {}  # owner → key id last registered
    prev, count, unsigned, last_id = GENESIS, 0, 0, None
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(2000):
        n = event.id
        if event.prev_hash != prev:
            return _bad(count, f"Nhật ký bị xoá hoặc chèn trước mục số {n}.", n, unsigned)
        if not event.signature:
            if n >= signed_from:
                return _bad(count, f"Mục nhật ký số {n} không có chữ ký (bị sửa hoặc ghi ngoài chương trình).", n, unsigned)
            if event.signer or event.key_id or _digest(prev, event) != event.hash:
                return _bad(count, f"Nội dung mục nhật ký số {n} đã bị sửa.", n, unsigned)
            unsigned += 1
        else:
            content = _content(prev, event)
            if _signed_hash(content, event.signature) != event.hash:
                return _bad(count, f"Nội dung mục nhật ký số {n} đã bị sửa.", n, unsigned)
            registering = event.action == KEY_ACTION and event.field == KEY_FIELD
            new_key = parse_public_key(event.new_value) if registering else None
            if registering and new_key is None:
                return _bad(count, f"Mục nhật ký số {n} đăng ký một khoá ký không đọc được.", n, unsigned)
            new_id = key_id_of(new_key.public_bytes_raw()) if new_key is not None else None
            if new_id is not None and event.key_id == new_id:
                # A key that signs its own registration: only the first key of an account, by that account.
                if event.signer != event.entity_id or event.entity_id in latest:
                    return _bad(count, f"Mục nhật ký số {n}: khoá ký của {event.entity_id} bị thay bằng một khoá "
                                "tự đăng ký (không do quản trị viên cấp).", n, unsigned)
                key = new_key
            else:
                owner_key = keys.get(event.key_id or "")
                if owner_key is None or owner_key[0] != event.signer:
                    return _bad(count, f"Mục nhật ký số {n} được ký bằng một khoá không có trong nhật ký "
                                "(bị sửa hoặc giả mạo).", n, unsigned)
                if latest.get(event.signer) != event.key_id:
                    return _bad(count, f"Mục nhật ký số {n} được ký bằng khoá cũ của {event.signer}, đã bị thay khi "
                                "đặt lại mật khẩu (ai đó dùng khoá cũ).", n, unsigned)
                key = owner_key[1]
                if registering and event.signer not in admins and event.signer != event.entity_id:
                    return _bad(count, f"Mục nhật ký số {n}: {event.signer} đăng ký khoá ký cho {event.entity_id} "
                                "mà không phải quản trị viên.", n, unsigned)
            try:
                key.verify(base64.b64decode(event.signature), content)
            except (InvalidSignature, ValueError):
                return _bad(count, f"Chữ ký của mục nhật ký số {n} không đúng: mục này đã bị sửa hoặc giả mạo.", n, unsigned)
            if new_id is not None:
                keys[new_id] = (event.entity_id, new_key)
                latest[event.entity_id] = new_id
        prev = event.hash
        count += 1
        last_id = n
    if head is not None and (head.count != count or head.last_hash != prev):
        return ChainReport(False, count, "Các mục cuối của nhật ký đã bị xoá (số mục không khớp với đầu chuỗi).",
                           None, unsigned)
    problems = []
    for username, text in sorted((public_keys or {}).items()):
        key = parse_public_key(text)
        if key is not None and username in latest and latest[username] != key_id_of(key.public_bytes_raw()):
            problems.append(f"khoá ký của {username} trong tệp khoá không khớp khoá đăng ký trong nhật ký")
    if problems:
        return ChainReport(False, count, "Nhật ký và tệp khoá không khớp: " + "; ".join(problems) + ".", None,
                           unsigned, last_id, prev, problems)
    words = f"Nhật ký nguyên vẹn: {count} mục"
    if unsigned:
        words += f", trong đó {unsigned} mục đầu chưa ký (trước phiên bản {SIGNED_SINCE})"
        words += ", các mục sau đều có chữ ký đúng." if count > unsigned else "."
    elif count:
        words += ", mọi mục đều có chữ ký đúng."
    else:
        words += "."
    return ChainReport(True, count, words, None, unsigned, last_id, prev)


# -- anchors: the chain head, copied where the data goes ---------------------------------------------------
ANCHOR_KIND = "bvte-audit-anchor"


def anchor(session: Session, office_id: str = "") -> dict:
    """The chain head as it is now: the last entry's id and hash, and how many entries there are."""
    last = session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    head = session.get(AuditHead, 1)
    return {
        "kind": ANCHOR_KIND, "office_id": office_id, "at": now().isoformat(),
        "audit_id": last[0] if last else 0, "audit_hash": last[1] if last else GENESIS,
        "audit_count": head.count if head is not None else 0,
    }


@dataclass
class AnchorReport:
    ok: bool
    message: str


def verify_anchor(session: Session, past: dict, chain: ChainReport) -> AnchorReport:
    """Is the chain head recorded in `past` still an entry of today's (intact) chain, with the same hash?"""
    try:
        audit_id, audit_hash = int(past["audit_id"]), str(past["audit_hash"])
        count = int(past.get("audit_count", 0))
    except (KeyError, TypeError, ValueError):
        return AnchorReport(False, "Điểm neo không đúng định dạng.")
    when = past.get("at") or "?"
    if audit_id == 0:
        return AnchorReport(True, "Điểm neo được lấy khi nhật ký còn trống: không có gì để so.")
    event = session.get(AuditEvent, audit_id)
    if event is None:
        return AnchorReport(False, f"Mục nhật ký số {audit_id} (đầu chuỗi lúc {when}) không còn trong nhật ký: "
                                   "các mục cuối đã bị xoá sau thời điểm đó.")
    if event.hash != audit_hash:
        return AnchorReport(False, f"Mục nhật ký số {audit_id} không còn giống lúc {when}: nhật ký đến mục này "
                                   "đã bị viết lại.")
    if not chain.ok and (chain.first_bad_id is None or chain.first_bad_id <= audit_id):
        return AnchorReport(False, f"Điểm neo khớp mục số {audit_id}, nhưng chuỗi trước mục đó bị hỏng: {chain.message}")
    n_before = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.id <= audit_id))
    if count and n_before != count:
        return AnchorReport(False, f"Số mục nhật ký đến mục số {audit_id} là {n_before}, lúc {when} là {count}: "
                                   "đã có mục bị xoá hoặc chèn.")
    return AnchorReport(True, f"Nhật ký lúc {when} (đến mục số {audit_id}) vẫn nguyên vẹn trong nhật ký hôm nay.")
