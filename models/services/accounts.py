"""Opening the office's data with an account: first set-up, log-in, password changes, account management."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ..clock import now
from ..db import Database, WrongKeyError, open_database
from ..entities import Account
from ..security import audit
from ..security.roles import ROLES, Actor
from ..security.vault import (
    BadCredentials, Unlocked, Vault, VaultError, check_password_strength, file_lock, nfc, normalise_username,
)
from ..server_keys import Following, bring_up_to_date, sharing
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

    @property
    def office_id(self) -> str:
        """The office's id (from its key file), written into the audit anchors of what leaves the office."""
        return str(getattr(self.vault, "office_id", "") or "")

    def close(self) -> None:
        self.db.dispose()


def _actor(account: Account, signing=None) -> Actor:
    return Actor(account.username, account.full_name, account.role_set, signing=signing)


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
    vault, unlocked = Vault.create(folder, username, password)
    try:
        db = open_database(folder, unlocked.data_key, create=True)
    except Exception:
        vault.path.unlink(missing_ok=True)  # nothing half-made is left behind
        raise
    roles = ("admin", "worker") if also_worker else ("admin",)
    with db.transaction() as session:
        account = Account(username=normalise_username(username), full_name=name, roles=_check_roles(roles))
        session.add(account)
        session.flush()
        actor = _actor(account, unlocked.signing)
        audit.register_key(session, unlocked.signing, None, "Khoá ký nhật ký của quản trị viên đầu tiên")
        audit.record(session, actor, "create", "account", account.username, detail="Thiết lập cơ quan, tạo quản trị viên")
    with sharing(db):  # on the server: the office's key file is there for the next workstations
        pass
    db.follow_key = _follow_rekeys(folder, unlocked)
    return Workspace(db, actor, vault)


def _open(folder: Path, vault: Vault, unlocked: Unlocked) -> Database:
    """Open the database with the account's data key; after a rekey cut short by a power cut, finish it."""
    pending = unlocked.pending_key
    try:
        db = open_database(folder, unlocked.data_key)
    except WrongKeyError:
        if pending is None:
            raise
        db = open_database(folder, pending)  # the database got the new key: the key file follows
        vault.finish_rekey()
        return db
    if pending is not None:
        with file_lock(folder), sharing(db) as share:
            vault.reload()
            if vault.data.get("pending"):
                share()  # on the server: the other workstations get the new key before the data does
                db.rekey(pending)
                vault.finish_rekey()
            else:  # another program finished the rekey meanwhile
                db.dispose()
                db = open_database(folder, pending)
    return db


def _follow_rekeys(folder: Path, unlocked: Unlocked):
    """When another program rekeys the data (a disable, a reset), this workspace follows the new key."""
    path = Vault.file_in(folder)
    seen = {"stamp": None}

    def stamp():
        try:
            st = path.stat()
            return st.st_mtime_ns, st.st_size
        except OSError:
            return None

    seen["stamp"] = stamp()

    look = {}

    def follow(db: Database) -> None:
        if db.is_server:  # another workstation's change of accounts reaches this folder's key file
            if "server" not in look:
                look["server"] = Following(folder)
            look["server"](db)
        now_stamp = stamp()
        if now_stamp == seen["stamp"] or unlocked.box is None:
            return
        seen["stamp"] = now_stamp
        try:
            key = Vault.load(folder).current_key(unlocked.username, unlocked.box)
        except VaultError:
            return
        if key is not None and key != db.key:
            db.use_key(key)
    return follow


def login(folder: Path, username: str, password: str) -> Workspace:
    bring_up_to_date(folder)
    vault = Vault.load(folder)
    failures_before = vault.failures(username)
    unlocked = vault.unlock_account(username, password)
    return open_unlocked(folder, vault, unlocked, username, failures_before, password)


def open_unlocked(folder: Path, vault: Vault, unlocked: Unlocked, username: str, failures_before: int = 0,
                  password: str = "") -> Workspace:
    """The second half of `login`, once `vault.unlock_account` has given the keys: open the data, sign in."""
    db = _open(folder, vault, unlocked)
    try:
        unlocked = vault.give_key_pairs(unlocked, password)  # a first-release account: its key pairs, now
        with db.transaction() as session:
            account = session.scalar(select(Account).where(Account.username == normalise_username(username)))
            if account is None or account.disabled:
                raise BadCredentials("Tài khoản này đã bị vô hiệu hoá. Liên hệ quản trị viên.")
            account.last_login_at = now()
            actor = _actor(account, unlocked.signing)
            if audit.registered_key_id(session, actor.username) is None:
                audit.register_key(session, unlocked.signing, None,
                                   f"Khoá ký nhật ký của tài khoản, tạo khi đăng nhập lần đầu từ phiên bản {audit.SIGNED_SINCE}")
            detail = f"sau {failures_before} lần nhập sai mật khẩu" if failures_before else ""
            audit.record(session, actor, "login", "account", actor.username, detail=detail)
    except BaseException:
        db.dispose()
        raise
    db.follow_key = _follow_rekeys(folder, unlocked)
    return Workspace(db, actor, vault)


def check_password(ws: Workspace, password: str) -> None:
    """For the idle lock: the same account proves it is still at the keyboard (raises on a wrong password)."""
    Vault.load(ws.folder).unlock(ws.actor.username, password)


def _rekey(ws: Workspace, vault: Vault, in_transaction, share, *, drop: tuple[str, ...] = ()) -> list[str]:
    """Revoke: a new data key for the remaining accounts, the database re-encrypted with it.

    `in_transaction(session)` makes the change in the database (and its audit entries); the key file is
    written last inside that transaction (new key pending beside the old one), then the file is rekeyed,
    then the new key becomes the current one. Holds the key-file lock throughout. Returns accounts that
    could not receive the new key (first-release accounts never signed in since): they need a reset. `share`: the
    caller's `server_keys.sharing`, which hands the key file with the new key to the other workstations (server mode)
    before the data gets that key."""
    new_key = secrets.token_bytes(32)
    with file_lock(ws.folder):
        with ws.db.transaction() as session:
            in_transaction(session)
            vault.begin_rekey(new_key, drop=drop)
        share()
        ws.db.rekey(new_key)
        left_out = vault.finish_rekey()
    if left_out:
        with ws.db.transaction() as session:
            audit.record(session, ws.actor, "update", "account", ",".join(left_out)[:40],
                         detail="Khoá dữ liệu mới chưa cấp được cho tài khoản chưa đăng nhập lần nào từ phiên bản "
                                f"{audit.SIGNED_SINCE}: cần quản trị viên đặt lại mật khẩu")
    return left_out


def change_own_password(ws: Workspace, old: str, new: str) -> list[str]:
    """A new password, and a new data key: what the old password opened no longer opens the live data."""
    check_password_strength(nfc(new))

    def changes(session):
        audit.record(session, ws.actor, "update", "account", ws.actor.username, detail="Đổi mật khẩu (đã đổi khoá dữ liệu)")
    with sharing(ws.db) as share:
        vault = Vault.load(ws.folder)
        unlocked = vault.unlock_account(ws.actor.username, old)
        if unlocked.signing is None:
            unlocked = vault.give_key_pairs(unlocked, old)
        vault.change_password(unlocked, new)
        return _rekey(ws, vault, changes, share)


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
    check_password_strength(nfc(password))
    with sharing(ws.db), file_lock(ws.folder), ws.db.transaction() as session:
        if session.scalar(select(Account).where(Account.username == username)):
            raise VaultError(f"Đã có tài khoản {username}.")
        session.add(Account(username=username, full_name=name, roles=role_text))
        audit.record(session, ws.actor, "create", "account", username, changes=[("roles", "", role_text)])
        # The key file is written last, inside the transaction: if it fails, the account row is rolled back.
        made = Vault.load(ws.folder).add_account(ws.db.key, username, password)
        audit.register_key(session, made.signing, ws.actor, "Khoá ký nhật ký của tài khoản mới, do quản trị viên cấp")


def reset_password(ws: Workspace, username: str, new_password: str) -> list[str]:
    """An administrator sets a new password: new key pairs for the account and a new data key for everyone,
    so the old password (and any copy of the old key file) no longer opens the live data."""
    ws.actor.require("accounts")
    username = normalise_username(username)
    check_password_strength(nfc(new_password))

    def changes(session):
        account = session.scalar(select(Account).where(Account.username == username))
        if account is None or account.disabled:
            raise VaultError(f"Không có tài khoản đang hoạt động tên {username}.")
        audit.record(session, ws.actor, "update", "account", username, detail="Quản trị viên đặt lại mật khẩu (đã đổi khoá dữ liệu)")
        made = vault.add_account(ws.db.key, username, new_password)
        audit.register_key(session, made.signing, ws.actor, "Khoá ký nhật ký mới sau khi quản trị viên đặt lại mật khẩu")
    with sharing(ws.db) as share:
        vault = Vault.load(ws.folder)
        return _rekey(ws, vault, changes, share)


def disable_account(ws: Workspace, username: str) -> list[str]:
    """The account can no longer sign in, and the data key changes: its old key entry (in any older
    backup's keys.json) with its password no longer opens the live data."""
    ws.actor.require("accounts")
    username = normalise_username(username)
    if username == ws.actor.username:
        raise VaultError("Không thể tự vô hiệu hoá tài khoản đang dùng.")

    def changes(session):
        account = session.scalar(select(Account).where(Account.username == username))
        if account is None or account.disabled:
            raise VaultError(f"Không có tài khoản đang hoạt động tên {username}.")
        account.disabled = True
        audit.record(session, ws.actor, "update", "account", username, changes=[("disabled", "False", "True")])
    with sharing(ws.db) as share:
        vault = Vault.load(ws.folder)
        return _rekey(ws, vault, changes, share, drop=(username,))
