"""`bvte` command line. With no subcommand it opens the window; subcommands never import Qt widgets.

Every subcommand goes through the same services as the window, so what a user can do there that makes
or reads a file can also be scripted and tested.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from models import __version__

EXIT_OK, EXIT_USAGE, EXIT_DATA = 0, 2, 3


def _data_dir_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On the top level and on every subcommand, so "bvte --data-dir D print …" and "bvte print --data-dir D …" both work.
    parser.add_argument(
        "--data-dir", metavar="DIR", default=None if top else argparse.SUPPRESS,
        help="thư mục dữ liệu (mặc định: biến BVTE_DATA_DIR, hoặc thư mục dữ liệu người dùng của hệ điều hành)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bvte",
        description="BVTE — quản lý hồ sơ bảo vệ trẻ em cấp xã (Nghị định 56/2017/NĐ-CP). "
        "Chạy không có lệnh con để mở cửa sổ chương trình.",
    )
    parser.add_argument("--version", action="version", version=f"BVTE {__version__}")
    _data_dir_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")

    demo = sub.add_parser("demo", help="tạo dữ liệu mẫu (trẻ em, hồ sơ) để dùng thử")
    _data_dir_option(demo, top=False)
    demo.add_argument("--children", type=int, default=300, help="số trẻ em (mặc định 300)")
    demo.add_argument("--cases", type=int, default=120, help="số hồ sơ (mặc định 120)")
    demo.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (cùng số → cùng dữ liệu)")

    prt = sub.add_parser("print", help="in một mẫu biểu ra tệp PDF")
    _data_dir_option(prt, top=False)
    which = prt.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", metavar="ID", help="mã hồ sơ (ví dụ HS-2026-0007) hoặc số thứ tự")
    which.add_argument("--blank", metavar="NN", help="in mẫu trắng, ví dụ --blank 01")
    prt.add_argument("--form", metavar="NN", default="01", help="mẫu số (hiện có: 01)")
    prt.add_argument("-o", "--output", metavar="FILE.pdf", required=True, help="tệp PDF sẽ ghi ra")

    cases = sub.add_parser("cases", help="liệt kê hồ sơ")
    _data_dir_option(cases, top=False)
    cases.add_argument("--search", default="", help="tìm theo tên trẻ (không cần dấu) hoặc mã hồ sơ")
    cases.add_argument("--year", type=int, help="năm tiếp nhận")
    cases.add_argument("--stage", help="giai đoạn (tiep_nhan, da_dong)")
    cases.add_argument("--json", action="store_true", help="xuất JSON")
    return parser


def _open(args):
    from models import paths
    from models.db import DatabaseError, open_database

    folder = paths.data_dir(args.data_dir)
    try:
        return open_database(folder)
    except DatabaseError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_DATA) from exc


def _cmd_demo(args) -> int:
    from models.demo import generate_demo

    if args.cases > args.children:
        print("Lỗi: số hồ sơ không thể nhiều hơn số trẻ em.", file=sys.stderr)
        return EXIT_USAGE
    db = _open(args)
    summary = generate_demo(db, children=args.children, cases=args.cases, seed=args.seed)
    print(f"Đã tạo dữ liệu mẫu trong {db.folder}: {summary.children} trẻ em, {summary.cases} hồ sơ.")
    return EXIT_OK


def _find_case_id(db, ref: str) -> int | None:
    from sqlalchemy import select

    from models.entities import Case

    with db.session() as session:
        if ref.isdigit():
            return session.scalar(select(Case.id).where(Case.id == int(ref)))
        return session.scalar(select(Case.id).where(Case.code == ref.strip().upper()))


def _cmd_print(args) -> int:
    from models.services.cases import load_case
    from models.services.office import get_office

    form = (args.blank or args.form).zfill(2)
    if form != "01":
        print(f"Lỗi: chưa có mẫu số {form}; hiện in được Mẫu số 01.", file=sys.stderr)
        return EXIT_USAGE
    from printouts.form01 import render_blank01, render_form01

    out = Path(args.output)
    db = _open(args)
    office = get_office(db)
    try:
        if args.blank:
            render_blank01(office, out)
        else:
            case_id = _find_case_id(db, args.case)
            if case_id is None:
                print(f"Lỗi: không có hồ sơ {args.case}.", file=sys.stderr)
                return EXIT_DATA
            render_form01(load_case(db, case_id), office, out)
    except OSError as exc:
        print(f"Lỗi: không ghi được tệp {out}: {exc.strerror}", file=sys.stderr)
        return EXIT_DATA
    print(f"Đã ghi {out}")
    return EXIT_OK


def _cmd_cases(args) -> int:
    from models.clock import fmt_date
    from models.services.cases import CaseFilter, fetch_cases
    from models.stages import STAGES

    db = _open(args)
    flt = CaseFilter(text=args.search, year=args.year, stage=args.stage)
    with db.session() as session:
        rows, offset = [], 0
        while batch := fetch_cases(session, flt, offset=offset, limit=1000):
            rows.extend(batch)
            offset += len(batch)
    if args.json:
        print(json.dumps([
            {"id": r.id, "code": r.code, "child": r.child_name, "opened_at": r.opened_at.isoformat(),
             "stage": r.stage, "forms": ["01"] if r.doc_number else []}
            for r in rows
        ], ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r.code}\t{fmt_date(r.opened_at)}\t{r.child_name}\t{STAGES.get(r.stage, r.stage)}")
    return EXIT_OK


COMMANDS = {"demo": _cmd_demo, "print": _cmd_print, "cases": _cmd_cases}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from desktop.app import run_gui  # Qt is imported only here

        return run_gui(args.data_dir)
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
