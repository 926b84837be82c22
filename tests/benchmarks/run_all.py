"""Every speed and memory figure of issue 19 with its target and the machine's load, in one command:

    BVTE_USER=canbo BVTE_PASSWORD=… .venv/bin/python tests/benchmarks/run_all.py DATA_DIR [--runs 5]

DATA_DIR is an office folder, e.g. made by
`bvte --data-dir DATA_DIR demo --children 50000 --cases 20000 --password matkhau-demo`. It is copied to a
temporary folder first and never written to. The targets are those for 50,000 children / 20,000 cases
(start-up ≤ 2 s and memory ≤ 400 MB above that size). Medians of --runs runs; figures from a loaded machine
are slower than on a quiet one: read them beside the load printed with each.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import figures as f  # noqa: E402


def line(label: str, value: str, target: str, ok: bool | None) -> None:
    mark = "" if ok is None else ("  đạt" if ok else "  KHÔNG ĐẠT")
    print(f"{label:<58} {value:<44} mục tiêu {target:<10}{mark}   [{f.load()}]", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    f.password()
    runs = args.runs
    copy = f.work_copy(args.data_dir)
    out = Path(tempfile.mkdtemp(prefix="bvte-bench-out-"))
    try:
        children, cases = f.counts(copy)
        big = children > 60_000
        print(f"{children:,} trẻ em, {cases:,} hồ sơ (bản sao của {args.data_dir}); {f.load()}", flush=True)

        # 1, 5, 7. The window: start, to-do tab, closing (no change since the last backup), memory.
        f.window_start(copy, 1)  # the first opening after copying makes the first automatic backup marker
        w = f.window_start(copy, runs)
        line("1. Khởi động → cửa sổ có danh sách hồ sơ", f.spread(w["list"]), "≤ 2 s" if big else "≤ 1.0 s",
             f.median(w["list"]) <= (2.0 if big else 1.0))
        line("1. Khởi động → tab Việc cần làm đầy đủ", f.spread(w["todo"]), "≤ 1.5 s" if not big else "",
             None if big else f.median(w["todo"]) <= 1.5)
        line("5. Đóng cửa sổ khi không có gì thay đổi (không sao lưu)", f.spread(w["closed"]), "≤ 0.5 s",
             f.median(w["closed"]) <= 0.5)
        line("7. Bộ nhớ cao nhất của cửa sổ", f"{f.median(w['peak_mb']):.0f} MB", "≤ 400 MB" if big else "≤ 250 MB",
             f.median(w["peak_mb"]) <= (400 if big else 250))

        # 6. The command line.
        for args_, target in ((["cases"], 1.0), (["tasks"], 1.0), (["verify"], 1.0), (["cases", "--json"], None),
                              (["tasks", "--json"], None)):
            samples = f.command(copy, args_, runs)
            line(f"6. bvte {' '.join(args_)}", f.spread(samples), f"≤ {target} s" if target else "tuyến tính",
                 None if target is None else f.median(samples) <= target)

        from models.services.accounts import login

        ws = login(copy, f.USER, f.password())
        try:
            # 2. Lists and search, in the program.
            line("2. Danh sách hồ sơ: trang đầu (đếm + 200 dòng)", f.spread(f.timed(lambda: f.first_page(ws), runs)),
                 "≤ 0.1 s", None)
            line("2. Danh sách hồ sơ: cuộn đến hết (từng trang)", f.spread([f.case_list_scroll(ws) for _ in range(3)]),
                 "tuyến tính", None)
            search = f.search_keystrokes(ws, runs=3)
            line("2. Tìm kiếm khi gõ (phím chậm nhất của 'nguyen thi h')", f.spread(search, "ms", 1000),
                 "≤ 100 ms", f.median(search) <= 0.1)
            line("2. Việc cần làm (tính trên mọi hồ sơ đang mở)", f.spread([f.todo_list(ws) for _ in range(runs)]),
                 "≤ 1.5 s", None)
            line("2. Sổ theo dõi: danh sách và tìm kiếm", f.spread([f.register_list(ws) for _ in range(runs)]),
                 "≤ 0.2 s", None)
            # 5. The check at opening (in the background: the window never waits for it).
            line("5. Kiểm tra khi mở (nền, quick_check mỗi lần mở)", f.spread([f.opening_check(ws, False)]),
                 "không chặn", None)
            line("5. Kiểm tra toàn bộ (nền, mỗi tuần một lần)", f.spread([f.opening_check(ws, True)]), "không chặn",
                 None)
            # 3. The annual report.
            f.annual_report(ws, out)  # the first one loads openpyxl
            report = [f.annual_report(ws, out) for _ in range(3)]
            line("3. Báo cáo năm (Excel)", f.spread(report), "≤ 2 s", f.median(report) <= 2.0)
            # 5. Backup (as at closing when something changed), and the folder after a year.
            took = [f.backup(ws, out) for _ in range(3)]
            line("5. Sao lưu cả cơ quan (kiểm tra một lần)", f.spread([t for t, _ in took]), "≤ 3 s",
                 f.median([t for t, _ in took]) <= 3.0)
            kept, size = f.simulated_year_of_backups(took[0][1])
            line("5. Thư mục backups sau một năm sao lưu hằng ngày", f"{kept} bản, {size / 1e9:.2f} GB",
                 "≤ 8 bản", kept <= 8)
            # 4. Import of 10,000 register rows (into the copy).
            took_import, summary = f.import_rows(ws, out, 10_000)
            line("4. Nhập 10.000 dòng sổ theo dõi", f"{took_import:.2f} s ({summary})", "≤ 5 s", took_import <= 5.0)
        finally:
            ws.close()
    finally:
        f.remove_copy(copy)
        import shutil

        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
