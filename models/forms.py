"""Form definitions (the wording of each Mẫu) loaded from resources/forms/*.json.

The same definition feeds the wizard's labels and the printout, so a wording fix is a data change.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def form_definition(form: str) -> dict[str, Any]:
    text = resources.files("resources").joinpath("forms").joinpath(f"mau{form}.json").read_text(encoding="utf-8")
    return json.loads(text)


def field_label(form: str, key: str, *, wizard: bool = False) -> str:
    spec = form_definition(form)["fields"][key]
    return spec.get("wizard_label", spec["label"]) if wizard else spec["label"]


def field_hint(form: str, key: str) -> str:
    return form_definition(form)["fields"][key].get("hint", "")
