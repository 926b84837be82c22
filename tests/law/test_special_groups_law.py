"""The 14 groups and every sub-group in resources/special_groups.json are the law's words: the group titles
as khoản 1 Điều 10 Luật Trẻ em, each sub-group as the clause of NĐ 56 Điều 3–16 it cites."""
from __future__ import annotations

import json
import re
from importlib import resources

from models.services.register import GROUP_ORDER, special_groups
from tests.law.lawtext import articles


def _data() -> dict:
    return json.loads(resources.files("resources").joinpath("special_groups.json").read_text(encoding="utf-8"))


def _sentence(text: str) -> str:
    return text.strip().rstrip(".;").strip()


def test_the_14_group_titles_are_luat_dieu_10():
    law = articles()["luat"][10]
    points = {p: _sentence(t) for (c, p), t in law.points.items() if c == 1}
    groups = _data()["groups"]
    assert [g["code"] for g in groups] == GROUP_ORDER == list(points)
    for g in groups:
        assert g["title"] == points[g["code"]], g["code"]
        assert g["law_basis"].endswith(f"điểm {g['code']} khoản 1 Điều 10")


def test_every_sub_group_is_the_decree_clause_it_cites():
    nd56 = articles()["nd56"]
    checked = 0
    for g in _data()["groups"]:
        number = int(re.fullmatch(r"Nghị định 56/2017/NĐ-CP, Điều (\d+)", g["article"]).group(1))
        art = nd56[number]
        assert art.title == g["title"], f"NĐ 56 {g['article']} is about «{art.title}»"
        subs = g["subgroups"]
        if art.clauses:
            # every clause of the article is a sub-group, in its order, none missing, none invented
            assert [s["clause"] for s in subs] == list(art.clauses) == [s["n"] for s in subs], g["code"]
            for s in subs:
                assert s["text"] == _sentence(art.clauses[s["clause"]]), f"{g['code']}.{s['n']}"
                assert s["citation"] == f"Nghị định 56/2017/NĐ-CP, khoản {s['clause']} Điều {number}"
                checked += 1
        else:
            assert len(subs) == 1 and subs[0]["clause"] is None and len(art.body) == 1, g["code"]
            assert subs[0]["text"] == _sentence(art.body[0])
            assert subs[0]["citation"] == g["article"]
            checked += 1
    assert checked == 48  # 4+2+12+3+1+4+2+2+1+5+5+2+2+3


def test_the_program_reads_the_same_sub_groups():
    data = {g["code"]: g for g in _data()["groups"]}
    for code, g in special_groups().items():
        assert g.subgroups == tuple(s["text"] for s in data[code]["subgroups"])
        assert not g.reconstructed
    assert special_groups()["c"].subgroup_text(7) == "Trẻ em có cả cha và mẹ không còn khả năng chăm sóc trẻ em"
    assert special_groups()["k"].subgroup_citation(4) == "Nghị định 56/2017/NĐ-CP, khoản 4 Điều 12"
