"""Register benchmarks (a script, not a unit test): prints figures.

    .venv/bin/bvte --data-dir /tmp/reg-bench demo --children 50000 --cases 20000 --password matkhau-demo
    BVTE_USER=canbo BVTE_PASSWORD=matkhau-demo .venv/bin/python tests/benchmarks/bench_register.py [/tmp/reg-bench]

Targets: import 10,000 rows with validation < 10 s; duplicate check of one new child against 50,000 < 100 ms;
register list filter < 100 ms. The import is measured on a copy of the data folder (the demo is left as it is).
"""
from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from models.entities import Child
from models.register_demo import add_register_demo
from models.services.accounts import login
from models.services import register as reg
from models.services.register_duplicates import find_duplicates
from models.services.register_import import prepare, run_import

PASSWORD = os.environ.get("BVTE_PASSWORD", "")


def timed(fn, repeat: int = 20) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def make_workbook(path: Path, rows: int, villages: list[str]) -> None:
    from openpyxl import Workbook

    rng = random.Random(7)
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
    middles = ["Văn", "Thị", "Minh", "Ngọc", "Gia", "Thanh", "Đức", "Hải"]
    given = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Mai", "Nam", "Oanh", "Phúc",
             "Quân", "Sơn", "Tâm", "Uyên", "Việt", "Xuân", "Yến", "Ánh", "Đạt", "Hưng", "Thảo"]
    codes = ["a.1", "c.11", "d.2", "d.3", "h.1", "n.1", "c.3", "b.2", ""]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách trẻ em")
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân", "Thôn/tổ dân phố",
               "Họ tên mẹ", "Nhóm", "Từ ngày"])
    today = date.today()
    for i in range(rows):
        dob = today - timedelta(days=rng.randint(30, 15 * 365))
        name = f"{rng.choice(families)} {rng.choice(middles)} {rng.choice(given)}"
        dob_cell = dob if i % 2 else dob.strftime("%d/%m/%Y")  # mixed: real dates and text
        pid = f"0{rng.randint(10, 99)}{rng.randint(2, 3)}{dob.year % 100:02d}{rng.randrange(1_000_000):06d}" if i % 3 else ""
        code = rng.choice(codes)
        start = dob + timedelta(days=400)
        ws.append([i + 1, name, dob_cell, rng.choice(["Nam", "Nữ"]), "Kinh", pid, rng.choice(villages),
                   f"{rng.choice(families)} Thị {rng.choice(given)}", code,
                   start.strftime("%d/%m/%Y") if code and start < today else ""])
    wb.save(path)


def main(given: Path) -> None:
    if not PASSWORD:
        sys.exit("Set BVTE_PASSWORD to the data folder's password.")
    from tests.benchmarks.figures import remove_copy, work_copy

    folder = work_copy(given)  # the register demo and the import go into a copy: the folder given is not changed
    try:
        _main(folder)
    finally:
        remove_copy(folder)


def _main(folder: Path) -> None:
    ws = login(folder, os.environ.get("BVTE_USER", "canbo"), PASSWORD)
    db, actor = ws.db, ws.actor
    with db.session() as s:
        n_children = s.scalar(select(func.count(Child.id)))
        has_groups = bool(reg.group_counts(s))
    if not has_groups:
        t = time.perf_counter()
        summary = add_register_demo(db, actor)
        print(f"register demo added: {summary.children_in_groups} children in groups, {summary.memberships} memberships, "
              f"{summary.support} support entries ({time.perf_counter() - t:.1f} s)")
    print(f"children in the register: {n_children:,}")

    # 1. Duplicate check of one new child against the whole register.
    with db.session() as s:
        sample = s.execute(select(Child.full_name, Child.date_of_birth, Child.village)
                           .where(Child.date_of_birth.is_not(None)).limit(1).offset(n_children // 2)).one()
        cases = [("Nguyễn Thị Ánh", date(2015, 9, 5), sample.village, None),
                 (sample.full_name.replace("Thị", "Thi"), sample.date_of_birth, sample.village, None),
                 ("Trần Văn Bình", date(2018, 1, 20), sample.village, "030218001234")]
        for label, (name, dob, village, pid) in zip(("new name", "near-copy of a real child", "with personal ID"), cases):
            hits = find_duplicates(s, name, dob, village, pid)
            med, worst = timed(lambda: find_duplicates(s, name, dob, village, pid))
            print(f"duplicate check ({label}): median {med:.1f} ms, worst {worst:.1f} ms, {len(hits)} proposals")

    # 2. Register list filters (count + first page), as the window runs them.
    with db.session() as s:
        villages = reg.villages(s)
        filters = {
            "all, name order": reg.RegisterFilter(),
            "search 'nguyen thi'": reg.RegisterFilter(text="nguyen thi"),
            "search 'anh' + group c": reg.RegisterFilter(text="anh", group="c"),
            "any group": reg.RegisterFilter(group=reg.ANY_GROUP),
            "group d + thôn + age 6–10": reg.RegisterFilter(group="d", village=villages[0], age_band="6-10"),
            "thôn + girls + 11–15": reg.RegisterFilter(village=villages[1], gender="nu", age_band="11-15"),
        }
        for label, flt in filters.items():
            def run():
                reg.count_children(s, flt)
                reg.fetch_children(s, flt, 0, 200)
            run()
            med, worst = timed(run, 10)
            print(f"list filter ({label}): median {med:.1f} ms, worst {worst:.1f} ms, {reg.count_children(s, flt):,} children")
    ws.close()

    # 3. Import of 10,000 rows into a copy of the register.
    tmp = Path(tempfile.mkdtemp(prefix="reg-bench-import-"))
    try:
        copy = tmp / "data"
        shutil.copytree(folder, copy)
        ws2 = login(copy, os.environ.get("BVTE_USER", "canbo"), PASSWORD)
        book = tmp / "10000.xlsx"
        make_workbook(book, 10_000, villages)
        t0 = time.perf_counter()
        prepared = prepare(book)
        t1 = time.perf_counter()
        report = run_import(ws2.db, ws2.actor, prepared, write=True)
        t2 = time.perf_counter()
        print(f"import 10,000 rows: {t2 - t0:.2f} s total (reading the workbook {t1 - t0:.2f} s, checking + "
              f"writing {t2 - t1:.2f} s); {report.children_new:,} new, {report.children_existing} existing, "
              f"{len(report.rejected)} rejected, {len(report.repeated)} repeated, "
              f"{len(report.possible_duplicates)} possible duplicates")
        t3 = time.perf_counter()
        again = run_import(ws2.db, ws2.actor, prepare(book), write=True)
        print(f"re-import of the same file: {time.perf_counter() - t3:.2f} s, {again.children_new} new children, "
              f"{again.groups_new} new memberships")
        ws2.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/reg-bench"))
