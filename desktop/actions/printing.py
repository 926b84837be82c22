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


def dossier(ws: Workspace, case_ref: int | str) -> Paper:
    """The whole case file: cover, table of contents, every paper in legal order."""
    from printouts import registry

    ws.actor.require("print")
    case = load_case(ws.db, find_case(ws.db, case_ref))
    pdf, titles = _render(lambda buf: registry.render_dossier(case, None, get_office(ws.db), buf))
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
        audit.record(session, ws.actor, "print", "case", paper.case_code, detail=detail)


def show(ws: Workspace, paper: Paper) -> Paper:
    """For the window's preview: the paper is on screen, so it is recorded now."""
    record(ws, paper)
    return paper


def save(ws: Workspace, paper: Paper, out: Path | str) -> Path:
    """Write the paper to `out`: never under its final name without its audit entry (see the module's note)."""
    out = Path(out)

    def entry(session) -> None:
        if paper.case_code:
            audit.record(session, ws.actor, "print", "case", paper.case_code, detail=f"{paper.what} → {out.name}")
        elif paper.is_list:
            audit.record(session, ws.actor, "print", "danh_sach", "", detail=f"{paper.what} → {out.name}")

    return release_after_audit(ws.db, out, paper.pdf, entry)
