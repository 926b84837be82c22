"""The command line's own words in Vietnamese, and its rough edges smoothed (issue 12 items 11 and 14)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from models import paths
from models.services.accounts import list_accounts, login
from tests.conftest import PASSWORD, TEST_PG

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ("usage:", "options:", "show this help message and exit", "error:", "unrecognized arguments",
           "the following arguments are required", "invalid choice")


def test_help_and_errors_speak_vietnamese(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: bvte") and "hiện hướng dẫn này rồi thoát" in out and "tuỳ chọn:" in out
    for word in ENGLISH:
        assert word not in out
    with pytest.raises(SystemExit) as done:
        main(["cases", "--khong-co"])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert "lỗi: không hiểu các tham số: --khong-co" in err
    with pytest.raises(SystemExit):
        main(["print", "--case", "1"])
    err = capsys.readouterr().err
    assert "thiếu các tham số bắt buộc: -o/--output" in err
    for word in ENGLISH:
        assert word not in err


def test_stage_question_mark_lists_the_stages(capsys):
    from models.stages import STAGES

    assert main(["cases", "--stage", "?"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(STAGES)
    assert "Đã đóng hồ sơ" in lines[-1]


def test_export_into_a_missing_folder_is_refused(workspace, data_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BVTE_USER", "admin")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    missing = tmp_path / "USB-khong-cam"
    code = main(["export", "--data-dir", str(data_dir), "--period", "2026", "-o", str(missing) + os.sep])
    assert code != 0
    assert "Không có thư mục" in capsys.readouterr().err
    assert not missing.exists() and not list(tmp_path.glob("USB-khong-cam*"))  # nothing written beside it
    code = main(["export", "--data-dir", str(data_dir), "--period", "2026", "-o", str(missing / "bao-cao.xlsx")])
    assert code != 0 and not missing.exists()


def test_data_dir_after_every_user_subcommand(workspace, data_dir, monkeypatch, capsys):
    workspace.close()
    monkeypatch.setenv("BVTE_USER", "admin")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    monkeypatch.setenv("BVTE_NEW_PASSWORD", "mat-khau-moi-dai")
    assert main(["user", "add", "chutich", "--full-name", "Phạm Văn Hùng", "--role", "leader",
                 "--data-dir", str(data_dir)]) == 0
    assert main(["user", "list", "--data-dir", str(data_dir)]) == 0
    assert "chutich" in capsys.readouterr().out
    ws = login(data_dir, "admin", PASSWORD)
    try:
        assert "chutich" in {a.username for a in list_accounts(ws)}
    finally:
        ws.close()


def test_no_display_gives_a_vietnamese_message(tmp_path):
    """Without a desktop session `bvte` explains itself instead of Qt's xcb abort."""
    if sys.platform != "linux":
        pytest.skip("the X/Wayland check is for Linux")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "desktop.cli", "--data-dir", str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 4
    assert "cần một phiên làm việc có màn hình" in done.stderr
    assert "xcb" not in done.stderr and "Aborted" not in done.stderr


def test_report_with_names_asks_the_password_on_a_terminal(workspace, data_dir, tmp_path, capsys, monkeypatch):
    import getpass

    from models.reports.protect import is_encrypted

    monkeypatch.setenv("BVTE_USER", "admin")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    monkeypatch.delenv("BVTE_REPORT_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": asked.append(prompt) or "mat-khau-bao-cao-dai")
    out = tmp_path / "bao-cao.xlsx"
    assert main(["export", "--data-dir", str(data_dir), "--period", "2026", "--with-names", "-o", str(out)]) == 0
    assert len(asked) == 2 and "Mật khẩu mở tệp báo cáo" in asked[0]
    assert "Tệp có mật khẩu" in capsys.readouterr().out
    assert is_encrypted(out.read_bytes())


def test_a_short_read_run_as_the_program_ends_with_its_whole_output_and_its_code(workspace, data_dir):
    """`bvte verify`, `cases`, `tasks` end the process at once after printing (no interpreter teardown): the output
    is all there, the exit code is the command's, the data file is closed as after a normal exit."""
    workspace.close()
    env = dict(os.environ, BVTE_USER="admin", BVTE_PASSWORD=PASSWORD, PYTHONPATH=str(ROOT))

    def bvte(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "desktop.cli", "--data-dir", str(data_dir), *args], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)

    done = bvte("verify")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].endswith("(mọi trang): tốt") and "Nhật ký truy cập: Nhật ký nguyên vẹn" in done.stdout
    done = bvte("tasks", "--at", "2026-13-01 09:00")  # a refusal: its message on stderr and its exit code
    assert done.returncode == 2 and done.stderr.startswith("Lỗi: --at cần dạng") and not done.stdout
    done = bvte("cases")
    assert done.returncode == 0 and done.stderr == ""
    assert not Path(str(paths.db_path(data_dir)) + "-wal").exists() or TEST_PG  # closed: the WAL was folded in
    done = bvte("--version")
    assert done.returncode == 0 and done.stdout.startswith("BVTE ")
