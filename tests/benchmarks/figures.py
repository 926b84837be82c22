"""The measurements behind `run_all.py` and `bench_scaling.py` (scripts run on demand, not unit tests).

Every figure is what a user waits for, measured as the user meets it: whole `bvte` processes for the window
and the command line, the services the window calls for the rest. The folder given is never written to:
`work_copy()` copies it to a temporary folder first and everything runs on the copy.
Account and password from BVTE_USER (default canbo) and BVTE_PASSWORD (required).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
USER = os.environ.setdefault("BVTE_USER", "canbo")


def password() -> str:
    value = os.environ.get("BVTE_PASSWORD")
    if not value:
        sys.exit("Set BVTE_PASSWORD (and BVTE_USER, default canbo) to the data folder's password.")
    return value


def load() -> str:
    """The machine's load beside each figure (not available on Windows)."""
    try:
        one, five, _ = os.getloadavg()
        return f"load {one:.2f}/{five:.2f} on {os.cpu_count()} cores"
    except (AttributeError, OSError):
        return f"load n/a, {os.cpu_count()} cores"


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def spread(samples: list[float], unit: str = "s", scale: float = 1.0) -> str:
    return (f"{median(samples) * scale:.2f} {unit} (min {min(samples) * scale:.2f}, max {max(samples) * scale:.2f}, "
            f"n={len(samples)})")


DEMO_PASSWORD = "matkhau-demo"  # of the demo folders the benchmarks make for themselves when given none


def password_for(argv: list[str]) -> str:
    """BVTE_PASSWORD (required) for a folder given on the command line; for the demo folder a benchmark makes
    itself, the password it gives that demo (also set for the `bvte` processes it starts)."""
    if len(argv) > 1:
        return password()
    os.environ["BVTE_PASSWORD"] = DEMO_PASSWORD
    return DEMO_PASSWORD


@contextlib.contextmanager
def copied(folder: Path):
    """A work copy of the folder a benchmark was given, removed afterwards: the folder itself is never written to
    (signing in, printing and exporting add audit entries)."""
    copy = work_copy(folder)
    try:
        yield copy
    finally:
        remove_copy(copy)


def work_copy(folder: Path) -> Path:
    """A copy of the data folder (database, WAL, key file; no backups) in a temporary folder."""
    target = Path(tempfile.mkdtemp(prefix="bvte-bench-")) / "data"
    target.mkdir()
    for name in ("bvte.sqlite3", "bvte.sqlite3-wal", "keys.json"):
        if (folder / name).exists():
            shutil.copy2(folder / name, target / name)
    return target


def remove_copy(copy: Path) -> None:
    shutil.rmtree(copy.parent, ignore_errors=True)


def bvte_command() -> list[str]:
    return [sys.executable, "-m", "desktop.cli"]


def counts(folder: Path) -> tuple[int, int]:
    from sqlalchemy import func, select

    from models.entities import Case, Child
    from models.services.accounts import login

    ws = login(folder, USER, password())
    try:
        with ws.db.session() as s:
            return s.scalar(select(func.count(Child.id))), s.scalar(select(func.count(Case.id)))
    finally:
        ws.close()


# -- whole processes --------------------------------------------------------------------------------------
def window_start(folder: Path, runs: int) -> dict[str, list[float]]:
    """Start the window (signed in from BVTE_USER/BVTE_PASSWORD) until its list shows, until the to-do tab
    is filled, and until the process has ended (closing, with the backup at closing when one is due)."""
    env = dict(os.environ, BVTE_EXIT_AFTER_START="1")
    out: dict[str, list[float]] = {"list": [], "todo": [], "closed": [], "peak_mb": []}
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([*bvte_command(), "--data-dir", str(folder)], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        tasks_at = None
        for line in proc.stdout:
            if line.startswith("STARTED"):
                out["list"].append(time.perf_counter() - start)
            elif line.startswith("TASKS"):
                tasks_at = time.perf_counter()
                out["todo"].append(tasks_at - start)
                out["peak_mb"].append(float(line.rsplit("peak_mb=", 1)[1].split()[0]))
        proc.wait(timeout=600)
        if tasks_at is not None:
            out["closed"].append(time.perf_counter() - tasks_at)
    return out


def command(folder: Path, args: list[str], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([*bvte_command(), "--data-dir", str(folder), *args], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"bvte {' '.join(args)} failed ({done.returncode})")
    return samples


# -- in the program ------------------------------------------------------------------------------------------
def timed(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def search_keystrokes(ws, typed: str = "nguyen thi h", runs: int = 3) -> list[float]:
    """The slowest keystroke of typing `typed` in the case list's search (count + first page, as the window)."""
    from models.services.cases import CaseFilter, count_cases, fetch_cases

    worst = []
    for _ in range(runs):
        slowest = 0.0
        for i in range(1, len(typed) + 1):
            start = time.perf_counter()
            with ws.db.session() as s:
                flt = CaseFilter(text=typed[:i])
                count_cases(s, flt)
                fetch_cases(s, flt, limit=200)
            slowest = max(slowest, time.perf_counter() - start)
        worst.append(slowest)
    return worst


def case_list_scroll(ws) -> float:
    """The whole case list read page by page as the window does when scrolled to the end."""
    from models.services.cases import CaseFilter, fetch_cases

    start = time.perf_counter()
    with ws.db.session() as s:
        rows: list = []
        while batch := fetch_cases(s, CaseFilter(), limit=200, after=rows[-1] if rows else None):
            rows.extend(batch)
    return time.perf_counter() - start


def first_page(ws) -> float:
    from models.services.cases import CaseFilter, count_cases, fetch_cases

    start = time.perf_counter()
    with ws.db.session() as s:
        count_cases(s, CaseFilter())
        fetch_cases(s, CaseFilter(), limit=200)
    return time.perf_counter() - start


def open_case(window, runs: int, seed: int = 5) -> list[float]:
    """Opening a case as in the window (bench_foundation's definition): a case of the list chosen at random,
    selected (`select_case`: the case loaded, the case view filled) and painted."""
    import random

    rng = random.Random(seed)
    ids = [window.model.id_at(rng.randrange(window.model.rowCount())) for _ in range(runs)]
    samples = []
    for case_id in ids:
        start = time.perf_counter()
        window.select_case(case_id)
        window.case_view.repaint()
        samples.append(time.perf_counter() - start)
    return samples


def todo_list(ws) -> float:
    from models.services.tasks import compute_tasks

    start = time.perf_counter()
    compute_tasks(ws.db)
    return time.perf_counter() - start


def register_list(ws) -> float:
    from models.services import register as reg

    start = time.perf_counter()
    with ws.db.session() as s:
        for flt in (reg.RegisterFilter(), reg.RegisterFilter(text="nguyen thi")):
            reg.count_children(s, flt)
            reg.fetch_children(s, flt, 0, 200)
    return time.perf_counter() - start


def annual_report(ws, out_dir: Path) -> float:
    from models.clock import today
    from desktop.actions.reports import export_report

    year = str(today().year - 1)
    start = time.perf_counter()
    export_report(ws, year, out_dir / f"bao-cao-{year}.xlsx")
    return time.perf_counter() - start


def opening_check(ws, full: bool) -> float:
    from models.integrity import OpeningCheck

    start = time.perf_counter()
    result = OpeningCheck(ws.db, full=full).run()
    assert result.ok, result
    return time.perf_counter() - start


def backup(ws, out_dir: Path) -> tuple[float, int]:
    from models import paths
    from models.backup import make_backup

    target = paths.backups_dir(ws.folder)
    target.mkdir(exist_ok=True)
    start = time.perf_counter()
    info = make_backup(ws, target / "bvte-bench.bvtebak", automatic=True)  # the backup at closing
    took = time.perf_counter() - start
    size = info.size
    info.path.unlink()
    return took, size


def import_rows(ws, out_dir: Path, rows: int) -> tuple[float, str]:
    """Import `rows` register rows (a workbook like a commune's list) into the work copy."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_register import make_workbook

    from models.services import register as reg
    from models.services.register_import import prepare, run_import

    with ws.db.session() as s:
        villages = reg.villages(s) or ["Thôn 1", "Thôn 2"]
    book = out_dir / f"{rows}.xlsx"
    make_workbook(book, rows, villages)
    start = time.perf_counter()
    report = run_import(ws.db, ws.actor, prepare(book), write=True)
    took = time.perf_counter() - start
    return took, (f"{report.children_new:,} new, {report.children_existing} existing, {len(report.rejected)} rejected, "
                  f"{len(report.possible_duplicates)} possible duplicates")


def simulated_year_of_backups(backup_size: int) -> tuple[int, int]:
    """A year of daily automatic backups through the real rotation, with placeholder files of the real size
    (sparse: no disk is used). Returns (files kept, their total size)."""
    from datetime import datetime, timedelta

    from models.backup import rotate
    from models.clock import VN

    folder = Path(tempfile.mkdtemp(prefix="bvte-bench-rotation-"))
    try:
        day = datetime(2026, 1, 1, 17, 0, tzinfo=VN)
        for _ in range(365):
            path = folder / f"bvte-{day:%Y%m%d-%H%M%S}.bvtebak"
            with open(path, "wb") as fh:
                fh.truncate(backup_size)
            rotate(folder, day, keep=[path])
            day += timedelta(days=1)
        kept = list(folder.iterdir())
        return len(kept), sum(p.stat().st_size for p in kept)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
