"""Opening the office's data with an account: first set-up, log-in, password changes, account management."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ..clock import now
from ..db import Database, open_database
from ..entities import Account
from ..security import audit
from ..security.roles import ROLES, Actor
from ..security.vault import BadCredentials, Vault, VaultError, normalise_username
from ..textnorm import clean_name


@dataclass
class Workspace:
    """The unlocked data of one office, and who is working on it."""

    db: Database
    actor: Actor
    vault: Vault

    @property
    def folder(self) -> Path:
        return self.db.folder

    def close(self) -> None:
        self.db.dispose()


def _actor(account: Account) -> Actor:
    return Actor(account.username, account.full_name, account.role_set)


def _check_roles(roles) -> str:
    chosen = [r for r in ROLES if r in set(roles)]
    if not chosen:
        raise VaultError("Chọn ít nhất một vai trò cho tài khoản.")
    return ",".join(chosen)


def office_exists(folder: Path) -> bool:
    return Vault.exists(folder)


def setup_office(folder: Path, username: str, full_name: str, password: str, *, also_worker: bool = True) -> Workspace:
    """First run: the key file, the encrypted database and the administrator account, all at once."""
    folder.mkdir(parents=True, exist_ok=True)
    name = clean_name(full_name)
    if not name:
        raise VaultError("Nhập họ và tên người quản trị.")
    vault, key = Vault.create(folder, username, password)
    try:
        db = open_database(folder, key, create=True)
    except Exception:
        vault.path.unlink(missing_ok=True)  # nothing half-made is left behind
        raise
    roles = ("admin", "worker") if also_worker else ("admin",)
    with db.transaction() as session:
        account = Account(username=normalise_username(username), full_name=name, roles=_check_roles(roles))
        session.add(account)
        session.flush()
        actor = _actor(account)
        audit.record(session, actor, "create", "account", account.username, detail="Thiết lập cơ quan, tạo quản trị viên")
    return Workspace(db, actor, vault)


def login(folder: Path, username: str, password: str) -> Workspace:
    vault = Vault.load(folder)
    failures_before = vault.data["accounts"].get(username.strip().lower(), {}).get("failures", 0)
    key = vault.unlock(username, password)
    return open_unlocked(folder, vault, key, username, failures_before)


def open_unlocked(folder: Path, vault: Vault, key: bytes, username: str, failures_before: int = 0) -> Workspace:
    """The second half of `login`, once `vault.unlock` has given the data key: open the data, sign in."""
    db = open_database(folder, key)
    with db.transaction() as session:
        account = session.scalar(select(Account).where(Account.username == normalise_username(username)))
        if account is None or account.disabled:
            db.dispose()
            raise BadCredentials("Tài khoản này đã bị vô hiệu hoá. Liên hệ quản trị viên.")
        account.last_login_at = now()
        actor = _actor(account)
        detail = f"sau {failures_before} lần nhập sai mật khẩu" if failures_before else ""
        audit.record(session, actor, "login", "account", actor.username, detail=detail)
    return Workspace(db, actor, vault)


def check_password(ws: Workspace, password: str) -> None:
    """For the idle lock: the same account proves it is still at the keyboard (raises on a wrong password)."""
    Vault.load(ws.folder).unlock(ws.actor.username, password)


def change_own_password(ws: Workspace, old: str, new: str) -> None:
    vault = Vault.load(ws.folder)
    vault.unlock(ws.actor.username, old)
    vault.set_password(ws.db.key, ws.actor.username, new)
    with ws.db.transaction() as session:
        audit.record(session, ws.actor, "update", "account", ws.actor.username, detail="Đổi mật khẩu")


def list_accounts(ws: Workspace) -> list[Account]:
    ws.actor.require("accounts")
    with ws.db.session() as session:
        return list(session.scalars(select(Account).order_by(Account.username)))


def add_account(ws: Workspace, username: str, full_name: str, roles, password: str) -> None:
    ws.actor.require("accounts")
    username = normalise_username(username)
    name = clean_name(full_name)
    if not name:
        raise VaultError("Nhập họ và tên của người dùng.")
    role_text = _check_roles(roles)
    with ws.db.transaction() as session:
        if session.scalar(select(Account).where(Account.username == username)):
            raise VaultError(f"Đã có tài khoản {username}.")
        session.add(Account(username=username, full_name=name, roles=role_text))
        audit.record(session, ws.actor, "create", "account", username, changes=[("roles", "", role_text)])
        # The key file is written last, inside the transaction: if it fails, the account row is rolled back.
        vault = Vault.load(ws.folder)
        vault.set_password(ws.db.key, username, password)


def reset_password(ws: Workspace, username: str, new_password: str) -> None:
    ws.actor.require("accounts")
    username = normalise_username(username)
    with ws.db.transaction() as session:
        account = session.scalar(select(Account).where(Account.username == username))
        if account is None or account.disabled:
            raise VaultError(f"Không có tài khoản đang hoạt động tên {username}.")
        audit.record(session, ws.actor, "update", "account", username, detail="Quản trị viên đặt lại mật khẩu")
        Vault.load(ws.folder).set_password(ws.db.key, username, new_password)


def disable_account(ws: Workspace, username: str) -> None:
    ws.actor.require("accounts")
    username = normalise_username(username)
    if username == ws.actor.username:
        raise VaultError("Không thể tự vô hiệu hoá tài khoản đang dùng.")
    with ws.db.transaction() as session:
        account = session.scalar(select(Account).where(Account.username == username))
        if account is None or account.disabled:
            raise VaultError(f"Không có tài khoản đang hoạt động tên {username}.")
        account.disabled = True
        audit.record(session, ws.actor, "update", "account", username, changes=[("disabled", "False", "True")])
        # Removing the wrapped key means this password can no longer open the data at all.
        Vault.load(ws.folder).remove(username)
