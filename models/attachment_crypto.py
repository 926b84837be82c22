"""The encryption of attached documents, on the client, in both modes.

The single-PC file is SQLCipher already, but in the server mode PostgreSQL would hold a scan's bytes in clear.
So each attachment's content and thumbnail are encrypted here, before they reach any database:

  office data key K (held in memory while an account is signed in: `Database.key`, never written by this module)
    └─ HKDF-SHA256(K, "bvte-attachment-wrap-v1")  → the wrapping key W (and a short public name of K, `key_id`)
         └─ AES-256-GCM(W, row's random content key, AAD = "row id | owner kind | owner id | form | record")
              └─ AES-256-GCM(content key, content / thumbnail, AAD = "row id | content" / "row id | thumbnail")

Binding the wrapped key to the row and its owner means a key or a blob copied onto another row (or another
child) does not open. A new data key (revoking an account: `Database.rekey`) re-wraps every row's content key
in one transaction *before* the file gets the new key (`rewrap_all`): each row says under which key it is
wrapped (`key_id`), so an interrupted rekey, finished at the next sign-in, re-wraps only what is left and never
loses a document. The large blobs are never re-encrypted.
"""
from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import UserError

NONCE = 12
_WRAP_INFO = b"bvte-attachment-wrap-v1"
_ID_INFO = b"bvte-attachment-key-id-v1"


class AttachmentKeyError(UserError):
    """An attachment that does not open with the keys this program holds (a Vietnamese message)."""


def _derive(data_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(data_key)


def key_id(data_key: bytes) -> str:
    """A short public name of a data key (16 hex digits, derived separately: it tells nothing of the key)."""
    return _derive(data_key, _ID_INFO)[:8].hex()


def _wrap_aad(row_id: int, owner_kind: str, owner_id: int, form_code: str, form_record_id: int | None) -> bytes:
    return f"bvte-attachment-key|{row_id}|{owner_kind}|{owner_id}|{form_code}|{form_record_id or ''}".encode()


def _part_aad(row_id: int, part: str) -> bytes:
    return f"bvte-attachment|{row_id}|{part}".encode()


def new_content_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap(data_key: bytes, content_key: bytes, owner: tuple) -> bytes:
    """`owner` = (row id, owner kind, owner id, form code, form record id)."""
    nonce = secrets.token_bytes(NONCE)
    return nonce + AESGCM(_derive(data_key, _WRAP_INFO)).encrypt(nonce, content_key, _wrap_aad(*owner))


def unwrap(data_key: bytes, wrapped: bytes, owner: tuple) -> bytes:
    try:
        return AESGCM(_derive(data_key, _WRAP_INFO)).decrypt(wrapped[:NONCE], wrapped[NONCE:], _wrap_aad(*owner))
    except (InvalidTag, ValueError):
        raise AttachmentKeyError("Tệp đính kèm này không mở được: khoá của nó không khớp với hồ sơ (dữ liệu có thể "
                                 "đã bị sửa ngoài chương trình). Hãy báo cho quản trị viên.") from None


def seal(content_key: bytes, row_id: int, part: str, data: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE)
    return nonce + AESGCM(content_key).encrypt(nonce, data, _part_aad(row_id, part))


def open_sealed(content_key: bytes, row_id: int, part: str, blob: bytes) -> bytes:
    try:
        return AESGCM(content_key).decrypt(blob[:NONCE], blob[NONCE:], _part_aad(row_id, part))
    except (InvalidTag, ValueError):
        raise AttachmentKeyError("Nội dung tệp đính kèm này bị hỏng hoặc đã bị sửa ngoài chương trình: không mở "
                                 "được. Hãy báo cho quản trị viên (có thể khôi phục từ bản sao lưu).") from None


def known_keys(db) -> dict[str, bytes]:
    """The data keys this open database knows, by `key_id`: the current one, and during an unfinished rekey
    the other one (`Database.attachment_keys`, in memory only)."""
    keys = {key_id(db.key): db.key}
    for extra in getattr(db, "attachment_keys", ()) or ():
        keys.setdefault(key_id(extra), extra)
    return keys


def key_for(db, row_key_id: str) -> bytes:
    key = known_keys(db).get(row_key_id)
    if key is None:
        raise AttachmentKeyError("Tệp đính kèm này được mã hoá bằng một khoá dữ liệu khác với khoá đang dùng (có thể "
                                 "một chương trình BVTE khác vừa đổi khoá dữ liệu). Hãy đóng chương trình, đăng nhập "
                                 "lại rồi mở lại tệp.")
    return key


def rewrap_all(conn, old_key: bytes, new_key: bytes) -> int:
    """Re-wrap the content key of every row wrapped under `old_key` so that it opens with `new_key` (on the
    caller's connection, in its transaction). Returns how many rows changed. Idempotent: rows already under the
    new key are left alone, so a rekey finished after a power cut does it again safely."""
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("attachment"):
        return 0
    old_id, new_id = key_id(old_key), key_id(new_key)
    if old_id == new_id:
        return 0
    rows = conn.execute(text("SELECT id, owner_kind, owner_id, form_code, form_record_id, wrapped_key FROM attachment "
                             "WHERE key_id = :k"), {"k": old_id}).all()
    for row in rows:
        owner = (row.id, row.owner_kind, row.owner_id, row.form_code, row.form_record_id)
        content_key = unwrap(old_key, bytes(row.wrapped_key), owner)
        conn.execute(text("UPDATE attachment SET wrapped_key = :w, key_id = :k WHERE id = :id"),
                     {"w": wrap(new_key, content_key, owner), "k": new_id, "id": row.id})
    return len(rows)
