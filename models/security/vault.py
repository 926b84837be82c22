"""The key file beside the database: the office's data key, wrapped once per account.

The database is encrypted with one random data key. Each account holds that key wrapped (AES-256-GCM)
under a key derived from the account's password with Argon2id, a memory-hard function: knowing the file
is not enough to read it without a password, changing a password re-wraps one small entry, and removing
an account deletes its entry — the database itself is never re-encrypted.
The key file holds no personal data (user names only) and is written atomically so a power cut cannot
leave it half-written.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..clock import now

KEYS_FILENAME = "keys.json"
FORMAT = 1
# About 0.1–0.3 s on an office PC: slow for someone guessing, unnoticed by the worker.
REAL_KDF = {"name": "argon2id", "time_cost": 3, "memory_cost": 65536, "parallelism": 2}
KDF = REAL_KDF
MAX_FAILURES = 5
LOCK_MINUTES = 5
MIN_PASSWORD = 8


class VaultError(Exception):
    """A refusal the user must read (Vietnamese message)."""


class BadCredentials(VaultError):
    pass


class AccountLocked(VaultError):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


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

    @classmethod
    def load(cls, folder: Path) -> "Vault":
        path = cls.file_in(folder)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise VaultError("Thư mục dữ liệu chưa có tệp khoá (keys.json): chưa thiết lập cơ quan.") from None
        except (OSError, ValueError) as exc:
            raise VaultError(f"Tệp khoá {path} bị hỏng hoặc không đọc được: {exc}") from exc
        if data.get("format") != FORMAT or "accounts" not in data:
            raise VaultError(f"Tệp khoá {path} không đúng định dạng của BVTE.")
        return cls(path, data)

    @classmethod
    def create(cls, folder: Path, username: str, password: str) -> tuple["Vault", bytes]:
        """A new office: a fresh random data key, wrapped for the first (administrator) account."""
        if cls.exists(folder):
            raise VaultError("Thư mục dữ liệu này đã có tệp khoá; không tạo lại để tránh mất dữ liệu.")
        vault = cls(cls.file_in(folder), {"format": FORMAT, "office_id": str(uuid.uuid4()), "kdf": dict(KDF), "accounts": {}})
        data_key = secrets.token_bytes(32)
        vault.set_password(data_key, username, password)
        return vault, data_key

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(self.data, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
            fd = os.open(self.path.parent, os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    # -- accounts --------------------------------------------------------------------------------
    @property
    def office_id(self) -> str:
        return self.data["office_id"]

    def usernames(self) -> list[str]:
        return sorted(self.data["accounts"])

    def _aad(self, username: str) -> bytes:
        # Binds each wrapped key to this office and this account: an entry copied elsewhere does not open.
        return f"{self.office_id}:{username}".encode()

    def set_password(self, data_key: bytes, username: str, password: str) -> None:
        """Wrap the data key for this account under its (new) password; clears any lockout."""
        username = normalise_username(username)
        check_password_strength(password)
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        params = self.data["kdf"]
        wrapped = AESGCM(_kek(password, salt, params)).encrypt(nonce, data_key, self._aad(username))
        self.data["accounts"][username] = {
            "salt": _b64(salt), "nonce": _b64(nonce), "wrapped_key": _b64(wrapped),
            "failures": 0, "locked_until": None,
        }
        self.save()

    def remove(self, username: str) -> None:
        self.data["accounts"].pop(username, None)
        self.save()

    def unlock(self, username: str, password: str, *, at: datetime | None = None) -> bytes:
        """The data key, if the password is right. Repeated failures lock the account for a while."""
        at = at or now()
        try:
            username = normalise_username(username)
        except VaultError:
            raise BadCredentials("Sai tên đăng nhập hoặc mật khẩu.") from None
        entry = self.data["accounts"].get(username)
        if entry is None:
            _kek(password, b"\0" * 16, self.data["kdf"])  # same time as a real try: no hint that the name is unknown
            raise BadCredentials("Sai tên đăng nhập hoặc mật khẩu.")
        locked_until = entry.get("locked_until")
        if locked_until and datetime.fromisoformat(locked_until) > at:
            until = datetime.fromisoformat(locked_until)
            raise AccountLocked(
                f"Tài khoản {username} tạm khoá do nhập sai mật khẩu nhiều lần. Thử lại sau {until:%H:%M}, "
                "hoặc nhờ quản trị viên đặt lại mật khẩu."
            )
        try:
            key = AESGCM(_kek(password, _unb64(entry["salt"]), self.data["kdf"])).decrypt(
                _unb64(entry["nonce"]), _unb64(entry["wrapped_key"]), self._aad(username)
            )
        except InvalidTag:
            entry["failures"] = int(entry.get("failures", 0)) + 1
            left = MAX_FAILURES - entry["failures"]
            if left <= 0:
                # Each further failure doubles the wait: 5, 10, 20 … minutes.
                minutes = LOCK_MINUTES * 2 ** min(-left, 6)
                entry["locked_until"] = (at + timedelta(minutes=minutes)).isoformat()
                self.save()
                raise AccountLocked(
                    f"Nhập sai mật khẩu {entry['failures']} lần: tài khoản {username} bị tạm khoá {minutes} phút."
                ) from None
            self.save()
            raise BadCredentials(f"Sai tên đăng nhập hoặc mật khẩu. Còn {left} lần thử trước khi tài khoản bị tạm khoá.") from None
        if entry.get("failures") or entry.get("locked_until"):
            entry["failures"], entry["locked_until"] = 0, None
            self.save()
        return key
