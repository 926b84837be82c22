"""`bvte --self-test` from the source tree: every check passes, one line each, and nothing is left behind.
(installer/smoke.sh runs the same function inside the frozen bundle.)"""
from __future__ import annotations

import io
import tempfile

import pytest

import desktop.selftest as selftest


@pytest.fixture
def own_tmp(tmp_path, monkeypatch):
    """The self-test's temporary folder is made here, so the test can see that it is removed."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_every_check_passes_and_the_temporary_folder_is_removed(qapp, own_tmp):
    out = io.StringIO()
    assert selftest.run_self_test(out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("BVTE ") and "self-test" in lines[0]
    checks = [line for line in lines if line.startswith("  [")]
    assert len(checks) == len(selftest.CHECKS)
    assert all(line.startswith("  [ĐẠT] ") for line in checks), out.getvalue()
    assert "Liberation Serif" in out.getvalue() or "Times New Roman" in out.getvalue()
    assert lines[-1].startswith(f"KẾT QUẢ: {len(selftest.CHECKS)}/{len(selftest.CHECKS)} mục đạt")
    assert list(own_tmp.iterdir()) == []


def test_a_missing_resource_fails_the_run_with_its_name(qapp, own_tmp, monkeypatch):
    monkeypatch.setattr(selftest, "FONT_FILES", (*selftest.FONT_FILES, "KhongCo-Regular.ttf"))
    out = io.StringIO()
    assert selftest.run_self_test(out) == 1
    text = out.getvalue()
    assert "[LỖI] Tệp dữ liệu đi kèm" in text and "KhongCo-Regular.ttf" in text
    assert "self-test FAILED" in text.splitlines()[-1]
    assert list(own_tmp.iterdir()) == []


def test_a_crash_inside_a_check_is_reported_not_raised(qapp, own_tmp, monkeypatch):
    def broken(state):
        raise ModuleNotFoundError("No module named 'sqlcipher3'")

    monkeypatch.setattr(selftest, "CHECKS", [("Cơ sở dữ liệu mới", "database", broken), *selftest.CHECKS[4:5]])
    out = io.StringIO()
    assert selftest.run_self_test(out) == 1
    assert "[LỖI] Cơ sở dữ liệu mới / database" in out.getvalue()
    assert "ModuleNotFoundError: No module named 'sqlcipher3'" in out.getvalue()
    assert "chưa có hồ sơ (bước trước lỗi)" in out.getvalue()  # later checks say why they cannot run
    assert list(own_tmp.iterdir()) == []


def test_a_console_that_cannot_show_vietnamese_still_gets_the_report(qapp, own_tmp):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252", errors="strict")
    assert selftest.run_self_test(stream) == 0
    stream.flush()
    assert b"self-test passed" in raw.getvalue()
