"""The user guide as data: pages in `resources/help/*.md` (Vietnamese, one page per task), their order in
`muc-luc.json`, the six steps of the process in `quy-trinh.json`, and what is new in each version in
`changelog.md`. The window (desktop.help) and the printed manual (printouts.help_manual) read the same files.

Conventions of a page (Markdown): the first line is `# Title`; a link to another page is `[words](page.md)`;
`![caption](anh:NAME)` is a screenshot of the window NAME of tests/desktop/window_catalog.CATALOG (taken when
the manual is built, never committed); `![caption](so-do:quy-trinh)` is the drawing of the process.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

PAGE_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")
SCREENSHOT_SCHEME = "anh:"
DIAGRAM_SCHEME = "so-do:"
VERSION_HEADING = re.compile(r"^##\s+(\d+(?:\.\d+)*)\b(.*)$")


def _folder():
    return resources.files("resources").joinpath("help")


def _read(name: str) -> str:
    return _folder().joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Page:
    name: str  # file stem, e.g. "tiep-nhan-mau-01"
    title: str
    text: str  # the Markdown, title line included
    chapter: str


@lru_cache(maxsize=1)
def contents() -> dict:
    return json.loads(_read("muc-luc.json"))


@lru_cache(maxsize=1)
def pages() -> dict[str, Page]:
    """Every page of the guide in reading order (chapters of muc-luc.json)."""
    out: dict[str, Page] = {}
    for chapter in contents()["chapters"]:
        for name in chapter["pages"]:
            text = _read(f"{name}.md")
            first = text.lstrip().splitlines()[0] if text.strip() else ""
            title = first[2:].strip() if first.startswith("# ") else name
            out[name] = Page(name, title, text, chapter["title"])
    return out


def page(name: str) -> Page:
    """A page by name ("tiep-nhan-mau-01" or "tiep-nhan-mau-01.md"); KeyError if the guide has none."""
    return pages()[name.removesuffix(".md")]


def page_files() -> list[str]:
    """Every .md file in resources/help except the changelog (for the test that each is in muc-luc.json)."""
    return sorted(p.name[:-3] for p in _folder().iterdir() if p.name.endswith(".md") and p.name != "changelog.md")


def links(text: str) -> list[tuple[bool, str, str]]:
    """(is_image, words, target) of every Markdown link and image of a page."""
    return [(bang == "!", words, target) for bang, words, target in PAGE_LINK.findall(text)]


def broken_links(known_screens: set[str] | None = None) -> list[str]:
    """Every link of the guide that leads nowhere: a page that does not exist, a screenshot of a window
    that is not in the catalogue (when `known_screens` is given), a drawing that does not exist, anything else."""
    bad = []
    names = set(pages())
    for p in pages().values():
        for is_image, _words, target in links(p.text):
            if target.startswith(SCREENSHOT_SCHEME):
                if not is_image or (known_screens is not None and target[len(SCREENSHOT_SCHEME):] not in known_screens):
                    bad.append(f"{p.name}: {target}")
            elif target.startswith(DIAGRAM_SCHEME):
                if target != "so-do:quy-trinh":
                    bad.append(f"{p.name}: {target}")
            elif is_image or not target.endswith(".md") or target[:-3] not in names:
                bad.append(f"{p.name}: {target}")
    return bad


def screenshots_used() -> list[str]:
    """The windows whose screenshots the guide shows, in order of first use."""
    seen: dict[str, None] = {}
    for p in pages().values():
        for is_image, _w, target in links(p.text):
            if is_image and target.startswith(SCREENSHOT_SCHEME):
                seen.setdefault(target[len(SCREENSHOT_SCHEME):], None)
    return list(seen)


# -- the process drawing ----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def process() -> dict:
    return json.loads(_read("quy-trinh.json"))


def step_of_stage(stage: str) -> int | None:
    """The step (1–6) a case at `stage` is working on; None for a closed case (every step behind it)."""
    for step in process()["steps"]:
        if stage in step["stages"]:
            return step["no"]
    return None


# -- what's new --------------------------------------------------------------------------------------------
def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text.split("+")[0])[:3]) or (0,)


@dataclass(frozen=True)
class Release:
    version: str
    heading: str  # the rest of the heading line, e.g. " (12/2026)"
    items: list[str]


def releases(text: str | None = None) -> list[Release]:
    """The sections `## x.y.z …` of changelog.md, newest first, each with its `- ` items."""
    text = _read("changelog.md") if text is None else text
    out: list[Release] = []
    for line in text.splitlines():
        match = VERSION_HEADING.match(line.strip())
        if match:
            out.append(Release(match.group(1), match.group(2).strip(), []))
        elif out and line.strip().startswith("- "):
            out[-1].items.append(line.strip()[2:].strip())
        elif out and out[-1].items and line.startswith("  ") and line.strip():
            out[-1].items[-1] += " " + line.strip()  # an item continued on the next line
    return sorted(out, key=lambda r: _version_key(r.version), reverse=True)


def whats_new(seen: str | None, current: str, text: str | None = None) -> list[Release]:
    """What to show once after an upgrade: the releases newer than the version last shown (`seen`) and not
    newer than the running one. Nothing when nothing was ever shown (`seen` None: a new office); the running
    version's own release when the version shown is unknown (`seen` "": used before this was recorded)."""
    if seen is None:
        return []
    high = _version_key(current)
    if seen == "":
        return [r for r in releases(text) if _version_key(r.version) <= high][:1]
    low = _version_key(seen)
    return [r for r in releases(text) if low < _version_key(r.version) <= high]
