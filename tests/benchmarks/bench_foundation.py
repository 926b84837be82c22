"""Foundation benchmark (run on demand, not part of the test run).

    .venv/bin/python tests/benchmarks/bench_foundation.py [DATA_DIR]

Without DATA_DIR, makes one with `bvte demo --children 50000 --cases 20000 --password matkhau-demo` in a
temporary folder; with DATA_DIR, signs in as BVTE_USER / BVTE_PASSWORD (BVTE_USER default canbo; BVTE_PASSWORD required).
Prints the median of 5 runs for: start-up to the main window shown with its list filled, search-as-you-type,
opening a case, rendering Mẫu 01 as PDF; and the peak memory of the window process.
Targets (issue 2): start < 1.5 s, search < 100 ms, open case < 150 ms, PDF < 300 ms, memory < 300 MB.
"""
from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.figures import copied, open_case, password_for  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BVTE = str(Path(sys.executable).with_name("bvte"))
RUNS = 5
USER = os.environ.setdefault("BVTE_USER", "canbo")
PASSWORD = password_for(sys.argv)


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms (min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f})"


def make_data(folder: Path) -> None:
    start = time.perf_counter()
    subprocess.run([BVTE, "--data-dir", str(folder), "demo", "--children", "50000", "--cases", "20000",
                    "--password", PASSWORD], check=True)
    print(f"demo data made in {time.perf_counter() - start:.1f} s; file {(folder / 'bvte.sqlite3').stat().st_size / 1e6:.1f} MB")


def bench_startup(folder: Path) -> None:
    times, todo, peaks = [], [], []
    env = dict(os.environ, BVTE_EXIT_AFTER_START="1")
    for _ in range(RUNS):
        start = time.perf_counter()
        proc = subprocess.Popen([BVTE, "--data-dir", str(folder)], env=env, stdout=subprocess.PIPE, text=True)
        line = proc.stdout.readline()
        times.append(time.perf_counter() - start)
        tasks_line = proc.stdout.readline()  # the to-do home tab, filled in the background after the window shows
        todo.append(time.perf_counter() - start)
        proc.communicate(timeout=30)
        assert line.startswith("STARTED") and tasks_line.startswith("TASKS"), (line, tasks_line)
        peaks.append(float(tasks_line.rsplit("peak_mb=", 1)[1]))
    print(f"start-up to window with the case list filled: {median_ms(times)}  [{line.split(' peak')[0]}]")
    print(f"start-up to the to-do list filled too: {median_ms(todo)}  [{tasks_line.split(' peak')[0]}]")
    print(f"peak memory of the window process at start: {statistics.median(peaks):.0f} MB")


def bench_in_window(folder: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from models.services.accounts import login

    app = QApplication.instance() or QApplication([])
    start = time.perf_counter()
    ws = login(folder, USER, PASSWORD)
    print(f"unlock (Argon2id + open the encrypted database): {(time.perf_counter() - start) * 1000:.0f} ms")
    window = MainWindow(ws)
    window.show()
    app.processEvents()

    typed = "nguyen thi h"
    search = []
    for _ in range(RUNS):
        per_keystroke = []
        for i in range(1, len(typed) + 1):
            start = time.perf_counter()
            window.search.setText(typed[:i])
            window.apply_filter()
            window.table.viewport().repaint()
            per_keystroke.append(time.perf_counter() - start)
        search.append(max(per_keystroke))
        window.search.clear()
        window.apply_filter()
    print(f"search-as-you-type, slowest keystroke of '{typed}': {median_ms(search)}")

    rng = random.Random(5)
    ids = [window.model.id_at(rng.randrange(window.model.rowCount())) for _ in range(RUNS)]
    opening = open_case(window, RUNS, seed=5)  # the same cases as `ids`
    print(f"opening a case: {median_ms(opening)}")

    window.render_pdf(ids[0], "01")  # the first render loads reportlab and the fonts
    pdf = []
    for case_id in ids:
        start = time.perf_counter()
        window.render_pdf(case_id, "01")
        pdf.append(time.perf_counter() - start)
    print(f"Mẫu 01 PDF (load + render): {median_ms(pdf)}")
    import resource

    print(f"peak memory after the above, in-process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    if len(sys.argv) > 1:
        with copied(Path(sys.argv[1])) as folder:
            bench_startup(folder)
            bench_in_window(folder)
        return
    folder = Path(tempfile.mkdtemp(prefix="bvte-bench-"))
    make_data(folder)
    bench_startup(folder)
    bench_in_window(folder)


if __name__ == "__main__":
    main()
