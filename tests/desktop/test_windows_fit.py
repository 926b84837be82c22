"""Every window and dialog opened on an office PC's screen: 1024×768, and 1366×768 at 125 % scaling.

Each size runs in its own process (the screen size and QT_SCALE_FACTOR must be set before Qt starts), opens
every entry of window_catalog.CATALOG on a small demo office and reports what a person would run into:
a button off the screen or cut by the window, a header cut short, a horizontal scroll bar on a panel,
an English word (Qt's own "Cancel", "Copy", "Paste"… in the right-click menus, raw codes).
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop.window_catalog import CATALOG, ENGLISH, english_words

ROOT = Path(__file__).resolve().parents[2]
SIZES = {
    "1024x768": ({"width": 1024, "height": 768}, None),
    "1366x768-125": ({"width": 1366, "height": 768}, "1.25"),
}


def _run_catalog(tmp_path: Path, size: str) -> dict:
    screen, scale = SIZES[size]
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "logicalDpi": 96, "dpr": 1,
                                               **screen}]}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    out = tmp_path / "result.json"
    done = subprocess.run([sys.executable, "-m", "tests.desktop.window_catalog", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert out.exists(), done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("size", list(SIZES))
def test_every_window_fits_and_speaks_vietnamese(tmp_path, size):
    results = _run_catalog(tmp_path, size)
    opened = {name for name in results if not name.startswith("_")}
    assert opened == set(CATALOG), "every catalogued window was tried"
    broken = {name: r["error"][-800:] for name, r in results.items() if "error" in r}
    assert not broken, broken
    misfits = {name: r["fit"] for name, r in results.items() if r.get("fit")}
    assert not misfits, json.dumps(misfits, ensure_ascii=False, indent=1)
    english = {name: r["english"] for name, r in results.items() if r.get("english")}
    assert not english, json.dumps(english, ensure_ascii=False, indent=1)
    for name in opened:  # the window really was shown, at a size that fits the screen
        width, height = results[name]["size"]
        assert 150 <= width <= 1366 and 100 <= height <= 768


def test_every_dialog_is_catalogued():
    """A new window class under desktop/ must be added to the catalogue, so that it is checked too."""
    catalogued = {cls for _make, classes in CATALOG.values() for cls in classes}
    bases = {"QDialog", "QWizard", "QMainWindow", "QWizardPage", "_FormDialog", "FormDialog", "_Form", "ProcessDialog",
             "_PasswordForm", "CareDialog", "OnePlacementDialog", "TakeBackDialog"}
    found = set()
    for path in (ROOT / "desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                names = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                if names & bases and node.name not in ("_FormDialog", "FormDialog", "_Form", "ProcessDialog",
                                                                   "OnePlacementDialog", "TakeBackDialog"):
                    found.add(node.name)
    assert found, "the walk found the dialogs"
    assert found <= catalogued, f"not in tests/desktop/window_catalog.py CATALOG: {sorted(found - catalogued)}"


def test_the_english_scan_catches_english():
    """The scan itself: Qt's words are caught, Vietnamese words that look alike are not."""
    assert english_words(["Cancel"]) and english_words(["&Copy\tCtrl+C"]) and english_words(["Mẫu: mau05"])
    assert not english_words(["Huỷ", "Sao chép", "Đóng", "Mở", "Lưu Mẫu 02", "Có", "Không"])
    assert "Cancel" in ENGLISH
