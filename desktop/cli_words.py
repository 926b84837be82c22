"""Vietnamese for argparse's own words ("usage", "options", "show this help message and exit",
"error: unrecognized arguments"…): argparse looks its messages up through the module-level gettext
functions `_` and `ngettext`, which are pointed here before any parser is built. The words are data
(resources/cli/argparse_vi.json)."""
from __future__ import annotations

import argparse
import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _words() -> dict[str, str]:
    text = resources.files("resources").joinpath("cli/argparse_vi.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def gettext(message: str) -> str:
    return _words().get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Make argparse speak Vietnamese (idempotent)."""
    argparse._ = gettext  # noqa: SLF001 - argparse's documented translation hook is its gettext lookup
    argparse.ngettext = ngettext
