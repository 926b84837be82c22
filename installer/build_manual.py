"""Build the printed user manual with fresh screenshots (run by installer/build.sh before the installer, and by
tests/desktop/test_help.py):

    .venv/bin/python installer/build_manual.py OUT.pdf [--shots DIR]

1. tests/tools/screenshots.py photographs every window the guide shows (`![…](anh:NAME)` in
   resources/help/*.md), each window alone, on Qt's offscreen platform at 1024×768 (no display needed), on a
   fresh demo office: the pictures always match the current screens and are never committed;
2. `bvte help --pdf -o OUT.pdf --anh DIR` makes the manual from the same pages as the window's guide.

Exits non-zero (and writes no PDF) if a screenshot the guide needs could not be taken.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def take_screenshots(folder: Path, names: list[str]) -> list[str]:
    """The screenshots into `folder`; returns the names that are missing afterwards."""
    config = folder / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "logicalDpi": 96, "dpr": 1,
                                               "width": 1024, "height": 768}]}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "tools" / "screenshots.py"), str(folder),
                           "--window-only", *names], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    missing = [n for n in names if not (folder / f"{n}.png").is_file()]
    if missing:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-3000:])
    return missing


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0]).resolve()
    keep = Path(argv[argv.index("--shots") + 1]).resolve() if "--shots" in argv else None
    from models.help import screenshots_used

    names = screenshots_used()
    folder = keep or Path(tempfile.mkdtemp(prefix="bvte-anh-"))
    if keep is not None and keep.exists():
        shutil.rmtree(keep)  # never a picture left from an earlier build
    folder.mkdir(parents=True, exist_ok=True)
    try:
        missing = take_screenshots(folder, names)
        if missing:
            print(f"Chưa chụp được ảnh màn hình: {', '.join(missing)}", file=sys.stderr)
            return 1
        from desktop.cli import main as bvte

        return bvte(["help", "--pdf", "-o", str(out), "--anh", str(folder)])
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
