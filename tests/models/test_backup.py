"""Backups: a verified, encrypted .bvtebak file; restore with the backup's own accounts; daily rotation."""
from __future__ import annotations

import errno
import hashlib
import json
import unicodedata
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import backup
from models.backup import BackupError, automatic_backup, inspect_backup, make_backup, restore_backup, rotate
from models.clock import VN, now
from models.entities import AppState, AuditEvent, Case, Office
from models.security.audit import verify_chain
from models.security.roles import NotAllowed
from models.services.accounts import add_account, login, setup_office
from models.services.intake import create_intake, parse_intake
from tests.conftest import PASSWORD, intake_raw

CHILD = "Nguyễn Thị Ánh"


def _add_cases(ws, n: int = 2) -> None:
    for i in range(n):
        raw = intake_raw(personal_id=f"03031500{i:04d}")
        create_intake(ws.db, parse_intake(raw)[0], ws.actor)


def _case_count(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Case))


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def usb(tmp_path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def made(workspace, usb):
    """A workspace with two cases and a manual backup of it on the 'USB stick'."""
    _add_cases(workspace, 2)
    info = make_backup(workspace, usb / "sao-luu.bvtebak")
    return workspace, info


# -- the file ----------------------------------------------------------------------------------------
def test_backup_file_holds_encrypted_db_key_file_and_a_manifest_without_names(made, usb, tmp_path):
    ws, info = made
    assert info.case_count == 2 and info.external and info.kind == "manual"
    with zipfile.ZipFile(info.path) as zf:
        assert sorted(zf.namelist()) == ["bvte.sqlite3", "keys.json", "manifest.json"]
        manifest = json.loads(zf.read("manifest.json"))
        db_bytes = zf.read("bvte.sqlite3")
        assert zf.read("keys.json") == (ws.folder / "keys.json").read_bytes()
    assert manifest["office_id"] == ws.vault.office_id
    assert manifest["schema_revision"] == ws.db.head_revision()
    assert manifest["sha256"] == hashlib.sha256(db_bytes).hexdigest() and manifest["size"] == len(db_bytes)
    assert manifest["case_count"] == 2 and manifest["created_by"] == "admin"
    assert not db_bytes.startswith(b"SQLite format 3")
    everything = info.path.read_bytes()
    for text in (CHILD, "Phú Lộc", "Đặng Thị Hương", "Trần Thị Lan", "bi_xam_hai", "CREATE TABLE"):
        for form in ("NFC", "NFD"):
            needle = unicodedata.normalize(form, text).encode("utf-8")
            assert needle not in everything, text
            assert needle not in db_bytes, text
    assert list(usb.iterdir()) == [info.path]  # no temporary file left beside it
    assert not list(ws.folder.glob(".bvte-tam-*"))


def test_inspect_returns_the_manifest(made):
    _ws, info = made
    assert inspect_backup(info.path) == info.manifest


def test_backup_is_audited_and_remembered_as_external(made):
    ws, info = made
    with ws.db.session() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (last.action, last.username, last.entity_id) == ("backup", "admin", "sao-luu.bvtebak")
        assert datetime.fromisoformat(session.get(AppState, "last_external_backup").value) == info.created_at
    assert backup.last_external_backup(ws) == info.created_at


@pytest.mark.sqlite_only
def test_snapshot_is_consistent_while_another_connection_writes(workspace, tmp_path):
    """The copy is one read transaction: an uncommitted write elsewhere neither blocks it nor appears in it."""
    _add_cases(workspace, 1)
    writer = backup._connect(workspace.db.path, workspace.db.key)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO app_state(key, value) VALUES ('chua-ghi', 'x')")
        backup._snapshot(workspace.db, tmp_path / "snap.sqlite3")
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    assert backup._check_snapshot(tmp_path / "snap.sqlite3", workspace.db.key) == 1
    check = backup._connect(tmp_path / "snap.sqlite3", workspace.db.key)
    try:
        assert check.execute("SELECT count(*) FROM app_state WHERE key = 'chua-ghi'").fetchone()[0] == 0
    finally:
        check.close()


@pytest.mark.sqlite_only
def test_pre_upgrade_copy_made_with_vacuum_into_is_encrypted_with_the_same_key(workspace):
    """`Database._copy_aside` uses VACUUM INTO: SQLCipher keys the copy with the database's own key."""
    _add_cases(workspace, 1)
    copy = workspace.db._copy_aside("test")
    data = copy.read_bytes()
    assert not data.startswith(b"SQLite format 3") and CHILD.encode() not in data
    assert backup._check_snapshot(copy, workspace.db.key) == 1
    with pytest.raises(BackupError):
        backup._check_snapshot(copy, bytes(32))


# -- round trip -----------------------------------------------------------------------------------------
@pytest.mark.sqlite_only
def test_restore_brings_back_every_case_and_a_valid_audit_chain(made, usb):
    ws, info = made
    _add_cases_after = intake_raw(personal_id=None, child_name="Lê Văn Bình")
    create_intake(ws.db, parse_intake(_add_cases_after)[0], ws.actor)
    assert _case_count(ws.db) == 3
    folder = ws.folder

    safety = restore_backup(folder, info.path, "admin", PASSWORD, current=ws)

    assert {"bvte.sqlite3", "keys.json"} <= {p.name for p in safety.iterdir()}
    assert safety.parent == folder / "backups" and safety.name.startswith("truoc-khoi-phuc-")
    assert not list(folder.glob(".bvte-tam-*"))
    again = login(folder, "admin", PASSWORD)
    try:
        assert _case_count(again.db) == 2
        assert again.db.integrity_ok()
        with again.db.session() as session:
            report = verify_chain(session)
            assert report.ok, report.message
            actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions[-2:] == ["restore", "login"]
    finally:
        again.close()
    # The safety copy still opens with the key: the third case is there.
    old = backup._connect(safety / "bvte.sqlite3", ws.db.key)
    try:
        assert old.execute("SELECT count(*) FROM case_file").fetchone()[0] == 3
    finally:
        old.close()


def test_restore_into_an_empty_folder(made, tmp_path):
    _ws, info = made
    fresh = tmp_path / "may-moi"
    assert restore_backup(fresh, info.path, "admin", PASSWORD) is None
    ws = login(fresh, "admin", PASSWORD)
    try:
        assert _case_count(ws.db) == 2
    finally:
        ws.close()


# -- refusals leave the data folder as it was ----------------------------------------------------------
def _refused(ws, file: Path, match: str, *, user="admin", password=PASSWORD, exc=BackupError, **kw):
    """Refused although the current office's administrator (`ws`) allowed it: nothing changes."""
    folder = ws.folder
    before = _tree(folder)
    with pytest.raises(exc, match=match):
        restore_backup(folder, file, user, password, current=ws, **kw)
    assert _tree(folder) == before
    assert not list(folder.glob(".bvte-tam-*"))


@pytest.mark.sqlite_only  # restores into the data folder: a server workstation refuses that by design
def test_truncated_backup_is_refused(made, tmp_path):
    ws, info = made
    cut = tmp_path / "cut.bvtebak"
    data = info.path.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match="bị hỏng hoặc không đầy đủ"):
        inspect_backup(cut)
    _refused(ws, cut, "bị hỏng hoặc không đầy đủ")


@pytest.mark.sqlite_only  # restores into the data folder: a server workstation refuses that by design
def test_tampered_database_member_is_refused(made, tmp_path):
    ws, info = made
    bad = tmp_path / "bad.bvtebak"
    with zipfile.ZipFile(info.path) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "bvte.sqlite3":
                data = data[:5000] + bytes([data[5000] ^ 1]) + data[5001:]
            dst.writestr(name, data)  # fresh CRCs: only the manifest's sha256 can tell
    with pytest.raises(BackupError, match="mã kiểm tra không khớp"):
        inspect_backup(bad)
    _refused(ws, bad, "mã kiểm tra không khớp")


@pytest.mark.sqlite_only  # restores into the data folder: a server workstation refuses that by design
@pytest.mark.parametrize("change, message", [
    ("not-zip", "không phải là tệp sao lưu"),
    ("no-keys", "thiếu phần khoá"),
    ("newer-format", "phiên bản BVTE mới hơn"),
    ("newer-schema", "phiên bản BVTE mới hơn"),
])
def test_other_bad_files_are_refused(made, tmp_path, change, message):
    ws, info = made
    bad = tmp_path / "bad.bvtebak"
    if change == "not-zip":
        bad.write_bytes(b"%PDF-1.4 not a backup" * 100)
    else:
        with zipfile.ZipFile(info.path) as src, zipfile.ZipFile(bad, "w") as dst:
            for name in src.namelist():
                data = src.read(name)
                if name == "keys.json" and change == "no-keys":
                    continue
                if name == "manifest.json":
                    manifest = json.loads(data)
                    if change == "newer-format":
                        manifest["format"] += 1
                    if change == "newer-schema":
                        manifest["schema_revision"] = "9999"
                    data = json.dumps(manifest).encode()
                dst.writestr(name, data)
    with pytest.raises(BackupError, match=message):
        inspect_backup(bad)
    _refused(ws, bad, message)


@pytest.mark.sqlite_only  # restores into the data folder: a server workstation refuses that by design
def test_wrong_password_is_refused(made):
    ws, info = made
    _refused(ws, info.path, "không mở được bản sao lưu", password="sai-mat-khau-roi")
    _refused(ws, info.path, "không mở được bản sao lưu", user="khongco")


@pytest.mark.sqlite_only
def test_backup_of_another_office_is_refused_unless_asked_for(made, tmp_path):
    ws, _info = made
    other = setup_office(tmp_path / "xa-khac", "admin", "Lê Văn Tâm", "mat-khau-xa-khac")
    try:
        foreign = make_backup(other, tmp_path / "xa-khac.bvtebak").path
    finally:
        other.close()
    _refused(ws, foreign, "của cơ quan khác", password="mat-khau-xa-khac")
    restore_backup(ws.folder, foreign, "admin", "mat-khau-xa-khac", current=ws, allow_foreign=True)
    opened = login(ws.folder, "admin", "mat-khau-xa-khac")
    try:
        assert _case_count(opened.db) == 0 and opened.vault.office_id != ws.vault.office_id
    finally:
        opened.close()


@pytest.mark.sqlite_only  # restores into the data folder: a server workstation refuses that by design
# -- who may ----------------------------------------------------------------------------------------
def test_worker_cannot_back_up_by_hand_but_automatic_backup_runs_for_them(workspace, usb):
    add_account(workspace, "canbo", "Lê Thị Mai", ["worker"], "mat-khau-can-bo")
    _add_cases(workspace, 1)
    worker = login(workspace.folder, "canbo", "mat-khau-can-bo")
    try:
        with pytest.raises(NotAllowed, match="không có quyền sao lưu"):
            make_backup(worker, usb / "x.bvtebak")
        with pytest.raises(ValueError):
            make_backup(worker, usb / "x.bvtebak", kind="auto")  # "automatic" is no way round the role
        assert list(usb.iterdir()) == []
        info = automatic_backup(worker)
        assert info is not None and info.kind == "auto" and info.case_count == 1 and not info.external
        assert info.path.parent == workspace.folder / "backups"
        with worker.db.session() as session:
            last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
            assert (last.action, last.username) == ("backup", "he-thong")
            assert "canbo" in last.detail
            assert session.get(AppState, "last_external_backup") is None
        # A worker's password opens the backup, but only an administrator of the backup may restore it.
        _refused(workspace, info.path, "không có quyền khôi phục", user="canbo",
                 password="mat-khau-can-bo", exc=NotAllowed)
    finally:
        worker.close()


# -- failures while writing ---------------------------------------------------------------------------
def test_missing_target_folder(workspace, tmp_path):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(BackupError, match="Không tìm thấy thư mục"):
        make_backup(workspace, tmp_path / "a-file" / "x.bvtebak")
    with pytest.raises(BackupError, match="Không tìm thấy thư mục"):
        make_backup(workspace, tmp_path / "rut-ra" / "x.bvtebak")


@pytest.mark.parametrize("code, message", [
    (errno.ENOSPC, "Không đủ chỗ trống"),
    (errno.EIO, "bị rút ra hoặc bị lỗi"),
    (errno.EROFS, "chỉ cho đọc"),
])
def test_write_failure_gives_a_message_and_leaves_nothing(workspace, usb, monkeypatch, code, message):
    _add_cases(workspace, 1)
    with workspace.db.session() as session:
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))

    def fail(self, *args, **kwargs):
        raise OSError(code, "simulated")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", fail)
    with pytest.raises(BackupError, match=message):
        make_backup(workspace, usb / "x.bvtebak")
    assert list(usb.iterdir()) == []
    assert not list(workspace.folder.glob(".bvte-tam-*"))
    assert workspace.db.integrity_ok() and _case_count(workspace.db) == 1
    with workspace.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before
        assert session.get(AppState, "last_external_backup") is None


def test_failed_verification_removes_the_temporary_file(workspace, usb, monkeypatch):
    real = backup._copy_member

    def read_back_differs(zf, manifest, file, dest, *args, **kwargs):
        return real(zf, dict(manifest, sha256="0" * 64), file, dest, *args, **kwargs)

    monkeypatch.setattr(backup, "_copy_member", read_back_differs)
    with pytest.raises(BackupError, match="mã kiểm tra không khớp"):
        make_backup(workspace, usb / "x.bvtebak")
    assert list(usb.iterdir()) == []


@pytest.mark.sqlite_only
def test_the_data_is_checked_once_and_a_damaged_database_is_not_backed_up(workspace, usb, monkeypatch):
    checks = []
    real = backup._check_connection

    def damaged(conn, report, span):
        checks.append(conn)
        raise BackupError("Cơ sở dữ liệu bị hỏng (kiểm tra toàn vẹn không đạt): chưa sao lưu.")

    monkeypatch.setattr(backup, "_check_connection", damaged)
    with pytest.raises(BackupError, match="kiểm tra toàn vẹn"):
        make_backup(workspace, usb / "x.bvtebak")
    assert len(checks) == 1 and list(usb.iterdir()) == []
    monkeypatch.setattr(backup, "_check_connection", lambda *a: checks.append(a) or real(*a))
    info = make_backup(workspace, usb / "y.bvtebak")
    assert len(checks) == 2 and info.case_count == _case_count(workspace.db)


@pytest.mark.sqlite_only
def test_while_another_connection_holds_the_wal_the_online_backup_is_used(workspace, usb, monkeypatch):
    online = []
    real = backup._snapshot
    monkeypatch.setattr(backup, "_snapshot", lambda db, dest: online.append(dest) or real(db, dest))
    other = backup._connect(workspace.db.path, workspace.db.key)
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM case_file").fetchone()  # a reader pins the WAL
    with workspace.db.transaction() as session:
        session.add(AppState(key="x", value="1"))  # a frame the checkpoint cannot fold while the reader stays
    try:
        info = make_backup(workspace, usb / "z.bvtebak")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert info.case_count == _case_count(workspace.db)
    assert inspect_backup(info.path)["sha256"] == info.manifest["sha256"]
    assert len(online) == 1  # the file could not be held still: a separate consistent copy was made
    make_backup(workspace, usb / "quiet.bvtebak")
    assert len(online) == 1  # nobody else reading: the file's own bytes, no second copy


# -- automatic backups and rotation ---------------------------------------------------------------------
def test_automatic_backup_once_a_day(workspace):
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=VN)
    assert backup.needs_daily_backup(workspace, t0)
    first = automatic_backup(workspace, t0)
    assert first.path.name == "bvte-20261120-080000.bvtebak"
    assert not backup.needs_daily_backup(workspace, t0 + timedelta(hours=23))
    assert automatic_backup(workspace, t0 + timedelta(hours=23)) is None
    assert backup.needs_daily_backup(workspace, t0 + timedelta(hours=24))
    second = automatic_backup(workspace, t0 + timedelta(hours=25))
    assert second.path.name == "bvte-20261121-090000.bvtebak"
    assert first.path.exists()  # another day: both kept
    forced = automatic_backup(workspace, t0 + timedelta(hours=25), force=True)
    assert forced.path.name == "bvte-20261121-090000-2.bvtebak"
    assert not second.path.exists()  # same day: only the newest is kept


def _touch(folder: Path, at: datetime) -> Path:
    path = folder / f"bvte-{at:%Y%m%d-%H%M%S}.bvtebak"
    path.write_bytes(b"x")
    return path


def test_rotation_keeps_days_weeks_and_months(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    end = datetime(2026, 11, 20, 17, 0, tzinfo=VN)
    for day in range(400):
        for hour in (8, 17):
            _touch(folder, (end - timedelta(days=day)).replace(hour=hour))
    others = [folder / "truoc-nang-cap-0001-20250101-080000.sqlite3", folder / "ghi-chu.txt",
              folder / "bvte-sao-luu-20250101-0800.bvtebak"]
    for path in others:
        path.write_bytes(b"x")
    future = _touch(folder, end + timedelta(days=30))
    pinned = _touch(folder, datetime(2024, 1, 1, 9, 0, tzinfo=VN))

    deleted = rotate(folder, end, keep=[pinned])

    d = lambda y, m, day: f"bvte-{y}{m:02d}{day:02d}-170000.bvtebak"  # noqa: E731
    expected = {d(2026, 11, day) for day in range(18, 21)}  # 3 days
    expected |= {d(2026, 11, 15)}  # ISO week 46 (week 47 ends on a kept day)
    expected |= {d(2026, 10, 31), d(2026, 9, 30)}  # 3 months (November's newest is a kept day)
    expected |= {p.name for p in others} | {future.name, pinned.name}
    assert {p.name for p in folder.iterdir()} == expected
    assert len(deleted) == 800 - 6
    assert backup.MAX_AUTO_BACKUPS == 8  # the most a year of daily backups can leave (README: 8 × the data)


def test_rotation_counts_only_days_that_have_backups(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    end = datetime(2026, 11, 20, 9, 0, tzinfo=VN)
    made = [_touch(folder, end - timedelta(days=3 * i)) for i in range(10)]  # every third day, 27 days back
    rotate(folder, end)
    left = {p.name for p in folder.iterdir()}
    # The 3 newest days (6 days back) are all kept, although they span more than one week.
    assert {p.name for p in made[:3]} <= left
    # Of the older ones only Oct 30 stays: the newest of October (Nov 11 … Nov 2 are no rule's newest).
    assert {p.name for p in made[3:]} & left == {made[7].name}


def test_automatic_backup_never_touches_pre_upgrade_copies(workspace):
    folder = workspace.folder / "backups"
    folder.mkdir()
    copy = folder / "truoc-nang-cap-0001-20200101-080000.sqlite3"
    copy.write_bytes(b"x")
    old = _touch(folder, datetime(2026, 11, 19, 8, 0, tzinfo=VN))
    older = _touch(folder, datetime(2026, 11, 19, 7, 0, tzinfo=VN))
    automatic_backup(workspace, datetime(2026, 11, 20, 8, 0, tzinfo=VN))
    assert copy.exists() and old.exists() and not older.exists()


# -- reminders ------------------------------------------------------------------------------------------
def test_external_backup_reminder(office_db, workspace, usb):
    start = now()
    assert backup.external_backup_overdue(workspace, start) is None
    assert backup.external_backup_overdue(workspace, start + timedelta(days=7, hours=1)) is None
    assert backup.external_backup_overdue(workspace, start + timedelta(days=9)) == 9  # never made, office older
    made = make_backup(workspace, usb / "a.bvtebak", at=start + timedelta(days=10)).created_at
    assert backup.external_backup_overdue(workspace, made + timedelta(days=3)) is None
    assert backup.external_backup_overdue(workspace, made + timedelta(days=10)) == 10
    # A backup inside the data folder does not count as one kept elsewhere.
    make_backup(workspace, workspace.folder / "trong-may.bvtebak", at=made + timedelta(days=9))
    assert backup.external_backup_overdue(workspace, made + timedelta(days=10)) == 10
    with workspace.db.transaction() as session:
        session.scalar(select(Office)).backup_reminder_days = 30
    assert backup.external_backup_overdue(workspace, made + timedelta(days=10)) is None
    assert backup.external_backup_overdue(workspace, made + timedelta(days=31)) == 31
    with workspace.db.transaction() as session:
        session.scalar(select(Office)).backup_reminder_days = 0
    assert backup.external_backup_overdue(workspace, made + timedelta(days=300)) is None
