"""Windows-only bug classes, caught on Linux (issue 10).

Each of these broke BVTE on every Windows PC while every Linux test passed:
- `strftime`/`strptime` with a non-ASCII format: Windows' C runtime encodes the format in the ANSI code page
  (cp1252/cp1258 cannot encode "ờ"), so printing Mẫu 01 ("09 giờ 05") raised UnicodeEncodeError;
- Vietnamese printed to a redirected stdout (pipe, file, Git Bash) used the ANSI code page too;
- POSIX-only modules (`resource`, `fcntl`, `pwd`…) do not exist there.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("desktop", "models", "printouts", "installer")
POSIX_ONLY = {"resource", "fcntl", "pwd", "grp", "termios", "tty", "pty", "posix", "crypt", "spwd", "syslog",
              "readline", "curses"}
# A POSIX-only import is allowed only in these functions, each of which takes another path on Windows.
GUARDED = {("desktop/app.py", "peak_memory_mb")}


def _product_files():
    for top in PRODUCT:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def _trees():
    for path in _product_files():
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _non_ascii(text: str) -> bool:
    return any(ord(ch) > 127 for ch in text)


def _literal_text(node: ast.AST) -> str | None:
    """The constant text of a string literal or of an f-string's literal parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def test_the_scan_sees_the_whole_product():
    files = [rel for rel, _ in _trees()]
    assert "models/services/intake.py" in files and "printouts/process_layout.py" in files
    assert len(files) > 80


def test_no_strftime_or_strptime_with_a_non_ascii_format():
    found = []
    for rel, tree in _trees():
        for node in ast.walk(tree):
            # d.strftime("%H giờ %M"), datetime.strptime(text, "… giờ …"), time.strftime(…)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("strftime", "strptime"):
                for arg in node.args:
                    text = _literal_text(arg)
                    if text is not None and _non_ascii(text):
                        found.append(f"{rel}:{node.lineno} {node.func.attr}({text!r})")
            # format(d, "%H giờ") and f"{d:%H giờ}" go through strftime as well
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "format" \
                    and len(node.args) == 2:
                text = _literal_text(node.args[1])
                if text is not None and "%" in text and _non_ascii(text):
                    found.append(f"{rel}:{node.lineno} format(…, {text!r})")
            if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                text = _literal_text(node.format_spec)
                if text is not None and "%" in text and _non_ascii(text):
                    found.append(f"{rel}:{node.lineno} f-string spec {text!r}")
    assert found == [], "strftime with non-ASCII text fails on Windows:\n" + "\n".join(found)


def test_the_scan_catches_the_original_bug():
    tree = ast.parse('x = received.strftime("%H giờ %M")\ny = f"{d:%d tháng %m}"\n')
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "strftime"]
    specs = [n for n in ast.walk(tree) if isinstance(n, ast.FormattedValue) and n.format_spec is not None]
    assert _non_ascii(_literal_text(calls[0].args[0])) and _non_ascii(_literal_text(specs[0].format_spec))


def test_no_posix_only_module_on_a_windows_path():
    found = []
    for rel, tree in _trees():
        parents = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module.split(".")[0]]
            for name in names:
                if name not in POSIX_ONLY:
                    continue
                scope = node
                while scope in parents and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    scope = parents[scope]
                function = scope.name if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
                if (rel, function) not in GUARDED:
                    found.append(f"{rel}:{node.lineno} import {name}")
                elif "sys.platform" not in ast.unparse(scope):
                    found.append(f"{rel}:{node.lineno} import {name} in {function} without a platform check")
    assert found == [], "modules that do not exist on Windows:\n" + "\n".join(found)


def test_peak_memory_is_measured_on_this_platform():
    """The window's start-up line reports it (the Windows path, psutil's peak working set, runs under Wine in
    installer/windows-ci.sh)."""
    from desktop import app

    assert 10 < app.peak_memory_mb() < 100_000
    assert "psutil" in Path(app.__file__).read_text(encoding="utf-8")


def test_every_printed_date_and_time_phrase():
    """The phrases papers and screens print, at a moment whose hour and minute need their leading zero."""
    from models.clock import VN, fmt_date, fmt_datetime, fmt_hour_phrase
    from printouts.process_layout import fmt_day, fmt_moment

    moment = datetime(2026, 2, 5, 2, 5, tzinfo=timezone.utc)  # 09:05 on 05/02/2026 in Vietnam
    assert fmt_hour_phrase(moment) == "09 giờ 05"
    assert fmt_datetime(moment) == "09:05 05/02/2026"
    assert fmt_date(moment) == "05/02/2026"
    assert fmt_date(moment.astimezone(VN).date()) == "05/02/2026"
    assert fmt_day(moment) == "05/02/2026"
    assert fmt_moment(moment) == "09 giờ 05, ngày 05/02/2026"
    late = datetime(2026, 12, 31, 23, 59, tzinfo=VN)
    assert fmt_hour_phrase(late) == "23 giờ 59" and fmt_moment(late) == "23 giờ 59, ngày 31/12/2026"


def test_mau01_prints_the_hour_of_reception_in_words(office_db, actor):
    """Mẫu 01's "vào hồi … giờ …" is the phrase that failed on Windows; the printout carries it."""
    import io

    import pdfplumber

    from models.entities import Case
    from models.services.intake import create_intake, parse_intake, printed_values
    from printouts.form01 import render
    from tests.conftest import intake_raw

    data, errors = parse_intake(intake_raw(received_at="09:05 20/11/2026"), at=datetime(2026, 11, 21, tzinfo=timezone.utc))
    assert errors == {}
    case_id = create_intake(office_db, data, actor)
    with office_db.session() as session:
        case = session.get(Case, case_id)
        assert printed_values(case)["received_time"] == "09 giờ 05"
        office = case.office if hasattr(case, "office") else None
        pdf = io.BytesIO()
        render(case, office, pdf)
    with pdfplumber.open(io.BytesIO(pdf.getvalue())) as doc:
        text = " ".join(page.extract_text() or "" for page in doc.pages)
    assert "09 giờ 05" in text
def _run_cli(args, tmp_path, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BVTE_")}
    env.update({"PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0", "BVTE_DATA_DIR": str(tmp_path / "dữ liệu")})
    env.update(extra_env or {})
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        code = subprocess.run([sys.executable, "-m", "desktop.cli", *args], cwd=ROOT, env=env, stdout=stdout,
                              stderr=stderr, stdin=subprocess.DEVNULL, timeout=120).returncode
    return code, out.read_bytes(), err.read_bytes()


def test_cli_writes_utf8_to_a_redirected_stdout_whatever_the_code_page(tmp_path):
    code, out, err = _run_cli(["--help"], tmp_path)
    assert code == 0, err.decode("utf-8", "replace")
    text = out.decode("utf-8")  # UTF-8 bytes, not cp1252 (which cannot hold these letters at all)
    assert "quản lý hồ sơ bảo vệ trẻ em" in text
    assert b"Traceback" not in err


def test_cli_writes_utf8_errors_to_a_redirected_stderr(tmp_path):
    code, out, err = _run_cli(["cases"], tmp_path, {"BVTE_PASSWORD": "x"})
    assert code != 0
    text = err.decode("utf-8")
    assert "Traceback" not in text and "UnicodeEncodeError" not in text
    assert any(ch in text for ch in "ảạầệờ"), text  # a Vietnamese message, in UTF-8


def test_vietnam_holidays_load_where_modules_are_not_files(monkeypatch):
    """In the frozen program (PyInstaller) `holidays/countries/vietnam.py` does not exist as a file: the frozen
    self-test failed on Windows with FileNotFoundError until the loader fell back to a normal import."""
    import copy
    import importlib.util

    from models import calendar_days

    real = importlib.util.find_spec

    def archived(name, *args):
        spec = real(name, *args)
        if name == "holidays.countries":
            spec = copy.copy(spec)  # never change the real module's spec
            spec.origin = str(Path("/nowhere/_internal/holidays/countries/__init__.pyc"))
        return spec

    monkeypatch.setattr(importlib.util, "find_spec", archived)
    monkeypatch.delitem(sys.modules, "holidays.countries.vietnam", raising=False)
    monkeypatch.delitem(sys.modules, "holidays.countries", raising=False)  # as at start-up: not yet imported
    vietnam = calendar_days._vietnam_holidays()
    assert "Quốc khánh" in " ".join(vietnam(years=2026, language="vi").values())
