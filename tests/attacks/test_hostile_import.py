"""Hostile workbooks given to the register import: refused with a Vietnamese message, memory bounded (item 6).

The figures of peak Python memory are printed (run with -s to see them)."""
from __future__ import annotations

import zipfile

import pytest

from models import validation as v
from models.reports import protect
from models.services.register_import import prepare, read_workbook
from tests.attacks.payloads import (
    claims_huge_dimension, entity_bomb_xml, padded_with_spaces, peak_memory, rewrite_member, simple_list_xlsx,
)

LIMIT_MB = 60


def _report(what: str, mb: float) -> None:
    print(f"\n[bộ nhớ] {what}: {mb:.1f} MB")


def test_only_visible_sheets_are_offered(tmp_path):
    f = tmp_path / "an.xlsx"
    simple_list_xlsx(f, hidden_decoy=True)
    sheets = read_workbook(f)
    assert [s.title for s in sheets] == ["Danh sách"]
    prepared = prepare(f)
    assert prepared.sheet.title == "Danh sách"
    names = [r[0] for r in prepared.sheet.rows]
    assert "Trẻ Trong Trang Ẩn" not in names and "Trẻ Trong Trang Rất Ẩn" not in names


def test_declared_huge_dimension_reads_in_bounded_memory(tmp_path):
    base, f = tmp_path / "base.xlsx", tmp_path / "rong.xlsx"
    simple_list_xlsx(base, rows=50)
    claims_huge_dimension(base, f)
    result, mb = peak_memory(lambda: prepare(f))
    _report("trang khai A1:XFD1048576", mb)
    assert mb < LIMIT_MB
    assert not isinstance(result, Exception), result
    assert max(len(r) for r in result.sheet.rows) <= 64 and len(result.sheet.rows) == 51


def test_file_padded_with_spaces_is_refused(tmp_path):
    f = tmp_path / "don.xlsx"
    padded_with_spaces(f, megabytes=60)
    assert f.stat().st_size < 1_000_000
    result, mb = peak_memory(lambda: prepare(f))
    _report(f"tệp {f.stat().st_size // 1000} KB độn 60 MB dấu cách", mb)
    assert isinstance(result, v.Invalid) and "bung ra quá lớn" in str(result)
    assert mb < LIMIT_MB


def test_password_protected_workbook_is_named_as_such(tmp_path):
    base, f = tmp_path / "base.xlsx", tmp_path / "mat-khau.xlsx"
    simple_list_xlsx(base)
    f.write_bytes(protect.encrypt(base.read_bytes(), "Mk-bi-mat-2026"))
    with pytest.raises(v.Invalid, match="đặt mật khẩu"):
        prepare(f)


@pytest.mark.parametrize("kind", ["entity", "bzip2", "not-zip", "truncated", "empty"])
def test_other_hostile_files_are_refused(tmp_path, kind):
    base, f = tmp_path / "base.xlsx", tmp_path / f"{kind}.xlsx"
    simple_list_xlsx(base)
    if kind == "entity":
        rewrite_member(base, f, lambda n, d: entity_bomb_xml() if n.startswith("xl/worksheets/sheet") else d)
    elif kind == "bzip2":
        rewrite_member(base, f, lambda n, d: d, compression=zipfile.ZIP_BZIP2)
    elif kind == "not-zip":
        f.write_bytes(b"<html>not a workbook</html>" * 10)
    elif kind == "truncated":
        f.write_bytes(base.read_bytes()[:2000])
    else:
        f.write_bytes(b"")
    result, mb = peak_memory(lambda: prepare(f))
    _report(kind, mb)
    assert isinstance(result, v.Invalid), result
    assert "Tệp" in str(result) and mb < LIMIT_MB


def test_cli_import_of_a_hostile_file_has_no_traceback(workspace, data_dir, tmp_path, monkeypatch, capsys):
    from desktop import cli
    from tests.conftest import PASSWORD

    workspace.close()
    f = tmp_path / "don.xlsx"
    padded_with_spaces(f, megabytes=20)
    monkeypatch.setenv("BVTE_USER", "admin")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    code = cli.main(["--data-dir", str(data_dir), "import-children", str(f)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_DATA and "bung ra quá lớn" in err and "Traceback" not in err
