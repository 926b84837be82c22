"""Safe writing to a USB stick, password protection, and the reporting periods."""
from __future__ import annotations

import errno
import hashlib
import io
import os
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models.entities import AuditEvent, Case
from models.reports import protect
from desktop.actions.reports import export_report
from models.reports.period import PeriodError, parse_period
from models.reports.safe_write import ReportWriteError, verify_checksum, write_safely
from models.services.intake import create_intake, parse_intake
from tests.conftest import intake_raw


def _audit_count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


def _db_bytes(ws) -> bytes:
    return ws.db.path.read_bytes()


@pytest.fixture
def usb(tmp_path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


# -- periods ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,start,end", [
    ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
    ("2026-6T", date(2026, 1, 1), date(2026, 6, 30)),
    ("2026-9M", date(2026, 1, 1), date(2026, 9, 30)),
    ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-01-01:2026-05-10", date(2026, 1, 1), date(2026, 5, 10)),
    ("01/01/2026-10/05/2026", date(2026, 1, 1), date(2026, 5, 10)),
])
def test_periods(text, start, end):
    p = parse_period(text)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize("text,words", [("2026-Q5", "Không hiểu"), ("2026-06-30:2026-01-01", "phải sau"),
                                        ("2026-02-30:2026-03-01", "không có thật")])
def test_bad_periods(text, words):
    with pytest.raises(PeriodError, match=words):
        parse_period(text)


# -- safe writing ----------------------------------------------------------------------------------------
def test_written_with_a_checksum(usb):
    target, sums = write_safely(b"PK\x03\x04 noi dung", usb / "bao-cao.xlsx")
    assert target.read_bytes() == b"PK\x03\x04 noi dung"
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert sums.read_text() == f"{digest}  bao-cao.xlsx\n"
    assert verify_checksum(target)
    assert sorted(p.name for p in usb.iterdir()) == ["bao-cao.xlsx", "bao-cao.xlsx.sha256"]


@pytest.mark.sqlite_only  # compares the bytes of the single-PC file before and after
def test_stick_full(office_db, workspace, usb, monkeypatch):
    before, audits = _db_bytes(workspace), _audit_count(office_db)
    import models.reports.safe_write as sw
    original = sw._write_verified

    def full(path, data):
        with open(path, "xb") as fh:
            fh.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sw, "_write_verified", full)
    with pytest.raises(ReportWriteError, match="Không đủ chỗ trống"):
        export_report(workspace, "2026", usb / "bao-cao.xlsx")
    assert list(usb.iterdir()) == []  # no partial file, no temporary file
    assert _audit_count(office_db) == audits
    monkeypatch.setattr(sw, "_write_verified", original)
    assert _db_bytes(workspace) == before


def test_stick_full_by_free_space(office_db, workspace, usb, monkeypatch):
    import shutil as _shutil

    monkeypatch.setattr(_shutil, "disk_usage", lambda p: _shutil._ntuple_diskusage(1 << 30, 1 << 30, 10))
    with pytest.raises(ReportWriteError, match="Không đủ chỗ trống.*còn 0 KB"):
        export_report(workspace, "2026", usb)
    assert list(usb.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else False, reason="root ignores permissions")
def test_read_only_folder_permissions(office_db, workspace, usb):
    usb.chmod(0o555)
    try:
        with pytest.raises(ReportWriteError, match="chỉ cho đọc"):
            export_report(workspace, "2026", usb)
    finally:
        usb.chmod(0o755)


def test_read_only_stick(office_db, workspace, usb, monkeypatch):
    import builtins

    real_open = builtins.open

    def ro_open(file, mode="r", *args, **kwargs):
        if "x" in mode or "w" in mode:
            if Path(file).parent == usb:
                raise OSError(errno.EROFS, "Read-only file system", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", ro_open)
    with pytest.raises(ReportWriteError, match="chỉ cho đọc"):
        export_report(workspace, "2026", usb)
    monkeypatch.setattr(builtins, "open", real_open)
    assert list(usb.iterdir()) == []


def test_stick_removed_mid_way(office_db, workspace, usb, monkeypatch):
    import models.reports.safe_write as sw

    real_replace = os.replace

    def pulled(src, dst):  # the temporary file is written, then the stick disappears before the rename
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(sw.os, "replace", pulled)
    with pytest.raises(ReportWriteError, match="bị rút ra"):
        export_report(workspace, "2026", usb)
    monkeypatch.setattr(sw.os, "replace", real_replace)
    assert list(usb.iterdir()) == []


def test_stick_gone_before(office_db, workspace, tmp_path):
    with pytest.raises(ReportWriteError, match="Không tìm thấy thư mục"):
        export_report(workspace, "2026", tmp_path / "khong-co" / "bao-cao.xlsx")


def test_corrupted_read_back_is_refused(office_db, workspace, usb, monkeypatch):
    import models.reports.safe_write as sw

    real = sw._write_verified

    def flaky(path, data):
        real(path, data)
        if path.name.endswith(tuple(f"{i:x}" for i in range(16))) and ".xlsx.bvte-tam-" in path.name:
            with open(path, "r+b") as fh:  # the stick returns other bytes than were written
                fh.seek(200)
                fh.write(b"\x00" * 64)

    monkeypatch.setattr(sw, "_write_verified", flaky)
    with pytest.raises(ReportWriteError, match="hỏng"):
        export_report(workspace, "2026", usb)
    assert list(usb.iterdir()) == []


# -- password protection ---------------------------------------------------------------------------------
def test_password_protected_file(office_db, workspace, usb):
    data, errors = parse_intake(intake_raw())
    assert not errors
    create_intake(office_db, data, workspace.actor)
    with office_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1
    out = export_report(workspace, "2026", usb, with_names=True, password="mat-khau-8")
    assert out.name.endswith("-co-ten.xlsx") and verify_checksum(out)
    data = out.read_bytes()
    assert protect.is_encrypted(data)
    with pytest.raises(Exception):
        load_workbook(out)  # not readable without the password
    with pytest.raises(protect.PasswordError, match="không đúng"):
        protect.decrypt(data, "sai-mat-khau")
    wb = load_workbook(io.BytesIO(protect.decrypt(data, "mat-khau-8")))
    header = [c.value for c in next(r for r in wb["Danh sách trường hợp"].iter_rows() if r[0].value == "STT")]
    assert "Họ và tên trẻ em" in header
    assert "Nguyễn Thị Ánh" in [c.value for r in wb["Danh sách trường hợp"].iter_rows() for c in r]
    assert "mật khẩu" in " ".join(str(c.value) for r in wb["Bìa"].iter_rows() for c in r if c.value)
    with office_db.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.entity == "report" and "đã đặt mật khẩu" in event.detail


def test_export_needs_the_permission(office_db, workspace, usb):
    from dataclasses import replace

    from models.security.roles import NotAllowed

    leader = replace(workspace, actor=replace(workspace.actor, roles=frozenset({"leader"})))
    with pytest.raises(NotAllowed, match="xuất báo cáo"):
        export_report(leader, "2026", usb)
