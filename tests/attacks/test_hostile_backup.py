"""Hostile backup files given to restore (and inspected by `bvte restore`): a small zip that expands huge,
unsupported compression, malformed manifests → a clear refusal before anything is extracted (item 6)."""
from __future__ import annotations

import json
import zipfile

import pytest

from desktop import cli
from models.backup import BackupError, inspect_backup, make_backup, restore_backup
from tests.attacks.payloads import peak_memory
from tests.conftest import PASSWORD


@pytest.fixture
def real_backup(office_db, workspace, tmp_path):
    return make_backup(workspace, tmp_path / "that.bvtebak").path


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _write(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _manifest_variant(real, tmp_path, name, change):
    members = _members(real)
    manifest = json.loads(members["manifest.json"])
    members["manifest.json"] = change(manifest)
    return _write(tmp_path / f"{name}.bvtebak", members)


def _bomb(real, tmp_path):
    """The database member replaced by 200 MB of zeros (~200 KB compressed), its manifest size adjusted."""
    members = _members(real)
    manifest = json.loads(members["manifest.json"])
    manifest["size"] = 200 << 20
    f = tmp_path / "bom.bvtebak"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("keys.json", members["keys.json"])
        with zf.open("bvte.sqlite3", "w", force_zip64=True) as out:
            block = bytes(1 << 20)
            for _ in range(200):
                out.write(block)
    return f


CASES = {
    "thieu-truong": lambda m: json.dumps({k: v for k, v in m.items() if k != "created_at"}),
    "ngay-sai": lambda m: json.dumps({**m, "created_at": "ngày 32 tháng 13"}),
    "ngay-9999": lambda m: json.dumps({**m, "created_at": "9999-12-31T00:00:00+07:00"}),
    "kieu-sai": lambda m: json.dumps({**m, "size": "lớn", "case_count": True}),
    "long-sau": lambda m: "[" * 100_000 + "]" * 100_000,
    "khong-phai-json": lambda m: "\x00\x01 không phải JSON",
    "format-chu": lambda m: json.dumps({**m, "format": "1"}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_manifest_is_refused(real_backup, tmp_path, data_dir, name):
    f = _manifest_variant(real_backup, tmp_path, name, CASES[name])
    with pytest.raises(BackupError, match="hỏng|không hợp lệ|không phải"):
        inspect_backup(f)
    with pytest.raises(BackupError):
        restore_backup(data_dir, f, "admin", PASSWORD)


def test_small_file_expanding_huge_is_refused_before_extracting(real_backup, tmp_path, data_dir):
    f = _bomb(real_backup, tmp_path)
    assert f.stat().st_size < 1_000_000
    result, mb = peak_memory(lambda: restore_backup(data_dir, f, "admin", PASSWORD))
    print(f"\n[bộ nhớ] sao lưu {f.stat().st_size // 1000} KB bung 200 MB: {mb:.1f} MB")
    assert isinstance(result, BackupError) and "bung ra" in str(result)
    assert mb < 30
    leftovers = [p for p in data_dir.rglob("*") if p.is_file() and p.stat().st_size > 50 << 20]
    assert leftovers == []  # nothing was extracted


def test_unsupported_compression_is_refused(real_backup, tmp_path):
    f = _write(tmp_path / "lzma.bvtebak", _members(real_backup), zipfile.ZIP_LZMA)
    with pytest.raises(BackupError, match="kiểu nén"):
        inspect_backup(f)


def test_cli_restore_of_hostile_files_has_no_traceback(real_backup, tmp_path, workspace, data_dir, monkeypatch, capsys):
    workspace.close()
    monkeypatch.setenv("BVTE_USER", "admin")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    files = [_bomb(real_backup, tmp_path)] + [_manifest_variant(real_backup, tmp_path, n, CASES[n]) for n in CASES]
    for f in files:
        code = cli.main(["--data-dir", str(data_dir), "restore", str(f)])
        err = capsys.readouterr().err
        assert code == cli.EXIT_DATA, (f.name, err)
        assert "Traceback" not in err and err.startswith("Lỗi: "), (f.name, err)
