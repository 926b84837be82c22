"""`bvte export-children` speed (a script, not a unit test): prints the time and the rows written.

    .venv/bin/bvte --data-dir /tmp/sf50k demo --children 50000 --cases 20000 --password matkhau-demo
    BVTE_PASSWORD=matkhau-demo .venv/bin/python tests/benchmarks/bench_export_children.py /tmp/sf50k

Target: the whole register of 50,000 children in under 10 s (the time grows linearly with the register).
The folder is copied first (the export adds its audit entry to the copy); the workbook goes to a temporary folder.
"""
from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.figures import USER, copied, password  # noqa: E402
from models.services.accounts import login  # noqa: E402
from desktop.actions.register import export_children_file  # noqa: E402


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    with copied(Path(sys.argv[1])) as folder:
        return export(folder)


def export(folder: Path) -> int:
    ws = login(folder, USER, password())
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "so-theo-doi.xlsx"
            t, cpu = time.perf_counter(), time.process_time()
            summary = export_children_file(ws, out)
            took, cpu = time.perf_counter() - t, time.process_time() - cpu
            size = out.stat().st_size
            tracemalloc.start()  # a second run, for the memory only (tracing slows Python down several times)
            export_children_file(ws, out)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    finally:
        ws.close()
    print(f"export-children: {summary.children} trẻ em, {summary.rows} dòng, {summary.support} lần hỗ trợ; "
          f"{took:.1f} s ({cpu:.1f} s CPU); tệp {size / 1e6:.1f} MB; bộ nhớ Python cao nhất {peak / 1e6:.0f} MB "
          f"({'đạt' if took < 10 * max(1, summary.children / 50_000) else 'CHẬM HƠN'} mục tiêu 10 s / 50.000 trẻ)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
