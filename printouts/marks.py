"""Marks drawn on every page of every printout: "DỮ LIỆU MẪU" when the office is a demo office.

The mark follows the office being printed for (`office_marks(office)` around a build), so no form module needs
to know about it: the page callbacks of admin_layout and dossier call `draw_page_marks` on each page.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from models.services.office import DEMO_MARK, is_demo

from . import fonts

_demo: ContextVar[bool] = ContextVar("bvte_demo_mark", default=False)
DEMO_NOTE = f"{DEMO_MARK} — không phải hồ sơ thật"


@contextmanager
def office_marks(office) -> Iterator[None]:
    token = _demo.set(is_demo(office))
    try:
        yield
    finally:
        _demo.reset(token)


def demo_marked() -> bool:
    return _demo.get()


def draw_page_marks(canvas, doc) -> None:
    """A light diagonal "DỮ LIỆU MẪU" across the page and a line at its foot (printed in grey)."""
    if not _demo.get():
        return
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setFillGray(0.82)
    canvas.setFont(fonts.BOLD, 64)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -20, DEMO_MARK)
    canvas.restoreState()
    canvas.saveState()
    canvas.setFillGray(0.35)
    canvas.setFont(fonts.BOLD, 10)
    canvas.drawCentredString(width / 2, 20, DEMO_NOTE)
    canvas.restoreState()
