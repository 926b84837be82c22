"""One entry point for every printout of a case: Mẫu 01–07, the meeting minutes, the whole case file.

    render(form, case, office, out, *, version=None)   a form filled from a loaded case
    render_blank(form, office, out)                     the blank form (office header filled when given)
    render_dossier(case_id_or_case, db, office, out)    the whole case file, in legal order

`form` is "01"…"07" (a bare "1"…"7" is accepted) or "minutes" (also "bien_ban_hop"). `version` chooses
which record when a case has several:
  * "04", "05": None → the latest version of the latest plan; N → version N of the latest plan;
    "P.N" → plan P, version N (every version stays printable; an approved one prints as approved);
  * "03", "06", "07", "minutes": None → the latest; N → the N-th (1 = the first);
  * "01", "02": one per case, `version` is ignored.
A case that lacks the form raises ValueError with a Vietnamese message. `case` is a Case loaded with
models.services.cases.load_case (its process records load with it).
"""
from __future__ import annotations

from typing import Any, Callable

from models.db import Database
from models.entities import Case, Office

from . import admin_layout as L
from .marks import office_marks

FORMS = ("01", "02", "03", "04", "05", "06", "07", "minutes", "bao-cao-vu-viec")
_ALIASES = {"bien_ban_hop": "minutes", "bien-ban": "minutes", "bb": "minutes",
            "bao_cao_vu_viec": "bao-cao-vu-viec", "bcvv": "bao-cao-vu-viec"}


def normalise_form(form: str) -> str:
    key = str(form).strip().lower()
    key = _ALIASES.get(key, key)
    if key.isdigit():
        key = key.zfill(2)
    if key not in FORMS:
        raise ValueError(f"Không có mẫu \"{form}\". Các mẫu in được: {', '.join(FORMS)}.")
    return key


def _which(version: Any) -> int | None:
    if version is None or version == "":
        return None
    try:
        return int(version)
    except (TypeError, ValueError):
        raise ValueError(f"Số thứ tự văn bản không hợp lệ: {version}.") from None


def render(form: str, case: Case, office: Office | None, out: L.Output, *, version: Any = None) -> None:
    """Print one form of a case to a path or a binary file object."""
    key = normalise_form(form)
    if case is None:
        raise ValueError("Chưa chọn hồ sơ để in.")
    with office_marks(office):
        _render(key, case, office, out, version)


def _render(key: str, case: Case, office: Office | None, out: L.Output, version: Any) -> None:
    if key == "01":
        from .form01 import render_form01
        render_form01(case, office, out)
    elif key == "02":
        from . import form02
        form02.render(case, office, out)
    elif key == "bao-cao-vu-viec":
        from . import incident_report
        incident_report.render(case, office, out, which=_which(version))
    elif key in ("04", "05"):
        from . import form04, form05
        (form04 if key == "04" else form05).render(case, office, out, version=version)
    else:
        from . import form03, form06, form07, minutes
        module = {"03": form03, "06": form06, "07": form07, "minutes": minutes}[key]
        module.render(case, office, out, which=_which(version))


def render_blank(form: str, office: Office | None, out: L.Output) -> None:
    """Print the blank form to fill in by hand."""
    key = normalise_form(form)
    if key == "bao-cao-vu-viec":
        raise ValueError("Báo cáo vụ việc không có mẫu trắng: lập báo cáo từ hồ sơ vụ việc.")
    with office_marks(office):
        if key == "01":
            from .form01 import render_blank01
            render_blank01(office, out)
            return
        from . import form02, form03, form04, form05, form06, form07, minutes
        modules: dict[str, Any] = {"02": form02, "03": form03, "04": form04, "05": form05, "06": form06,
                                   "07": form07, "minutes": minutes}
        modules[key].render_blank(office, out)


def render_dossier(case_id_or_case: Any, db: Database | None, office: Office | None, out: L.Output) -> list[str]:
    """The whole case file as one PDF (printouts.dossier); returns the titles of its documents in order."""
    from .dossier import render_dossier as _render_dossier
    with office_marks(office):
        return _render_dossier(case_id_or_case, db, office, out)


def available_forms(case: Case) -> list[str]:
    """The forms this case can print now (for a menu or `bvte cases`)."""
    have: dict[str, Callable[[Case], bool]] = {
        "01": lambda c: c.intake is not None,
        "02": lambda c: getattr(c, "initial_assessment", None) is not None,
        "03": lambda c: bool(getattr(c, "risk_assessments", None)),
        "04": lambda c: bool(getattr(c, "plans", None)),
        "05": lambda c: bool(getattr(c, "plans", None)),
        "06": lambda c: bool(getattr(c, "reviews", None)),
        "07": lambda c: bool(getattr(c, "separations", None)),
        "minutes": lambda c: bool(getattr(c, "meetings", None)),
        "bao-cao-vu-viec": lambda c: any(not r.untracked for r in getattr(c, "incident_reports", None) or ()),
    }
    return [f for f in FORMS if have[f](case)]
