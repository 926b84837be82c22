"""Children's personal fields and the free-text accounts, encrypted on the client in the server mode.

The single-PC file is SQLCipher already: there a `Protected` column is plain text inside the encrypted file and
nothing here runs. On the office server (PostgreSQL) the server administrator would otherwise read names,
addresses and the accounts of abuse, so every `Protected` column is encrypted before it leaves the workstation:

  office data key K (memory only, while an account is signed in: `Database.key`)
    └─ HKDF-SHA256(K, "bvte-field-wrap-v1") → W, which wraps (AES-256-GCM) the office's field key F
         (one random key, row 1 of table `field_key`, made by the first workstation that opens the server)
         ├─ AES-256-GCM(F, value padded to 16 bytes, AAD = "table.column") → "bvte1:" + base64, in the column
         └─ HKDF-SHA256(F, "bvte-blind-index-v1") → B: keyed BLAKE2b tokens (8 bytes) in `child_token`

A new data key (`Database.rekey`) re-wraps F only: the encrypted values are never rewritten.

Searching without the server seeing names: for each child, `child_token` holds the keyed hashes of every piece of
every word of the folded name ("nguyen" → "n", "ng", …, "uyen", …), of the personal ID number and its beginnings
(4 digits and more) and of the village. A typed word is hashed the same way and looked up; that is exactly the
single-PC rule (each typed word appears somewhere in the name). Ordering by name happens on the workstation after
decryption (`name_order`), since an order the server could compute would tell it the names' order.

What the server administrator can still read or infer is said in README.md and docs/may-chu-postgresql.md: the
columns that are not `Protected` (dates of birth, gender, ethnicity, dates, codes, states, officials' names,
numbers), the approximate length of each protected value (to 16 bytes), and how many children share a token (the
frequency of pieces of names, of an ID's beginnings and of a village), never the text behind it.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import BigInteger, Column, ForeignKey, Integer, LargeBinary, String, Table, Text, delete, insert, select
from sqlalchemy.types import TypeDecorator

from .base import Base
from .db import DatabaseError, WrongKeyError
from .portable import is_postgresql

PREFIX = "bvte1:"
NONCE = 12
WORD_CAP = 20  # pieces of a word are taken from its first 20 letters (a Vietnamese syllable has at most 7)
PID_PREFIX_MIN = 4  # the register finds an ID number by its first 4 digits or more
LOCK = 74110018  # pg_advisory_xact_lock while the field key is made (two workstations opening at once)

field_key_table = Table(
    "field_key", Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("key_id", String(16), nullable=False),  # which data key wraps it (attachment_crypto.key_id)
    Column("wrapped", LargeBinary, nullable=False),
)
# Keyed by (token, child id): a typed word's children are one range of the primary key, read from the index alone
# (migration 0800); the child's own tokens, replaced when the child changes, through the index on child_id.
token_table = Table(
    "child_token", Base.metadata,
    Column("token", BigInteger, primary_key=True),
    Column("child_id", Integer, ForeignKey("child.id", ondelete="CASCADE"), primary_key=True, index=True),
)
# The office's key file as the server shares it with the workstations (models/server_keys.py).
key_file_table = Table(
    "key_file", Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("office_id", String(36), nullable=False),
    Column("content", Text, nullable=False),  # keys.json as its text
)
# Tables that belong to one storage (made again from the data where the data goes), never copied between offices.
NOT_COPIED = frozenset({"field_key", "child_token", "key_file"})


class FieldKeyError(DatabaseError):
    """A protected value that does not open with the office's field key (a Vietnamese message)."""


class Protected(TypeDecorator):
    """Text that the office server only ever holds encrypted (see the module note). `label`: "table.column", bound
    into each value so that a value moved to another column does not open; `length`: the single-PC column's."""

    impl = String
    cache_ok = True

    def __init__(self, length: int | None = None, label: str = ""):
        super().__init__(length)
        self.length = length
        self.label = label
        self._aad = label.encode()

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql" or self.length is None:
            return dialect.type_descriptor(Text())
        return dialect.type_descriptor(String(self.length))

    # On the single-PC file the values pass as they are, without a Python call per value (the lists and the
    # exports read hundreds of thousands of them).
    def bind_processor(self, dialect):
        if dialect.name != "postgresql":
            return self.load_dialect_impl(dialect).bind_processor(dialect)
        return super().bind_processor(dialect)

    def result_processor(self, dialect, coltype):
        if dialect.name != "postgresql":
            return self.load_dialect_impl(dialect).result_processor(dialect, coltype)
        return super().result_processor(dialect, coltype)

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name != "postgresql":
            return value
        return cipher_of(dialect).seal(value, self._aad)

    def process_result_value(self, value, dialect):
        if value is None or dialect.name != "postgresql" or not value.startswith(PREFIX):
            return value
        return cipher_of(dialect).open(value, self._aad)


class FieldCipher:
    """The field key F in use on one engine (held on its dialect: each engine, each key)."""

    def __init__(self, field_key: bytes):
        self._aead = AESGCM(field_key)
        self._blind = _derive(field_key, b"bvte-blind-index-v1")

    def seal(self, value: str, aad: bytes) -> str:
        data = value.encode("utf-8") + b"\x80"
        data += b"\x00" * (-len(data) % 16)
        nonce = secrets.token_bytes(NONCE)
        return PREFIX + base64.b64encode(nonce + self._aead.encrypt(nonce, data, aad)).decode("ascii")

    def open(self, value: str, aad: bytes) -> str:
        try:
            raw = base64.b64decode(value[len(PREFIX):], validate=True)
            data = self._aead.decrypt(raw[:NONCE], raw[NONCE:], aad)
        except (InvalidTag, ValueError):
            raise FieldKeyError("Một mục dữ liệu trên máy chủ không giải mã được (đã bị sửa ngoài chương trình, hoặc "
                                "được mã hoá bằng khoá của cơ quan khác). Hãy báo cho quản trị viên.") from None
        return data.rstrip(b"\x00")[:-1].decode("utf-8")

    def token(self, text: str) -> int:
        digest = hashlib.blake2b(text.encode("utf-8"), key=self._blind, digest_size=8).digest()
        return int.from_bytes(digest, "big", signed=True)

    def tokens(self, name_key: str | None, personal_id: str | None, village: str | None) -> set[int]:
        return {self.token(t) for t in token_texts(name_key, personal_id, village)}


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


def cipher_of(bind) -> FieldCipher:
    """The engine's field cipher; refusing (never writing clear text to the server) if it was not opened."""
    if hasattr(bind, "get_bind"):
        bind = bind.get_bind()
    dialect = getattr(bind, "dialect", bind)
    cipher = getattr(dialect, "bvte_field_cipher", None)
    if cipher is None:
        raise FieldKeyError("Chưa mở khoá mã hoá dữ liệu của cơ quan trên máy chủ: chương trình không ghi hay đọc "
                            "thông tin cá nhân khi chưa có khoá. Hãy đăng nhập lại.")
    return cipher


def protects(bind) -> bool:
    """Are the protected columns encrypted on this engine (the server mode)? `bind`: session, connection, engine."""
    return is_postgresql(bind)


# -- blind index ---------------------------------------------------------------------------------------------
def word_pieces(word: str) -> set[str]:
    word = word[:WORD_CAP]
    return {word[i:j] for i in range(len(word)) for j in range(i + 1, len(word) + 1)}


def token_texts(name_key: str | None, personal_id: str | None, village: str | None) -> set[str]:
    texts = {"n" + piece for word in set((name_key or "").split()) for piece in word_pieces(word)}
    if personal_id:
        texts.add("P" + personal_id)
        texts.update("p" + personal_id[:k] for k in range(PID_PREFIX_MIN, len(personal_id) + 1))
    if village:
        texts.add("v" + village)
    return texts


def name_word_token(bind, word: str) -> int:
    return cipher_of(bind).token("n" + word[:WORD_CAP])


def children_with_token(token: int):
    """A subquery: the ids of the children holding `token`."""
    return select(token_table.c.child_id).where(token_table.c.token == token)


def id_equals_token(bind, personal_id: str) -> int:
    return cipher_of(bind).token("P" + personal_id)


def id_prefix_token(bind, digits: str) -> int:
    return cipher_of(bind).token("p" + digits)


def village_token(bind, village: str) -> int:
    return cipher_of(bind).token("v" + village)


def refresh_tokens(conn, rows: Iterable[tuple[int, str | None, str | None, str | None]]) -> int:
    """Write the tokens of children (id, name_key, personal_id, village) anew, on the caller's connection and
    transaction. Does nothing on the single-PC file. Returns how many children."""
    if not protects(conn):
        return 0
    cipher = cipher_of(conn)
    rows = list(rows)
    for start in range(0, len(rows), 2000):
        part = rows[start:start + 2000]
        conn.execute(delete(token_table).where(token_table.c.child_id.in_([r[0] for r in part])))
        values = [{"child_id": cid, "token": t} for cid, name_key, pid, village in part
                  for t in cipher.tokens(name_key, pid, village)]
        for at in range(0, len(values), 20000):
            conn.execute(insert(token_table), values[at:at + 20000])
    return len(rows)


def rebuild_tokens(conn) -> int:
    """Every child's tokens from the (decrypted) children: after a copy onto the server, after encrypting."""
    from .entities import Child

    if not protects(conn):
        return 0
    done, last = 0, 0  # (refresh_tokens replaces each child's tokens; a removed child's went with it: ON DELETE CASCADE)
    while rows := conn.execute(select(Child.id, Child.name_key, Child.personal_id, Child.village)
                               .where(Child.id > last).order_by(Child.id).limit(2000)).all():
        done += refresh_tokens(conn, rows)  # 2,000 children at a time: bounded memory at any size
        last = rows[-1][0]
    return done


# -- ordering by name on the workstation -----------------------------------------------------------------------
def _sort_key_and_id(row) -> tuple:
    return (row[0] or "", row[1])


def name_order(rows: list, *, descending: bool = False, after: tuple | None = None, offset: int = 0,
               limit: int | None = None, key=_sort_key_and_id) -> list:
    """Decrypted `rows` in the order an index on (sort_key, id) gives (`key` picks them from a row: by default
    the row's first two items); `after` = (sort_key, id) of the previous page's last row: the rows after it
    (keyed paging, as on the single-PC file)."""
    rows = sorted(rows, key=key, reverse=descending)
    if after is not None:
        mark = _sort_key_and_id(after)
        rows = [r for r in rows if (key(r) < mark if descending else key(r) > mark)]
        offset = 0
    end = None if limit is None else offset + limit
    return rows[offset:end]


# -- the field key ---------------------------------------------------------------------------------------------
def _wrap(data_key: bytes, field_key: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE)
    return nonce + AESGCM(_derive(data_key, b"bvte-field-wrap-v1")).encrypt(nonce, field_key, b"bvte-field-key")


def _unwrap(data_key: bytes, wrapped: bytes) -> bytes:
    try:
        return AESGCM(_derive(data_key, b"bvte-field-wrap-v1")).decrypt(wrapped[:NONCE], wrapped[NONCE:],
                                                                         b"bvte-field-key")
    except (InvalidTag, ValueError):
        raise FieldKeyError("Khoá mã hoá thông tin cá nhân trên máy chủ không mở được bằng khoá dữ liệu của tài khoản "
                            "này (có thể một máy khác vừa đổi khoá dữ liệu). Hãy đăng nhập lại; nếu vẫn vậy, báo cho "
                            "quản trị viên.") from None


def open_fields(engine, data_keys: tuple[bytes, ...], progress=None) -> bool:
    """Put the office's field key on a server engine (made, and the existing rows encrypted, by the first
    workstation that opens the server with this version). `data_keys`: the current data key first, then the other
    one during an unfinished rekey. Returns True when this call made the key. Nothing on the single-PC file."""
    from .attachment_crypto import key_id

    if engine.dialect.name != "postgresql":
        return False
    with engine.begin() as conn:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK})")
        row = conn.execute(select(field_key_table.c.key_id, field_key_table.c.wrapped)
                           .where(field_key_table.c.id == 1)).first()
        if row is not None:
            keys = {key_id(k): k for k in data_keys}
            if row.key_id not in keys:  # a rekey finished on the server before this key file learnt of it
                raise WrongKeyError("Khoá dữ liệu của tài khoản này không mở được thông tin cá nhân trên máy chủ (một "
                                    "máy khác vừa đổi khoá dữ liệu). Hãy đăng nhập lại; nếu vẫn vậy, nhờ quản trị viên "
                                    "đặt lại mật khẩu hoặc chép tệp khoá mới của cơ quan sang máy này.")
            field_key = _unwrap(keys[row.key_id], bytes(row.wrapped))
            engine.dialect.bvte_field_cipher = FieldCipher(field_key)
            return False
        field_key = AESGCM.generate_key(bit_length=256)
        conn.execute(insert(field_key_table).values(id=1, key_id=key_id(data_keys[0]),
                                                    wrapped=_wrap(data_keys[0], field_key)))
        engine.dialect.bvte_field_cipher = FieldCipher(field_key)
        encrypt_existing(conn, progress)
        return True


def rewrap(conn, old_key: bytes, new_key: bytes) -> bool:
    """Re-wrap the field key under a new data key (in the caller's transaction; idempotent, like attachments)."""
    from sqlalchemy import inspect, update

    from .attachment_crypto import key_id

    if conn.dialect.name != "postgresql" or not inspect(conn).has_table("field_key"):
        return False
    row = conn.execute(select(field_key_table.c.key_id, field_key_table.c.wrapped)
                       .where(field_key_table.c.id == 1)).first()
    if row is None or row.key_id != key_id(old_key):
        return False
    field_key = _unwrap(old_key, bytes(row.wrapped))
    conn.execute(update(field_key_table).where(field_key_table.c.id == 1)
                 .values(key_id=key_id(new_key), wrapped=_wrap(new_key, field_key)))
    return True


def protected_columns() -> dict[Table, list[Column]]:
    import models.entities  # noqa: F401  (every table on Base.metadata)

    found: dict[Table, list[Column]] = {}
    for table in Base.metadata.sorted_tables:
        cols = [c for c in table.columns if isinstance(c.type, Protected)]
        if cols:
            found[table] = cols
    return found


def encrypt_existing(conn, progress=None) -> int:
    """Encrypt, in place, the protected values an office server held in clear (written before this version):
    each row is read twice over (as stored, and through the column types, where a value without the prefix reads
    as it is) and the rows holding clear text are written back through the types. Returns how many rows."""
    from sqlalchemy import bindparam, update

    changed = 0
    for table, cols in protected_columns().items():
        (pk,) = table.primary_key.columns  # every table with protected columns has one id column
        if progress:
            progress(f"Đang mã hoá thông tin cá nhân trong bảng {table.name}…")
        stored = [c.cast(Text).label("stored_" + c.name) for c in cols]
        last = None
        while True:  # 2,000 rows at a time, in id order: bounded memory however large the table
            page = select(pk, *cols, *stored).order_by(pk).limit(2000)
            rows = conn.execute(page if last is None else page.where(pk > last)).mappings().all()
            if not rows:
                break
            last = rows[-1][pk.name]
            todo = [{"k": row[pk.name], **{c.name: row[c.name] for c in cols}} for row in rows
                    if any(row["stored_" + c.name] is not None and not row["stored_" + c.name].startswith(PREFIX)
                           for c in cols)]
            if todo:
                conn.execute(update(table).where(pk == bindparam("k")), todo)
            changed += len(todo)
    rebuild_tokens(conn)
    return changed


def _tokens_after_flush(session, _context) -> None:
    """Children added or renamed (name, ID number, village) through the ORM get their tokens in the same flush."""
    from sqlalchemy import inspect

    from .entities import Child

    if not protects(session):
        return
    rows = []
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Child):
            continue
        state = inspect(obj)
        if obj in session.new or any(state.attrs[a].history.has_changes()
                                     for a in ("name_key", "personal_id", "village")):
            rows.append((obj.id, obj.name_key, obj.personal_id, obj.village))
    if rows:
        refresh_tokens(session.connection(), rows)


def listen() -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "after_flush", _tokens_after_flush):
        event.listen(Session, "after_flush", _tokens_after_flush)


listen()
