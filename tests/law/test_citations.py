"""Every article citation in the form data (resources/) and in the texts the program prints or shows
(printouts/, the to-do list's rules, the case screens) names an article that exists in the codified law — and
where a clause or a point is cited, that clause or point exists. Citations of other instruments (Labour Code,
Civil Code, NĐ 30/2020…) are not in the shared file and are listed, not checked; a citation whose instrument
cannot be told fails."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from tests.law.lawtext import REPO, articles

# "điểm b khoản 2 Điều 28" (the order the program writes) and, to keep checking older texts, "Điều 28 khoản 2 điểm b"
# and "Điều 28.2".
CITE = re.compile(
    r"(?:điểm (?P<p0>[a-zđ]) )?(?:khoản (?P<k1>\d+)\s+)?Điều (?P<art>\d+)"
    r"(?(k1)|(?:\.(?P<k2>\d+))?(?:,?\s*khoản (?P<k3>\d+))?(?:,?\s*điểm (?P<p>[a-zđ])\b)?)", re.IGNORECASE)
# What may stand between a citation and the instrument written after it ("khoản 2 Điều 63 và Điều 65 Luật Trẻ em").
MORE_UNITS = re.compile(r"(?:\s*(?:,|và|hoặc)?\s*(?:điểm [a-zđ]|khoản \d+|Điều \d+))*\s*", re.IGNORECASE)
INSTRUMENTS = [
    ("nd56", re.compile(r"Nghị định (?:số )?56|NĐ[ -]?56|56/2017")),
    ("luat", re.compile(r"Luật [Tt]rẻ em|Luật số 102/2016")),
    ("other", re.compile(r"Bộ luật|BLDS|Thông tư|TT \d|Nghị định (?:số )?(?!56)\d+|NĐ (?!56)\d+|"
                         r"Luật (?![Tt]rẻ em)[A-ZĐ]|Nghị quyết|NQ \d")),
]
# The decision's own articles ("Điều 1. Tạm thời cách ly…", "Như Điều 3;") are not citations.
OWN_ARTICLE = re.compile(r"^\s*Điều \d+\.|Như Điều \d+|Điều \d+\. \{|theo Điều \d+ (?:của )?Quyết định")


def _strings_of_json(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings_of_json(k)
            yield from _strings_of_json(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings_of_json(v)


def _strings_of_python(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            yield "".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value


def sources() -> list[tuple[str, str]]:
    out = []
    for path in sorted((REPO / "resources").rglob("*.json")):
        for text in _strings_of_json(json.loads(path.read_text(encoding="utf-8"))):
            out.append((str(path.relative_to(REPO)), text))
    shown = [*sorted((REPO / "printouts").glob("*.py")), REPO / "models" / "stages.py",
             *sorted((REPO / "desktop" / "process").glob("*.py")), *sorted((REPO / "models" / "services").glob("*.py"))]
    for path in shown:
        for text in _strings_of_python(path):
            out.append((str(path.relative_to(REPO)), text))
    return [(where, t) for where, t in out if "Điều" in t]


def citations():
    """(where, text, instrument, article, clause, point) for every citation found."""
    for where, text in sources():
        for m in CITE.finditer(text):
            if OWN_ARTICLE.search(text[max(0, m.start() - 12):m.end() + 3]) and not _instrument_before(text, m.start()):
                continue
            clause = m.group("k1") or m.group("k2") or m.group("k3")
            yield (where, text, _instrument_after(text, m.end()) or _instrument_before(text, m.start()), int(m.group("art")),
                   int(clause) if clause else None, m.group("p0") or m.group("p"))


def _instrument_after(text: str, end: int) -> str | None:
    """The instrument written right after a citation and the units cited with it ("… Điều 42 Nghị định 56/2017")."""
    at = MORE_UNITS.match(text, end).end()
    for name, pattern in INSTRUMENTS:
        if pattern.match(text, at):
            return name
    return None


def _instrument_before(text: str, pos: int) -> str | None:
    best, kind = -1, None
    for name, pattern in INSTRUMENTS:
        for found in pattern.finditer(text, 0, pos):
            if found.start() > best:
                best, kind = found.start(), name
    # a citation before its instrument ("khoản 2 Điều 27 và điểm b khoản 2 Điều 28 Nghị định 56/2017/NĐ-CP")
    if kind is None:
        first, kind_after = len(text), None
        for name, pattern in INSTRUMENTS:
            found = pattern.search(text, pos, pos + 80)
            if found and found.start() < first:
                first, kind_after = found.start(), name
        return kind_after
    return kind


def test_every_citation_resolves_in_the_codified_law():
    law = articles()
    problems, checked = [], 0
    for where, text, instrument, art, clause, point in citations():
        short = text if len(text) < 140 else text[:140] + "…"
        if instrument is None:
            problems.append(f"{where}: không rõ văn bản của «Điều {art}» trong «{short}»")
            continue
        if instrument == "other":
            continue
        article = law[instrument].get(art)
        if article is None:
            problems.append(f"{where}: {instrument} không có Điều {art} («{short}»)")
        elif clause is not None and clause not in article.clauses:
            problems.append(f"{where}: {instrument} Điều {art} không có khoản {clause} («{short}»)")
        elif point is not None and (clause, point) not in article.points:
            problems.append(f"{where}: {instrument} Điều {art} khoản {clause} không có điểm {point} («{short}»)")
        checked += 1
    assert not problems, "\n".join(problems)
    assert checked > 80  # the 48 sub-groups, the 14 groups, Mẫu 07's grounds, the forms' bases, the to-do rules


@pytest.mark.parametrize("text, expected", [
    ("Nghị định 56/2017/NĐ-CP, khoản 3 Điều 26, khoản 2 Điều 31 và khoản 2 Điều 32", [("nd56", 26, 3), ("nd56", 31, 2), ("nd56", 32, 2)]),
    ("Nghị định 56/2017/NĐ-CP, Điều 26 khoản 3, Điều 31 khoản 2 và Điều 32 khoản 2", [("nd56", 26, 3), ("nd56", 31, 2), ("nd56", 32, 2)]),
    ("Luật Trẻ em Điều 50; Nghị định 56/2017 Điều 31.1", [("luat", 50, None), ("nd56", 31, 1)]),
    ("Bộ luật Lao động 2019 Điều 112", [("other", 112, None)]),
    ("khoản 2 Điều 27 và điểm b khoản 2 Điều 28 Nghị định 56/2017/NĐ-CP", [("nd56", 27, 2), ("nd56", 28, 2)]),
])
def test_the_citation_finder(text, expected, monkeypatch):
    import tests.law.test_citations as me

    monkeypatch.setattr(me, "sources", lambda: [("x", text)])
    assert [(i, a, k) for _w, _t, i, a, k, _p in citations()] == expected


@pytest.mark.parametrize("text, expected", [
    ("(điểm d khoản 2 Điều 63 Luật Trẻ em)", [("luat", 63, 2, "d")]),
    ("Luật Trẻ em 2016, điểm c và điểm d khoản 1 Điều 69", [("luat", 69, 1, "d")]),
    ("khoản 1 Điều 40 Nghị định 56/2017/NĐ-CP; khoản 2 Điều 63 và Điều 65 Luật Trẻ em",
     [("nd56", 40, 1, None), ("luat", 63, 2, None), ("luat", 65, None, None)]),
    ("Khoản 1 Điều 31 Nghị định 56/2017: …", [("nd56", 31, 1, None)]),
    ("Luật Trẻ em Điều 63 khoản 2 điểm d", [("luat", 63, 2, "d")]),
])
def test_the_citation_finder_reads_the_point(text, expected, monkeypatch):
    import tests.law.test_citations as me

    monkeypatch.setattr(me, "sources", lambda: [("x", text)])
    assert [(i, a, k, p) for _w, _t, i, a, k, p in citations()] == expected


# What a person reads cites the smallest unit first, as Vietnamese legal drafting does ("điểm a khoản 2 Điều 42
# Nghị định 56/2017/NĐ-CP"), never "Điều 42 khoản 2" or "Điều 42.2". The codification's own numbers
# ("Điều 8.1.LQ.1", shared/law/phap-dien-tre-em.md) are identifiers, not citations.
OLD_ORDER = re.compile(r"Điều \d+ khoản \d+|Điều \d+\.\d+(?!\.[A-Z]{2}\.)")


def _readable_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted((REPO / "resources").rglob("*")):
        if path.suffix == ".json":
            out += [(str(path.relative_to(REPO)), t) for t in _strings_of_json(json.loads(path.read_text(encoding="utf-8")))]
        elif path.suffix == ".md":
            out.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8")))
    for room in ("printouts", "models", "desktop"):
        for path in sorted((REPO / room).rglob("*.py")):
            out += [(str(path.relative_to(REPO)), t) for t in _strings_of_python(path)]
    return out


def test_citations_put_the_smallest_unit_first():
    found = [f"{where}: «{m.group()}» in «{text[max(0, m.start() - 40):m.end() + 20]}»"
             for where, text in _readable_texts() for m in OLD_ORDER.finditer(text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("text, old", [
    ("(Nghị định 56/2017/NĐ-CP, Điều 42 khoản 2)", True), ("theo Điều 42.3.b", True), ("(NĐ 56 Điều 39.3)", True),
    ("(khoản 2 Điều 42 Nghị định 56/2017/NĐ-CP)", False), ("(Điều 8.1.LQ.1)", False), ("Điều 3–16", False),
])
def test_the_old_order_finder(text, old):
    assert bool(OLD_ORDER.search(text)) is old
