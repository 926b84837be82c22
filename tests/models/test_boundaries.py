"""Layering: models and printouts never import Qt; command-line subcommands never load Qt widgets."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_models_and_printouts_do_not_import_qt_or_the_desktop():
    checked = 0
    for package in ("models", "printouts"):
        for path in (REPO / package).rglob("*.py"):
            checked += 1
            for name in _imports(path):
                assert not name.startswith(("PySide6", "shiboken6", "desktop")), f"{path} imports {name}"
                if package == "models":
                    assert not name.startswith("printouts"), f"{path} imports {name}"
    assert checked > 10


def test_subcommands_do_not_load_qt(tmp_path):
    folder = str(tmp_path / "data")
    code = (
        "import os, sys\n"
        "from desktop.cli import main\n"
        f"assert main(['--data-dir', {folder!r}, 'demo', '--children', '6', '--cases', '3', '--password', 'mat-khau-demo']) == 0\n"
        "os.environ.update(BVTE_USER='canbo', BVTE_PASSWORD='mat-khau-demo')\n"
        f"assert main(['--data-dir', {folder!r}, 'cases', '--json']) == 0\n"
        f"assert main(['--data-dir', {folder!r}, 'print', '--blank', '01', '-o', {str(tmp_path / 'b.pdf')!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(REPO)), check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "b.pdf").stat().st_size > 1000
