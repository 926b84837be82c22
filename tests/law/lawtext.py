"""The codified law shared beside the clone (`../shared/law/phap-dien-tre-em.md`: Luật Trẻ em 2016,
Nghị định 56/2017/NĐ-CP, Thông tư 14/2020 article by article), parsed for the tests that check our data
against it. Tests skip with a clear reason where the file is absent."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAW_FILE = REPO.parent / "shared" / "law" / "phap-dien-tre-em.md"

# The codification numbers each article "Điều 8.1.<instrument>.<n>. Title" and says which article of which
# instrument it is on the next line: "(Điều 32 Nghị định số 56/2017/NĐ-CP, …)".
_HEAD = re.compile(r"^Điều 8\.\d+\.(LQ|NĐ\.1|TT\.\d+)\.(\d+)\. (.*)$", re.M)
_SOURCE = re.compile(r"^\(Điều (\d+) (Luật số 102/2016/QH13|Nghị định số 56/2017/NĐ-CP|Thông tư số [^ ,]+)", re.M)
_CLAUSE = re.compile(r"^(\d+)\. (.*)$")
_POINT = re.compile(r"^([a-zđ])\) (.*)$")

INSTRUMENTS = {"Luật số 102/2016/QH13": "luat", "Nghị định số 56/2017/NĐ-CP": "nd56"}


def require_law() -> str:
    if not LAW_FILE.is_file():
        pytest.skip(f"the shared law file is not there ({LAW_FILE}): CI lays ../shared beside the clone")
    return unicodedata.normalize("NFC", LAW_FILE.read_text(encoding="utf-8"))


class Article:
    def __init__(self, number: int, title: str, lines: list[str]):
        self.number, self.title, self.lines = number, title, lines
        self.clauses: dict[int, str] = {}
        self.points: dict[tuple[int, str], str] = {}
        clause = None
        for line in lines:
            m = _CLAUSE.match(line)
            if m:
                clause = int(m.group(1))
                self.clauses[clause] = m.group(2)
                continue
            p = _POINT.match(line)
            if p and clause is not None:
                self.points[(clause, p.group(1))] = p.group(2)

    @property
    def body(self) -> list[str]:
        """The article's own paragraphs (not the codification's notes in brackets)."""
        return [ln for ln in self.lines if not ln.startswith("(")]


@lru_cache(maxsize=1)
def articles() -> dict[str, dict[int, Article]]:
    """{'luat': {10: Article, …}, 'nd56': {32: Article, …}} from the main text (the first occurrence)."""
    text = require_law().split("## Danh sách điều khoản")[0]
    heads = list(_HEAD.finditer(text))
    out: dict[str, dict[int, Article]] = {"luat": {}, "nd56": {}}
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        chunk = text[h.end():end]
        src = _SOURCE.search(chunk)
        if not src:
            continue
        key = INSTRUMENTS.get(src.group(2))
        if key is None:
            continue
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        lines = [ln for ln in lines if not ln.startswith("Phu luc")]
        number = int(src.group(1))
        out[key].setdefault(number, Article(number, h.group(3).strip(), lines[1:]))
    return out
