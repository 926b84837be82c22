"""Screenshots of every window and dialog under X (run on demand, not part of the test run).

    QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1366x768x24' \\
        .venv/bin/python tests/tools/screenshots.py OUT_DIR [--window-only] [NAME …]

    (1024×768: -screen 0 1024x768x24; 125 %: QT_SCALE_FACTOR=1.25 before the command)

Opens each entry of tests/desktop/window_catalog.CATALOG (the same list the fit test checks) on a small demo
office, saves a PNG of the whole screen per window in OUT_DIR, and writes OUT_DIR/report.json with what the
checks found (buttons off the screen, cut headers, English words). NAME limits it to some windows.
--window-only saves each window alone instead of the whole screen (what the printed manual shows; it works
on Qt's offscreen platform too, see installer/build_manual.py).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.desktop.window_catalog import run  # noqa: E402


def main() -> None:
    args = sys.argv[1:]
    alone = "--window-only" in args
    if alone:
        args.remove("--window-only")
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    results = run(out / "report.json", args[1:] or None, out, window_only=alone)
    bad = {name: r for name, r in results.items() if r.get("fit") or r.get("english") or r.get("error")}
    print(json.dumps(bad, ensure_ascii=False, indent=1) if bad else "Mọi cửa sổ đều vừa màn hình.")


if __name__ == "__main__":
    main()
