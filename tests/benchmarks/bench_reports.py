"""Benchmarks of the reports (issue 4, item 7). Run by hand, after

    bvte demo --data-dir /tmp/rep-bench --children 50000 --cases 20000 --password matkhau-demo

    BVTE_USER=canbo BVTE_PASSWORD=matkhau-demo .venv/bin/python tests/benchmarks/bench_reports.py [/tmp/rep-bench]

Prints: the annual report on the demo office (< 3 s), and merging 100 commune reports (< 30 s).
The 100 commune files are copies of real exports with their commune name changed in the hidden sheet
(exactly what the receiving side reads), so the merge reads 100 full-size files.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from models.clock import today
from desktop.actions.reports import export_report, merge_reports
from models.services.accounts import login


def main(folder: Path) -> int:
    import os

    password = os.environ.get("BVTE_PASSWORD") or sys.exit("Set BVTE_PASSWORD to the data folder's password.")
    ws = login(folder, os.environ.get("BVTE_USER", "canbo"), password)
    out_dir = Path(tempfile.mkdtemp(prefix="bvte-bench-reports-"))
    try:
        year = today().year - 1
        export_report(ws, str(year), out_dir / "warm.xlsx")  # imports and first queries
        t0 = time.perf_counter()
        path = export_report(ws, str(year), out_dir / "nam.xlsx")
        t_year = time.perf_counter() - t0
        t0 = time.perf_counter()
        export_report(ws, str(year), out_dir / "nam-co-ten.xlsx", with_names=True, password="mat-khau-bao-cao")
        t_names = time.perf_counter() - t0
        from tests.benchmarks.figures import counts

        children, cases = counts(folder)
        print(f"annual report {year} ({children:,} children, {cases:,} cases): {t_year:.2f} s "
              f"({path.stat().st_size // 1024} KB); with names + password: {t_names:.2f} s  [limit 3 s]")

        from openpyxl import load_workbook
        communes = out_dir / "communes"
        communes.mkdir()
        wb = load_workbook(path)
        meta = wb["_bvte"]
        row_of = {meta.cell(r, 1).value: r for r in range(1, 40)}
        for n in range(100):
            meta.cell(row_of["commune_name"], 2, f"Xã Thử {n:03d}")
            wb.save(communes / f"xa-{n:03d}.xlsx")
        t0 = time.perf_counter()
        report = merge_reports(sorted(communes.glob("*.xlsx")), out_dir / "tong-hop.xlsx")
        t_merge = time.perf_counter() - t0
        print(f"merge of 100 commune reports: {t_merge:.2f} s, {len(report.accepted)} accepted, "
              f"{len(report.problems)} problems  [limit 30 s]")
        return 0 if t_year < 3 and t_merge < 30 else 1
    finally:
        ws.close()
        shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.benchmarks.figures import copied

    with copied(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/rep-bench")) as given:
        sys.exit(main(given))
