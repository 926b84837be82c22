"""The screens of the case process (Nghị định 56, Mẫu 02–07, the meeting minutes, the incident report,
carrying out the plan, closing): one module per screen, opened by the step's code (models.stages.NextStep.form).
Which class does which step is said once, in the registry of forms (models.forms)."""
from __future__ import annotations

from importlib import import_module

from models import forms


def screen_class(form: str):
    module, name = forms.screens()[form].split(".")
    return getattr(import_module(f"{__name__}.{module}"), name)


def open_screen(form: str, ws, case_id: int, parent=None):
    """Build (not show) the screen that does `form` on the case."""
    return screen_class(form)(ws, case_id, parent)
