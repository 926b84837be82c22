"""The serif family every printout uses, registered once with reportlab.

Nghị định 30/2020 asks for Times New Roman. It is used when the machine has all four styles (Windows
always does; Linux with msttcorefonts); otherwise the bundled Liberation Serif (SIL OFL, metric-compatible
with Times New Roman, covers Vietnamese) is used, so a page lays out the same either way.
"""
from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Names under which the faces are registered; <b>/<i> in a Paragraph map onto them.
FAMILY = "BVTESerif"
REGULAR = FAMILY
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
BOLD_ITALIC = f"{FAMILY}-BoldItalic"

_STYLES = ("regular", "bold", "italic", "bolditalic")
_FACE_NAMES = dict(zip(_STYLES, (REGULAR, BOLD, ITALIC, BOLD_ITALIC)))
_BUNDLED = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}


@dataclass(frozen=True)
class FontChoice:
    name: str  # "Times New Roman" or "Liberation Serif"
    files: dict[str, str]  # style → file path (bundled files may be "resources:<name>")


_lock = threading.Lock()
_registered: FontChoice | None = None


def _times_candidates() -> list[dict[str, Path]]:
    """Places where the four Times New Roman files may be, most likely first."""
    sets: list[dict[str, Path]] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    win_dirs = [Path(windir) / "Fonts"] if windir else []
    win_dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:  # fonts installed for one user only
        win_dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    short = dict(zip(_STYLES, ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf")))
    long = dict(zip(_STYLES, ("Times_New_Roman.ttf", "Times_New_Roman_Bold.ttf",
                              "Times_New_Roman_Italic.ttf", "Times_New_Roman_Bold_Italic.ttf")))
    mac = dict(zip(_STYLES, ("Times New Roman.ttf", "Times New Roman Bold.ttf",
                             "Times New Roman Italic.ttf", "Times New Roman Bold Italic.ttf")))
    for folder in win_dirs:
        sets.append({s: folder / f for s, f in short.items()})
    for folder in (Path("/usr/share/fonts/truetype/msttcorefonts"), Path("/usr/share/fonts/msttcorefonts"),
                   Path.home() / ".fonts", Path.home() / ".local/share/fonts"):
        sets.append({s: folder / f for s, f in long.items()})
        sets.append({s: folder / f for s, f in short.items()})
    for folder in (Path("/Library/Fonts"), Path("/System/Library/Fonts/Supplemental")):
        sets.append({s: folder / f for s, f in mac.items()})
    return sets


def find_times_new_roman() -> dict[str, Path] | None:
    """The four Times New Roman files, or None unless every style is present."""
    for candidate in _times_candidates():
        try:
            if all(path.is_file() for path in candidate.values()):
                return candidate
        except OSError:
            continue
    return None


def _bundled_source(style: str):
    """A path (or bytes stream) reportlab can read for a bundled Liberation Serif face."""
    item = resources.files("resources").joinpath("fonts").joinpath(_BUNDLED[style])
    if isinstance(item, Path):
        return str(item)
    return io.BytesIO(item.read_bytes())  # inside a zip (frozen app): hand over the bytes


def register_fonts(*, prefer_system: bool = True) -> FontChoice:
    """Register the family once (later calls return the first choice) and tell which font it is."""
    global _registered
    with _lock:
        if _registered is not None:
            return _registered
        times = find_times_new_roman() if prefer_system else None
        choice: FontChoice | None = None
        if times is not None:
            try:
                for style in _STYLES:
                    pdfmetrics.registerFont(TTFont(_FACE_NAMES[style], str(times[style])))
                choice = FontChoice("Times New Roman", {s: str(p) for s, p in times.items()})
            except Exception:  # a damaged or unreadable system font: fall back to the bundled one
                choice = None
        if choice is None:
            for style in _STYLES:
                pdfmetrics.registerFont(TTFont(_FACE_NAMES[style], _bundled_source(style)))
            choice = FontChoice("Liberation Serif", {s: f"resources:fonts/{_BUNDLED[s]}" for s in _STYLES})
        # Lets <b> and <i> in a Paragraph find the matching face.
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
        _registered = choice
        return choice
