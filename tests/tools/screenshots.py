"""Screenshots of every window and dialog under X (run on demand, not part of the test run).

    QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1366x768x24' \\
        .venv/bin/python tests/tools/screenshots.py OUT_DIR [NAME …]

    (1024×768: -screen 0 1024x768x24; 125 %: QT_SCALE_FACTOR=1.25 before the command)

Opens each entry of tests/desktop/window_catalog.CATALOG (the same list the fit test checks) on a small demo
office, saves a PNG of the whole screen per window in OUT_DIR, and writes OUT_DIR/report.json with what the
checks found (buttons off the screen, cut headers, English words). NAME limits it to some windows.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.desktop.window_catalog import run  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    results = run(out / "report.json", sys.argv[2:] or None, out)
    bad = {name: r for name, r in results.items() if r.get("fit") or r.get("english") or r.get("error")}
    print(json.dumps(bad, ensure_ascii=False, indent=1) if bad else "Mọi cửa sổ đều vừa màn hình.")


if __name__ == "__main__":
    main()
