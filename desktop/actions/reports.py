"""The period report for the level above and the merge of communes' reports: `bvte export`, `bvte merge` and the
window's two dialogs call these."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Callable

from models.security import audit
from models.textnorm import fold
from models.reports import protect
from models.reports.facts import collect
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


def export_report(ws, period_text: str, out_path, *, with_names: bool = False, password: str | None = None,
                  progress: Progress | None = None) -> Path:
    """Write the period report to `out_path` (a file, or a folder for the default name); returns the file.

    Names of children only with `with_names=True`, and then `password` is required. Raises PeriodError,
    PasswordError, ReportWriteError, NotAllowed (all with Vietnamese messages)."""
    report = progress or (lambda fraction, message: None)
    ws.actor.require("export")
    period = parse_period(period_text) if isinstance(period_text, str) else period_text
    if with_names:
        protect.check_password(password)
    elif password:
        protect.check_password(password)
    report(0.05, "Đang tính số liệu…")
    vault = getattr(ws, "vault", None)
    office_id = str(getattr(vault, "office_id", "") or "")
    with ws.db.session() as session:
        facts = collect(session, period, with_names=with_names, office_id=office_id)
        anchor = audit.anchor(session, office_id)
    report(0.45, "Đang tạo bảng tính…")
    made_by = f"{ws.actor.full_name} ({ws.actor.username})"
    data, _figures = build(facts, made_by=made_by, with_names=with_names, audit_anchor=anchor)
    _check_xlsx(data)
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
    target, _sum = write_safely(data, out, check=check)
    with ws.db.transaction() as session:
        audit.record(session, ws.actor, "export", "report", period.code[:40],
                     detail=f"Xuất báo cáo {period.label} ({len(facts.cases)} trường hợp) ra tệp {target.name}"
                            + ("; có họ tên trẻ em, đã đặt mật khẩu" if with_names else "; không có họ tên")
                            + ("" if with_names or not password else "; đã đặt mật khẩu"))
    report(1.0, "Đã xuất báo cáo.")
    return target


def merge_reports(paths, out_path, *, period_text: str | None = None, progress: Progress | None = None) -> MergeReport:
    """Consolidate many communes' report files into one workbook at `out_path` (written safely)."""
    period = parse_period(period_text) if period_text else None
    return merge_files([Path(p) for p in paths], Path(out_path), period=period, progress=progress)
