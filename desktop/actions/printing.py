"""Printing: a form of a case, a blank form, the whole case file. One path for the window and the command line:
permission → load → render → audit → (the file, for the command line; the preview, for the window).

A paper that leaves the program always leaves a trace in the audit log first: `save` writes it under a
temporary name, records the entry, then gives it its final name (models.safe_files.release_after_audit); the
window's preview is the paper on screen, so `make` records it before it is shown."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from models import forms
from models.safe_files import release_after_audit
from models.security import audit
from models.services import attachments
from models.services.accounts import Workspace
from models.services.cases import find_case, forms_of, load_case
from models.services.office import get_office


@dataclass(frozen=True)
class Paper:
    """A rendered PDF and what to call it."""

    pdf: bytes
    title: str  # the preview's title: "Mẫu số 02 — HS-2026-0001"
    file_name: str  # a proposed file name: "HS-2026-0001-mau02.pdf"
    forms: tuple[str, ...]  # the forms it holds (whose wording notes to show)
    case_code: str = ""  # "" for a blank form or a list
    what: str = ""  # the audit entry's detail
    is_list: bool = False  # a printed list (names of children): recorded when saved to a file
    entity: str = "case"  # the audit entry's entity: "case", "carer" (case_code NCS-5), or "mau10", "mau12" … (the record's id)


def _render(fn: Callable[[io.BytesIO], Any]) -> tuple[bytes, Any]:
    buffer = io.BytesIO()
    result = fn(buffer)
    return buffer.getvalue(), result


def form(ws: Workspace, case_ref: int | str, code: str, *, version: Any = None) -> Paper:
    """One form of a case (any spelling of models.forms.normalise; `version` as printouts.registry says)."""
    from printouts import registry  # reportlab is loaded only when printing

    ws.actor.require("print")
    entry = forms.get(code)
    case = load_case(ws.db, find_case(ws.db, case_ref))
    pdf, _ = _render(lambda buf: registry.render(entry.code, case, get_office(ws.db), buf, version=version))
    return Paper(pdf, f"{entry.short} — {case.code}", f"{case.code}-{entry.file_name}.pdf", (entry.code,),
                 case.code, entry.short)


def blank(ws: Workspace, code: str) -> Paper:
    from printouts import registry

    ws.actor.require("print")
    entry = forms.get(code)
    pdf, _ = _render(lambda buf: registry.render_blank(entry.code, get_office(ws.db), buf))
    return Paper(pdf, f"{entry.short} — mẫu trắng", f"{entry.file_name}-mau-trang.pdf", (entry.code,),
                 what=f"{entry.short} (mẫu trắng)")


def _child_care_form(ws: Workspace, code: str, record_id: int | str, *, version: Any = None) -> Paper:
    """A paper of the child's side of alternative care (Mẫu 10, 12–16): `record_id` is the record it is about — the child's
    assessment (CareNeed) for Mẫu 10, the facility's list entry (FacilityChild) for Mẫu 14, the placement for
    Mẫu 12, 13, 15, 16. `version`: which Mẫu 13 / Mẫu 15 of the placement (None: the latest)."""
    from importlib import import_module

    from models.care_entities import CareNeed, FacilityChild, Placement
    from models.errors import UserError
    from printouts.marks import office_marks

    ws.actor.require("print")
    entry = forms.get(code)
    model = {"10": CareNeed, "14": FacilityChild}.get(entry.code, Placement)
    try:
        key = int(str(record_id).strip())
    except ValueError:
        key = None
    office = get_office(ws.db)
    module = import_module(f"printouts.{entry.printout}")
    with ws.db.session() as session:
        record_ = session.get(model, key) if key is not None else None
        if record_ is None:
            what = {"10": "bản đánh giá Mẫu 10", "14": "trẻ em trong danh sách Mẫu 14"}.get(entry.code,
                                                                                          "quyết định giao trẻ em")
            raise UserError(f"Không tìm thấy {what} số {record_id}.")
        buffer = io.BytesIO()
        with office_marks(office):
            module.render(record_, office, buffer, version=version)
    ref = f"CSTT-{key}"
    return Paper(buffer.getvalue(), f"{entry.short} — {ref}", f"{ref}-{entry.file_name}.pdf", (entry.code,),
                 str(key), entry.short, entity=f"mau{entry.code}")


def care_dossier(ws: Workspace, placement_id: int | str) -> Paper:
    """Every paper of one placement in order (printouts.care_dossier): Mẫu 10, 12, 13 …, 15, 16."""
    from models.care_entities import Placement
    from models.errors import UserError
    from printouts import care_dossier
    from printouts.marks import office_marks

    ws.actor.require("print")
    office = get_office(ws.db)
    try:
        key = int(str(placement_id).strip())
    except ValueError:
        key = None
    with ws.db.session() as session:
        p = session.get(Placement, key) if key is not None else None
        if p is None:
            raise UserError(f"Không tìm thấy quyết định giao trẻ em số {placement_id}.")
        buffer = io.BytesIO()
        with office_marks(office):
            titles = care_dossier.render_dossier(p, office, buffer)
    ref = f"CSTT-{key}"
    return Paper(buffer.getvalue(), f"Toàn bộ hồ sơ chăm sóc thay thế — {ref}", f"{ref}-toan-bo-ho-so.pdf",
                 ("10", "12", "13", "15", "16"), str(key), f"Toàn bộ hồ sơ chăm sóc thay thế ({len(titles)} văn bản)",
                 entity="mau12")


def dossier(ws: Workspace, case_ref: int | str) -> Paper:
    """The whole case file: cover, table of contents, every paper in legal order."""
    from printouts import registry

    ws.actor.require("print")
    case = load_case(ws.db, find_case(ws.db, case_ref))
    with ws.db.session() as session:  # the attached documents are listed on the contents page, never included
        listed = attachments.listing_for_case(session, case)
    pdf, titles = _render(lambda buf: registry.render_dossier(case, None, get_office(ws.db), buf, attachments=listed))
    return Paper(pdf, f"Toàn bộ hồ sơ — {case.code}", f"{case.code}-toan-bo-ho-so.pdf", tuple(forms_of(case)),
                 case.code, f"Toàn bộ hồ sơ ({len(titles)} văn bản)")


LISTS = {"tasks": ("Danh sách việc cần làm", "viec-can-lam"), "cases": ("Danh sách hồ sơ", "danh-sach-ho-so"),
         "register": ("Danh sách trẻ em trong sổ theo dõi", "danh-sach-tre-em")}


def listing(ws: Workspace, kind: str, headers: list[str], rows: list[list[str]], *, scope: str,
            weights: list[float]) -> Paper:
    """A list as the window shows it (the to-do list, the case list, the register), filters named in `scope`."""
    from printouts.lists import render_list

    ws.actor.require("print")
    title, name = LISTS[kind]
    pdf, _ = _render(lambda buf: render_list(kind, headers, rows, get_office(ws.db), buf, scope=scope,
                                             weights=weights))
    return Paper(pdf, title, f"{name}.pdf", (), what=f"{title} ({scope})", is_list=True)


def record(ws: Workspace, paper: Paper, *, to: str = "") -> None:
    """The audit entry of a paper shown or written (a blank form holds no child's data: not recorded)."""
    if not paper.case_code:
        return
    detail = f"{paper.what} → {to}" if to else paper.what
    with ws.db.transaction() as session:
        audit.record(session, ws.actor, "print", paper.entity, paper.case_code, detail=detail)


def show(ws: Workspace, paper: Paper) -> Paper:
    """For the window's preview: the paper is on screen, so it is recorded now."""
    record(ws, paper)
    return paper


def save(ws: Workspace, paper: Paper, out: Path | str) -> Path:
    """Write the paper to `out`: never under its final name without its audit entry (see the module's note)."""
    out = Path(out)

    def entry(session) -> None:
        if paper.case_code:
            audit.record(session, ws.actor, "print", paper.entity, paper.case_code, detail=f"{paper.what} → {out.name}")
        elif paper.is_list:
            audit.record(session, ws.actor, "print", "danh_sach", "", detail=f"{paper.what} → {out.name}")

    return release_after_audit(ws.db, out, paper.pdf, entry)


# ----- alternative care: the carers' papers (Mẫu 08, 11) and the commune's list (Mẫu 09) -----------------------

def _load_carer(ws: Workspace, carer_id: int | str):
    from models.care_entities import Carer
    from models.services.carers import get_carer

    try:
        number = int(str(carer_id).strip().upper().removeprefix("NCS-"))
    except ValueError:
        from models.validation import ProcessError

        raise ProcessError(f"Không có người nhận chăm sóc thay thế \"{str(carer_id)[:20]}\" (ghi số, ví dụ 5 hoặc NCS-5).")
    with ws.db.session() as session:
        carer = get_carer(session, number)
        assert isinstance(carer, Carer)
        carer.verifications  # noqa: B018 (loaded before the session closes)
        return carer


def care_form(ws: Workspace, code: str, ref: int | str | None = None, *, version: Any = None) -> Paper:
    """A paper of alternative care: Mẫu 08 / 11 of carer `ref` (its id, or "NCS-5"); Mẫu 09, the commune's current
    list (`ref` ignored); Mẫu 10 (`ref` a CareNeed), 14 (a FacilityChild), 12, 13, 15, 16 (a Placement)."""
    from importlib import import_module

    from models.services import carers

    ws.actor.require("print")
    entry = forms.get(code)
    office = get_office(ws.db)
    module = import_module(f"printouts.{entry.printout}")
    from printouts.marks import office_marks

    if entry.subject == "carer":
        if ref in (None, ""):
            from models.validation import ProcessError

            raise ProcessError("Chọn người nhận chăm sóc thay thế (--carer SỐ).")
        carer = _load_carer(ws, ref)
        with office_marks(office):
            pdf, _ = _render(lambda buf: module.render(carer, office, buf, version=version))
        ref_text = f"NCS-{carer.id}"
        return Paper(pdf, f"{entry.short} — {carer.full_name}", f"{ref_text}-{entry.file_name}.pdf", (entry.code,),
                     ref_text, entry.short, entity="carer")
    if entry.subject == "office":
        the_list = carers.current_list(ws.db)
        with office_marks(office):
            pdf, _ = _render(lambda buf: module.render(the_list, office, buf, version=version))
        title = f"{entry.short} — quý {the_list.quarter}/{the_list.year}"
        return Paper(pdf, title, f"{entry.file_name}-quy{the_list.quarter}-{the_list.year}.pdf", (entry.code,),
                     what=title, is_list=True)
    if entry.subject in ("child", "placement"):
        if ref in (None, ""):
            from models.validation import ProcessError

            raise ProcessError(f"Chọn văn bản cần in của {entry.short} (số quyết định giao trẻ em, số bản Mẫu 10 …).")
        return _child_care_form(ws, entry.code, ref, version=version)
    raise forms.UnknownForm(f"{entry.short} chưa in được từ đây.")


def send_carer_list(ws: Workspace, pdf_path: Path | str, xlsx_path: Path | str, *, year: int | None = None,
                    quarter: int | None = None, recipient: str = "") -> tuple[Path, Path]:
    """The quarter's Mẫu 09 for the level above (NĐ 56 Điều 40.1): the PDF and the workbook, each written under a
    temporary name, its audit entry recorded, then renamed; the workbook's entry also records the sending
    (carer_list_sending), which marks the quarter's to-do item done."""
    from models import validation as v
    from models.services import carers
    from printouts import form09
    from printouts.marks import office_marks

    ws.actor.require("export")
    recipient = v.text(recipient, max_len=200, what="Nơi nhận")
    the_list = carers.current_list(ws.db, year, quarter)
    the_list.recipient = recipient
    office = get_office(ws.db)
    with office_marks(office):
        pdf, _ = _render(lambda buf: form09.render(the_list, office, buf))
    pdf_path, xlsx_path = Path(pdf_path), Path(xlsx_path)
    label = f"Mẫu 09 quý {the_list.quarter}/{the_list.year}"

    def pdf_entry(session) -> None:
        audit.record(session, ws.actor, "print", "mau09", f"{the_list.quarter}/{the_list.year}",
                     detail=f"{label} ({len(the_list.rows)} người) → {pdf_path.name}")

    written_pdf = release_after_audit(ws.db, pdf_path, pdf, pdf_entry)
    commune = office.commune_name if office is not None else ""
    with ws.db.session() as session:
        anchor = audit.anchor(session, ws.office_id)
    written_xlsx = release_after_audit(
        ws.db, xlsx_path, lambda fh: carers.write_list_workbook(the_list, fh, commune=commune, anchor=anchor),
        lambda session: carers.record_sending(session, ws.actor, the_list,
                                              file_name=f"{pdf_path.name}; {xlsx_path.name}"))
    return written_pdf, written_xlsx
