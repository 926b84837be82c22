"""Vietnamese for Qt's own words (Qt ships no Vietnamese translation): placeholder, filled below."""
from __future__ import annotations


def install_translator(app) -> None:
    return None
