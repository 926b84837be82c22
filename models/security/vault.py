"""The key file beside the database: the office's data key, and each account's own key pairs.

The database is encrypted with one random data key. Each account has two key pairs of its own:
  - an X25519 pair: the data key is sealed to its public half (ephemeral X25519 + HKDF-SHA256 + AES-256-GCM),
    so an administrator can hand a *new* data key to every account without knowing their passwords;
  - an Ed25519 pair: the account signs its own audit-trail entries with it (see `audit.py`).
Both private halves are wrapped (AES-256-GCM) under a key derived from the account's password with Argon2id,
a memory-hard function: knowing the file is not enough without a password.

Revoking an account (disable, an administrator's password reset, a change of one's own password) draws a new
data key, re-encrypts the database with it (`rekey` in `services/accounts.py`) and seals it for the remaining
accounts only: what an old copy of this file and an old password give no longer opens the live database.
A rekey is done in two steps so that a power cut at any moment leaves a folder that opens: first the new key
is written here as *pending* (sealed for every remaining account, beside the current one), then the database
is re-encrypted in one SQLite transaction, then the pending key becomes the current one.

Every change to this file is a reload–modify–write under an OS-level lock (`filelock`), written to a unique
temporary name, fsynced and renamed: two programs (the window and the command line) never lose each other's
changes, and a power cut cannot leave it half-written. It holds no personal data (user names only).

Files of format 1 (the first release) hold the data key wrapped directly under each password; such an
account gets its key pairs at its next sign-in. Passwords are normalised to Unicode NFC before use.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import tempfile
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from ..errors import UserError
from ..clock import now

if TYPE_CHECKING:
    from filelock import FileLock

KEYS_FILENAME = "keys.json"
LOCK_SUFFIX = ".lock"
FORMAT = 2
LEGACY_FORMATS = (1,)
# About 0.1–0.3 s on an office PC: slow for someone guessing, unnoticed by the worker.
REAL_KDF = {"name": "argon2id", "time_cost": 3, "memory_cost": 65536, "parallelism": 2}
KDF = REAL_KDF
MAX_FAILURES = 5
LOCK_MINUTES = 5
MIN_PASSWORD = 8
LOCK_TIMEOUT = 60  # seconds a writer waits for another one (a rekey of a large office holds the lock ~20 s)


class VaultError(UserError):
    """A refusal the user must read (Vietnamese message)."""


class BadCredentials(VaultError):
    pass


class AccountLocked(VaultError):
    pass


class NeedsReset(BadCredentials):
    """The account was left out of a new data key (it had no key pair yet): an administrator must reset it."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def nfc(password: str) -> str:
    """The same password typed with composed or decomposed Vietnamese letters gives the same key."""
    return unicodedata.normalize("NFC", password or "")


def _kek(password: str, salt: bytes, params: dict) -> bytes:
    return hash_secret_raw(
        password.encode("utf-8"), salt, time_cost=params["time_cost"], memory_cost=params["memory_cost"],
        parallelism=params["parallelism"], hash_len=32, type=Type.ID,
    )


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise VaultError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")
    if password.strip() != password:
        raise VaultError("Mật khẩu không được bắt đầu hoặc kết thúc bằng dấu cách.")
    from .weak_passwords import weak_password_message

    if (message := weak_password_message(password)) is not None:
        raise VaultError(message)


def normalise_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not name or not all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name) or len(name) > 40:
        raise VaultError("Tên đăng nhập chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch nối (tối đa 40 ký tự).")
    return name


def _raw_public(key) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw_private(key) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def key_id_of(sign_public: bytes) -> str:
    """A short, stable name of a signing key (the first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(sign_public).hexdigest()[:16]


def public_key_text(sign_public: bytes) -> str:
    """How a signing key is written in the audit trail and in the key file."""
    return f"ed25519:{_b64(sign_public)}"


def parse_public_key(text: str) -> Ed25519PublicKey | None:
    if not isinstance(text, str) or not text.startswith("ed25519:"):
        return None
    try:
        return Ed25519PublicKey.from_public_bytes(_unb64(text[len("ed25519:"):]))
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class SigningKey:
    """An account's audit-signing key, held in memory while the account is signed in."""

    username: str
    private: Ed25519PrivateKey

    @property
    def public_raw(self) -> bytes:
        return _raw_public(self.private.public_key())

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_raw)

    @property
    def public_text(self) -> str:
        return public_key_text(self.public_raw)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


@dataclass
class Unlocked:
    """What a right password gives: the data key(s) and the account's private keys."""

    username: str
    data_key: bytes
    pending_key: bytes | None = None  # a new data key written before an unfinished rekey
    box: X25519PrivateKey | None = None
    signing: SigningKey | None = None
    upgraded: bool = False  # True when this sign-in gave a first-release account its key pairs


def _new_pairs() -> tuple[X25519PrivateKey, Ed25519PrivateKey]:
    return X25519PrivateKey.generate(), Ed25519PrivateKey.generate()


def _hkdf(shared: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def seal(data_key: bytes, box_public: bytes, context: bytes) -> dict:
    """The data key, readable only with the private half of `box_public` (ECIES over X25519)."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(box_public))
    epk = _raw_public(ephemeral.public_key())
    nonce = secrets.token_bytes(12)
    ct = AESGCM(_hkdf(shared, b"bvte-seal|" + epk + b"|" + context)).encrypt(nonce, data_key, context)
    return {"epk": _b64(epk), "nonce": _b64(nonce), "ct": _b64(ct)}


def unseal(sealed: dict, box: X25519PrivateKey, context: bytes) -> bytes:
    epk = _unb64(sealed["epk"])
    shared = box.exchange(X25519PublicKey.from_public_bytes(epk))
    return AESGCM(_hkdf(shared, b"bvte-seal|" + epk + b"|" + context)).decrypt(
        _unb64(sealed["nonce"]), _unb64(sealed["ct"]), context)


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        fd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _replace(tmp: str, target: Path) -> None:
    """os.replace, retried for a moment: on Windows it fails while another program is reading the file."""
    import time

    for attempt in range(40):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if attempt == 39:
                raise
            time.sleep(0.05)


def write_atomically(path: Path, text: str) -> None:
    """Write a small file atomically: a unique temporary file beside it, fsynced, then renamed over the old one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        _replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def file_lock(folder: Path) -> FileLock:
    """The OS-level lock every writer of the key file holds (one object per path: re-entrant in a thread)."""
    from filelock import FileLock  # imported by the first writer: signing in only reads the file (8 ms sooner)

    return FileLock(str(Path(folder) / (KEYS_FILENAME + LOCK_SUFFIX)), timeout=LOCK_TIMEOUT, mode=0o600,
                    is_singleton=True)


@dataclass
class Vault:
    path: Path
    data: dict

    # -- file ------------------------------------------------------------------------------------
    @staticmethod
    def file_in(folder: Path) -> Path:
        return folder / KEYS_FILENAME

    @classmethod
    def exists(cls, folder: Path) -> bool:
        return cls.file_in(folder).exists()

    @staticmethod
    def _read(path: Path) -> dict:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise VaultError("Thư mục dữ liệu chưa có tệp khoá: chưa thiết lập cơ quan.") from None
        except (OSError, ValueError) as exc:
            raise VaultError(f"Tệp khoá {path} bị hỏng hoặc không đọc được: {exc}") from exc
        if not isinstance(data, dict) or "accounts" not in data or not isinstance(data["accounts"], dict):
            raise VaultError(f"Tệp khoá {path} không đúng định dạng của BVTE.")
        if data.get("format") in LEGACY_FORMATS:
            data["format"] = FORMAT  # written back in the new format at the next change
            data.setdefault("generation", 0)
        if data.get("format") != FORMAT:
            raise VaultError(f"Tệp khoá {path} không đúng định dạng của BVTE (có thể do phiên bản BVTE mới hơn tạo).")
        data.setdefault("generation", 0)
        data.setdefault("pending", None)
        data.setdefault("needs_reset", [])
        return data

    @classmethod
    def load(cls, folder: Path) -> "Vault":
        path = cls.file_in(folder)
        return cls(path, cls._read(path))

    def reload(self) -> None:
        self.data = self._read(self.path)

    @contextmanager
    def editing(self) -> Iterator[dict]:
        """Reload, change and write the key file under the OS-level lock: no other writer's change is lost."""
        from filelock import Timeout

        try:
            with file_lock(self.path.parent):
                self.reload()
                yield self.data
                self.save()
        except Timeout:
            raise VaultError("Tệp khoá đang được một chương trình BVTE khác ghi. Chờ một lát rồi thử lại.") from None

    @classmethod
    def create(cls, folder: Path, username: str, password: str) -> tuple["Vault", Unlocked]:
        """A new office: a fresh random data key, sealed for the first (administrator) account."""
        with file_lock(folder):
            if cls.exists(folder):
                raise VaultError("Thư mục dữ liệu này đã có tệp khoá; không tạo lại để tránh mất dữ liệu.")
            vault = cls(cls.file_in(folder), {"format": FORMAT, "office_id": str(uuid.uuid4()), "kdf": dict(KDF),
                                              "generation": 0, "pending": None, "needs_reset": [], "accounts": {}})
            data_key = secrets.token_bytes(32)
            unlocked = vault._put_account(vault.data, data_key, username, password)
            vault.save()
        return vault, unlocked

    def save(self) -> None:
        """Write atomically (see write_atomically)."""
        write_atomically(self.path, json.dumps(self.data, indent=1, sort_keys=True))

    # -- accounts --------------------------------------------------------------------------------
    @property
    def office_id(self) -> str:
        return self.data["office_id"]

    @property
    def generation(self) -> int:
        return int(self.data.get("generation", 0))

    def usernames(self) -> list[str]:
        return sorted(self.data["accounts"])

    def _aad(self, username: str) -> bytes:
        # Binds each wrapped key to this office and this account: an entry copied elsewhere does not open.
        return f"{self.office_id}:{username}".encode()

    def _seal_context(self, username: str, generation: int) -> bytes:
        return f"{self.office_id}:{username}:{generation}".encode()

    def _put_account(self, data: dict, data_key: bytes, username: str, password: str,
                     pairs: tuple[X25519PrivateKey, Ed25519PrivateKey] | None = None) -> Unlocked:
        """Write an account's entry: its key pairs wrapped under the password, the data key sealed to it."""
        username = normalise_username(username)
        password = nfc(password)
        check_password_strength(password)
        box, sign = pairs or _new_pairs()
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        wrapped = AESGCM(_kek(password, salt, data["kdf"])).encrypt(
            nonce, _raw_private(box) + _raw_private(sign), self._aad(username))
        sign_public = _raw_public(sign.public_key())
        generation = int(data.get("generation", 0))
        data["accounts"][username] = {
            "salt": _b64(salt), "nonce": _b64(nonce), "wrapped_private": _b64(wrapped),
            "box_public": _b64(_raw_public(box.public_key())), "sign_public": public_key_text(sign_public),
            "sign_key_id": key_id_of(sign_public),
            "sealed_key": seal(data_key, _raw_public(box.public_key()), self._seal_context(username, generation)),
            "failures": 0, "locked_until": None,
        }
        if username in data.get("needs_reset", []):
            data["needs_reset"] = [u for u in data["needs_reset"] if u != username]
        return Unlocked(username, data_key, None, box, SigningKey(username, sign))

    def add_account(self, data_key: bytes, username: str, password: str) -> Unlocked:
        """A new account (or an administrator's reset): new key pairs, the current data key sealed to them."""
        with self.editing() as data:
            return self._put_account(data, data_key, username, password)

    def set_password(self, data_key: bytes, username: str, password: str) -> Unlocked:
        """Kept for callers of the first release: same as `add_account` (new key pairs)."""
        return self.add_account(data_key, username, password)

    def change_password(self, unlocked: Unlocked, new_password: str) -> Unlocked:
        """The account's own change: its signing key is kept, its box key is new (the caller rekeys)."""
        if unlocked.signing is None:
            raise VaultError("Tài khoản chưa có khoá riêng; hãy đăng nhập lại rồi đổi mật khẩu.")
        with self.editing() as data:
            return self._put_account(data, unlocked.data_key, unlocked.username, new_password,
                                     (X25519PrivateKey.generate(), unlocked.signing.private))

    def remove(self, username: str) -> None:
        with self.editing() as data:
            data["accounts"].pop(username, None)
            if data.get("pending"):
                data["pending"]["sealed"].pop(username, None)

    def current_key(self, username: str, box: X25519PrivateKey) -> bytes | None:
        """The current data key as sealed for this account (None if it has no entry any more)."""
        entry = self.data["accounts"].get(username)
        if entry is None or "sealed_key" not in entry:
            return None
        try:
            return unseal(entry["sealed_key"], box, self._seal_context(username, self.generation))
        except (InvalidTag, ValueError, KeyError):
            return None

    def public_keys(self) -> dict[str, str]:
        """username → signing public key text, as this file records them."""
        return {u: e["sign_public"] for u, e in self.data["accounts"].items() if e.get("sign_public")}

    # -- rekey -----------------------------------------------------------------------------------
    def begin_rekey(self, new_key: bytes, *, drop: tuple[str, ...] = ()) -> list[str]:
        """Step 1 of a rekey: the new data key sealed for every remaining account, beside the current one.

        Accounts in `drop` lose their entry at once. Returns the accounts that cannot receive the new key
        (first-release accounts that have not signed in since): they will need an administrator's reset."""
        with self.editing() as data:
            for username in drop:
                data["accounts"].pop(username, None)
            generation = int(data.get("generation", 0)) + 1
            sealed, left_out = {}, []
            for username, entry in data["accounts"].items():
                if entry.get("box_public"):
                    sealed[username] = seal(new_key, _unb64(entry["box_public"]), self._seal_context(username, generation))
                else:
                    left_out.append(username)
            data["pending"] = {"generation": generation, "sealed": sealed}
        return sorted(left_out)

    def finish_rekey(self) -> list[str]:
        """Step 3: the pending key becomes the current one. Returns the accounts left out (need a reset)."""
        with self.editing() as data:
            pending = data.get("pending")
            if not pending:
                return []
            left_out = []
            for username in list(data["accounts"]):
                sealed = pending["sealed"].get(username)
                if sealed is None:
                    data["accounts"].pop(username)
                    left_out.append(username)
                else:
                    data["accounts"][username]["sealed_key"] = sealed
            data["generation"] = pending["generation"]
            data["pending"] = None
            data["needs_reset"] = sorted(set(data.get("needs_reset", [])) | set(left_out))
        return left_out

    # -- signing in ------------------------------------------------------------------------------
    def _count_failure(self, username: str, at: datetime) -> None:
        """Under the lock, on the file as it is now: parallel wrong passwords are all counted."""
        with self.editing() as data:
            entry = data["accounts"].get(username)
            if entry is None:
                raise BadCredentials("Sai tên đăng nhập hoặc mật khẩu.")
            entry["failures"] = int(entry.get("failures", 0)) + 1
            failures = entry["failures"]
            left = MAX_FAILURES - failures
            minutes = None
            if left <= 0:
                # Each further failure doubles the wait: 5, 10, 20 … minutes.
                minutes = LOCK_MINUTES * 2 ** min(-left, 6)
                entry["locked_until"] = (at + timedelta(minutes=minutes)).isoformat()
        if minutes is not None:
            raise AccountLocked(f"Nhập sai mật khẩu {failures} lần: tài khoản {username} bị tạm khoá {minutes} phút.")
        raise BadCredentials(f"Sai tên đăng nhập hoặc mật khẩu. Còn {left} lần thử trước khi tài khoản bị tạm khoá.")

    def _open_entry(self, username: str, entry: dict, password: str, raw: str | None = None) -> Unlocked:
        """Raises InvalidTag for a wrong password."""
        salt, nonce = _unb64(entry["salt"]), _unb64(entry["nonce"])
        if "wrapped_private" not in entry:  # a first-release entry: the data key under the password
            # A first-release password typed in decomposed letters (as stored then) still opens.
            tries = [password] + ([raw] if raw and raw != password else [])
            for i, candidate in enumerate(tries):
                try:
                    key = AESGCM(_kek(candidate, salt, self.data["kdf"])).decrypt(
                        nonce, _unb64(entry["wrapped_key"]), self._aad(username))
                    return Unlocked(username, key)
                except InvalidTag:
                    if i == len(tries) - 1:
                        raise
        blob = AESGCM(_kek(password, salt, self.data["kdf"])).decrypt(
            nonce, _unb64(entry["wrapped_private"]), self._aad(username))
        box, sign = X25519PrivateKey.from_private_bytes(blob[:32]), Ed25519PrivateKey.from_private_bytes(blob[32:64])
        data_key = unseal(entry["sealed_key"], box, self._seal_context(username, self.generation))
        pending = None
        if self.data.get("pending") and username in self.data["pending"]["sealed"]:
            pending = unseal(self.data["pending"]["sealed"][username], box,
                             self._seal_context(username, self.data["pending"]["generation"]))
        return Unlocked(username, data_key, pending, box, SigningKey(username, sign))

    def failures(self, username: str) -> int:
        """Wrong passwords typed for the account since its last sign-in (read before `unlock_account`, which
        sets them back to 0, so that the sign-in's audit entry can say how many there were)."""
        return self.data["accounts"].get(username.strip().lower(), {}).get("failures", 0)

    def unlock_account(self, username: str, password: str, *, at: datetime | None = None) -> Unlocked:
        """The data key and the account's private keys, if the password is right.

        Repeated failures lock the account for a while. For a first-release entry only the data key comes back
        (see `give_key_pairs`)."""
        at = at or now()
        try:
            username = normalise_username(username)
        except VaultError:
            raise BadCredentials("Sai tên đăng nhập hoặc mật khẩu.") from None
        raw = password or ""
        password = nfc(raw)
        self.reload()
        entry = self.data["accounts"].get(username)
        if entry is None:
            _kek(password, b"\0" * 16, self.data["kdf"])  # same time as a real try: no hint that the name is unknown
            if username in self.data.get("needs_reset", []):
                raise NeedsReset(
                    f"Khoá dữ liệu đã được đổi khi tài khoản {username} chưa đăng nhập lần nào bằng phiên bản này. "
                    "Nhờ quản trị viên đặt lại mật khẩu cho tài khoản này."
                )
            raise BadCredentials("Sai tên đăng nhập hoặc mật khẩu.")
        locked_until = entry.get("locked_until")
        if locked_until and datetime.fromisoformat(locked_until) > at:
            until = datetime.fromisoformat(locked_until)
            raise AccountLocked(
                f"Tài khoản {username} tạm khoá do nhập sai mật khẩu nhiều lần. Thử lại sau {until:%H:%M}, "
                "hoặc nhờ quản trị viên đặt lại mật khẩu."
            )
        try:
            unlocked = self._open_entry(username, entry, password, raw)
        except InvalidTag:
            self._count_failure(username, at)
        if entry.get("failures") or entry.get("locked_until"):
            with self.editing() as data:
                current = data["accounts"].get(username)
                if current is not None:
                    current["failures"], current["locked_until"] = 0, None
        return unlocked

    def give_key_pairs(self, unlocked: Unlocked, password: str) -> Unlocked:
        """A first-release account (data key under its password) gets its key pairs, same password.

        Called once the database has opened with that key, so a refused file leaves the key file as it was."""
        if unlocked.signing is not None:
            return unlocked
        with self.editing() as data:
            current = data["accounts"].get(unlocked.username)
            if current is None:
                raise BadCredentials("Sai tên đăng nhập hoặc mật khẩu.")
            if "wrapped_private" in current:  # another program did it meanwhile
                return self._open_entry(unlocked.username, current, nfc(password))
            upgraded = self._put_account(data, unlocked.data_key, unlocked.username, password)
        upgraded.upgraded = True
        return upgraded

    def unlock(self, username: str, password: str, *, at: datetime | None = None) -> bytes:
        """The data key, if the password is right (see `unlock_account`)."""
        return self.unlock_account(username, password, at=at).data_key
