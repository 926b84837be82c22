"""Forms as data and the pure rules: Mẫu 03/06 counts and conclusion (ties included), Điều 31.1."""
from __future__ import annotations

import json
import unicodedata
from importlib import resources

import pytest

from models import process_rules as rules

FORMS = ["mau02", "mau03", "mau04", "mau05", "mau06", "mau07", "bien_ban_hop"]


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


@pytest.mark.parametrize("name", FORMS)
def test_each_form_file_says_whether_its_text_is_official(name):
    text = resources.files("resources").joinpath("forms", f"{name}.json").read_text(encoding="utf-8")
    spec = json.loads(text)
    assert isinstance(spec["official_text"], bool)
    if not spec["official_text"]:
        assert len(spec["basis"]) > 40  # where the content comes from, so the exact text can replace it
    assert all(unicodedata.is_normalized("NFC", s) for s in _strings(spec))


def test_the_lists_the_code_uses_come_from_the_files():
    assert [len(t["items"]) for t in rules.rating_tables("03")] == [5, 5]
    for table in rules.rating_tables("03") + rules.rating_tables("06"):
        for item in table["items"]:
            assert set(item["levels"]) == set(rules.LEVELS) and all(item["levels"].values())
    assert [i["id"] for i in rules.rating_items("06", "harm")] == ["con_nghiem_trong", "kha_nang_tiep_can", "tro_ngai_moi_truong"]
    assert rules.rating_items("06", "self_protection") == rules.rating_items("03", "self_protection")
    assert [o["text"] for o in rules.printed_objectives()][0] == "Các tổn hại của trẻ em được phục hồi;"
    assert len(rules.printed_objectives()) == 3 and len(rules.activity_kinds()) == 5
    assert len(rules.separation_grounds()) == 3
    assert rules.signing_lines("05", "kt_pho_chu_tich") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert rules.rating_tables("03")[0]["items"][0]["levels"]["cao"] == "trẻ em bị tổn hại nghiêm trọng"


H = ["muc_do_ton_hai", "kha_nang_tiep_can", "tac_dong_phat_trien", "tro_ngai_moi_truong", "khong_nguoi_bao_ve"]
S = ["tu_bao_ve", "biet_nguoi_bao_ve", "thiet_lap_quan_he", "nho_nguoi_bao_ve", "duoc_theo_doi"]


def _ratings(harm: str, self_: str) -> dict:
    code = {"C": "cao", "T": "trung_binh", "L": "thap"}
    return {"harm": {k: code[c] for k, c in zip(H, harm)}, "self_protection": {k: code[c] for k, c in zip(S, self_)}}


# harm / self-protection ratings as letters (C = Cao, T = Trung bình, L = Thấp), expected conclusion
@pytest.mark.parametrize("harm, self_, harm_cao, self_cao, level", [
    ("CCCCC", "LLLLL", 5, 0, "high"),
    ("CLLLL", "LLLLL", 1, 0, "high"),   # one more Cao is enough
    ("CCTLL", "CTTLL", 2, 1, "high"),
    ("CCTLL", "CCTLL", 2, 2, "low"),    # a tie is low
    ("LLLLL", "LLLLL", 0, 0, "low"),    # no Cao at all: a tie
    ("CCCCC", "CCCCC", 5, 5, "low"),
    ("CTTTT", "CCLLL", 1, 2, "low"),    # fewer is low
    ("TTTTT", "LLLLL", 0, 0, "low"),    # Trung bình does not count
    ("CCCTT", "CCLLL", 3, 2, "high"),
])
def test_mau03_conclusion_follows_the_printed_rule(harm, self_, harm_cao, self_cao, level):
    result = rules.risk_conclusion(_ratings(harm, self_))
    assert (result.harm_counts["cao"], result.self_counts["cao"], result.level) == (harm_cao, self_cao, level)
    assert sum(result.harm_counts.values()) == 5 and result.complete
    words = "nguy cơ cao tiếp tục bị xâm hại" if level == "high" else "không có hoặc ít có nguy cơ"
    assert words in result.text


def test_counts_ignore_unrated_items_and_mau06_uses_its_own_tables():
    part = rules.risk_conclusion({"harm": {"muc_do_ton_hai": "cao"}, "self_protection": {}})
    assert part.harm_counts == {"cao": 1, "trung_binh": 0, "thap": 0} and not part.complete
    review = rules.risk_conclusion({"harm": {"con_nghiem_trong": "cao", "kha_nang_tiep_can": "thap",
                                             "tro_ngai_moi_truong": "thap"},
                                    "self_protection": dict.fromkeys(S, "thap")}, "06")
    assert review.level == "high" and review.complete


@pytest.mark.parametrize("life, health, dignity, caregiver, expected", [
    (False, False, False, False, False), (True, False, False, False, True), (False, True, False, False, True),
    (False, False, True, False, True), (False, False, False, True, True),
])
def test_emergency_rule_of_article_31(life, health, dignity, caregiver, expected):
    assert rules.needs_emergency_by_rule(threat_life=life, threat_health=health, threat_dignity=dignity,
                                         caregiver_is_abuser=caregiver) is expected


def test_money_reads_what_people_type():
    from models.services.process_common import money
    assert money("12.500.000") == 12_500_000 and money("") == 0 and money(300) == 300
    assert rules.format_vnd(3_700_000) == "3.700.000"
