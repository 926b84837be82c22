"""Case-process benchmark (run on demand, not part of the test run).

    .venv/bin/python tests/benchmarks/bench_process.py [DATA_DIR]

Without DATA_DIR, makes one with `bvte demo --children 50000 --cases 20000 --password matkhau-demo` in a
temporary folder; with DATA_DIR, signs in as BVTE_USER / BVTE_PASSWORD (BVTE_USER default canbo; BVTE_PASSWORD required).
Prints the median of 5 runs for: the to-do list over all open cases (target < 300 ms, issue 3 item 15),
the same with the office calendar loaded inside the call (first screen of the day), and filtering /
counting the case list by stage in the database.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.figures import copied, password_for  # noqa: E402

BVTE = str(Path(sys.executable).with_name("bvte"))
RUNS = 5
USER = os.environ.setdefault("BVTE_USER", "canbo")
PASSWORD = password_for(sys.argv)


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms (min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f})"


def timed(fn, runs: int = RUNS) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return samples, result


def main(folder: Path) -> None:
    from collections import Counter

    from models.services.accounts import login
    from models.services.calendar_edits import load_calendar
    from models.services.cases import CaseFilter, count_cases, fetch_cases
    from models.services.tasks import compute_tasks
    from models.stages import load_open_facts
    from models.stages import STAGES, stage_from_facts

    ws = login(folder, USER, PASSWORD)
    db = ws.db
    with db.session() as session:
        calendar = load_calendar(session)
        calendar.is_working_day(__import__("datetime").date.today())  # the year is built once per run of the app
        facts = load_open_facts(session)
        print(f"open cases: {len(facts)}; stages: {dict(Counter(stage_from_facts(f) for f in facts))}")

        samples, tasks = timed(lambda: compute_tasks(session, calendar))
        late = sum(t.late for t in tasks)
        print(f"to-do list ({len(tasks)} tasks, {late} overdue), calendar held by the app: {median_ms(samples)}")
        samples, _ = timed(lambda: compute_tasks(session))
        print(f"to-do list, office calendar loaded in the call: {median_ms(samples)}")
        samples, _ = timed(lambda: load_open_facts(session))
        print(f"  of which the bulk queries (facts of all open cases): {median_ms(samples)}")
        for stage in ("dang_thuc_hien", "cho_phe_duyet", "khan_cap"):
            samples, n = timed(lambda: count_cases(session, CaseFilter(stage=stage)))
            print(f"count cases in stage {stage} ({n}): {median_ms(samples)}")
        samples, rows = timed(lambda: fetch_cases(session, CaseFilter(), 0, 200))
        print(f"first page of the case list with stages (200 rows): {median_ms(samples)}")
        assert all(r.stage in STAGES for r in rows)
    ws.close()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        with copied(Path(sys.argv[1])) as given:
            main(given)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "bvte"
            start = time.perf_counter()
            subprocess.run([BVTE, "--data-dir", str(data), "demo", "--children", "50000", "--cases", "20000",
                            "--password", PASSWORD], check=True)
            print(f"demo data made in {time.perf_counter() - start:.1f} s")
            main(data)
