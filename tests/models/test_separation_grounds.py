"""Mẫu 07's grounds are NĐ 56 Điều 32 khoản 1's three grounds word for word, and the hints beside them come
from the case's own records (Mẫu 01 category, Mẫu 02 answers, an approved plan), never from defaults."""
from __future__ import annotations

from types import SimpleNamespace

from models.process_rules import process_form
from models.services.separation import ground_hints, supported_grounds
from tests.law.lawtext import articles


def test_the_three_grounds_are_dieu_32_khoan_1_word_for_word():
    clause = articles()["nd56"][32].clauses[1]
    # "… được thực hiện đối với trường hợp <1>; <2> hoặc <3>."
    listed = clause.split("đối với trường hợp ", 1)[1].rstrip(".")
    first, rest = listed.split("; ", 1)
    second, third = rest.split(" hoặc ", 1)
    items = process_form("07")["grounds"]["items"]
    assert [i["id"] for i in items] == ["bi_xam_hai_boi_cha_me", "tu_choi_ke_hoach", "nguy_co_tiep_tuc"]
    for item, words in zip(items, (first, second, third)):
        text = item["text"].rstrip(";.")
        assert text[0].lower() + text[1:] == words
        assert item["source"] == "Nghị định 56/2017/NĐ-CP, khoản 1 Điều 32"


def _case(category="bi_xam_hai", *, done=True, abuser=None, reach=None, approved=False):
    ia = SimpleNamespace(completed_at=object() if done else None, caregiver_is_abuser=abuser, abuser_can_reach=reach)
    version = SimpleNamespace(approval=object() if approved else None)
    return SimpleNamespace(intake=SimpleNamespace(category=category), initial_assessment=ia,
                           plans=[SimpleNamespace(versions=[version])])


def test_hints_follow_the_records_and_an_unanswered_question_stays_unanswered():
    h = ground_hints(_case(abuser=True, reach=True))
    assert h["bi_xam_hai_boi_cha_me"] == "Hồ sơ cho thấy: Mẫu 02 ghi cha, mẹ, người chăm sóc là người gây tổn hại cho trẻ em."
    assert "đối tượng xâm hại còn khả năng tiếp cận trẻ em" in h["nguy_co_tiep_tuc"]
    assert supported_grounds(_case(abuser=True, reach=True)) == ["bi_xam_hai_boi_cha_me", "nguy_co_tiep_tuc"]

    unanswered = _case(abuser=None, reach=None)
    h = ground_hints(unanswered)
    assert "chưa trả lời cha, mẹ, người chăm sóc có phải là người gây tổn hại" in h["bi_xam_hai_boi_cha_me"]
    assert "không phải" not in h["bi_xam_hai_boi_cha_me"] and supported_grounds(unanswered) == []

    h = ground_hints(_case(done=False))
    assert "Mẫu 02 chưa hoàn thành" in h["bi_xam_hai_boi_cha_me"]

    h = ground_hints(_case("nguy_co_bao_luc", abuser=True, reach=False, approved=True))
    assert "Mẫu 01 chưa ghi trẻ em bị xâm hại (ghi: Trẻ em có nguy cơ bị bạo lực)" in h["tu_choi_ke_hoach"]
    assert "kế hoạch hỗ trợ, can thiệp đã phê duyệt" in h["tu_choi_ke_hoach"]
    assert supported_grounds(_case("nguy_co_bao_luc", abuser=True, reach=True)) == ["bi_xam_hai_boi_cha_me"]
