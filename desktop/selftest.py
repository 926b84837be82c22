"""`bvte --self-test`: proves an installed (or frozen) copy of BVTE has everything it needs to run.

Each check goes through the real code path, in a temporary data folder that is removed afterwards:
the bundled data files, the working-day calendar (holidays + time zone), a new office (key file, encrypted
database, migrations), a case saved through the services, sign-in again, Mẫu 01 rendered to a PDF in
memory, a workbook written and read back, and Qt drawing offscreen (QPdfDocument opens that PDF and finds
the child's name in its text). One line per check, Vietnamese / English; exit code 0 only if all pass.

Used by installer/smoke.sh on the frozen bundle, and by a support person on a commune PC
(`bvte-cli.exe --self-test` on Windows, where `bvte.exe` has no console).
"""
from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

PASSWORD = "tu-kiem-tra-BVTE-1"  # only ever used on the temporary folder
CHILD_NAME = "Nguyễn Thị Ánh"
FONT_FILES = ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
              "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf")
FONT_LICENCE = "LICENSE-LiberationSerif.txt"


class CheckFailed(Exception):
    pass


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


@dataclass
class _State:
    folder: Path
    ws: object = None  # models.services.accounts.Workspace
    case_id: int | None = None
    pdf: bytes = b""
    font_name: str = ""
    notes: dict[str, object] = field(default_factory=dict)


# -- checks --------------------------------------------------------------------------------------------
def _check_resources(state: _State) -> str:
    import json
    from importlib import resources

    from models.migrations import head_revisions

    root = resources.files("resources")
    for part in (("forms", "mau01.json"), ("holidays", "vn_official_days_off.json")):
        _require(root.joinpath(*part).is_file(), f"thiếu tệp resources/{'/'.join(part)}")
    # Every data file shipped (form wordings, taxonomy, calendar) must parse: a wording fix is a data change.
    pending, parsed = [(root, "resources")], 0
    while pending:
        folder, label = pending.pop()
        for item in folder.iterdir():
            if item.is_dir():
                pending.append((item, f"{label}/{item.name}"))
            elif item.name.endswith(".json"):
                try:
                    json.loads(item.read_text(encoding="utf-8"))
                except ValueError as exc:
                    raise CheckFailed(f"{label}/{item.name} hỏng: {exc}") from exc
                parsed += 1
    for name in FONT_FILES:
        item = root.joinpath("fonts", name)
        _require(item.is_file(), f"thiếu phông chữ resources/fonts/{name}")
        _require(item.read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true"), f"{name} không phải tệp TrueType")
    licence = root.joinpath("fonts", FONT_LICENCE)
    _require(licence.is_file() and "SIL" in licence.read_text(encoding="utf-8"), f"thiếu giấy phép {FONT_LICENCE}")
    heads = head_revisions()
    _require(bool(heads), "không tìm thấy kịch bản cập nhật cấu trúc dữ liệu (models/migrations/versions)")
    return f"{parsed} tệp JSON, 4 phông + giấy phép, cấu trúc dữ liệu {'+'.join(sorted(heads))}"


def _check_calendar(state: _State) -> str:
    from models.calendar_days import WorkCalendar
    from models.clock import VN, now

    _require(now().utcoffset().total_seconds() == 7 * 3600, "múi giờ Asia/Ho_Chi_Minh không đúng UTC+7")
    calendar = WorkCalendar()
    national_day = date(2026, 9, 2)
    _require(not calendar.is_working_day(national_day), "ngày 02/09/2026 (Quốc khánh) không được tính là ngày nghỉ")
    name = calendar.day_off_name(national_day) or ""
    _require(bool(name), "thư viện ngày lễ không trả về tên ngày nghỉ")
    _require(calendar.is_working_day(date(2026, 9, 8)), "ngày thường 08/09/2026 bị tính là ngày nghỉ")
    return f"{VN.key}; 02/09/2026: {name}"


def _check_database(state: _State) -> str:
    from models.services.accounts import setup_office
    from models.services.office import save_office

    state.ws = setup_office(state.folder, "admin", "Người Tự Kiểm Tra", PASSWORD, also_worker=True)
    db = state.ws.db
    _require(db.current_revision() == db.head_revision(),
             f"cấu trúc dữ liệu {db.current_revision()} khác phiên bản mới nhất {db.head_revision()}")
    _require(db.integrity_ok(), "PRAGMA integrity_check báo lỗi")
    errors = save_office(db, {
        "province": "Hải Dương", "commune_name": "Cẩm Hưng", "commune_kind": "xa",
        "agency_name": "Ủy ban nhân dân xã Cẩm Hưng", "agency_abbrev": "UBND", "place_name": "Cẩm Hưng",
        "chairman_name": "Phạm Văn Hùng", "worker_name": "Trần Thị Lan",
        "report_recipient": "Ủy ban nhân dân tỉnh Hải Dương",
    }, state.ws.actor)
    _require(errors == {}, f"không lưu được thông tin cơ quan: {errors}")
    with open(db.path, "rb") as fh:
        _require(fh.read(16) != b"SQLite format 3\x00", "tệp dữ liệu không được mã hoá")
    return f"mã hoá SQLCipher, cấu trúc {db.current_revision()}"


def _check_case(state: _State) -> str:
    from models.clock import now
    from models.services.intake import create_intake, parse_intake

    _require(state.ws is not None, "chưa có cơ sở dữ liệu (bước trước lỗi)")
    today = now()
    raw = {
        "category": "bi_xam_hai", "source": "dien_thoai",
        "received_at": today.strftime("%H:%M %d/%m/%Y"),
        "report_date": today.strftime("%d/%m/%Y"), "receiving_officer": "Trần Thị Lan",
        "child_name": CHILD_NAME, "date_of_birth": "05/09/2015", "gender": "nu", "ethnicity": "Kinh",
        "village": "Thôn Phú Lộc", "incident_place": "Tại nhà riêng",
        "child_condition": "Có vết bầm ở tay, cháu sợ hãi.", "informant_consent": False,
        "abuse_forms": ["bao_luc"],
    }
    data, errors = parse_intake(raw)
    _require(data is not None, f"Mẫu 01 bị từ chối: {errors}")
    state.case_id = create_intake(state.ws.db, data, state.ws.actor)
    # Sign in again as a worker would the next morning: the wrapped key opens the file, the chain holds.
    from models.security.audit import verify_chain
    from models.services.accounts import login

    state.ws.close()
    state.ws = login(state.folder, "admin", PASSWORD)
    with state.ws.db.session() as session:
        chain = verify_chain(session)
    _require(chain.ok, f"nhật ký truy cập: {chain.message}")
    return f"hồ sơ #{state.case_id}, đăng nhập lại, nhật ký {chain.message}"


def _check_pdf(state: _State) -> str:
    from models.services.cases import load_case
    from models.services.office import get_office
    from printouts.fonts import register_fonts
    from printouts.form01 import render as render_form01

    _require(state.case_id is not None, "chưa có hồ sơ (bước trước lỗi)")
    case = load_case(state.ws.db, state.case_id)
    buffer = io.BytesIO()
    render_form01(case, get_office(state.ws.db), buffer)
    pdf = buffer.getvalue()
    _require(pdf.startswith(b"%PDF-"), "tệp không bắt đầu bằng %PDF-")
    _require(b"%%EOF" in pdf[-64:], "tệp PDF bị cắt cụt (thiếu %%EOF)")
    _require(len(pdf) > 10_000, f"tệp PDF quá nhỏ ({len(pdf)} byte)")
    choice = register_fonts()
    # The face is embedded (as a subset "ABCDEF+LiberationSerif"), so the page looks the same on every PC.
    font_name = choice.name.replace(" ", "").encode("ascii")
    _require(b"/FontFile2" in pdf, "phông chữ không được nhúng vào PDF")
    _require(b"+" + font_name in pdf, f"PDF không chứa phông {choice.name}")
    state.pdf = pdf
    state.font_name = choice.name
    return f"Mẫu 01, {len(pdf) // 1024} KB, phông {choice.name} nhúng sẵn"


def _check_xlsx(state: _State) -> str:
    from openpyxl import Workbook, load_workbook

    path = state.folder / "tu-kiem-tra.xlsx"
    rows = [("Mã hồ sơ", "Họ và tên trẻ", "Ngày tiếp nhận", "Số hồ sơ"),
            ("HS-2026-0001", CHILD_NAME, date(2026, 11, 20), 1),
            ("HS-2026-0002", "Đặng Văn Đức", date(2026, 11, 21), 2)]
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách hồ sơ"
    for row in rows:
        sheet.append(row)
    sheet["C2"].number_format = sheet["C3"].number_format = "dd/mm/yyyy"
    book.save(path)
    back = load_workbook(path, read_only=True)
    try:
        got = [tuple(c.date() if isinstance(c, datetime) else c for c in r)
               for r in back["Danh sách hồ sơ"].iter_rows(values_only=True)]
    finally:
        back.close()
    _require(got == rows, f"đọc lại khác với đã ghi: {got!r}")
    return f"{path.stat().st_size // 1024} KB, đọc lại đúng tiếng Việt và ngày"


def _check_qt(state: _State) -> str:
    _require(bool(state.pdf), "chưa có PDF (bước trước lỗi)")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        previous = os.environ.get("QT_QPA_PLATFORM")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window appears; works without a display
        try:
            app = QApplication(["bvte-self-test"])
        finally:
            if previous is None:
                os.environ.pop("QT_QPA_PLATFORM", None)
            else:
                os.environ["QT_QPA_PLATFORM"] = previous
        state.notes["qapp"] = app  # kept alive until the end of the run
    platform = QGuiApplication.platformName()
    data = QByteArray(state.pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    _require(document.status() == QPdfDocument.Status.Ready, f"QPdfDocument không mở được PDF: {document.error()}")
    pages = document.pageCount()
    _require(pages >= 1, "PDF không có trang nào")
    text = "\n".join(document.getAllText(i).text() for i in range(pages))
    _require(CHILD_NAME in text, f"không tìm thấy tên «{CHILD_NAME}» trong chữ của PDF (lỗi phông/Unicode)")
    image = document.render(0, QSize(210, 297))
    _require(not image.isNull(), "không vẽ được trang PDF")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # loads the print-support plugin
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    document.close()
    return f"nền {platform}, QPdfDocument {pages} trang, chữ tiếng Việt đọc được"


CHECKS: list[tuple[str, str, Callable[[_State], str]]] = [
    ("Tệp dữ liệu đi kèm", "bundled resources", _check_resources),
    ("Lịch ngày làm việc", "holidays, time zone", _check_calendar),
    ("Cơ sở dữ liệu mới", "new encrypted database, migrations", _check_database),
    ("Lưu hồ sơ, đăng nhập lại", "case saved, sign-in again", _check_case),
    ("In Mẫu 01 ra PDF", "Mẫu 01 PDF", _check_pdf),
    ("Ghi và đọc tệp Excel", "xlsx write/read", _check_xlsx),
    ("Giao diện Qt (offscreen)", "Qt offscreen, QtPdf", _check_qt),
]


def _say(stream, line: str) -> None:
    if stream is None:  # a windowed Windows program has no console
        return
    try:
        stream.write(line + "\n")
    except UnicodeEncodeError:  # a legacy console code page: keep the report readable anyway
        stream.write(line.encode("ascii", "backslashreplace").decode("ascii") + "\n")
    stream.flush()


def run_self_test(stream=None) -> int:
    """Run every check; 0 if all passed, 1 otherwise. Never leaves the temporary folder behind."""
    from models import __version__

    stream = sys.stdout if stream is None else stream
    started = time.perf_counter()
    frozen = " (bản đóng gói)" if getattr(sys, "frozen", False) else ""
    _say(stream, f"BVTE {__version__}{frozen} — tự kiểm tra / self-test")
    folder = Path(tempfile.mkdtemp(prefix="bvte-tu-kiem-tra-"))
    state = _State(folder=folder / "data")
    failed = 0
    try:
        for vi, en, check in CHECKS:
            t0 = time.perf_counter()
            try:
                detail = check(state)
                status = "ĐẠT"
            except CheckFailed as exc:
                detail, status = str(exc), "LỖI"
            except Exception as exc:  # a missing module or file in a bundle shows up here
                detail = f"{type(exc).__name__}: {exc}"
                status = "LỖI"
                if os.environ.get("BVTE_SELFTEST_TRACEBACK"):
                    detail += "\n" + traceback.format_exc()
            failed += status != "ĐẠT"
            ms = (time.perf_counter() - t0) * 1000
            _say(stream, f"  [{status}] {vi} / {en} ({ms:.0f} ms): {detail}")
    finally:
        if state.ws is not None:
            state.ws.close()
        shutil.rmtree(folder, ignore_errors=True)
    total = len(CHECKS)
    seconds = time.perf_counter() - started
    if failed:
        _say(stream, f"KẾT QUẢ: {failed}/{total} mục LỖI — self-test FAILED ({seconds:.1f} s)")
        return 1
    _say(stream, f"KẾT QUẢ: {total}/{total} mục đạt — self-test passed ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(run_self_test())
