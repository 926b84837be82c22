"""The attacks a commune office must withstand: guessed passwords, the wrong role, a stolen file, an edited log."""
from __future__ import annotations

import sqlite3
import unicodedata
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from models.clock import now
from models.entities import AuditEvent
from models.db import WrongKeyError, open_database
from models.security.audit import verify_chain
from models.security.roles import NotAllowed
from models.security.vault import AccountLocked, BadCredentials, Vault, VaultError
from models.services import drafts
from models.services.accounts import add_account, change_own_password, disable_account, login, reset_password
from models.services.intake import create_intake, parse_intake
from models.services.office import save_office
from tests.conftest import OFFICE, PASSWORD, intake_raw

CHILD = "Nguyễn Thị Ánh"


@pytest.fixture
def office(workspace, office_db):
    add_account(workspace, "canbo", "Trần Thị Lan", ["worker"], "mat-khau-can-bo")
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    return workspace


def test_wrong_passwords_lock_the_account_for_a_while(office, data_dir):
    for left in (4, 3, 2, 1):
        with pytest.raises(BadCredentials, match=f"Còn {left} lần thử"):
            login(data_dir, "canbo", "doan-sai-mat-khau")
    with pytest.raises(AccountLocked, match="tạm khoá 5 phút"):
        login(data_dir, "canbo", "doan-sai-mat-khau")
    # Even the right password is refused while locked …
    with pytest.raises(AccountLocked, match="Thử lại sau"):
        login(data_dir, "canbo", "mat-khau-can-bo")
    # … and accepted once the lock has run out.
    vault = Vault.load(data_dir)
    assert vault.unlock("canbo", "mat-khau-can-bo", at=now() + timedelta(minutes=6))
    ws = login(data_dir, "canbo", "mat-khau-can-bo")
    ws.close()
    # An unknown name gets the same words as a wrong password.
    with pytest.raises(BadCredentials, match="Sai tên đăng nhập hoặc mật khẩu"):
        login(data_dir, "khong-co-ai", "mat-khau-bat-ky")


def test_the_leader_reads_but_cannot_write_the_workers_forms(office, data_dir):
    leader = login(data_dir, "chutich", "mat-khau-chu-tich")
    try:
        data, errors = parse_intake(intake_raw())
        assert errors == {}
        with pytest.raises(NotAllowed, match="không có quyền tạo hồ sơ"):
            create_intake(leader.db, data, leader.actor)
        with pytest.raises(NotAllowed, match="không có quyền sửa cài đặt"):
            save_office(leader.db, OFFICE, leader.actor)
        with pytest.raises(NotAllowed):
            add_account(leader, "ke-la", "Kẻ Lạ", ["admin"], "mat-khau-ke-la")
        assert leader.actor.can("case.view") and leader.actor.can("approve")
    finally:
        leader.close()


@pytest.mark.sqlite_only
def test_password_change_and_reset_draw_a_new_data_key(office, data_dir):
    old_key = office.db.key
    worker = login(data_dir, "canbo", "mat-khau-can-bo")
    change_own_password(worker, "mat-khau-can-bo", "mat-khau-moi-1")
    worker.close()
    after_change = Vault.load(data_dir).unlock("admin", PASSWORD)
    assert after_change != old_key  # the live file is now under a new key
    with pytest.raises(WrongKeyError):
        open_database(data_dir, old_key)
    with pytest.raises(BadCredentials):
        login(data_dir, "canbo", "mat-khau-can-bo")
    # The administrator's open workspace follows the new key (it was changed by another sign-in).
    reset_password(office, "canbo", "do-quan-tri-dat")
    assert office.db.key not in (old_key, after_change)
    login(data_dir, "canbo", "do-quan-tri-dat").close()
    login(data_dir, "chutich", "mat-khau-chu-tich").close()  # the others keep their passwords
    with pytest.raises(VaultError, match="ít nhất 8 ký tự"):
        reset_password(office, "canbo", "ngan")


def test_a_disabled_account_can_no_longer_open_the_data(office, data_dir):
    disable_account(office, "canbo")
    with pytest.raises(BadCredentials):
        login(data_dir, "canbo", "mat-khau-can-bo")
    with pytest.raises(VaultError, match="Không thể tự vô hiệu hoá"):
        disable_account(office, "admin")


@pytest.mark.sqlite_only
def test_the_stolen_file_cannot_be_read(office, data_dir):
    create_intake(office.db, parse_intake(intake_raw(child_name=CHILD))[0], office.actor)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(data_dir / "bvte.sqlite3").execute("SELECT * FROM child").fetchall()
    with pytest.raises(WrongKeyError, match="khoá không khớp"):
        open_database(data_dir, bytes(32))


@pytest.mark.sqlite_only
def test_no_childs_name_anywhere_in_the_data_folder(office, data_dir):
    worker = login(data_dir, "canbo", "mat-khau-can-bo")
    name = "Hoàng Thị Mỹ Duyên"
    create_intake(worker.db, parse_intake(intake_raw(child_name=name, father_name="Hoàng Văn Quý",
                                                     informant_name="Lê Thị Mai"))[0], worker.actor)
    drafts.save_draft(worker.db, "01", {"child_name": "Đinh Văn Khải", "notes": "bản nháp"}, user="canbo")
    # Leave the WAL full of fresh pages (no checkpoint): they must be encrypted too.
    needles = []
    for secret in (name, "Hoàng Văn Quý", "Lê Thị Mai", "Đinh Văn Khải"):
        for form in ("NFC", "NFD"):
            needles.append(unicodedata.normalize(form, secret).encode("utf-8"))
        needles.append(secret.encode("utf-16-le"))
    needles += [b"hoang thi my duyen", b"dinh van khai"]  # the diacritic-free search keys
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files)
    for path in files:
        content = path.read_bytes().lower()
        for needle in needles:
            assert needle.lower() not in content, f"{needle!r} in clear text in {path.name}"
    worker.close()


def test_the_audit_trail_detects_an_edited_or_deleted_entry(office):
    create_intake(office.db, parse_intake(intake_raw())[0], office.actor)
    with office.db.session() as s:
        report = verify_chain(s)
        assert report.ok and report.count >= 5
    with office.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET username='ai-do' WHERE id=3"))
    with office.db.session() as s:
        report = verify_chain(s)
    assert not report.ok and report.first_bad_id == 3 and "đã bị sửa" in report.message


def test_deleting_entries_from_the_middle_or_the_end_is_detected(office):
    with office.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id=2"))
    with office.db.session() as s:
        assert "xoá hoặc chèn" in verify_chain(s).message
    with office.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id >= 2"))
    with office.db.session() as s:
        assert "Các mục cuối của nhật ký đã bị xoá" in verify_chain(s).message


def test_changes_are_recorded_field_by_field(office):
    changed = dict(OFFICE, chairman_name="Đỗ Văn Thành")
    assert save_office(office.db, changed, office.actor) == {}
    with office.db.engine.connect() as conn:  # (through the columns' types: encrypted on the office server)
        row = conn.execute(select(AuditEvent.username, AuditEvent.action, AuditEvent.field, AuditEvent.old_value,
                                  AuditEvent.new_value).where(AuditEvent.field == "chairman_name")
                           .order_by(AuditEvent.id.desc()).limit(1)).one()
    assert tuple(row) == ("admin", "update", "chairman_name", "Phạm Văn Hùng", "Đỗ Văn Thành")


def test_unlock_takes_under_a_second_with_the_real_key_derivation(real_kdf, tmp_path):
    # Not a timing assertion: this checks the real Argon2id parameters are the ones the key file records.
    from models.security import vault as vault_module
    from models.services.accounts import setup_office

    ws = setup_office(tmp_path / "real", "admin", "Quản trị", PASSWORD)
    ws.close()
    assert Vault.load(tmp_path / "real").data["kdf"] == vault_module.REAL_KDF
    assert vault_module.REAL_KDF["memory_cost"] >= 65536  # memory-hard: 64 MiB per guess
