"""The audit chain's head leaves the PC with every backup and report; `bvte verify --anchor` reads it back."""
from __future__ import annotations

import json
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop.cli import main as cli_main
from models.backup import inspect_backup, make_backup
from models.entities import AuditEvent
from desktop.actions.reports import export_report
from models.security import anchors
from models.security.audit import verify_anchor, verify_chain
from models.services.accounts import login
from tests.conftest import PASSWORD


def _head(db):
    with db.session() as s:
        return s.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).one()


def test_the_backup_manifest_carries_the_chain_head(workspace, tmp_path):
    before = _head(workspace.db)
    info = make_backup(workspace, tmp_path / "sao-luu.bvtebak")
    manifest = inspect_backup(info.path)
    anchor = manifest["audit_anchor"]
    assert (anchor["audit_id"], anchor["audit_hash"]) == tuple(before)  # the head inside the copy
    assert anchor["office_id"] == workspace.vault.office_id
    assert anchors.read(info.path)["audit_id"] == before[0]


def test_every_exported_report_carries_it_in_a_hidden_sheet(office_db, workspace, tmp_path):
    before = _head(workspace.db)
    out = export_report(workspace, "2026", tmp_path / "bao-cao.xlsx")
    wb = load_workbook(out, read_only=True)
    try:
        assert anchors.SHEET in wb.sheetnames and wb[anchors.SHEET].sheet_state == "hidden"
        rows = {k: v for k, v in wb[anchors.SHEET].iter_rows(min_row=2, values_only=True)}
    finally:
        wb.close()
    assert rows["audit_id"] == str(before[0]) and rows["audit_hash"] == before[1]
    read = anchors.read(out)
    assert read["audit_id"] == before[0] and read["audit_hash"] == before[1]


def test_verify_checks_every_kind_of_anchor_and_saves_one(office_db, workspace, tmp_path, monkeypatch, capsys):
    backup_file = make_backup(workspace, tmp_path / "sao-luu.bvtebak").path
    report = export_report(workspace, "2026", tmp_path / "bao-cao.xlsx")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    saved = tmp_path / "neo.json"
    folder = str(workspace.folder)
    capsys.readouterr()
    assert cli_main(["--data-dir", folder, "verify", "--user", "admin", "--save-anchor", str(saved)]) == 0
    assert json.loads(saved.read_text())["kind"] == "bvte-audit-anchor"
    args = ["--data-dir", folder, "verify", "--user", "admin"]
    for f in (backup_file, report, saved):
        args += ["--anchor", str(f)]
    capsys.readouterr()
    assert cli_main(args) == 0
    out = capsys.readouterr().out
    assert out.count("Điểm neo khớp") == 3 and "vẫn nguyên vẹn trong nhật ký hôm nay" in out
    assert "mọi mục đều có chữ ký đúng" in out

    # An edited past entry: the anchors taken after it say the trail up to them was rewritten.
    with workspace.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_event SET detail='sửa' WHERE id=2")
    capsys.readouterr()
    assert cli_main(args) == 1
    out = capsys.readouterr().out
    assert "Nội dung mục nhật ký số 2 đã bị sửa" in out and "Điểm neo KHÔNG KHỚP" in out


@pytest.mark.parametrize("content, words", [
    (b"{\"kind\": \"khac\"}", "không có điểm neo"),
    (b"[" * 100_000, "không phải tệp điểm neo"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "có mật khẩu"),
    (b"PK\x03\x04 broken", "bị hỏng"),
])
def test_bad_anchor_files_get_a_plain_message(tmp_path, content, words):
    bad = tmp_path / "neo.json"
    bad.write_bytes(content)
    with pytest.raises(anchors.AnchorError, match=words):
        anchors.read(bad)


def test_a_report_made_before_anchors_existed_is_named_as_such(tmp_path):
    from openpyxl import Workbook

    old = tmp_path / "bao-cao-cu.xlsx"
    Workbook().save(old)
    with pytest.raises(anchors.AnchorError, match="báo cáo xuất trước phiên bản có neo"):
        anchors.read(old)


def test_anchor_of_an_empty_trail_and_a_restored_office(workspace, tmp_path):
    with workspace.db.session() as s:
        chain = verify_chain(s)
        assert verify_anchor(s, {"audit_id": 0, "audit_hash": "0" * 64}, chain).ok
        missing = verify_anchor(s, {"audit_id": 9999, "audit_hash": "a" * 64, "at": "hôm qua"}, chain)
    assert not missing.ok and "không còn trong nhật ký" in missing.message
