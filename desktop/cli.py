"""`bvte` command line. With no subcommand it opens the window; subcommands never import Qt widgets.

Every subcommand goes through the same services as the window, so what a user can do there that makes
or reads a file can also be scripted and tested. Commands that read or write data need an account:
`--user NAME` (or BVTE_USER) and the password from a prompt or, for scripts, BVTE_PASSWORD.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

import models
from models.errors import UserError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3
SEARCH_MAX = 200  # characters of a search text
EXIT_NO_DISPLAY = 4


def no_display() -> bool:
    """On Linux without X or Wayland (and no Qt platform chosen) Qt would abort with an xcb message."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class CliError(UserError):
    """Ends the command with a Vietnamese message on stderr and the given exit code."""

    def __init__(self, message: str, code: int = EXIT_DATA):
        super().__init__(message)
        self.exit_code = code


def _common(parser: argparse.ArgumentParser, *, top: bool, account: bool = True) -> None:
    # On the top level and on every subcommand, so "bvte --data-dir D print …" and "bvte print --data-dir D …" both work.
    keep = {} if top else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--data-dir", metavar="DIR", **keep,
        help="thư mục dữ liệu (mặc định: biến BVTE_DATA_DIR, hoặc thư mục dữ liệu người dùng của hệ điều hành)",
    )
    if account:
        parser.add_argument("--user", metavar="TÊN", **keep,
                            help="tên đăng nhập (mặc định: biến BVTE_USER); mật khẩu hỏi khi chạy hoặc lấy từ BVTE_PASSWORD")


class _ShowVersion(argparse.Action):
    """--version, with the version looked up only when it is asked for (see models.__getattr__)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"BVTE {models.__version__}")  # on stdout, as argparse's own version action
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    from desktop.cli_words import gettext, install

    install()  # argparse's own words (usage, options, errors) in Vietnamese
    parser = argparse.ArgumentParser(
        prog="bvte",
        description="BVTE — quản lý hồ sơ bảo vệ trẻ em cấp xã (Nghị định 56/2017/NĐ-CP). "
        "Chạy không có lệnh con để mở cửa sổ chương trình.",
    )
    parser.add_argument("--version", action=_ShowVersion, help=gettext("show program's version number and exit"))
    parser.add_argument("--self-test", action="store_true",
                        help="tự kiểm tra bản cài đặt (dữ liệu, in PDF, Excel, Qt) rồi thoát; mã thoát 0 nếu mọi mục đạt")
    _common(parser, top=True)
    parser.add_argument("--database", metavar="URL",
                        help="dùng máy chủ dữ liệu của cơ quan (PostgreSQL), ví dụ postgresql://bvte_app@may-chu/bvte"
                        "?sslmode=verify-full&sslrootcert=chung-chi.crt; ghi nhớ trong thư mục dữ liệu")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")

    move = sub.add_parser("migrate-office", help="chép toàn bộ dữ liệu của cơ quan sang máy chủ PostgreSQL (hoặc ngược lại "
                          "sang một thư mục dữ liệu một máy), kiểm tra từng bảng; nơi nhận phải trống")
    _common(move, top=False)
    move.add_argument("--to", required=True, metavar="URL|THƯ-MỤC",
                      help="postgresql://… (cơ sở dữ liệu trống trên máy chủ) hoặc một thư mục trống (chế độ một máy)")

    demo = sub.add_parser("demo", help="tạo cơ quan dùng thử với dữ liệu mẫu và ba tài khoản admin, canbo, chutich")
    _common(demo, top=False)
    demo.add_argument("--children", type=int, default=300, help="số trẻ em (mặc định 300)")
    demo.add_argument("--cases", type=int, default=120, help="số hồ sơ (mặc định 120)")
    demo.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (cùng số → cùng dữ liệu)")
    demo.add_argument("--password", help="mật khẩu chung của ba tài khoản mẫu (mặc định: tạo ngẫu nhiên và in ra)")

    prt = sub.add_parser("print", help="in một mẫu biểu (hoặc cả hồ sơ) ra tệp PDF")
    _common(prt, top=False)
    which = prt.add_mutually_exclusive_group()  # one of --case, --blank, --carer, --placement … (Mẫu 09 needs none)
    which.add_argument("--case", metavar="ID", help="mã hồ sơ (ví dụ HS-2026-0007) hoặc số thứ tự")
    which.add_argument("--carer", metavar="ID", help="người nhận chăm sóc thay thế (số, ví dụ 5 hoặc NCS-5) cho "
                       "Mẫu 08, 11; --form 09 in danh sách của quý hiện tại, không cần --carer")
    which.add_argument("--blank", metavar="NN", help="in mẫu trắng: 01 … 07, 08 … 16 hoặc bien_ban_hop (biên bản họp, "
                       "cũng viết minutes)")
    which.add_argument("--placement", metavar="ID", help="số quyết định giao trẻ em trong phần mềm (Mẫu 12, 13, 15, 16)")
    which.add_argument("--care-need", metavar="ID", help="số bản đánh giá trẻ em cần chăm sóc thay thế (Mẫu 10)")
    which.add_argument("--facility-child", metavar="ID", help="số trẻ em trong danh sách của cơ sở (Mẫu 14)")
    prt.add_argument("--form", metavar="NN", default="01",
                     help="mẫu số 01 … 07, 08 … 16 (chăm sóc thay thế), bien_ban_hop (biên bản họp, cũng viết minutes) "
                          "hoặc bao_cao_vu_viec (báo cáo vụ việc)")
    prt.add_argument("--version", metavar="N", help="phiên bản kế hoạch (Mẫu 04/05) hoặc lần lập (Mẫu 03, 06, 07, biên bản)")
    prt.add_argument("--dossier", action="store_true", help="cả hồ sơ trong một tệp PDF, theo thứ tự pháp lý (với "
                     "--placement: mọi văn bản chăm sóc thay thế của quyết định đó)")
    prt.add_argument("-o", "--output", metavar="FILE.pdf", required=True, help="tệp PDF sẽ ghi ra")

    cases = sub.add_parser("cases", help="liệt kê hồ sơ")
    _common(cases, top=False)
    cases.add_argument("--search", default="", help="tìm theo tên trẻ (không cần dấu) hoặc mã hồ sơ")
    cases.add_argument("--year", help="năm tiếp nhận")
    cases.add_argument("--stage", help="giai đoạn, ví dụ tiep_nhan, khan_cap, cho_phe_duyet, dang_thuc_hien, da_dong "
                       "(xem danh sách bằng --stage ?)")
    cases.add_argument("--json", action="store_true", help="xuất JSON")

    files = sub.add_parser("attachments", help="liệt kê giấy tờ đính kèm của một trẻ hoặc một hồ sơ (không xuất nội dung)")
    _common(files, top=False)
    owner = files.add_mutually_exclusive_group(required=True)
    owner.add_argument("--child", metavar="SỐ", type=int, help="số (id) của trẻ trong sổ theo dõi")
    owner.add_argument("--case", metavar="MÃ", help="mã hồ sơ (HS-2026-0001) hoặc số hồ sơ: giấy tờ của hồ sơ và "
                       "các bản đã ký")
    files.add_argument("--removed", action="store_true", help="kể cả các tệp đã gỡ bỏ (và lý do)")
    files.add_argument("--json", action="store_true", help="xuất JSON")

    tasks = sub.add_parser("tasks", help="việc cần làm: các bước quá hạn hoặc sắp đến hạn của mọi hồ sơ, gấp nhất trước")
    _common(tasks, top=False)
    tasks.add_argument("--at", metavar="\"YYYY-MM-DD HH:MM\"", help="tính tại thời điểm này (mặc định: bây giờ)")
    tasks.add_argument("--json", action="store_true", help="xuất JSON")

    user = sub.add_parser("user", help="quản lý tài khoản: add, passwd, disable, list")
    _common(user, top=False)
    user_sub = user.add_subparsers(dest="user_command", metavar="VIỆC", required=True)
    add = user_sub.add_parser("add", help="thêm tài khoản (mật khẩu mới lấy từ BVTE_NEW_PASSWORD hoặc hỏi)")
    _common(add, top=False)
    add.add_argument("name")
    add.add_argument("--full-name", required=True, help="họ và tên")
    add.add_argument("--role", action="append", choices=["worker", "leader", "admin"], required=True,
                     help="vai trò: worker (cán bộ), leader (lãnh đạo), admin (quản trị); có thể lặp lại")
    pw = user_sub.add_parser("passwd", help="đổi mật khẩu của mình, hoặc (quản trị viên) đặt lại mật khẩu người khác")
    _common(pw, top=False)
    pw.add_argument("name", nargs="?")
    dis = user_sub.add_parser("disable", help="vô hiệu hoá tài khoản")
    _common(dis, top=False)
    dis.add_argument("name")
    _common(user_sub.add_parser("list", help="liệt kê tài khoản"), top=False)

    verify = sub.add_parser("verify", help="kiểm tra tính toàn vẹn dữ liệu, phiên bản cấu trúc, chuỗi nhật ký và chữ ký")
    _common(verify, top=False)
    verify.add_argument("--full", action="store_true",
                        help="kiểm tra toàn bộ cả các chỉ mục (chậm hơn; mặc định đọc và kiểm tra mọi trang dữ liệu)")
    verify.add_argument("--anchor", action="append", default=[], metavar="TỆP",
                        help="so nhật ký hôm nay với điểm neo trong một bản sao lưu (.bvtebak), một báo cáo đã xuất "
                        "(.xlsx) hoặc một tệp điểm neo (.json); có thể lặp lại")
    verify.add_argument("--save-anchor", metavar="TỆP.json",
                        help="ghi điểm neo của nhật ký hôm nay ra tệp (để giữ ngoài máy, ví dụ trên USB)")

    exp_r = sub.add_parser("export", help="xuất báo cáo định kỳ ra tệp Excel cho cấp trên (mặc định không có tên trẻ)")
    _common(exp_r, top=False)
    exp_r.add_argument("--period", required=True, metavar="KỲ",
                       help="2026-H1 (6 tháng), 2026-9M (9 tháng), 2026 (năm) hoặc 2026-01-01:2026-06-30")
    exp_r.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="tệp (hoặc thư mục, ví dụ USB) sẽ ghi ra")
    exp_r.add_argument("--with-names", action="store_true",
                       help="ghi cả tên trẻ (bắt buộc đặt mật khẩu: hỏi khi chạy, hoặc lấy từ biến BVTE_REPORT_PASSWORD)")

    merge = sub.add_parser("merge", help="(cấp tỉnh) gộp báo cáo của nhiều xã thành một tệp tổng hợp")
    _common(merge, top=False, account=False)
    merge.add_argument("files", nargs="+", metavar="FILE.xlsx")
    merge.add_argument("-o", "--output", required=True, metavar="TOTAL.xlsx")
    merge.add_argument("--period", metavar="KỲ", help="kỳ báo cáo mong đợi (mặc định: kỳ của đa số tệp)")
    merge.add_argument("--expected", metavar="DANH_SACH_XA",
                       help="tệp danh sách các xã phải báo cáo (.xlsx hoặc .csv, mỗi dòng một tên xã): để biết xã "
                            "nào chưa gửi báo cáo")

    imp = sub.add_parser("import-children", help="nhập danh sách trẻ em từ tệp Excel (.xlsx) vào sổ theo dõi")
    _common(imp, top=False)
    imp.add_argument("file", metavar="FILE.xlsx")
    imp.add_argument("--map", action="append", default=[], metavar="TRƯỜNG=CỘT",
                     help="ghép cột khi tiêu đề không theo mẫu, ví dụ --map full_name=B --map date_of_birth=\"Ngày sinh\"")

    exp = sub.add_parser("export-children", help="xuất sổ theo dõi trẻ em ra tệp Excel (cùng mẫu với tệp nhập)")
    _common(exp, top=False)
    exp.add_argument("-o", "--output", metavar="FILE.xlsx", required=True)
    exp.add_argument("--group", metavar="MÃ", help="chỉ một nhóm hoàn cảnh đặc biệt: a b c d đ e g h i k l m n o")

    backup = sub.add_parser("backup", help="sao lưu toàn bộ dữ liệu (đã mã hoá) ra một tệp .bvtebak")
    _common(backup, top=False)
    backup.add_argument("-o", "--output", metavar="FILE.bvtebak", required=True, help="tệp sao lưu sẽ ghi ra")

    guide = sub.add_parser("help", help="hướng dẫn sử dụng: mở cửa sổ hướng dẫn, hoặc --pdf -o TỆP để in ra PDF")
    _common(guide, top=False, account=False)
    guide.add_argument("--pdf", action="store_true", help="ghi bản in hướng dẫn (A4, có mục lục, số trang) ra tệp PDF")
    guide.add_argument("-o", "--output", metavar="FILE.pdf", help="tệp PDF sẽ ghi ra (cùng với --pdf)")
    guide.add_argument("--anh", metavar="THƯ_MỤC",
                       help="thư mục ảnh màn hình do tests/tools/screenshots.py chụp (không có: bản in không có ảnh)")
    guide.add_argument("--trang", metavar="TÊN", help="mở cửa sổ hướng dẫn ở trang này (ví dụ tiep-nhan-mau-01)")

    restore = sub.add_parser("restore", help="khôi phục dữ liệu từ một tệp sao lưu .bvtebak")
    _common(restore, top=False)
    restore.add_argument("file", metavar="FILE.bvtebak")
    restore.add_argument("--backup-user", metavar="TÊN",
                         help="tài khoản quản trị trong bản sao lưu (mặc định: như --user); mật khẩu lúc sao lưu lấy từ "
                         "BVTE_BACKUP_PASSWORD, hoặc hỏi, hoặc dùng mật khẩu hiện nay")
    restore.add_argument("--allow-foreign", action="store_true",
                         help="cho phép khôi phục bản sao lưu của một cơ quan khác (thay thế toàn bộ dữ liệu hiện có)")
    return parser


# -- helpers -------------------------------------------------------------------------------------------
def _folder(args) -> Path:
    from models import paths

    return paths.data_dir(args.data_dir)


def _ask_password(prompt: str, env: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"Cần mật khẩu: đặt biến {env} hoặc chạy lệnh trong cửa sổ dòng lệnh để được hỏi.", EXIT_USAGE)
    return getpass.getpass(prompt)


def _sign_in(args, meanwhile: tuple[str, ...] = (), when_unlocked=None, overlap: bool = True):
    """Sign in as --user (or BVTE_USER) with the password from BVTE_PASSWORD or a prompt.

    The same steps as models.services.accounts.login, with one difference in timing: the password's key
    (Argon2id, whose memory-hard cost protects the account and is kept whole) is derived in a second thread
    while this one imports the data layer and the modules the command needs (`meanwhile`). The derivation runs
    outside Python's lock, so on a PC with two cores the command does not wait for the two one after the other.
    `when_unlocked(folder, unlocked)` runs in that thread as soon as the keys are known; with `overlap` False
    the imports wait for it (the derivation has both cores to itself: what `when_unlocked` starts starts sooner)."""
    import importlib
    import threading

    from models.security.vault import Vault
    from models.server_keys import bring_up_to_date

    folder = _folder(args)
    if not Vault.exists(folder):  # = models.services.accounts.office_exists
        raise CliError(f"Thư mục {folder} chưa có dữ liệu BVTE. Mở chương trình để thiết lập, hoặc chạy `bvte demo`.")
    username = getattr(args, "user", None) or os.environ.get("BVTE_USER")
    if not username:
        raise CliError("Cần tài khoản: thêm --user TÊN hoặc đặt biến BVTE_USER.", EXIT_USAGE)
    outcome: dict = {}
    try:
        password = _ask_password(f"Mật khẩu của {username}: ", "BVTE_PASSWORD")
        bring_up_to_date(folder)  # the server mode: the office server's newer key file, if any
        vault = Vault.load(folder)
        failures_before = vault.failures(username)

        def unlock() -> None:
            try:
                outcome["unlocked"] = unlocked = vault.unlock_account(username, password)
                if when_unlocked is not None:
                    when_unlocked(folder, unlocked)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread, raised there
                outcome["error"] = exc

        worker = threading.Thread(target=unlock, name="bvte-unlock", daemon=True)
        worker.start()
        if not overlap:
            worker.join()
        try:
            for name in ("models.services.accounts", *meanwhile):
                importlib.import_module(name)
        finally:
            worker.join()
        from models.services.accounts import open_unlocked

        if "error" in outcome:
            raise outcome["error"]
        return open_unlocked(folder, vault, outcome["unlocked"], username, failures_before, password)
    except UserError as exc:
        raise CliError(str(exc)) from exc


# -- commands ------------------------------------------------------------------------------------------
def _cmd_demo(args) -> int:
    from models.demo import generate_demo
    from models.register_demo import add_register_demo
    from models.services.accounts import add_account, office_exists, setup_office

    if args.children < 0 or args.cases < 0 or args.cases > 3 * args.children:
        raise CliError("Số trẻ em, số hồ sơ không được âm, và mỗi trẻ có nhiều nhất 3 hồ sơ.", EXIT_USAGE)
    if args.children > 200_000 or abs(args.seed) > 2**63:
        raise CliError("Dữ liệu mẫu có nhiều nhất 200.000 trẻ em.", EXIT_USAGE)
    folder = _folder(args)
    if office_exists(folder):
        ws = _sign_in(args)  # more demo data in an existing office: an administrator must sign in
        ws.actor.require("settings")
        made_accounts = None
    else:
        import secrets

        password = args.password or secrets.token_urlsafe(9)
        ws = setup_office(folder, "admin", "Quản trị viên", password, also_worker=False)
        add_account(ws, "canbo", "Trần Thị Lan", ["worker"], password)
        add_account(ws, "chutich", "Phạm Văn Hùng", ["leader"], password)
        made_accounts = password
    try:
        summary = generate_demo(ws.db, ws.actor, children=args.children, cases=args.cases, seed=args.seed)
        add_register_demo(ws.db, ws.actor, seed=args.seed)
    finally:
        ws.close()
    print(f"Đã tạo dữ liệu mẫu trong {folder}: {summary.children} trẻ em, {summary.cases} hồ sơ.")
    if made_accounts is not None:
        print("Tài khoản: admin (quản trị viên), canbo (cán bộ bảo vệ trẻ em), chutich (lãnh đạo).")
        if not args.password:
            print(f"Mật khẩu chung của ba tài khoản: {made_accounts}")
    return EXIT_OK


def _cmd_print(args) -> int:
    from desktop.actions import printing
    from models import forms

    out = Path(args.output)
    try:
        form = forms.normalise(args.blank or args.form or "01")
    except forms.UnknownForm as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    version = args.version
    if version is not None and version.isascii() and version.isdigit() and len(version) < 6:
        version = int(version)
    subject = forms.get(form).subject
    care_record = args.placement or args.care_need or args.facility_child
    if not args.blank and subject == "case" and not args.case and not (args.placement and args.dossier):
        raise CliError(f"{forms.get(form).short} là văn bản của một hồ sơ: ghi --case MÃ-HỒ-SƠ (hoặc --blank để in "
                       "mẫu trắng).", EXIT_USAGE)
    if not args.blank and subject == "carer" and not args.carer:
        raise CliError(f"{forms.get(form).short} là văn bản của một người nhận chăm sóc thay thế: ghi --carer SỐ.",
                       EXIT_USAGE)
    if args.carer and subject != "carer":
        raise CliError("--carer chỉ dùng với Mẫu 08 hoặc Mẫu 11.", EXIT_USAGE)
    if not args.blank and subject in ("child", "placement") and not care_record:
        raise CliError(f"{forms.get(form).short} là văn bản chăm sóc thay thế của một trẻ em: ghi --placement SỐ "
                       "(Mẫu 12, 13, 15, 16), --care-need SỐ (Mẫu 10) hoặc --facility-child SỐ (Mẫu 14).", EXIT_USAGE)
    ws = _sign_in(args)
    try:
        if args.blank:
            paper = printing.blank(ws, form)
        elif args.placement and args.dossier:
            paper = printing.care_dossier(ws, args.placement)
        elif care_record:
            paper = printing.care_form(ws, form, care_record, version=version)
        elif subject != "case":
            paper = printing.care_form(ws, form, args.carer, version=version)
        elif args.dossier:
            paper = printing.dossier(ws, args.case)
        else:
            paper = printing.form(ws, args.case, form, version=version)
        printing.save(ws, paper, out)
    except OSError as exc:
        raise CliError(f"Không ghi được tệp {out}: {exc.strerror}") from exc
    finally:
        ws.close()
    print(f"Đã ghi {out}")
    _say_wording(paper.forms)
    return EXIT_OK


def _say_wording(forms) -> None:
    """Whose words the printed forms are (reconstructed, local, or a local file refused), on stderr."""
    from models.wording import wording_of

    for note in dict.fromkeys(wording_of(f).notice() for f in forms):
        if note:
            print(f"Lưu ý: {note}", file=sys.stderr)


def _cmd_cases(args) -> int:
    from models.clock import fmt_date

    if args.stage is not None:
        from models.stages import STAGES

        if args.stage == "?":  # the list the help points to
            for code, label in STAGES.items():
                print(f"{code}\t{label}")
            return EXIT_OK
        if args.stage not in STAGES:
            stages = "; ".join(f"{code} = {label}" for code, label in STAGES.items())
            raise CliError(f"Giai đoạn không có: {args.stage}. Các giai đoạn: {stages}.", EXIT_USAGE)
    from models import validation as v

    try:
        year = v.year(args.year, what="--year")
    except v.Invalid as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    if len(args.search) > SEARCH_MAX:
        raise CliError(f"--search quá dài ({len(args.search):,} ký tự; tối đa {SEARCH_MAX}).".replace(",", "."), EXIT_USAGE)
    ws = _sign_in(args, meanwhile=("models.services.cases",))
    from models.services.cases import CaseFilter, forms_by_case, list_all_cases
    from models.stages import STAGES

    try:
        ws.actor.require("case.view")
        flt = CaseFilter(text=args.search, year=year, stage=args.stage)
        with ws.db.session() as session:
            rows = list_all_cases(session, flt)
            forms = forms_by_case(session) if args.json else {}
    finally:
        ws.close()
    if args.json:
        print(json.dumps([
            {"id": r.id, "code": r.code, "child": r.child_name, "opened_at": r.opened_at.isoformat(),
             "stage": r.stage, "forms": forms.get(r.id, [])}
            for r in rows
        ], ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r.code}\t{fmt_date(r.opened_at)}\t{r.child_name}\t{STAGES.get(r.stage, r.stage)}")
    return EXIT_OK


def _cmd_attachments(args) -> int:
    """The attachments of a child or a case (kind, file, size, date; never their content)."""
    from models.clock import fmt_date
    from models.services import attachments as att

    ws = _sign_in(args)
    try:
        if args.child is not None:
            found = att.list_for(ws, "child", args.child, include_removed=args.removed)
        else:
            from models.services.cases import find_case

            case_id = find_case(ws.db, args.case)
            found = (att.list_for(ws, "case", case_id, include_removed=args.removed)
                     + att.list_for(ws, "form", case_id, include_removed=args.removed))
    finally:
        ws.close()
    if args.json:
        print(json.dumps([
            {"id": a.id, "owner": a.owner_kind, "owner_id": a.owner_id, "form": a.form_code or None,
             "form_record_id": a.form_record_id, "kind": a.kind, "note": a.note, "file_name": a.file_name,
             "type": a.file_type, "size": a.size, "pages": a.pages, "sha256": a.sha256,
             "created_at": a.created_at.isoformat(), "created_by": a.created_by,
             "removed_at": a.removed_at.isoformat() if a.removed_at else None, "removed_reason": a.removed_reason or None}
            for a in found], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not found:
        print("Chưa có tệp đính kèm.")
    for a in found:
        form = f"bản đã ký Mẫu {a.form_code}\t" if a.form_code else ""
        gone = f"\tđã gỡ bỏ {fmt_date(a.removed_at)}: {a.removed_reason}" if a.removed else ""
        print(f"{a.id}\t{fmt_date(a.created_at)}\t{form}{a.title}\t{a.file_name}\t{a.summary}{gone}")
    return EXIT_OK


def _cmd_tasks(args) -> int:
    from datetime import datetime

    from models.clock import VN, fmt_datetime, now

    at = now()
    if args.at:
        try:
            at = datetime.strptime(args.at.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=VN)
        except ValueError:
            raise CliError("--at cần dạng \"YYYY-MM-DD HH:MM\", ví dụ \"2026-02-20 09:00\".", EXIT_USAGE) from None
        from models import validation as v

        try:
            v.date_in_range(at, "--at")
        except v.Invalid as exc:
            raise CliError(str(exc), EXIT_USAGE) from None
    ws = _sign_in(args, meanwhile=("models.services.tasks", "models.reports.deadlines"))
    from models.reports.deadlines import report_deadlines
    from models.services.tasks import compute_tasks

    try:
        ws.actor.require("case.view")
        tasks = compute_tasks(ws.db, at=at)

        with ws.db.session() as session:
            reports = report_deadlines(session, at) if ws.actor.can("export") else []
    finally:
        ws.close()
    if args.json:
        print(json.dumps([
            {"case_id": t.case_id, "case": t.case_code, "child": t.child_name, "step": t.step, "rule": t.rule,
             "deadline": t.deadline.isoformat() if t.deadline else None, "status": t.status, "late": t.late,
             "form": t.form}
            for t in tasks
        ], ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"Việc cần làm lúc {fmt_datetime(at)}: {len(tasks)} việc, {sum(t.late for t in tasks)} việc quá hạn.")
    for t in tasks:
        deadline = fmt_datetime(t.deadline) if t.deadline else ""
        print(f"{'!' if t.late else ' '} {t.case_code}\t{t.child_name}\t{t.step}\thạn {deadline}\t{t.status}")
    if reports:
        print("Báo cáo định kỳ:")
        for r in reports:
            print(f"{'!' if r.late_days else ' '} {r.text()}")
    return EXIT_OK


def _cmd_user(args) -> int:
    from models.security.roles import ROLES
    from models.services import accounts

    ws = _sign_in(args)
    left_out: list[str] = []
    try:
        if args.user_command == "list":
            for acc in accounts.list_accounts(ws):
                roles = ", ".join(ROLES[r] for r in acc.role_set)
                state = "đã vô hiệu hoá" if acc.disabled else "đang hoạt động"
                print(f"{acc.username}\t{acc.full_name}\t{roles}\t{state}")
        elif args.user_command == "add":
            password = _ask_password(f"Mật khẩu cho {args.name}: ", "BVTE_NEW_PASSWORD")
            accounts.add_account(ws, args.name, args.full_name, args.role, password)
            print(f"Đã thêm tài khoản {args.name}.")
        elif args.user_command == "passwd":
            if args.name and args.name != ws.actor.username:
                left_out = accounts.reset_password(ws, args.name, _ask_password(f"Mật khẩu mới cho {args.name}: ", "BVTE_NEW_PASSWORD"))
            else:
                old = _ask_password("Mật khẩu hiện tại: ", "BVTE_PASSWORD")
                left_out = accounts.change_own_password(ws, old, _ask_password("Mật khẩu mới: ", "BVTE_NEW_PASSWORD"))
            print("Đã đổi mật khẩu và đổi khoá mã hoá dữ liệu (mật khẩu cũ không còn mở được dữ liệu).")
        elif args.user_command == "disable":
            left_out = accounts.disable_account(ws, args.name)
            print(f"Đã vô hiệu hoá tài khoản {args.name} và đổi khoá mã hoá dữ liệu.")
    finally:
        ws.close()
    if left_out:
        print(f"Các tài khoản chưa đăng nhập lần nào từ khi nâng cấp ({', '.join(left_out)}) chưa nhận được khoá mới: "
              "hãy đặt lại mật khẩu cho họ (bvte user passwd TÊN).")
    return EXIT_OK


def _cmd_verify(args) -> int:
    import threading

    from models import paths
    from models.integrity import OpeningCheck, whole_file_cache_kib

    # The file's check (every page read and checked; SQLite works without Python's lock) starts as soon as the
    # password gave the data key, while this thread loads the data layer, signs in and walks the audit chain.
    early: dict = {}

    def start_check(folder: Path, unlocked) -> None:
        db_file = paths.db_path(folder)
        if unlocked.pending_key is not None or paths.server_path(folder).exists() or not db_file.is_file():
            return  # a rekey to finish or the server mode: checked below, once the data is open
        check = OpeningCheck(None, full=args.full, file=(db_file, unlocked.data_key),
                             cache_kib=whole_file_cache_kib(db_file))
        worker = threading.Thread(target=lambda: early.update(result=check.run()), name="bvte-check", daemon=True)
        early.update(check=check, worker=worker)
        worker.start()

    try:
        ws = _sign_in(args, meanwhile=("models.security.audit", "models.security.anchors"), when_unlocked=start_check,
                      overlap=False)  # the file's check is the longest part: it starts as soon as possible
    except BaseException:
        if "check" in early:
            early["check"].cancel()
            early["worker"].join()
        raise
    from models.security import anchors
    from models.security.audit import anchor, verify_anchor, verify_chain

    checked = []
    try:
        db = ws.db
        found: dict = {}
        check = early.get("check")
        if check is None:
            check = OpeningCheck(db, full=args.full, cache_kib=None if db.is_server else whole_file_cache_kib(db.path))
            worker = threading.Thread(target=lambda: found.update(result=check.run()))
            worker.start()
        else:
            worker = early["worker"]
        current, head = db.current_revision(), db.head_revision()
        with db.session() as session:
            chain = verify_chain(session, public_keys=ws.vault.public_keys())
            for name in args.anchor:
                try:
                    past = anchors.read(Path(name))
                except anchors.AnchorError as exc:
                    checked.append((False, f"{name}: {exc}"))
                    continue
                if past.get("office_id") and past["office_id"] != ws.vault.office_id:
                    checked.append((False, f"{name}: điểm neo của cơ quan khác, không so được."))
                    continue
                result = verify_anchor(session, past, chain)
                checked.append((result.ok, f"{name}: {result.message}"))
            here = anchor(session, ws.vault.office_id)
        worker.join()
        if "check" in early:
            found["result"] = result = early.get("result")
            if result is not None and result.ok:
                check.remember(db, result)
            else:  # checked before the data was opened: once more as the open data is, before saying it is damaged
                found["result"] = OpeningCheck(db, full=args.full).run()
        integrity = found["result"].ok
    finally:
        ws.close()
    what = "toàn bộ" if args.full else "mọi trang"
    print(f"Tính toàn vẹn của tệp dữ liệu ({what}): {'tốt' if integrity else 'HỎNG'}")
    print(f"Cấu trúc dữ liệu: phiên bản {current}" + (" (mới nhất)" if current == head else f" — CHƯA CẬP NHẬT (mới nhất: {head})"))
    print(f"Nhật ký truy cập: {chain.message}")
    for ok, line in checked:
        print(f"Điểm neo {'khớp' if ok else 'KHÔNG KHỚP'} — {line}")
    if args.save_anchor:
        out = Path(args.save_anchor)
        try:
            anchors.write_file(out, here)
        except OSError as exc:
            raise CliError(f"Không ghi được tệp {out}: {exc.strerror or exc}") from exc
        print(f"Đã ghi điểm neo (mục số {here['audit_id']}) vào {out}.")
    good = integrity and current == head and chain.ok and all(ok for ok, _ in checked)
    return EXIT_OK if good else EXIT_FAILED


def _cmd_export(args) -> int:
    from desktop.actions.reports import export_report

    target = Path(args.output)
    if args.output.endswith(("/", "\\")) and not target.is_dir():
        raise CliError(f"Không có thư mục {args.output}: hãy kiểm tra ổ USB hoặc tạo thư mục trước.", EXIT_USAGE)
    if not target.parent.is_dir():
        raise CliError(f"Không có thư mục {target.parent}: hãy kiểm tra ổ USB hoặc tạo thư mục trước.", EXIT_USAGE)
    # Never on the command line (it would stay in the shell history and the process list): a prompt, or the
    # variable for scripts. Without names the file may still be protected by setting the variable.
    password = os.environ.get("BVTE_REPORT_PASSWORD") or None
    if args.with_names and not password:
        password = _ask_password("Mật khẩu mở tệp báo cáo (có họ tên trẻ em): ", "BVTE_REPORT_PASSWORD")
        if sys.stdin.isatty() and getpass.getpass("Nhập lại mật khẩu: ") != password:
            raise CliError("Hai lần nhập mật khẩu không khớp; chưa xuất báo cáo.", EXIT_USAGE)
    ws = _sign_in(args)
    try:
        out = export_report(ws, args.period, Path(args.output), with_names=args.with_names, password=password)
    finally:
        ws.close()
    from desktop.actions.reports import pdf_path

    print(f"Đã ghi báo cáo {out} (kèm tệp kiểm tra {out.name}.sha256)." + (" Tệp có mật khẩu." if password else ""))
    print(f"Báo cáo bằng văn bản (PDF): {pdf_path(out)} (kèm tệp kiểm tra {pdf_path(out).name}.sha256).")
    return EXIT_OK


def _cmd_merge(args) -> int:
    from desktop.actions.reports import merge_reports

    report = merge_reports([Path(f) for f in args.files], Path(args.output), period_text=args.period,
                           expected=Path(args.expected) if args.expected else None)
    print(report.summary_text())
    return EXIT_OK if not report.problems else EXIT_FAILED


def _cmd_import_children(args) -> int:
    from desktop.actions.register import import_children_file
    from models.validation import Invalid

    mapping = {}
    for item in args.map:
        field, _, column = item.partition("=")
        if not field or not column:
            raise CliError(f"--map cần dạng TRƯỜNG=CỘT, ví dụ full_name=B (nhận được: {item}).", EXIT_USAGE)
        mapping[field.strip()] = column.strip()
    ws = _sign_in(args)
    try:
        report = import_children_file(ws, Path(args.file), mapping or None)
    except Invalid as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"Không đọc được tệp {args.file}: {exc.strerror}") from exc
    finally:
        ws.close()
    print(report.text())
    return EXIT_OK if report.ok else EXIT_FAILED


def _cmd_export_children(args) -> int:
    from desktop.actions.register import export_children_file
    from models.validation import Invalid

    ws = _sign_in(args)
    try:
        summary = export_children_file(ws, Path(args.output), args.group)
    except Invalid as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"Không ghi được tệp {args.output}: {exc.strerror}") from exc
    finally:
        ws.close()
    print(f"Đã xuất {summary.children} trẻ em ({summary.rows} dòng) vào {summary.path}.")
    return EXIT_OK


def _cmd_backup(args) -> int:
    from models.backup import make_backup

    ws = _sign_in(args)
    try:
        info = make_backup(ws, Path(args.output))
    finally:
        ws.close()
    print(f"Đã sao lưu {info.case_count} hồ sơ vào {info.path} ({info.size / 1e6:.1f} MB), đã kiểm tra lại sau khi ghi.")
    return EXIT_OK


def _cmd_restore(args) -> int:
    from models.backup import inspect_backup, restore_backup
    from models.clock import fmt_datetime
    from models.services.accounts import office_exists
    from datetime import datetime

    file = Path(args.file)
    manifest = inspect_backup(file)
    made = datetime.fromisoformat(manifest["created_at"])
    print(f"Tệp sao lưu lúc {fmt_datetime(made)}, {manifest.get('case_count', '?')} hồ sơ, phiên bản BVTE {manifest['app_version']}.")
    folder = _folder(args)
    username = getattr(args, "user", None) or os.environ.get("BVTE_USER")
    if not username:
        raise CliError("Cần tài khoản quản trị viên của dữ liệu hiện tại: thêm --user TÊN hoặc đặt BVTE_USER.", EXIT_USAGE)
    here = office_exists(folder)
    password = _ask_password(f"Mật khẩu hiện nay của {username}: " if here else f"Mật khẩu của {username} (tại thời điểm sao lưu): ",
                             "BVTE_PASSWORD")
    backup_user = args.backup_user or username
    backup_password = os.environ.get("BVTE_BACKUP_PASSWORD")
    if not backup_password and here and sys.stdin.isatty():
        backup_password = getpass.getpass(f"Mật khẩu của {backup_user} tại thời điểm sao lưu (Enter: giống mật khẩu trên): ")
    backup_password = backup_password or password
    safety = restore_backup(folder, file, backup_user, backup_password, allow_foreign=args.allow_foreign,
                            current_login=(username, password) if here else None)
    print("Đã khôi phục dữ liệu." + (f" Dữ liệu trước khi khôi phục được giữ ở {safety}." if safety else ""))
    return EXIT_OK


def _cmd_help(args) -> int:
    """The user guide: the printed manual to a file, or the guide's window (no account needed: no data)."""
    if args.pdf:
        if not args.output:
            raise CliError("Cần tên tệp: bvte help --pdf -o TỆP.pdf", EXIT_USAGE)
        from models.safe_files import write_atomically
        from printouts.help_manual import build_manual

        shots = Path(args.anh) if args.anh else None
        if shots is not None and not shots.is_dir():
            raise CliError(f"Không có thư mục ảnh màn hình {shots}.", EXIT_USAGE)
        target = write_atomically(Path(args.output), build_manual(shots))
        print(f"Đã ghi bản in hướng dẫn vào {target}" + ("" if shots else " (không có ảnh màn hình)."))
        return EXIT_OK
    if no_display():
        raise CliError("Cửa sổ hướng dẫn cần màn hình. Dùng `bvte help --pdf -o TỆP.pdf` để có bản in.", EXIT_USAGE)
    from desktop.help.standalone import run_help_window

    return run_help_window(args.trang)


def _cmd_migrate_office(args) -> int:
    from models.transfer import migrate_office

    ws = _sign_in(args)
    try:
        ws.actor.require("backup")
        result = migrate_office(ws, args.to, progress=lambda fraction, message: None)
    finally:
        ws.close()
    print(f"Đã chép {len(result.tables)} bảng, {result.rows} dòng; từng bảng khớp số dòng và mã băm (sha256); chuỗi "
          f"nhật ký ở nơi nhận nguyên vẹn ({result.chain_count} mục).")
    print(result.next_step)
    return EXIT_OK


SHORT_READS = frozenset({"cases", "tasks", "verify"})
COMMANDS = {"help": _cmd_help, "migrate-office": _cmd_migrate_office, "export": _cmd_export, "merge": _cmd_merge, "tasks": _cmd_tasks, "import-children": _cmd_import_children, "export-children": _cmd_export_children, "backup": _cmd_backup, "restore": _cmd_restore, "demo": _cmd_demo, "print": _cmd_print, "cases": _cmd_cases, "attachments": _cmd_attachments, "user": _cmd_user, "verify": _cmd_verify}


def use_utf8_output() -> None:
    """Vietnamese text to a pipe, a file or Git Bash on Windows: the streams' default there is the ANSI code
    page (cp1252), which cannot encode "ệ" and would end the command with UnicodeEncodeError. A windowed
    program has no streams at all (None)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    use_utf8_output()
    args = build_parser().parse_args(argv)
    if args.self_test:
        from desktop.selftest import run_self_test

        return run_self_test()
    if os.name == "posix":
        os.umask(0o077)  # files made for the office (data, backups, exports) readable by their owner only
    if getattr(args, "database", None):
        from models import paths
        from models.server import write_server_url

        try:
            write_server_url(paths.data_dir(args.data_dir), args.database)
        except UserError as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            return exc.exit_code
    if args.command is None:
        if no_display():
            print("BVTE cần một phiên làm việc có màn hình (cửa sổ) để mở chương trình. Hãy chạy `bvte` trong "
                  "phiên đăng nhập máy tính có màn hình; trên máy chủ không có màn hình chỉ dùng được các lệnh "
                  "như `bvte cases`, `bvte print`… (xem `bvte --help`).", file=sys.stderr)
            return EXIT_NO_DISPLAY
        from desktop.app import run_gui  # Qt is imported only here

        return run_gui(args.data_dir)
    import gc

    collecting = gc.isenabled()
    if args.command in SHORT_READS:
        # A listing or a check that reads, prints and ends: what it builds lives until it prints, so the cyclic
        # garbage collector would only walk the same objects again and again (about 8 % of the command's time,
        # mostly while the data layer loads). Their peak memory did not change (measured at 50,000 children).
        gc.disable()
    try:
        code = _run(args)
        if argv is None and args.command in SHORT_READS:
            _end_now(code)  # the process's own command line: nothing is left but the interpreter's teardown
        return code
    finally:
        if collecting:
            gc.enable()  # main() called from a program (the tests) leaves the collector as it found it


def _end_now(code: int) -> None:
    """End the process at once after a short read, once everything it wrote is out.

    The command has closed its database and files and printed its answer; what is left is the interpreter's
    teardown, which frees the data layer's objects one by one (about 0.1 s of a 1 s `bvte verify`, measured
    at 50,000 children) where the operating system takes the whole process back at once. Only when nothing
    else runs (no other thread) and the output could be flushed; otherwise the usual exit."""
    import threading

    if threading.active_count() > 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: the usual exit says nothing more either
        return
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.shutdown()  # what the interpreter's exit would do: handlers flushed and closed
    os._exit(code)


def _run(args) -> int:
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:  # every refusal the user can act on (models.errors)
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        # SQLAlchemy is imported here, not before the command: a command signs in first (see _sign_in).
        from sqlalchemy.exc import SQLAlchemyError

        from models.db import storage_error_message

        if isinstance(exc, (SQLAlchemyError, OSError)):
            # The disk or the database file (busy, full, read-only): say what happened, no traceback.
            message = storage_error_message(exc) or _unexpected(exc)
            print(f"Lỗi: {message}", file=sys.stderr)
            return EXIT_DATA
        # A bug: details go to the log file (without data), the user gets one calm line.
        print(f"Lỗi: {_unexpected(exc)}", file=sys.stderr)
        return EXIT_FAILED


def _unexpected(exc: BaseException) -> str:
    """Log the details of an unexpected error (never SQL parameters: the engine hides them) and say where."""
    import logging
    import traceback

    from models import paths

    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    where = ""
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "bvte-cli.log", "a", encoding="utf-8") as fh:
            fh.write(f"--- BVTE {models.__version__}: {' '.join(sys.argv[1:2])}\n{details}\n")
        where = f" Chi tiết kỹ thuật đã ghi vào {folder / 'bvte-cli.log'}."
    except OSError:
        logging.getLogger("bvte").debug("could not write the CLI log")
    return f"Chương trình gặp lỗi không mong muốn ({type(exc).__name__}); dữ liệu đã lưu không bị ảnh hưởng.{where}"


if __name__ == "__main__":
    sys.exit(main())
