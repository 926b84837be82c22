"""How each figure grows with the data: the same measurements on three office folders of growing size.

    BVTE_USER=canbo BVTE_PASSWORD=matkhau-demo .venv/bin/python tests/benchmarks/bench_scaling.py SMALL MEDIUM LARGE

e.g. folders made by `bvte demo` with 5,000 / 2,000, 50,000 / 20,000 and 200,000 / 80,000 children / cases.
Each folder is copied first and never changed. For every figure it prints the time at each size and its growth
from one size to the next beside the growth of the data (cases): a figure that grows faster than the data is
marked. Medians of --runs; the machine's load is printed with each folder. `--only "to-do list"` (repeatable)
measures only the figures named.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import figures as f  # noqa: E402


FIGURES = ("bvte cases --json", "bvte tasks --json", "bvte verify", "case list (first page)",
           "case list (scrolled to the end)", "search (slowest keystroke)", "to-do list", "register list",
           "period report (a year)", "backup", "import 2,000 rows")


def measure(folder: Path, runs: int, only: tuple[str, ...] = FIGURES) -> tuple[tuple[int, int], dict[str, float], str]:
    copy = f.work_copy(folder)
    out = Path(tempfile.mkdtemp(prefix="bvte-bench-out-"))
    try:
        size = f.counts(copy)
        got: dict[str, float] = {}
        for name, args in (("bvte cases --json", ["cases", "--json"]), ("bvte tasks --json", ["tasks", "--json"]),
                           ("bvte verify", ["verify"])):
            if name in only:
                got[name] = f.median(f.command(copy, args, runs))
        from models.services.accounts import login

        ws = login(copy, f.USER, f.password())
        try:
            def report() -> float:
                f.annual_report(ws, out)  # the first one loads openpyxl
                return f.median([f.annual_report(ws, out) for _ in range(runs)])

            in_program = {
                "case list (first page)": lambda: f.median(f.timed(lambda: f.first_page(ws), runs)),
                "case list (scrolled to the end)": lambda: f.median([f.case_list_scroll(ws) for _ in range(runs)]),
                "search (slowest keystroke)": lambda: f.median(f.search_keystrokes(ws, runs=runs)),
                "to-do list": lambda: f.median([f.todo_list(ws) for _ in range(runs)]),
                "register list": lambda: f.median([f.register_list(ws) for _ in range(runs)]),
                "period report (a year)": report,
                "backup": lambda: f.median([f.backup(ws, out)[0] for _ in range(runs)]),
                "import 2,000 rows": lambda: f.import_rows(ws, out, 2_000)[0],
            }
            for name, figure in in_program.items():
                if name in only:
                    got[name] = figure()
        finally:
            ws.close()
        return size, got, f.load()
    finally:
        f.remove_copy(copy)
        import shutil

        shutil.rmtree(out, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", action="append", choices=FIGURES, metavar="FIGURE",
                        help=f"measure only this figure (repeatable): {', '.join(FIGURES)}")
    args = parser.parse_args()
    f.password()
    results = []
    for folder in args.folders:
        size, got, load = measure(folder, args.runs, tuple(args.only or FIGURES))
        print(f"{folder}: {size[0]:,} trẻ em, {size[1]:,} hồ sơ [{load}]", flush=True)
        results.append((size, got))
    names = list(results[0][1])
    print(f"\n{'figure':<34}" + "".join(f"{s[1]:>12,} hồ sơ" for s, _ in results) + "   growth (data growth)")
    for name in names:
        values = [got[name] for _, got in results]
        growth = []
        for (s0, g0), (s1, g1) in zip(results, results[1:]):
            data = s1[1] / max(s0[1], 1)
            ratio = g1[name] / max(g0[name], 1e-9)
            growth.append(f"×{ratio:.1f} (×{data:.1f}){' FASTER THAN THE DATA' if ratio > data * 1.25 else ''}")
        print(f"{name:<34}" + "".join(f"{v:>14.3f} s  " for v in values) + "   " + ", ".join(growth))
    return 0


if __name__ == "__main__":
    sys.exit(main())
