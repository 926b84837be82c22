"""A worker who can open the data tries to rewrite the audit trail unseen (issue 11, item 3).

The worker holds the data key (every account does) and its own signing key (its password unwraps it), so it
can delete its own entries and recompute the chain. What it cannot do is re-sign anybody else's entries.
"""
from __future__ import annotations

import base64
import shutil

import pytest
from sqlalchemy import select, text

from desktop.cli import main as cli_main
from models.backup import make_backup
from models.entities import AuditEvent, AuditHead
from models.security import audit
from models.security.audit import verify_anchor, verify_chain
from models.security.vault import Vault
from models.services.accounts import add_account, login
from models.services.cases import load_case, record_output
from models.services.intake import create_intake, parse_intake
from tests.conftest import PASSWORD, intake_raw

WORKER_PW, LEADER_PW = "mat-khau-can-bo", "mat-khau-chu-tich"


@pytest.fixture
def office(workspace, office_db):
    add_account(workspace, "canbo", "Trần Thị Lan", ["worker"], WORKER_PW)
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], LEADER_PW)
    return workspace


def _rechain(session, attacker_key, *, drop_ids=()) -> None:
    """What a worker can do with the library: drop entries, then recompute every hash after them, re-signing
    its own entries with its own key (others' signatures cannot be redone: they are kept as they were)."""
    session.execute(text(f"DELETE FROM audit_event WHERE id IN ({','.join(str(i) for i in drop_ids)})"))
    prev, count = audit.GENESIS, 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        event.prev_hash = prev
        if not event.signature:
            event.hash = audit._digest(prev, event)
        elif event.signer == attacker_key.username:
            content = audit._content(prev, event)
            event.signature = base64.b64encode(attacker_key.sign(content)).decode()
            event.hash = audit._signed_hash(content, event.signature)
        else:
            event.hash = audit._signed_hash(audit._content(prev, event), event.signature)
        prev = event.hash
        count += 1
    head = session.get(AuditHead, 1)
    head.count, head.last_hash = count, prev
    session.flush()


def _worker_key(folder, password=WORKER_PW):
    return Vault.load(folder).unlock_account("canbo", password).signing


def _worker_exports_then_leader_reads(office, data_dir):
    worker = login(data_dir, "canbo", WORKER_PW)
    case_id = create_intake(worker.db, parse_intake(intake_raw())[0], worker.actor)
    case = load_case(worker.db, case_id)
    record_output(worker.db, worker.actor, "export", case, "Cả hồ sơ → ho-so.xlsx (danh sách có tên)")
    record_output(worker.db, worker.actor, "print", case, "Cả hồ sơ (7 văn bản) → ho-so.pdf")
    worker.close()
    login(data_dir, "chutich", LEADER_PW).close()  # another account writes after the worker
    with office.db.session() as s:
        ids = list(s.scalars(select(AuditEvent.id).where(AuditEvent.username == "canbo",
                                                         AuditEvent.action.in_(["export", "print"]))))
    assert len(ids) == 2
    return ids


def test_a_worker_deleting_its_export_and_print_and_rechaining_is_found(office, data_dir):
    ids = _worker_exports_then_leader_reads(office, data_dir)
    key = _worker_key(data_dir)
    with office.db.transaction() as s:
        assert verify_chain(s).ok
        _rechain(s, key, drop_ids=ids)
    with office.db.session() as s:
        report = verify_chain(s)
    # The first entry the worker could not re-sign (the leader's sign-in after the export) gives it away.
    assert not report.ok
    assert "không đúng" in report.message and report.first_bad_id > max(ids)
    with office.db.session() as s:
        bad = s.get(AuditEvent, report.first_bad_id)
        assert bad.signer == "chutich"


def test_the_command_line_reports_the_first_bad_entry_in_vietnamese(office, data_dir, monkeypatch, capsys):
    ids = _worker_exports_then_leader_reads(office, data_dir)
    with office.db.transaction() as s:
        _rechain(s, _worker_key(data_dir), drop_ids=ids)
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert cli_main(["--data-dir", str(data_dir), "verify", "--user", "admin"]) == 1
    out = capsys.readouterr().out
    assert "Chữ ký của mục nhật ký số" in out and "đã bị sửa hoặc giả mạo" in out


def test_forging_an_entry_in_the_leaders_name_is_found(office, data_dir):
    login(data_dir, "chutich", LEADER_PW).close()
    key = _worker_key(data_dir)
    with office.db.transaction() as s:
        last = s.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        assert last.username == "chutich"
        last.detail = "đã xem và đồng ý"  # the worker edits the leader's entry and signs it itself …
        last.signer, last.key_id = "chutich", key.key_id
        content = audit._content(last.prev_hash, last)
        last.signature = base64.b64encode(key.sign(content)).decode()
        last.hash = audit._signed_hash(content, last.signature)
        s.get(AuditHead, 1).last_hash = last.hash
    with office.db.session() as s:
        report = verify_chain(s)
    assert not report.ok and report.first_bad_id == last.id and "khoá không có trong nhật ký" in report.message


def test_stripping_signatures_is_not_taken_for_old_entries(office):
    with office.db.transaction() as s:
        last = s.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        last.signer = last.key_id = last.signature = None
        last.hash = audit._digest(last.prev_hash, last)
        s.get(AuditHead, 1).last_hash = last.hash
    with office.db.session() as s:
        report = verify_chain(s)
    assert not report.ok and report.first_bad_id == last.id and "không có chữ ký" in report.message


def test_registering_a_new_key_for_the_leader_is_found(office, data_dir):
    """The worker cannot give the leader a key of its own making (only an administrator registers keys)."""
    from models.security.vault import SigningKey
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    worker = login(data_dir, "canbo", WORKER_PW)
    try:
        fake = SigningKey("chutich", Ed25519PrivateKey.generate())
        with worker.db.transaction() as s:
            audit.register_key(s, fake, worker.actor, "giả mạo")
    finally:
        worker.close()
    with office.db.session() as s:
        report = verify_chain(s)
    assert not report.ok and "không phải quản trị viên" in report.message


def test_deleting_ones_own_last_entries_is_found_by_an_anchor_outside(office, data_dir, tmp_path, monkeypatch, capsys):
    """The tail of the trail: nobody signed after it, so only a copy of the head kept elsewhere tells."""
    worker = login(data_dir, "canbo", WORKER_PW)
    case_id = create_intake(worker.db, parse_intake(intake_raw())[0], worker.actor)
    record_output(worker.db, worker.actor, "export", load_case(worker.db, case_id), "danh sách có tên → usb")
    worker.close()
    backup_file = make_backup(office, tmp_path / "sau-khi-xuat.bvtebak").path  # the head leaves the PC here
    with office.db.transaction() as s:
        ids = list(s.scalars(select(AuditEvent.id).where(AuditEvent.id >= s.scalar(
            select(AuditEvent.id).where(AuditEvent.action == "export")))))
        _rechain(s, _worker_key(data_dir), drop_ids=ids)  # export, and the backup entry after it
    with office.db.session() as s:
        chain = verify_chain(s)
        assert chain.ok  # inside the database alone the rewrite does not show …
        from models.security import anchors

        result = verify_anchor(s, anchors.read(backup_file), chain)
    assert not result.ok and "không còn trong nhật ký" in result.message  # … the backup's anchor does
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert cli_main(["--data-dir", str(data_dir), "verify", "--user", "admin", "--anchor", str(backup_file)]) == 1
    assert "Điểm neo KHÔNG KHỚP" in capsys.readouterr().out


def test_entries_of_the_first_release_are_unsigned_not_tampered(tmp_path, monkeypatch, capsys):
    fixture = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "release-0.1.0"
    folder = tmp_path / "cu"
    shutil.copytree(fixture, folder, ignore=shutil.ignore_patterns("README.md", "manifest.json"))
    monkeypatch.setenv("BVTE_PASSWORD", "fixture-password")
    capsys.readouterr()
    assert cli_main(["--data-dir", str(folder), "verify", "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert "mục đầu chưa ký (trước phiên bản 0.2.0)" in out and "các mục sau đều có chữ ký đúng" in out
