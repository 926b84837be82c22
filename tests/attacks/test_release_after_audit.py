"""A file of children's data leaves only with its audit entry, and never half-written (issue 11 items 5, 7).

The register export and the printed case file are written under a temporary name, the audit entry is
recorded, then the file is renamed. A failed audit write (database locked, disk full) removes the file and
says so; a full disk leaves nothing under the final name (an older file of that name stays as it was).
"""
from __future__ import annotations

import errno

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from desktop import cli
from models import validation as v
from models.security import audit
from models.entities import AuditEvent
from models.services.intake import create_intake, parse_intake
from desktop.actions.register import export_children_file
from tests.conftest import PASSWORD, intake_raw


def _audit_count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


def _locked(*args, **kwargs):
    raise OperationalError("INSERT INTO audit_log", {}, Exception("database is locked"))


def _case(db, actor) -> int:
    data, errors = parse_intake(intake_raw())
    assert not errors
    return create_intake(db, data, actor)


def test_export_whose_audit_fails_leaves_no_file(office_db, workspace, tmp_path, monkeypatch):
    _case(office_db, workspace.actor)
    out_dir = tmp_path / "ra"
    out_dir.mkdir()
    before = _audit_count(office_db)
    monkeypatch.setattr(audit, "record", _locked)
    with pytest.raises(v.Invalid) as err:
        export_children_file(workspace, out_dir / "so.xlsx")
    assert "nhật ký" in str(err.value) and "đã được xoá" in str(err.value) and "đang bận" in str(err.value)
    assert list(out_dir.iterdir()) == []  # neither the workbook nor a temporary file
    monkeypatch.undo()
    assert _audit_count(office_db) == before
    export_children_file(workspace, out_dir / "so.xlsx")  # once the database is free again, it works
    assert [p.name for p in out_dir.iterdir()] == ["so.xlsx"] and _audit_count(office_db) == before + 1


def test_export_on_a_full_disk_leaves_no_partial_file(office_db, workspace, tmp_path, monkeypatch):
    from models import xlsx_stream

    _case(office_db, workspace.actor)
    out = tmp_path / "so.xlsx"
    out.write_bytes(b"the previous export")
    real = xlsx_stream.write_xlsx

    def full(target, sheets):
        target.write(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsx_stream, "write_xlsx", full)
    before = _audit_count(office_db)
    with pytest.raises(v.Invalid, match="ổ đĩa đã đầy"):
        export_children_file(workspace, out)
    assert out.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name != "bvte-data"] == ["so.xlsx"]
    assert _audit_count(office_db) == before  # nothing released, nothing recorded
    monkeypatch.setattr(xlsx_stream, "write_xlsx", real)


def _print(args, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("BVTE_USER", "admin")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    code = cli.main(["--data-dir", str(data_dir), *args])
    return code, capsys.readouterr()


def test_print_on_a_full_disk_leaves_no_partial_file(office_db, workspace, data_dir, tmp_path, monkeypatch, capsys):
    import models.safe_files as safe_files

    case_id = _case(office_db, workspace.actor)
    workspace.close()
    out = tmp_path / "mau01.pdf"

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_files.os, "fsync", full)
    code, io = _print(["print", "--case", str(case_id), "--form", "01", "-o", str(out)], data_dir, monkeypatch, capsys)
    assert code == cli.EXIT_DATA and "ổ đĩa đã đầy" in io.err and "Traceback" not in io.err
    assert not out.exists() and not [p for p in tmp_path.iterdir() if "mau01" in p.name]
    monkeypatch.undo()
    code, io = _print(["print", "--case", str(case_id), "--dossier", "-o", str(out)], data_dir, monkeypatch, capsys)
    assert code == 0 and out.read_bytes().startswith(b"%PDF")


def test_print_whose_audit_fails_leaves_no_file(office_db, workspace, data_dir, tmp_path, monkeypatch, capsys):
    case_id = _case(office_db, workspace.actor)
    workspace.close()
    out = tmp_path / "ho-so.pdf"
    real = audit.record

    def locked_on_print(session, actor, action, *args, **kwargs):
        return _locked() if action == "print" else real(session, actor, action, *args, **kwargs)

    monkeypatch.setattr(audit, "record", locked_on_print)
    code, io = _print(["print", "--case", str(case_id), "--dossier", "-o", str(out)], data_dir, monkeypatch, capsys)
    assert code == cli.EXIT_DATA and "nhật ký" in io.err
    assert list(tmp_path.glob("*ho-so*")) == [] and not out.exists()


def test_the_window_saves_a_printed_form_only_after_its_audit_entry(qtbot, office_db, workspace, tmp_path,
                                                                     monkeypatch):
    """"Lưu thành tệp PDF…" in the print preview takes the same path as `bvte print`."""
    from desktop.main_window import MainWindow

    case_id = _case(office_db, workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.select_case(case_id)
    window.case_view.print01.click()
    preview = window.preview
    qtbot.addWidget(preview)
    out_dir = tmp_path / "ra"
    out_dir.mkdir()
    before = _audit_count(office_db)
    monkeypatch.setattr(audit, "record", _locked)
    with pytest.raises(v.Invalid, match="nhật ký"):
        preview.save_to(out_dir / "mau01.pdf")
    assert list(out_dir.iterdir()) == []  # no PDF of the child, no temporary file
    monkeypatch.undo()
    assert _audit_count(office_db) == before
    preview.save_to(out_dir / "mau01.pdf")
    assert [p.name for p in out_dir.iterdir()] == ["mau01.pdf"]
    with office_db.session() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (last.action, last.entity) == ("print", "case") and "mau01.pdf" in last.detail
    assert _audit_count(office_db) == before + 1


def test_the_window_saves_a_printed_list_with_its_audit_entry_and_a_blank_form_without(qtbot, office_db, workspace,
                                                                                        tmp_path):
    from desktop.main_window import MainWindow

    _case(office_db, workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    preview = window.print_list("cases")
    qtbot.addWidget(preview)
    before = _audit_count(office_db)
    preview.save_to(tmp_path / "danh-sach.pdf")
    with office_db.session() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert last.entity == "danh_sach" and "danh-sach.pdf" in last.detail and _audit_count(office_db) == before + 1
    blank = window.print_blank("01")
    qtbot.addWidget(blank)
    blank.save_to(tmp_path / "mau01-trang.pdf")
    assert (tmp_path / "mau01-trang.pdf").read_bytes().startswith(b"%PDF") and _audit_count(office_db) == before + 1
