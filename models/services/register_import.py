"""Importing the commune's list of children from an Excel workbook (.xlsx).

The standard layout (what `export` writes, documented on its 'Hướng dẫn' sheet) is recognised by its
headers; any other sheet is read after the worker maps its columns to the fields. Every row is checked
and the report lists each rejected row by its row number in Excel with the reasons in Vietnamese.
All good rows are written in one transaction, or nothing. Importing the same file again adds nothing:
rows are matched to the children, memberships and support entries already in the register.

Layout, sheet 'Danh sách trẻ em' (one row per child, or one row per group membership of a child):
    STT | Họ và tên | Ngày sinh | Tuổi ước lượng | Giới tính | Dân tộc | Số định danh cá nhân | Thôn/tổ dân phố |
    Địa chỉ | Họ tên cha | Họ tên mẹ | Người chăm sóc | Nhóm | Từ ngày | Đến ngày | Ghi chú nhóm
Sheet 'Hỗ trợ' (optional, one row per support received):
    STT | Họ và tên | Ngày sinh | Số định danh cá nhân | Thôn/tổ dân phố | Loại hỗ trợ | Ngày hỗ trợ |
    Số tiền (đồng) | Nội dung | Đơn vị hỗ trợ
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from sqlalchemy import func, insert, select

from .. import validation as v
from ..clock import fmt_date, now, today
from ..db import Database
from ..entities import Child, ChildRelation, Person
from ..field_crypto import refresh_tokens
from ..register_entities import GroupMembership, SupportEntry
from ..security import audit
from ..security.roles import Actor
from ..textnorm import fold, nfc, vn_sort_key
from .register import parse_amount, parse_gender, parse_group_codes, parse_support_kind
from .register_duplicates import ChildKey, DuplicateIndex

CHILD_SHEET = "Danh sách trẻ em"
SUPPORT_SHEET = "Hỗ trợ"
GUIDE_SHEET = "Hướng dẫn"


@dataclass(frozen=True)
class Field:
    key: str
    header: str  # as the standard layout writes it
    aliases: tuple[str, ...]  # folded header texts recognised for this field
    required: bool = False


CHILD_FIELDS: tuple[Field, ...] = (
    Field("stt", "STT", ("stt", "so tt", "so thu tu", "tt")),
    Field("full_name", "Họ và tên", ("ho va ten", "ho ten", "ho va ten tre", "ho ten tre", "ho va ten tre em",
                                     "ten tre", "ten", "ho ten tre em"), required=True),
    Field("date_of_birth", "Ngày sinh", ("ngay sinh", "ngay thang nam sinh", "sinh ngay", "ngay/thang/nam sinh")),
    Field("estimated_age", "Tuổi ước lượng", ("tuoi uoc luong", "tuoi")),
    Field("gender", "Giới tính", ("gioi tinh", "gioi", "nam/nu")),
    Field("ethnicity", "Dân tộc", ("dan toc",)),
    Field("personal_id", "Số định danh cá nhân", ("so dinh danh ca nhan", "so dinh danh", "ma dinh danh",
                                                  "so ddcn", "cccd", "so cccd", "ma so dinh danh")),
    Field("village", "Thôn/tổ dân phố", ("thon/to dan pho", "thon / to dan pho", "thon", "to dan pho", "thon/to",
                                         "thon, to", "thon/xom", "noi o (thon/to)")),
    Field("address", "Địa chỉ", ("dia chi", "noi o", "cho o", "dia chi cu the")),
    Field("father_name", "Họ tên cha", ("ho ten cha", "ho va ten cha", "cha", "ten cha", "bo")),
    Field("mother_name", "Họ tên mẹ", ("ho ten me", "ho va ten me", "me", "ten me")),
    Field("caregiver_name", "Người chăm sóc", ("nguoi cham soc", "nguoi giam ho", "nguoi nuoi duong",
                                               "nguoi cham soc/giam ho", "ho ten nguoi cham soc")),
    Field("groups", "Nhóm", ("nhom", "nhom hcdb", "ma nhom", "nhom tre em", "nhom hoan canh dac biet",
                              "thuoc nhom", "doi tuong")),
    Field("from_date", "Từ ngày", ("tu ngay", "ngay bat dau", "ngay vao nhom")),
    Field("to_date", "Đến ngày", ("den ngay", "ngay ket thuc", "ngay ra khoi nhom")),
    Field("group_note", "Ghi chú nhóm", ("ghi chu nhom", "ghi chu")),
)

SUPPORT_FIELDS: tuple[Field, ...] = (
    Field("stt", "STT", ("stt", "tt")),
    Field("full_name", "Họ và tên", ("ho va ten", "ho ten", "ho ten tre", "ten tre"), required=True),
    Field("date_of_birth", "Ngày sinh", ("ngay sinh",)),
    Field("personal_id", "Số định danh cá nhân", ("so dinh danh ca nhan", "so dinh danh")),
    Field("village", "Thôn/tổ dân phố", ("thon/to dan pho", "thon", "to dan pho")),
    Field("kind", "Loại hỗ trợ", ("loai ho tro", "hinh thuc ho tro"), required=True),
    Field("given_on", "Ngày hỗ trợ", ("ngay ho tro", "ngay"), required=True),
    Field("amount", "Số tiền (đồng)", ("so tien (dong)", "so tien", "so tien (vnd)", "thanh tien")),
    Field("description", "Nội dung", ("noi dung", "mo ta", "noi dung ho tro")),
    Field("provider", "Đơn vị hỗ trợ", ("don vi ho tro", "nguon ho tro", "don vi")),
)

FIELD_LABELS = {f.key: f.header for f in CHILD_FIELDS}


# -- reading the workbook ---------------------------------------------------------------------------


@dataclass
class Sheet:
    title: str
    rows: list[tuple[Any, ...]]  # every row as read, row i is Excel row i+1


def read_workbook(path: Path | str) -> list[Sheet]:
    """The visible sheets of a workbook from outside, checked first and read with bounded memory (xlsx_guard)."""
    from openpyxl import load_workbook  # loaded only when a file is imported

    from ..xlsx_guard import HostileFile, check_xlsx, read_rows, visible_sheets

    try:
        check_xlsx(path)
    except HostileFile as exc:
        raise v.Invalid(str(exc)) from None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip errors, wrong format, XML errors
        raise v.Invalid(f"Không đọc được tệp {Path(path).name}: đây không phải tệp Excel .xlsx hợp lệ ({exc.__class__.__name__}).") from None
    try:
        return [Sheet(ws.title, list(read_rows(ws))) for ws in visible_sheets(wb)]
    except HostileFile as exc:
        raise v.Invalid(str(exc)) from None
    except Exception as exc:  # damaged XML inside a sheet
        raise v.Invalid(f"Không đọc được tệp {Path(path).name}: nội dung bảng tính bị hỏng ({exc.__class__.__name__}).") from None
    finally:
        wb.close()


def _header_key(value: Any) -> str:
    return fold(str(value or "")).rstrip(":* ").strip()


def detect_header(sheet: Sheet, fields: Iterable[Field] = CHILD_FIELDS, scan: int = 15) -> tuple[int | None, dict[str, int]]:
    """(0-based header row, {field: column}) for the row among the first `scan` that names most fields."""
    best: tuple[int, int | None, dict[str, int]] = (0, None, {})
    for r, row in enumerate(sheet.rows[:scan]):
        mapping: dict[str, int] = {}
        for c, value in enumerate(row):
            key = _header_key(value)
            if not key:
                continue
            for f in fields:
                if f.key not in mapping and key in f.aliases:
                    mapping[f.key] = c
                    break
        if len(mapping) > best[0]:
            best = (len(mapping), r, mapping)
    count, row, mapping = best
    if row is None or count < 2:
        return None, {}
    return row, mapping


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def headers_of(sheet: Sheet, header_row: int | None) -> list[str]:
    """What each column is called (its header text, or its letter when there is none)."""
    width = max((len(r) for r in sheet.rows[: (header_row or 0) + 30]), default=0)
    row = sheet.rows[header_row] if header_row is not None and header_row < len(sheet.rows) else ()
    return [nfc(str(row[c])) if c < len(row) and row[c] not in (None, "") else f"Cột {column_letter(c)}"
            for c in range(width)]


def resolve_mapping(mapping: Mapping[str, Any], headers: list[str]) -> dict[str, int]:
    """A mapping given by header text, Excel letter ('C') or 0-based index → {field: column index}."""
    out: dict[str, int] = {}
    folded = [fold(h) for h in headers]
    for key, col in mapping.items():
        if col is None or col == "":
            continue
        if isinstance(col, int):
            out[key] = col
            continue
        text = str(col).strip()
        if fold(text) in folded:
            out[key] = folded.index(fold(text))
        elif text.isalpha() and len(text) <= 2 and text.isupper():
            n = 0
            for ch in text:
                n = n * 26 + (ord(ch) - 64)
            out[key] = n - 1
        else:
            raise v.Invalid(f"Không có cột «{text}» trong tệp (để ghép với trường {FIELD_LABELS.get(key, key)}).")
    return out


# -- checking cells -------------------------------------------------------------------------------------


def cell_date(value: Any, what: str) -> date | None:
    """A real Excel date, an Excel serial number, or text dd/mm/yyyy (also d-m-yyyy, d.m.yyyy, yyyy-mm-dd)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return _in_range(value.date(), what)
    if isinstance(value, date):
        return _in_range(value, what)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1000 <= value <= 2200 and float(value).is_integer():
            raise v.Invalid(f"{what} chỉ có năm ({int(value)}); ghi đủ ngày/tháng/năm, ví dụ 05/09/2015.")
        if 1 <= value < 80000:
            from openpyxl.utils.datetime import from_excel

            return _in_range(from_excel(value).date(), what)
        raise v.Invalid(f"{what} «{value}» không phải một ngày.")
    text = nfc(str(value))
    if text.isdigit() and len(text) == 4:
        raise v.Invalid(f"{what} chỉ có năm ({text}); ghi đủ ngày/tháng/năm, ví dụ 05/09/2015.")
    text = text.split(" ")[0] if " 00:00" in text else text
    try:
        return _in_range(v.parse_date(text, what=what, check_range=False), what)
    except v.Invalid as exc:
        if "ngoài khoảng" in str(exc):
            raise
        raise v.Invalid(f"{what} «{text}» không đọc được: ghi theo dạng ngày/tháng/năm, ví dụ 05/09/2015.") from None


def _in_range(day: date | None, what: str) -> date | None:
    """Dates outside 1900 … next year are refused; a birth date in the future is left to the clearer
    'ở tương lai' message of the row check."""
    if day is None or (what == "Ngày sinh" and day > today()):
        return day
    return v.date_in_range(day, what)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return fmt_date(value)
    return nfc(str(value))


def cell_personal_id(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = cell_text(value)
    try:
        return v.personal_id(raw)
    except v.Invalid as exc:
        digits = "".join(ch for ch in raw if ch.isdigit())
        if len(digits) == 11 and isinstance(value, int):
            raise v.Invalid(
                f"{exc} Có thể Excel đã bỏ mất số 0 ở đầu: hãy định dạng cột này là Văn bản (Text) rồi gõ lại số."
            ) from None
        raise


def cell_age(value: Any) -> int | None:
    raw = cell_text(value)
    if not raw:
        return None
    return v.small_int(raw, lo=0, hi=30, what="Tuổi ước lượng")


# -- the report ------------------------------------------------------------------------------------------


@dataclass
class RowProblem:
    sheet: str
    row: int  # as Excel numbers it
    reasons: list[str]
    name: str = ""

    def text(self) -> str:
        who = f" ({self.name})" if self.name else ""
        return f"Dòng {self.row}{who}: " + " ".join(self.reasons)


@dataclass
class ImportReport:
    file_name: str = ""
    sheet: str = ""
    header_row: int | None = None  # Excel row number of the headers
    mapping: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0  # non-blank data rows
    rows_accepted: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    repeated: list[RowProblem] = field(default_factory=list)  # rows identical to an earlier row: skipped
    possible_duplicates: list[RowProblem] = field(default_factory=list)  # imported, but may be a child already known
    children_new: int = 0
    children_existing: int = 0  # matched to a child already in the register
    children_updated: int = 0  # existing children whose blank fields were filled
    groups_new: int = 0
    support_rows_read: int = 0
    support_new: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        lines = [
            f"Tệp: {self.file_name}" + (f", trang «{self.sheet}»" if self.sheet else ""),
            f"Đã đọc {self.rows_read} dòng có dữ liệu; {self.rows_accepted} dòng hợp lệ, "
            f"{len(self.rejected)} dòng bị từ chối, {len(self.repeated)} dòng lặp lại bị bỏ qua.",
            f"Trẻ em mới: {self.children_new}; đã có trong sổ: {self.children_existing}"
            + (f" (bổ sung thông tin cho {self.children_updated} trẻ)" if self.children_updated else "") + ".",
            f"Thêm {self.groups_new} mục nhóm hoàn cảnh đặc biệt"
            + (f", {self.support_new} lần hỗ trợ (đọc {self.support_rows_read} dòng ở trang Hỗ trợ)" if self.support_rows_read else "")
            + ".",
        ]
        if not self.written:
            lines.append("Chưa ghi gì vào sổ.")
        return "\n".join(lines)

    def text(self) -> str:
        parts = [self.summary()]
        if self.rejected:
            parts.append("\nCác dòng bị từ chối (sửa trong tệp rồi nhập lại; các dòng đã nhập sẽ không bị nhập hai lần):")
            parts += [f"  • {p.text()}" for p in self.rejected]
        if self.repeated:
            parts.append("\nCác dòng lặp lại (bỏ qua):")
            parts += [f"  • {p.text()}" for p in self.repeated]
        if self.possible_duplicates:
            parts.append("\nCó thể trùng với trẻ đã có (đã nhập như trẻ mới; kiểm tra và gộp nếu đúng là một trẻ):")
            parts += [f"  • {p.text()}" for p in self.possible_duplicates]
        return "\n".join(parts)


# -- parsing rows -------------------------------------------------------------------------------------------


@dataclass
class ChildRow:
    row: int
    full_name: str
    date_of_birth: date | None
    estimated_age: int | None
    gender: str
    ethnicity: str
    personal_id: str | None
    village: str
    address: str
    father: list[str]
    mother: list[str]
    caregiver: list[str]
    groups: list[tuple[str, int | None]]
    from_date: date | None
    to_date: date | None
    note: str


@dataclass
class SupportRow:
    row: int
    full_name: str
    date_of_birth: date | None
    personal_id: str | None
    village: str
    kind: str
    given_on: date
    amount: int | None
    description: str
    provider: str


def _names(value: Any, what: str) -> list[str]:
    parts = [p for p in cell_text(value).replace(";", ",").split(",") if p.strip()]
    return [v.person_name(p, what=what) for p in parts]


def _blank(row: tuple) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


class _RowReader:
    """One spreadsheet row read through the column mapping; each check's message is kept as a reason."""

    def __init__(self, raw: tuple, mapping: Mapping[str, int]):
        self.raw = raw
        self.mapping = mapping
        self.reasons: list[str] = []

    def get(self, key: str) -> Any:
        c = self.mapping.get(key)
        return self.raw[c] if c is not None and c < len(self.raw) else None

    def check(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except v.Invalid as exc:
            self.reasons.append(str(exc))
            return None

    def child_name(self) -> str | None:
        name_raw = cell_text(self.get("full_name"))
        if not name_raw:
            self.reasons.append("Thiếu họ và tên trẻ em.")
            return None
        return self.check(v.person_name, name_raw, required=True, what="Họ và tên trẻ em")


def parse_child_rows(sheet: Sheet, header_row: int, mapping: Mapping[str, int], report: ImportReport,
                     on: date) -> list[ChildRow]:
    out: list[ChildRow] = []
    seen_rows: dict[tuple, int] = {}
    for r in range(header_row + 1, len(sheet.rows)):
        raw = sheet.rows[r]
        if _blank(raw):
            continue
        excel_row = r + 1

        row = _RowReader(raw, mapping)
        get, check, reasons = row.get, row.check, row.reasons
        # Rows only numbered (STT filled, nothing else) are blank too.
        if all(get(k) in (None, "") or (isinstance(get(k), str) and not get(k).strip()) for k in mapping if k != "stt"):
            continue
        report.rows_read += 1
        name = row.child_name()
        name_raw = cell_text(get("full_name"))  # shown in the report when the name itself is refused
        dob = check(cell_date, get("date_of_birth"), "Ngày sinh")
        est = check(cell_age, get("estimated_age"))
        if dob:
            if dob > on:
                reasons.append(f"Ngày sinh {fmt_date(dob)} ở tương lai.")
            else:
                age = v.age_on(dob, on)
                if age >= v.CHILD_AGE_LIMIT:
                    reasons.append(f"Ngày sinh {fmt_date(dob)} cho thấy người này đã {age} tuổi; "
                                   "sổ chỉ ghi trẻ em dưới 16 tuổi (Luật Trẻ em, Điều 1).")
        elif est is not None and est >= v.CHILD_AGE_LIMIT:
            reasons.append(f"Tuổi ước lượng {est}: sổ chỉ ghi trẻ em dưới 16 tuổi (Luật Trẻ em, Điều 1).")
        gender = check(parse_gender, get("gender")) or "khong_biet"
        ethnicity = check(v.text, cell_text(get("ethnicity")), max_len=60, what="Dân tộc") or ""
        pid = check(cell_personal_id, get("personal_id"))
        village = check(v.text, cell_text(get("village")), max_len=v.NAME_MAX, what="Thôn/tổ dân phố") or ""
        address = check(v.text, cell_text(get("address")), max_len=v.SHORT_MAX, what="Địa chỉ") or ""
        father = check(_names, get("father_name"), "Họ tên cha") or []
        mother = check(_names, get("mother_name"), "Họ tên mẹ") or []
        caregiver = check(_names, get("caregiver_name"), "Người chăm sóc") or []
        groups = check(parse_group_codes, cell_text(get("groups"))) or []
        start = check(cell_date, get("from_date"), "Từ ngày")
        end = check(cell_date, get("to_date"), "Đến ngày")
        note = check(v.text, cell_text(get("group_note")), max_len=2000, what="Ghi chú nhóm") or ""
        if start and start > on:
            reasons.append(f"Từ ngày {fmt_date(start)} ở tương lai.")
        if start and end and end < start:
            reasons.append(f"Đến ngày {fmt_date(end)} trước Từ ngày {fmt_date(start)}.")
        if (start or end or note) and not groups and cell_text(get("groups")) == "":
            reasons.append("Có ngày hoặc ghi chú nhóm nhưng chưa ghi mã nhóm (cột Nhóm).")
        if dob and start and start < dob:
            reasons.append(f"Từ ngày {fmt_date(start)} trước ngày sinh {fmt_date(dob)}.")
        if reasons:
            report.rejected.append(RowProblem(sheet.title, excel_row, reasons, name or name_raw))
            continue
        signature = (fold(name), dob, est, gender, fold(ethnicity), pid, fold(village), fold(address),
                     tuple(map(fold, father)), tuple(map(fold, mother)), tuple(map(fold, caregiver)),
                     tuple(groups), start, end, note)
        if signature in seen_rows:
            report.repeated.append(RowProblem(sheet.title, excel_row,
                                              [f"Giống hệt dòng {seen_rows[signature]}; bỏ qua."], name))
            continue
        seen_rows[signature] = excel_row
        report.rows_accepted += 1
        out.append(ChildRow(excel_row, name, dob, est, gender, ethnicity, pid, village, address, father, mother,
                            caregiver, groups, start, end, note))
    return out


def parse_support_rows(sheet: Sheet, report: ImportReport, on: date) -> tuple[list[SupportRow], list[RowProblem]]:
    header_row, mapping = detect_header(sheet, SUPPORT_FIELDS)
    problems: list[RowProblem] = []
    out: list[SupportRow] = []
    if header_row is None or not all(k in mapping for k in ("full_name", "kind", "given_on")):
        return out, problems
    for r in range(header_row + 1, len(sheet.rows)):
        raw = sheet.rows[r]
        if _blank(raw):
            continue

        row = _RowReader(raw, mapping)
        get, check, reasons = row.get, row.check, row.reasons
        if all(get(k) in (None, "") for k in mapping if k != "stt"):
            continue
        report.support_rows_read += 1
        name = row.child_name()
        name_raw = cell_text(get("full_name"))  # shown in the report when the name itself is refused
        dob = check(cell_date, get("date_of_birth"), "Ngày sinh")
        pid = check(cell_personal_id, get("personal_id"))
        village = cell_text(get("village"))
        kind = check(parse_support_kind, cell_text(get("kind"))) if cell_text(get("kind")) else None
        if not cell_text(get("kind")):
            reasons.append("Thiếu loại hỗ trợ.")
        given = check(cell_date, get("given_on"), "Ngày hỗ trợ")
        if given is None and not any("Ngày hỗ trợ" in x for x in reasons):
            reasons.append("Thiếu ngày hỗ trợ.")
        elif given and given > on:
            reasons.append(f"Ngày hỗ trợ {fmt_date(given)} ở tương lai.")
        amount = check(parse_amount, get("amount"))
        desc = check(v.text, cell_text(get("description")), max_len=2000, what="Nội dung") or ""
        provider = check(v.text, cell_text(get("provider")), max_len=200, what="Đơn vị hỗ trợ") or ""
        if amount is None and not desc and not reasons:
            reasons.append("Ghi số tiền hoặc nội dung hỗ trợ.")
        if reasons:
            problems.append(RowProblem(sheet.title, r + 1, reasons, name or name_raw))
            continue
        out.append(SupportRow(r + 1, name, dob, pid, village, kind, given, amount, desc, provider))
    return out, problems


# -- matching and writing -------------------------------------------------------------------------------------


class Cancelled(Exception):
    """The worker cancelled the import: the transaction is rolled back, nothing is written."""


@dataclass
class _Target:
    child_id: int
    new: bool
    key: ChildKey


def _pick_sheet(sheets: list[Sheet], sheet_name: str | None) -> Sheet:
    if sheet_name:
        for s in sheets:
            if s.title == sheet_name:
                return s
        raise v.Invalid(f"Tệp không có trang «{sheet_name}».")
    for s in sheets:
        if fold(s.title) == fold(CHILD_SHEET):
            return s
    candidates = [s for s in sheets if fold(s.title) not in (fold(SUPPORT_SHEET), fold(GUIDE_SHEET))]
    best = max(candidates or sheets, key=lambda s: len(detect_header(s)[1]))
    return best


@dataclass
class PreparedImport:
    """The file as read and mapped, before anything is checked against the register."""

    file_name: str
    sheets: list[Sheet]
    sheet: Sheet
    header_row: int | None
    mapping: dict[str, int]
    headers: list[str]

    @property
    def needs_mapping(self) -> bool:
        return "full_name" not in self.mapping


def prepare(path: Path | str, mapping: Mapping[str, Any] | None = None, *, sheet_name: str | None = None,
            header_row: int | None = None, sheets: list[Sheet] | None = None) -> PreparedImport:
    """Read the workbook and find its columns (recognised, or as mapped: {field: header text / letter / index}).
    header_row is the Excel row number of the headers when the worker gives it."""
    sheets = sheets if sheets is not None else read_workbook(path)
    if not sheets:
        raise v.Invalid("Tệp không có trang tính nào.")
    sheet = _pick_sheet(sheets, sheet_name)
    found_row, found = detect_header(sheet)
    row = header_row - 1 if header_row else found_row
    if mapping and not header_row:
        # The row that holds the header texts the worker mapped (if any were given as texts).
        wanted = {fold(str(c)) for c in mapping.values() if isinstance(c, str) and len(str(c).strip()) > 2}
        best = (0, row)
        for r, cells in enumerate(sheet.rows[:15]):
            hits = len(wanted & {fold(str(c)) for c in cells if c is not None})
            if hits > best[0]:
                best = (hits, r)
        row = best[1]
    headers = headers_of(sheet, row)
    cols = resolve_mapping(mapping, headers) if mapping else (found if row == found_row else {})
    return PreparedImport(Path(path).name, sheets, sheet, row, dict(cols), headers)


def run_import(db: Database, actor: Actor, prepared: PreparedImport, *, write: bool = True, on: date | None = None,
               should_stop: Callable[[], bool] | None = None,
               progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Check every row and (if write) save all good rows in one transaction. write=False gives the preview:
    the same report, nothing saved. Raises Cancelled when should_stop() turns true (nothing saved)."""
    actor.require("import")
    on = on or today()
    report = ImportReport(file_name=prepared.file_name, sheet=prepared.sheet.title,
                          header_row=(prepared.header_row + 1) if prepared.header_row is not None else None,
                          mapping=dict(prepared.mapping))
    if prepared.needs_mapping:
        raise v.Invalid("Chưa chọn cột nào là «Họ và tên» của trẻ: hãy ghép các cột của tệp với các trường.")
    rows = parse_child_rows(prepared.sheet, prepared.header_row or 0, prepared.mapping, report, on)
    support_rows: list[SupportRow] = []
    for s in prepared.sheets:
        if s is not prepared.sheet and fold(s.title) == fold(SUPPORT_SHEET):
            support_rows, problems = parse_support_rows(s, report, on)
            report.rejected.extend(problems)

    session_cm = db.transaction() if write else db.session()
    with session_cm as session:
        index = DuplicateIndex.load(session)
        next_child = (session.scalar(select(func.max(Child.id))) or 0) + 1
        pid_owner = {}  # personal ID → folded name, of the register and of earlier rows
        for key in index.by_pid.values():
            pid_owner[key.personal_id] = (key.name_key, key.full_name, False)
        targets: dict[int, _Target] = {}  # excel row → the child it is about
        new_children: dict[int, dict] = {}
        existing_ids: set[int] = set()
        good_rows: list[ChildRow] = []
        for i, row in enumerate(rows):
            if should_stop and i % 200 == 0 and should_stop():
                raise Cancelled()
            if progress and i % 500 == 0:
                progress(i, len(rows))
            name_key = fold(row.full_name)
            village_key = fold(row.village)
            if row.personal_id and row.personal_id in pid_owner and pid_owner[row.personal_id][0] != name_key:
                owner = pid_owner[row.personal_id]
                where = "ở một dòng trước trong tệp" if owner[2] else "trong sổ"
                report.rejected.append(RowProblem(prepared.sheet.title, row.row, [
                    f"Số định danh {row.personal_id} đã thuộc về trẻ {owner[1]} {where}. Kiểm tra lại số."],
                    row.full_name))
                report.rows_accepted -= 1
                continue
            same = index.same_child(name_key, row.date_of_birth, village_key, row.personal_id)
            if same is not None:
                is_new = same.id in new_children
                targets[row.row] = _Target(same.id, is_new, same)
                if not is_new:
                    existing_ids.add(same.id)
                else:
                    _fill_blanks(new_children[same.id], row)
                good_rows.append(row)
                continue
            matches = index.find(row.full_name, row.date_of_birth, row.village, row.personal_id)
            if matches:
                report.possible_duplicates.append(RowProblem(prepared.sheet.title, row.row, [
                    "Có thể là trẻ " + "; hoặc trẻ ".join(m.describe() for m in matches[:3]) + "."], row.full_name))
            cid = next_child
            next_child += 1
            key = ChildKey(cid, name_key, row.date_of_birth, village_key, row.personal_id, row.full_name, row.village)
            index.add(key)
            if row.personal_id:
                pid_owner[row.personal_id] = (name_key, row.full_name, True)
            stamp = now()
            new_children[cid] = {
                "id": cid, "full_name": row.full_name, "name_key": name_key, "sort_key": vn_sort_key(row.full_name),
                "date_of_birth": row.date_of_birth, "estimated_age": row.estimated_age, "gender": row.gender,
                "ethnicity": row.ethnicity, "personal_id": row.personal_id, "village": row.village,
                "address": row.address, "created_at": stamp, "updated_at": stamp,
            }
            targets[row.row] = _Target(cid, True, key)
            good_rows.append(row)

        # Support rows find their child among the register and the rows of this file.
        support_targets: list[tuple[SupportRow, int]] = []
        for srow in support_rows:
            key = index.same_child(fold(srow.full_name), srow.date_of_birth, fold(srow.village), srow.personal_id)
            if key is None and srow.date_of_birth is None and not srow.personal_id:
                hits = [k for k in index.by_exact.values() if k.name_key == fold(srow.full_name)]
                key = hits[0] if len(hits) == 1 else None
            if key is None:
                report.rejected.append(RowProblem(SUPPORT_SHEET, srow.row, [
                    "Không tìm thấy trẻ này trong sổ hoặc trong trang danh sách; ghi thêm ngày sinh hoặc số định danh."],
                    srow.full_name))
                continue
            support_targets.append((srow, key.id))

        report.children_new = len(new_children)
        report.children_existing = len(existing_ids)
        _write(session, actor, report, good_rows, targets, new_children, existing_ids, support_targets, write)
        if should_stop and should_stop():
            raise Cancelled()
        if write:
            report.written = True
            audit.record(session, actor, "import", "child", "",
                         detail=(f"Nhập danh sách từ tệp {prepared.file_name}: {report.children_new} trẻ mới, "
                                 f"{report.children_existing} trẻ đã có, {report.groups_new} mục nhóm, "
                                 f"{report.support_new} lần hỗ trợ; {len(report.rejected)} dòng bị từ chối"))
    if progress:
        progress(len(rows), len(rows))
    report.rejected.sort(key=lambda p: (p.sheet != prepared.sheet.title, p.row))
    return report


_FILL = ("date_of_birth", "estimated_age", "ethnicity", "personal_id", "village", "address")


def _fill_blanks(target: dict, row: ChildRow) -> bool:
    changed = False
    for name in _FILL:
        value = getattr(row, name)
        if target.get(name) in (None, "") and value not in (None, ""):
            target[name] = value
            changed = True
    if target.get("gender") == "khong_biet" and row.gender != "khong_biet":
        target["gender"] = row.gender
        changed = True
    return changed


def _write(session, actor: Actor, report: ImportReport, rows: list[ChildRow], targets: dict[int, _Target],
           new_children: dict[int, dict], existing_ids: set[int], support_targets, write: bool) -> None:
    """Bulk inserts of the new children and their people; existing children get only what they lack."""
    existing: dict[int, Child] = {}
    if existing_ids:
        ids = list(existing_ids)
        for start in range(0, len(ids), 500):
            for child in session.scalars(select(Child).where(Child.id.in_(ids[start:start + 500]))):
                existing[child.id] = child
    # Fill blanks of existing children (never overwrite what the register holds).
    updated: set[int] = set()
    for row in rows:
        t = targets[row.row]
        if t.new:
            continue
        child = existing[t.child_id]
        snapshot = {n: getattr(child, n) for n in (*_FILL, "gender")}
        if _fill_blanks(snapshot, row):
            changes = [(n, getattr(child, n), snapshot[n]) for n in snapshot if snapshot[n] != getattr(child, n)]
            if write:
                for n, _old, new in changes:
                    setattr(child, n, new)
                audit.record(session, actor, "update", "child", child.id, detail="Bổ sung khi nhập danh sách",
                             changes=changes)
            updated.add(child.id)
    report.children_updated = len(updated)

    # Family members: who each child already has, by role and folded name.
    have: dict[int, set[tuple[str, str]]] = {}
    if existing:
        ids = list(existing)
        for start in range(0, len(ids), 500):
            for cid, role, name in session.execute(
                select(ChildRelation.child_id, ChildRelation.role, Person.full_name)
                .join(Person, Person.id == ChildRelation.person_id)
                .where(ChildRelation.child_id.in_(ids[start:start + 500]))
            ):
                have.setdefault(cid, set()).add((role, fold(name)))
    person_id = (session.scalar(select(func.max(Person.id))) or 0) + 1
    relation_id = (session.scalar(select(func.max(ChildRelation.id))) or 0) + 1
    persons: list[dict] = []
    relations: list[dict] = []
    # Memberships and support already there (for re-imports).
    known_groups: dict[int, set[tuple]] = {}
    known_support: dict[int, set[tuple]] = {}
    ids = list(existing)
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for cid, code, sub, frm in session.execute(select(
                GroupMembership.child_id, GroupMembership.group_code, GroupMembership.subgroup, GroupMembership.from_date)
                .where(GroupMembership.child_id.in_(part))):
            known_groups.setdefault(cid, set()).add((code, sub, frm))
    support_ids = list({cid for _s, cid in support_targets if cid not in new_children})
    for start in range(0, len(support_ids), 500):
        part = support_ids[start:start + 500]
        for cid, kind, given, amount, desc in session.execute(select(
                SupportEntry.child_id, SupportEntry.kind, SupportEntry.given_on, SupportEntry.amount,
                SupportEntry.description).where(SupportEntry.child_id.in_(part))):
            known_support.setdefault(cid, set()).add((kind, given, amount, fold(desc)))

    memberships: list[dict] = []
    stamp = now()
    for row in rows:
        cid = targets[row.row].child_id
        mine = have.setdefault(cid, set())
        for role, names in (("cha", row.father), ("me", row.mother), ("cham_soc", row.caregiver)):
            for name in names:
                if (role, fold(name)) in mine:
                    continue
                mine.add((role, fold(name)))
                persons.append({"id": person_id, "full_name": name, "age": None, "occupation": "", "phone": "", "address": ""})
                relations.append({"id": relation_id, "child_id": cid, "person_id": person_id, "role": role})
                person_id += 1
                relation_id += 1
        groups_known = known_groups.setdefault(cid, set())
        for code, sub in row.groups:
            sig = (code, sub, row.from_date)
            if sig in groups_known:
                continue
            groups_known.add(sig)
            memberships.append({"child_id": cid, "group_code": code, "subgroup": sub, "from_date": row.from_date,
                                "to_date": row.to_date, "note": row.note, "created_at": stamp,
                                "created_by": actor.username})
    supports: list[dict] = []
    for srow, cid in support_targets:
        sig = (srow.kind, srow.given_on, srow.amount, fold(srow.description))
        known = known_support.setdefault(cid, set())
        if sig in known:
            continue
        known.add(sig)
        supports.append({"child_id": cid, "kind": srow.kind, "given_on": srow.given_on, "amount": srow.amount,
                         "description": srow.description, "provider": srow.provider, "created_at": stamp,
                         "created_by": actor.username})
    report.groups_new = len(memberships)
    report.support_new = len(supports)
    if not write:
        return
    session.flush()
    for table, data in ((Child.__table__, list(new_children.values())), (Person.__table__, persons),
                        (ChildRelation.__table__, relations), (GroupMembership.__table__, memberships),
                        (SupportEntry.__table__, supports)):
        for start in range(0, len(data), 5000):
            session.execute(insert(table), data[start:start + 5000])
    refresh_tokens(session.connection(), [(c["id"], c["name_key"], c.get("personal_id"), c.get("village"))
                                          for c in new_children.values()])  # the server's search tokens
    from ..portable import sync_sequences

    sync_sequences(session, (Child, Person, ChildRelation, GroupMembership, SupportEntry))
