"""The receiving side: many communes' report files → one consolidated workbook for the province.

Each file is checked: a readable .xlsx (not damaged, not password-protected), a BVTE report (hidden
"_bvte" sheet) of a format this program reads and the same layout, complete (as many figures as it
declares), for the same period as the others, and not a second file of a commune already taken (the
newest of a commune's files is used). Every problem is named in Vietnamese; the good files are summed.
"""
from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

from ..errors import UserError
from ..sheet_text import append as append_text, write as put_text
from ..clock import fmt_date, fmt_datetime, now as clock_now
from ..textnorm import fold
from . import layout, protect
from .compare import attention, charts
from .expected import ExpectedCommunes, Missing, commune_key, missing as missing_communes
from .facts import OfficeInfo, ReportFacts, special_groups_data
from .period import Period
from .safe_write import write_safely
from .workbook import FORMAT, META_SHEET, build_tables_workbook

Progress = Callable[[float, str], None]


class MergeError(UserError):
    """Nothing could be merged (Vietnamese message)."""


@dataclass
class CommuneFile:
    path: Path
    meta: dict
    figures: dict[str, int]
    anchor: dict = field(default_factory=dict)  # the commune's audit chain head when it made the report

    @property
    def commune(self) -> str:
        return self.meta.get("commune_name", "")

    @property
    def key(self) -> str:
        return f"{fold(str(self.meta.get('province', '')))}|{fold(self.commune)}"

    @property
    def period_key(self) -> tuple[str, str]:
        return (str(self.meta.get("period_start")), str(self.meta.get("period_end")))

    @property
    def made_at(self) -> str:
        return str(self.meta.get("made_at", ""))


@dataclass
class FileProblem:
    path: Path
    kind: str  # hong | mat_khau | khong_phai | phien_ban | mau_bieu | khac_ky | trung
    message: str
    commune: str = ""  # when the file says which commune it is from


@dataclass
class MergeReport:
    output: Path | None
    period_label: str = ""
    period_range: str = ""
    accepted: list[CommuneFile] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    summary_pdf: Path | None = None  # the province's PDF summary (written by desktop/actions/reports.py)
    expected: ExpectedCommunes | None = None  # the province's list of communes that must report
    missing: list[Missing] = field(default_factory=list)  # communes of the list with no report merged
    unlisted: list[str] = field(default_factory=list)  # communes merged that are not on the list

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary_text(self) -> str:
        lines = [f"Đã tổng hợp {len(self.accepted)} tệp báo cáo"
                 + (f" kỳ {self.period_range}" if self.period_range else "") + "."]
        if self.output:
            lines.append(f"Tệp tổng hợp: {self.output}")
        if self.summary_pdf:
            lines.append(f"Bản tổng hợp để đọc và in (PDF): {self.summary_pdf}")
        if self.problems:
            lines.append(f"{len(self.problems)} tệp không được đưa vào tổng hợp:")
            lines += [f"- {p.path.name}: {p.message}" for p in self.problems]
        lines += self.expected_lines()
        return "\n".join(lines)

    def expected_lines(self) -> list[str]:
        """What the province's list of communes says about this merge (plain sentences)."""
        if self.expected is None:
            return ["Chưa có danh sách xã của tỉnh nên chưa biết xã nào chưa gửi báo cáo (chọn tệp danh sách xã, "
                    "hoặc dùng --expected TỆP ở dòng lệnh)."]
        n = len(self.expected.names)
        if not self.missing:
            lines = [f"Đủ báo cáo: cả {n} xã trong danh sách của tỉnh đều đã được tổng hợp."]
        else:
            lines = [f"Xã chưa gửi báo cáo: {len(self.missing)}/{n} xã trong danh sách của tỉnh:"]
            lines += [f"- {m.name}" + (f" ({m.note})" if m.note else "") for m in self.missing]
        if self.unlisted:
            lines.append("Xã đã tổng hợp nhưng không có trong danh sách (kiểm tra lại tên xã trong danh sách): "
                         + ", ".join(self.unlisted) + ".")
        if self.expected.bad_rows:
            lines.append(f"{len(self.expected.bad_rows)} dòng của danh sách xã không dùng được:")
            lines += [f"- {b}" for b in self.expected.bad_rows[:20]]
            if len(self.expected.bad_rows) > 20:
                lines.append(f"- … và {len(self.expected.bad_rows) - 20} dòng khác (xem tệp tổng hợp).")
        return lines


MAX_FIGURE = 10_000_000  # no commune counts more children than this in one period


def _read(path: Path) -> CommuneFile | FileProblem:
    """One commune's file checked; every way a file can be wrong is a FileProblem, never an exception that
    would stop the other files."""
    try:
        return _read_checked(path)
    except Exception as exc:  # anything unforeseen in a hostile file: this file is listed and skipped
        return FileProblem(path, "hong", f"Tệp bị hỏng hoặc không đúng cấu trúc, không đọc được ({type(exc).__name__}).")


def _figure(value) -> int:
    """A count as a commune's file must hold it: a whole number from 0 to MAX_FIGURE (not a flag, not a fraction)."""
    if isinstance(value, bool) or value is None:
        raise ValueError("not a count")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("fraction")
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= MAX_FIGURE:
        raise ValueError("out of range")
    return value


def _read_checked(path: Path) -> CommuneFile | FileProblem:
    from openpyxl import load_workbook

    from ..xlsx_guard import OLE_MAGIC, HostileFile, check_xlsx

    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        return FileProblem(path, "hong", "Không tìm thấy tệp.")
    except OSError as exc:
        return FileProblem(path, "hong", f"Không đọc được tệp: {exc.strerror or exc}.")
    if protect.is_encrypted(head):
        return FileProblem(path, "mat_khau", "Tệp được đặt mật khẩu (bản có họ tên trẻ em). Hãy đề nghị xã gửi bản "
                                             "báo cáo không có họ tên để tổng hợp.")
    if head[:4] != b"PK\x03\x04":
        return FileProblem(path, "khong_phai", "Không phải tệp Excel (.xlsx) hoặc tệp đã bị hỏng.")
    try:
        check_xlsx(path)  # sizes, compression, XML entity declarations: before any XML is parsed
    except HostileFile as exc:
        return FileProblem(path, "mat_khau" if head == OLE_MAGIC else "hong", str(exc))
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, TypeError) as exc:
        return FileProblem(path, "hong", f"Tệp bị hỏng hoặc chép không hết, không mở được ({type(exc).__name__}).")
    try:
        if META_SHEET not in wb.sheetnames:
            return FileProblem(path, "khong_phai", "Không phải báo cáo do phần mềm BVTE tạo (thiếu trang thông tin).")
        meta: dict = {}
        figures: dict[str, int] = {}
        in_figures = False
        try:
            for row in wb[META_SHEET].iter_rows(min_row=2, values_only=True):
                if not row or row[0] is None:
                    continue
                key, value = str(row[0]), (row[1] if len(row) > 1 else None)
                if key == "figures":
                    in_figures = True
                elif in_figures:
                    try:
                        figures[key] = _figure(value)
                    except ValueError:
                        return FileProblem(path, "hong", f"Số liệu «{key[:60]}» không hợp lệ ({str(value)[:30]}): "
                                                         "phải là số nguyên từ 0 trở lên. Tệp có thể đã bị sửa tay.")
                    if len(figures) > 100_000:
                        return FileProblem(path, "hong", "Tệp có quá nhiều số liệu: không phải báo cáo do BVTE tạo.")
                else:
                    meta[key] = value
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, TypeError) as exc:
            return FileProblem(path, "hong", f"Tệp bị hỏng, không đọc được số liệu ({type(exc).__name__}).")
        anchor = _anchor_of(wb)
    finally:
        wb.close()
    if meta.get("kind") != "bvte-report":
        return FileProblem(path, "khong_phai", "Không phải báo cáo xã do phần mềm BVTE tạo.")
    try:
        fmt = int(meta.get("format") or 0)
    except (TypeError, ValueError):
        fmt = 0
    if fmt > FORMAT or fmt < 1:
        return FileProblem(path, "phien_ban", f"Tệp được tạo bởi BVTE phiên bản {meta.get('app_version', '?')}, mới hơn "
                                              "phiên bản đang dùng. Hãy cập nhật BVTE rồi tổng hợp lại.")
    if meta.get("layout") != layout.layout_key():
        return FileProblem(path, "mau_bieu", f"Tệp dùng mẫu biểu {meta.get('layout')}, khác mẫu biểu đang tổng hợp "
                                             f"({layout.layout_key()}). Hãy đề nghị xã cập nhật BVTE và xuất lại.")
    if str(meta.get("figure_count")) != str(len(figures)):
        return FileProblem(path, "hong", "Tệp thiếu số liệu (có thể đã bị sửa tay hoặc chép không hết).")
    problem = _check_dates(path, meta)
    return problem or CommuneFile(path, meta, figures, anchor)


def _anchor_of(wb) -> dict:
    """The commune's audit chain head from its report's hidden sheet ({} when none): a few short texts."""
    from ..security.anchors import FIELDS, SHEET

    if SHEET not in wb.sheetnames:
        return {}
    out = {}
    try:
        for row in wb[SHEET].iter_rows(min_row=2, max_row=len(FIELDS) + 1, max_col=2, values_only=True):
            if row and row[0] in FIELDS:
                out[str(row[0])] = str(row[1] if len(row) > 1 and row[1] is not None else "")[:100]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, TypeError):
        return {}
    return out


def _check_dates(path: Path, meta: dict) -> FileProblem | None:
    """The period and the moment the file was made must be real dates: a file 'made' in 9999 would otherwise
    replace the genuine file of its commune."""
    try:
        start = date.fromisoformat(str(meta.get("period_start")))
        end = date.fromisoformat(str(meta.get("period_end")))
        if start > end or start.year < 1900 or end > clock_now().date().replace(year=clock_now().year + 1):
            raise ValueError
    except ValueError:
        return FileProblem(path, "hong", f"Kỳ báo cáo trong tệp không hợp lệ ({str(meta.get('period_start'))[:30]} – "
                                         f"{str(meta.get('period_end'))[:30]}). Tệp có thể đã bị sửa tay.")
    try:
        made = datetime.fromisoformat(str(meta.get("made_at")))
        made = made if made.tzinfo else made.replace(tzinfo=clock_now().tzinfo)
    except ValueError:
        return FileProblem(path, "hong", f"Thời điểm lập báo cáo không hợp lệ ({str(meta.get('made_at'))[:30]}). "
                                         "Tệp có thể đã bị sửa tay.")
    if made > clock_now() + timedelta(days=1) or made.year < 1900:
        return FileProblem(path, "hong", f"Thời điểm lập báo cáo ({fmt_datetime(made)}) nằm ở tương lai: tệp có thể "
                                         "đã bị sửa tay, không được dùng (và không thay thế tệp thật của xã).")
    meta["made_at"] = made.isoformat()  # compared as moments, not as texts
    return None


def _period_text(f: CommuneFile) -> str:
    try:
        return (f"{f.meta.get('period_label')} (từ {fmt_date(date.fromisoformat(f.period_key[0]))} "
                f"đến {fmt_date(date.fromisoformat(f.period_key[1]))})")
    except ValueError:
        return str(f.meta.get("period_label"))


def merge_files(paths: list[Path], out_path: Path, *, period: Period | None = None,
                progress: Progress | None = None, expected: ExpectedCommunes | None = None) -> MergeReport:
    report = progress or (lambda fraction, message: None)
    if not paths:
        raise MergeError("Chưa chọn tệp báo cáo nào để tổng hợp.")
    result = MergeReport(output=None, expected=expected)
    good: list[CommuneFile] = []
    out_resolved = Path(out_path).resolve()
    seen: set[Path] = set()
    for i, path in enumerate(paths):
        report(0.8 * i / len(paths), f"Đang đọc tệp {i + 1}/{len(paths)}: {path.name}")
        resolved = path.resolve()
        if resolved == out_resolved:
            continue
        if resolved in seen:
            result.problems.append(FileProblem(path, "trung", "Tệp này được chọn hai lần; chỉ tính một lần."))
            continue
        seen.add(resolved)
        item = _read(path)
        (result.problems if isinstance(item, FileProblem) else good).append(item)

    if period is not None:
        want = (period.start.isoformat(), period.end.isoformat())
    elif good:
        want = Counter(f.period_key for f in good).most_common(1)[0][0]
    else:
        want = None
    same = [f for f in good if f.period_key == want]
    ref = same[0] if same else None
    for f in good:
        if f.period_key != want:
            wanted = _period_text(ref) if ref else f"từ {fmt_date(period.start)} đến {fmt_date(period.end)}"
            result.problems.append(FileProblem(f.path, "khac_ky", f"Báo cáo kỳ khác: {_period_text(f)}, "
                                                                  f"trong khi các tệp đang tổng hợp là kỳ {wanted}.",
                                               f.commune))
    by_commune: dict[str, list[CommuneFile]] = {}
    for f in same:
        by_commune.setdefault(f.key, []).append(f)
    for files in by_commune.values():
        files.sort(key=lambda f: f.made_at, reverse=True)
        kept = files[0]
        result.accepted.append(kept)
        for dup in files[1:]:
            result.problems.append(FileProblem(
                dup.path, "trung",
                f"Trùng xã: {kept.commune} đã có trong tệp {kept.path.name} (lập lúc {_when(kept.made_at)}); "
                f"tệp này lập lúc {_when(dup.made_at)} nên không được cộng lần nữa."))
    if not result.accepted:
        raise MergeError("Không có tệp báo cáo hợp lệ nào để tổng hợp.\n"
                         + "\n".join(f"- {p.path.name}: {p.message}" for p in result.problems))
    result.accepted.sort(key=lambda f: fold(f.commune))
    totals: dict[str, int] = {}
    for f in result.accepted:
        for k, v in f.figures.items():
            totals[k] = totals.get(k, 0) + v
    result.totals = totals
    ref = result.accepted[0]
    result.period_label = str(ref.meta.get("period_label"))
    result.period_range = _period_text(ref)
    if expected is not None:
        unusable = {commune_key(p.commune): f"có tệp {p.path.name} nhưng không dùng được: xem trang «Kiểm tra tệp»"
                    for p in result.problems if p.commune and p.kind == "khac_ky"}
        result.missing, result.unlisted = missing_communes(
            expected, [(f.commune, str(f.meta.get("commune_kind") or "")) for f in result.accepted], unusable)

    report(0.85, "Đang ghi tệp tổng hợp…")
    data = _consolidated(result, ref)
    target, _ = write_safely(data, Path(out_path))
    result.output = target
    report(1.0, "Đã tổng hợp xong.")
    return result


def _when(iso: str) -> str:
    try:
        return fmt_datetime(datetime.fromisoformat(iso))
    except ValueError:
        return iso


def _consolidated(result: MergeReport, ref: CommuneFile) -> bytes:
    from openpyxl.utils import get_column_letter

    provinces = Counter(str(f.meta.get("province") or "") for f in result.accepted)
    province = provinces.most_common(1)[0][0]
    start, end = date.fromisoformat(ref.period_key[0]), date.fromisoformat(ref.period_key[1])
    period = Period(str(ref.meta.get("period_code")), start, end, str(ref.meta.get("period_label")))
    f_like = ReportFacts(period, clock_now(), OfficeInfo(
        province=province, heading_place=f"Tổng hợp {len(result.accepted)} xã, phường, đặc khu"))
    groups = special_groups_data()
    sheet_tables = []
    for name in layout.report_definition()["sheets"]:
        if name == "danh_sach":
            continue
        spec = layout.load(name)
        sheet_tables.append(((f"{spec.get('short_name', spec['name'])} toàn tỉnh"[:31], spec["title"] + " — TOÀN TỈNH"),
                             layout.from_figures(name, result.totals, groups)))
    columns = layout.report_definition().get("merge_columns", [])

    def extra(wb, st):
        ws = wb.active
        ws.title = "Các xã"
        put_text(ws, 1, 1, f"TỔNG HỢP BÁO CÁO BẢO VỆ TRẺ EM CÁC XÃ — {period.label.upper()} "
                      f"(từ {fmt_date(start)} đến {fmt_date(end)})").font = st["title"]
        put_text(ws, 2, 1, f"Tỉnh {province}; {len(result.accepted)} xã đã tổng hợp; lập lúc {fmt_datetime(clock_now())}. "
                      "Chi tiết theo giới tính, độ tuổi: trang “Tổng hợp toàn tỉnh”.").font = st["subtitle"]
        heads = ["STT", "Xã, phường, đặc khu", "Người lập", "Ngày lập"] + [c["label"] for c in columns] + ["Cần chú ý"]
        header = 4
        for k, h in enumerate(heads, start=1):
            c = put_text(ws, header, k, h)
            c.font, c.alignment, c.fill, c.border = st["bold"], st["center"], st["head_fill"], st["border"]
            ws.column_dimensions[get_column_letter(k)].width = {1: 5, 2: 22, 3: 20, 4: 11, len(heads): 40}.get(k, 10)
        ws.row_dimensions[header].height = 60
        r = header + 1
        for n, f in enumerate(result.accepted, start=1):
            vals = [n, f.commune, f.meta.get("made_by"), _when(f.made_at)[-10:]]
            vals += [f.figures.get(c["key"], 0) for c in columns]
            note = attention(f.figures)
            vals.append(note)
            for k, v in enumerate(vals, start=1):
                c = put_text(ws, r, k, v)
                c.font, c.border = (st["red"] if k == len(vals) else st["normal"]), st["border"]
                if 4 < k < len(vals):
                    c.number_format = "#,##0"
                elif k == len(vals):
                    c.alignment = st["wrap"]
            r += 1
        put_text(ws, r, 2, "TOÀN TỈNH")
        for k, col in enumerate(columns, start=5):
            put_text(ws, r, k, result.totals.get(col["key"], 0)).number_format = "#,##0"
        for k in range(1, len(heads) + 1):
            ws.cell(r, k).font, ws.cell(r, k).border = st["bold"], st["border"]
        flagged = sum(1 for f in result.accepted if attention(f.figures))
        put_text(ws, r + 2, 1, f"{flagged} xã có trường hợp khẩn cấp quá 12 giờ, chưa có biện pháp hoặc kế hoạch "
                               "trễ hạn (cột «Cần chú ý»).").font = st["small"]
        if result.expected is not None:
            put_text(ws, r + 3, 1, f"{len(result.missing)} xã trong danh sách của tỉnh chưa gửi báo cáo"
                                   + (" (trang «Xã chưa gửi báo cáo»)." if result.missing else ".")
                     ).font = st["red"] if result.missing else st["small"]
        else:
            put_text(ws, r + 3, 1, "Chưa có danh sách xã của tỉnh: chưa xác định được xã nào chưa gửi báo cáo.").font = \
                st["small"]
        ws.freeze_panes = ws.cell(header + 1, 3)
        from .workbook import _print_setup
        _print_setup(ws, f"{header}:{header}")
        if result.expected is not None:
            _missing_sheet(wb, result, st, period)

        chk = wb.create_sheet("Kiểm tra tệp")
        put_text(chk, 1, 1, "KẾT QUẢ KIỂM TRA CÁC TỆP BÁO CÁO").font = st["title"]
        for k, h in enumerate(["STT", "Tệp", "Xã, phường, đặc khu", "Kết quả"], start=1):
            c = put_text(chk, 3, k, h)
            c.font, c.alignment, c.fill, c.border = st["bold"], st["center"], st["head_fill"], st["border"]
        rows = [(f.path.name, f.commune, "Đã tổng hợp") for f in result.accepted]
        rows += [(p.path.name, "", p.message) for p in result.problems]
        for n, (name, commune, outcome) in enumerate(rows, start=1):
            for k, v in enumerate([n, name, commune, outcome], start=1):
                c = put_text(chk, 3 + n, k, v)
                c.font, c.border, c.alignment = st["normal"], st["border"], st["wrap"]
        for col, w in zip("ABCD", (5, 40, 24, 80)):
            chk.column_dimensions[col].width = w
        chk.freeze_panes = "A4"
        _print_setup(chk, "3:3")
        from .workbook_charts import chart_sheet

        def title_block(sheet, title, ncols):
            put_text(sheet, 1, 1, f"{title} — TOÀN TỈNH, {period.label.upper()}").font = st["title"]
            put_text(sheet, 2, 1, f"Tổng hợp {len(result.accepted)} xã, phường, đặc khu").font = st["subtitle"]
            _print_setup(sheet, "1:2")
            return 4

        chart_sheet(wb, charts(result.totals, None), st, title_block)
        _anchors_sheet(wb, result)
        meta = wb.create_sheet(META_SHEET)
        meta.sheet_state = "hidden"
        for row in [("key", "value"), ("kind", "bvte-merge"), ("format", FORMAT), ("layout", layout.layout_key()),
                    ("period_start", start.isoformat()), ("period_end", end.isoformat()),
                    ("communes", len(result.accepted)),
                    ("expected_communes", "" if result.expected is None else len(result.expected.names)),
                    ("missing_communes", "" if result.expected is None else len(result.missing)),
                    ("figures", "")] + sorted(result.totals.items()):
            append_text(meta, list(row))

    return build_tables_workbook(sheet_tables, f_like, extra, front=2 if result.expected is not None else 1)


MISSING_SHEET = "Xã chưa gửi báo cáo"
ANCHORS_SHEET = "BVTE_neo_cac_xa"


def _anchors_sheet(wb, result: MergeReport) -> None:
    """Hidden: each commune's audit chain head as its report carried it (models/security/anchors.py). The
    province keeps them: a commune's `bvte verify --anchor` against a later copy shows its log was not rewritten."""
    from ..security.anchors import FIELDS

    ws = wb.create_sheet(ANCHORS_SHEET)
    ws.sheet_state = "hidden"
    for k, head in enumerate(["commune", "file", *FIELDS], start=1):
        put_text(ws, 1, k, head)
    for r, f in enumerate(result.accepted, start=2):
        for k, value in enumerate([f.commune, f.path.name, *(f.anchor.get(x, "") for x in FIELDS)], start=1):
            put_text(ws, r, k, value)


def _missing_sheet(wb, result: MergeReport, st, period: Period) -> None:
    """The communes of the province's list with no report merged, and the rows of the list that were not used."""
    from .workbook import _print_setup

    ws = wb.create_sheet(MISSING_SHEET)
    exp = result.expected
    put_text(ws, 1, 1, f"XÃ CHƯA GỬI BÁO CÁO — {period.label.upper()}").font = st["title"]
    put_text(ws, 2, 1, f"Theo danh sách xã của tỉnh (tệp {exp.path.name}, {len(exp.names)} xã): {len(result.missing)} "
                       f"xã chưa có báo cáo được tổng hợp.").font = st["subtitle"]
    heads = ["STT", "Xã, phường, đặc khu", "Ghi chú"]
    for k, h in enumerate(heads, start=1):
        c = put_text(ws, 4, k, h)
        c.font, c.alignment, c.fill, c.border = st["bold"], st["center"], st["head_fill"], st["border"]
    r = 5
    for n, m in enumerate(result.missing, start=1):
        for k, v in enumerate([n, m.name, m.note or "Chưa nhận được báo cáo"], start=1):
            c = put_text(ws, r, k, v)
            c.font, c.border, c.alignment = st["normal"], st["border"], st["wrap"]
        r += 1
    if not result.missing:
        put_text(ws, r, 2, "Không có: tất cả các xã trong danh sách đã gửi báo cáo.").font = st["normal"]
        r += 1
    if result.unlisted:
        r += 1
        put_text(ws, r, 1, "Xã đã tổng hợp nhưng không có trong danh sách của tỉnh (kiểm tra lại tên xã trong danh "
                           "sách hoặc trong thiết lập cơ quan của xã):").font = st["bold"]
        for name in result.unlisted:
            r += 1
            put_text(ws, r, 2, name).font = st["normal"]
        r += 1
    if exp.bad_rows:
        r += 1
        put_text(ws, r, 1, f"Các dòng của danh sách xã không dùng được ({len(exp.bad_rows)}):").font = st["bold"]
        for line in exp.bad_rows[:1000]:
            r += 1
            put_text(ws, r, 2, line).font = st["normal"]
    for col, w in zip("ABC", (6, 40, 70)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A5"
    _print_setup(ws, "4:4")
