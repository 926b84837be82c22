"""Is what the user gets unchanged by a speed-up? (a script, not a unit test)

    BVTE_PASSWORD=matkhau-demo .venv/bin/python tests/benchmarks/same_outputs.py report DATA_DIR OUT.json
    BVTE_PASSWORD=matkhau-demo .venv/bin/python tests/benchmarks/same_outputs.py import DATA_DIR OUT.json
    .venv/bin/python tests/benchmarks/same_outputs.py diff BEFORE.json AFTER.json

`report`: the annual report (figures.annual_report) exported on a copy of DATA_DIR with the clock stopped at
a fixed moment; every cell of the workbook (value, number format, font, fill, alignment, borders,
protection), each sheet's merged cells, widths, heights, panes and print titles, the PDF's text (pdftotext
-layout) and the audit entry written. `import`: figures.import_rows' 10,000 rows imported on a copy: the row
report (counts, every message, the possible duplicates) and a digest of every row written to the register
tables, the audit trail and the name index. Run it on the code before and after, then `diff`.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

FROZEN = (2026, 12, 2, 9, 30, 0)


def _stop_clock() -> None:
    import models.clock as clock  # before anything imports `now` from it

    moment = datetime(*FROZEN, tzinfo=clock.VN)
    clock.now = lambda: moment
    clock.today = lambda: moment.date()


def _digest(rows) -> list:
    rows = [tuple(r) for r in rows]
    return [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]


def snapshot_report(folder: Path) -> dict:
    import figures
    from openpyxl import load_workbook
    from sqlalchemy import select

    from models.entities import AuditEvent
    from models.services.accounts import login

    copy = figures.work_copy(folder)
    out = Path(tempfile.mkdtemp(prefix="bvte-same-"))
    ws = login(copy, figures.USER, figures.password())
    try:
        figures.annual_report(ws, out)
        with ws.db.session() as s:
            entry = s.execute(select(AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id, AuditEvent.detail,
                                     AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).one()
    finally:
        ws.close()
        figures.remove_copy(copy)
    xlsx, pdf = next(out.glob("*.xlsx")), next(out.glob("*.pdf"))
    wb = load_workbook(xlsx)
    dump: dict = {"files": sorted(p.name for p in out.iterdir()), "audit": [str(v) for v in entry], "sheets": {}}
    for sh in wb.worksheets:
        cells = {}
        for row in sh.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                cells[c.coordinate] = [repr(c.value), c.number_format, c.font.b, c.font.i, c.font.sz, c.font.name,
                                       c.fill.fgColor.rgb if c.fill.fill_type else None, c.alignment.horizontal,
                                       c.alignment.vertical, c.alignment.wrap_text, c.alignment.indent,
                                       *(str(getattr(c.border, side).style) for side in ("left", "top", "right", "bottom")),
                                       c.protection.locked]
        dump["sheets"][sh.title] = {
            "state": sh.sheet_state, "dims": sh.dimensions, "merged": sorted(str(m) for m in sh.merged_cells.ranges),
            "widths": {k: d.width for k, d in sh.column_dimensions.items()},
            "heights": {str(k): d.height for k, d in sh.row_dimensions.items() if d.height},
            "freeze": str(sh.freeze_panes), "print_titles": str(sh.print_title_rows),
            "orientation": sh.page_setup.orientation, "cells": cells}
    dump["pdf_text"] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                      check=True).stdout
    return dump


def snapshot_import(folder: Path) -> dict:
    import figures
    from bench_register import make_workbook
    from sqlalchemy import text

    from models.services import register as reg
    from models.services.accounts import login
    from models.services.register_import import prepare, run_import

    copy = figures.work_copy(folder)
    out = Path(tempfile.mkdtemp(prefix="bvte-same-"))
    ws = login(copy, figures.USER, figures.password())
    try:
        with ws.db.session() as s:
            villages = reg.villages(s) or ["Thôn 1", "Thôn 2"]
        book = out / "10000.xlsx"
        make_workbook(book, 10_000, villages)
        start = time.perf_counter()
        report = run_import(ws.db, ws.actor, prepare(book), write=True)
        print(f"import: {time.perf_counter() - start:.2f} s", file=sys.stderr)
        problems = lambda ps: [(p.sheet, p.row, p.reasons, p.name) for p in ps]  # noqa: E731
        dump: dict = {"text": report.text(), "mapping": report.mapping,
                      "counts": {k: getattr(report, k) for k in (
                          "file_name", "sheet", "header_row", "rows_read", "rows_accepted", "children_new",
                          "children_existing", "children_updated", "groups_new", "support_rows_read", "support_new",
                          "written")},
                      "rejected": problems(report.rejected), "repeated": problems(report.repeated),
                      "possible_duplicates": problems(report.possible_duplicates), "tables": {}}
        with ws.db.session() as s:
            for table in ("child", "person", "child_relation", "child_group", "child_support", "audit_event"):
                dump["tables"][table] = _digest(s.execute(text(f"SELECT * FROM {table} ORDER BY id")))
            if s.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'child_name_fts'")):
                for word in ("nguyen", "thi anh", "oanh", "dang"):
                    dump["tables"][f"child_name_fts {word}"] = _digest(s.execute(text(
                        "SELECT rowid FROM child_name_fts WHERE child_name_fts MATCH :w ORDER BY rowid"), {"w": word}))
        return dump
    finally:
        ws.close()
        figures.remove_copy(copy)


def diff(before: Path, after: Path) -> int:
    a, b = json.loads(before.read_text(encoding="utf-8")), json.loads(after.read_text(encoding="utf-8"))
    differences = []

    def walk(x, y, where: str) -> None:
        if isinstance(x, dict) and isinstance(y, dict):
            for k in sorted(set(x) | set(y)):
                if k not in x or k not in y:
                    differences.append(f"{where}/{k}: only in {'after' if k not in x else 'before'}")
                else:
                    walk(x[k], y[k], f"{where}/{k}")
        elif x != y:
            differences.append(f"{where}: {str(x)[:120]!r} -> {str(y)[:120]!r}")

    walk(a, b, "")
    cells = sum(len(s["cells"]) for s in a.get("sheets", {}).values())
    for line in differences[:50]:
        print(line)
    print(f"{len(differences)} difference(s)" + (f"; {cells:,} cells compared" if cells else "")
          + (f", PDF text {len(a['pdf_text']):,} characters" if "pdf_text" in a else "")
          + (f"; {len(a['possible_duplicates'])} possible duplicates, {a['counts']['children_new']} new"
             if "counts" in a else ""))
    return 1 if differences else 0


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("report", "import", "diff"):
        sys.exit(__doc__)
    if argv[0] == "diff":
        return diff(Path(argv[1]), Path(argv[2]))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _stop_clock()
    dump = snapshot_report(Path(argv[1])) if argv[0] == "report" else snapshot_import(Path(argv[1]))
    Path(argv[2]).write_text(json.dumps(dump, ensure_ascii=False, sort_keys=True, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
