"""The period report for the level above and the merge of communes' reports: `bvte export`, `bvte merge` and the
window's two dialogs call these."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Callable

from sqlalchemy import select

from models.clock import VN
from models.entities import Office
from models.reports import compare, issue as issue_mod, layout
from models.reports.issue import NumberTaken
from models.security import audit
from models.textnorm import fold
from models.reports import protect
from models.reports.facts import Source, collect
from models.reports.merge import MergeReport, merge_files
from models.reports.period import Period, parse_period
from models.reports.safe_write import ReportWriteError, write_safely
from models.reports.workbook import build

Progress = Callable[[float, str], None]


def default_file_name(commune: str, period: Period, with_names: bool = False) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(commune or "xa").lower()).strip("-") or "xa"
    return f"bvte-bao-cao-{slug}-{period.file_tag}{'-co-ten' if with_names else ''}.xlsx"


def _check_xlsx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if zf.testzip() is not None or "xl/workbook.xml" not in zf.namelist():
                raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        raise ReportWriteError("Tệp báo cáo ghi ra bị hỏng khi đọc lại (ổ đĩa có thể bị lỗi). Hãy thử ổ USB khác. "
                               "Dữ liệu trên máy vẫn nguyên vẹn.") from None


def pdf_path(xlsx: Path) -> Path:
    """The written report beside the workbook: the same name without "-co-ten" (it names no child)."""
    stem = xlsx.stem[:-len("-co-ten")] if xlsx.stem.endswith("-co-ten") else xlsx.stem
    return xlsx.with_name(stem + ".pdf")


def export_report(ws, period_text: str, out_path, *, with_names: bool = False, password: str | None = None,
                  progress: Progress | None = None) -> Path:
    """Write the period report to `out_path` (a file, or a folder for the default name); returns the file.

    Beside the workbook, the official report "Số: NN/BC-UBND" as a PDF (`pdf_path`, printouts/period_report.py)
    with the same number, date, signer and figures. Names of children only with `with_names=True`, and then
    `password` is required. Raises PeriodError, PasswordError, ReportWriteError, NotAllowed (all with Vietnamese
    messages); a failed export leaves no file and the database as it was (no number taken)."""
    for _attempt in range(3):
        try:
            return _export(ws, period_text, out_path, with_names=with_names, password=password, progress=progress)
        except NumberTaken:  # another program issued the number meanwhile: made again with the next one
            continue
    raise ReportWriteError("Không cấp được số báo cáo (một chương trình khác đang cấp số). Hãy thử lại.")


def _export(ws, period_text, out_path, *, with_names, password, progress) -> Path:
    from printouts.period_report import build as build_pdf

    report = progress or (lambda fraction, message: None)
    ws.actor.require("export")
    period = parse_period(period_text) if isinstance(period_text, str) else period_text
    if with_names:
        protect.check_password(password)
    elif password:
        protect.check_password(password)
    report(0.05, "Đang tính số liệu…")
    with ws.db.session() as session:
        source = Source(session)  # the rows read once for this period and the periods it is compared with
        facts = collect(session, period, with_names=with_names, office_id=ws.office_id, source=source)
        anchor = audit.anchor(session, ws.office_id)
        issue = issue_mod.prepare(session, period, ws.actor, facts.made_at.astimezone(VN).date())
        report(0.2, "Đang tính số liệu kỳ trước và cùng kỳ năm trước…")
        tables = compare.tables_of(facts)  # counted once for the workbook, the PDF and the comparison
        figures = compare.figures_of(facts, tables)
        comparison = compare.build(session, facts, figures, source=source)
        office = session.scalar(select(Office).limit(1))
        if office is not None:
            session.expunge(office)
    report(0.45, "Đang tạo bảng tính…")
    data, _figures = build(facts, made_by=issue.made_by, with_names=with_names, audit_anchor=anchor, issue=issue,
                           comparison=comparison, tables=tables)
    _check_xlsx(data)
    report(0.6, "Đang tạo báo cáo bằng văn bản (PDF)…")
    pdf = build_pdf(facts, figures, [t for sheet_tables in tables.values() for t in sheet_tables], issue=issue,
                    comparison=comparison, office=office)
    if password:
        report(0.7, "Đang đặt mật khẩu…")
        data = protect.encrypt(data, password)

    def check(back: bytes) -> None:
        if password:
            if not protect.is_encrypted(back):
                raise ReportWriteError("Tệp ghi ra không được mã hoá; đã dừng.")
            _check_xlsx(protect.decrypt(back, password))
        else:
            _check_xlsx(back)

    out = Path(out_path)
    if out.is_dir():
        out = out / default_file_name(facts.office.commune_name, period, with_names)
    elif out.suffix.lower() != ".xlsx":
        out = out.with_name(out.name + ".xlsx")
    report(0.8, "Đang ghi tệp…")
    target, sum_file = write_safely(data, out, check=check)
    written = [target, sum_file]
    try:
        written += list(write_safely(pdf, pdf_path(target), check=_check_pdf))
        with ws.db.transaction() as session:
            issue_mod.record(session, period, issue, facts.made_at)
            audit.record(session, ws.actor, "export", "report", period.code[:40],
                         detail=f"Xuất báo cáo số {issue.number_text} {period.label} ({len(facts.cases)} trường hợp) "
                                f"ra tệp {target.name} và {pdf_path(target).name}"
                                + ("; có họ tên trẻ em, đã đặt mật khẩu" if with_names else "; không có họ tên")
                                + ("" if with_names or not password else "; đã đặt mật khẩu"))
    except BaseException:
        for path in written:  # all or nothing: no workbook without its number recorded
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass
        raise
    report(1.0, "Đã xuất báo cáo.")
    return target


def _check_pdf(back: bytes) -> None:
    if not back.startswith(b"%PDF") or b"%%EOF" not in back[-1024:]:
        raise ReportWriteError("Tệp PDF ghi ra bị hỏng khi đọc lại (ổ đĩa có thể bị lỗi). Hãy thử ổ USB khác. "
                               "Dữ liệu trên máy vẫn nguyên vẹn.")


def merge_reports(paths, out_path, *, period_text: str | None = None, progress: Progress | None = None,
                  expected=None) -> MergeReport:
    """Consolidate many communes' report files into one workbook at `out_path` (written safely).
    `expected`: the province's list of communes that must report (a .xlsx/.csv file, see
    models/reports/expected.py): the communes of the list with no report are named."""
    from models.reports import expected as expected_mod

    period = parse_period(period_text) if period_text else None
    wanted = expected_mod.read(Path(expected)) if expected else None  # read first: a bad list stops nothing written
    result = merge_files([Path(p) for p in paths], Path(out_path), period=period, progress=progress, expected=wanted)
    # the province's summary (every commune's key figures, what needs attention, charts, the sums) beside it
    from models.clock import now
    from models.reports.facts import special_groups_data
    from printouts.period_report import province_summary

    tables = [t for sheet in layout.report_definition()["sheets"] if sheet != "danh_sach"
              for t in layout.from_figures(sheet, result.totals, special_groups_data())]
    pdf = province_summary(result, tables, now())
    result.summary_pdf, _sum = write_safely(pdf, Path(result.output).with_suffix(".pdf"), check=_check_pdf)
    return result
