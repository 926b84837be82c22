"""One entry point for every printout of a case: a lookup in the registry of forms (models.forms).

    render(form, case, office, out, *, version=None)   a form filled from a loaded case
    render_blank(form, office, out)                     the blank form (office header filled when given)
    render_dossier(case_id_or_case, db, office, out)    the whole case file, in legal order

Every form's printout module (models.forms.Form.printout) has the same two entry points,
`render(case, office, out, *, version=None)` and, when the form has a blank, `render_blank(office, out)`.
`form` is any spelling models.forms.normalise accepts. `version` chooses which record when a case has several:
  * "04", "05": None → the latest version of the latest plan; N → version N of the latest plan;
    "P.N" → plan P, version N (every version stays printable; an approved one prints as approved);
  * "03", "06", "07", "bien_ban_hop", "bao_cao_vu_viec": None → the latest; N → the N-th (1 = the first);
  * "01", "02": one per case, `version` is ignored.
A case that lacks the form raises process_layout.NotPrintable (a UserError with a Vietnamese message).
`case` is a Case loaded with models.services.cases.load_case (its process records load with it).
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from models import forms
from models.db import Database
from models.entities import Case, Office

from . import admin_layout as L
from .marks import office_marks
from .process_layout import NotPrintable


def _module(form: forms.Form):
    return import_module(f"{__package__}.{form.printout}")


def render(form: str, case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    """Print one form of a case to a path or a binary file object."""
    entry = forms.get(form)
    if case is None:
        raise NotPrintable("Chưa chọn hồ sơ để in.")
    if entry.subject != "case":  # alternative care: printed from its own record (desktop.actions.printing.care_form)
        raise NotPrintable(f"{entry.short} không phải văn bản của một hồ sơ trường hợp: in từ thẻ chăm sóc thay thế "
                           "hoặc bằng bvte print --form … --carer ….")
    with office_marks(office):
        _module(entry).render(case, office, out, version=version)


def render_blank(form: str, office: Office | None, out: L.Output) -> None:
    """Print the blank form to fill in by hand."""
    entry = forms.get(form)
    if not entry.blank:
        raise NotPrintable(f"{entry.short} không có mẫu trắng: lập văn bản từ hồ sơ vụ việc.")
    with office_marks(office):
        _module(entry).render_blank(office, out)


def render_dossier(case_id_or_case: Any, db: Database | None, office: Office | None, out: L.Output, *,
                   attachments: list | None = None) -> list[str]:
    """The whole case file as one PDF (printouts.dossier); returns the titles of its documents in order.
    `attachments`: the attached documents to list on the contents page (never their content)."""
    from .dossier import render_dossier as _render_dossier
    with office_marks(office):
        return _render_dossier(case_id_or_case, db, office, out, attachments=attachments)
