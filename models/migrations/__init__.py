"""Alembic migrations of the office database.

`head_revisions()` reads the newest revision ids straight from the scripts' text, so that an up-to-date
file is recognised at start-up without importing Alembic (~130 ms). Several heads are allowed while
features are developed on separate branches; they are applied together ("heads").
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)
_IDS = re.compile(r"['\"]([^'\"]+)['\"]")


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    revisions, parents = set(), set()
    for script in (Path(__file__).parent / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        found = _REVISION.search(text)
        if not found:
            continue
        revisions.add(found.group(1))
        down = _DOWN.search(text)
        if down:
            parents.update(_IDS.findall(down.group(1)))
    return frozenset(revisions - parents)
