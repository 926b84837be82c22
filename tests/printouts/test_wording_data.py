"""Wording that used to live in Python as fallbacks now comes from resources/forms: changing the data changes
the PDF (Mẫu 07's "Căn cứ" line for an authority's order, the progress sheet and Mẫu 04's child label, the
heading of Mẫu 06's conclusion, the subject of the minutes by purpose); Mẫu 01 has one public story used
both alone and in the case file."""
from __future__ import annotations

import copy
import io

import pytest

from models.services import separation
from models.process_rules import process_form
from printouts import dossier, form01, form04, minutes, process_layout, progress, registry
from tests.models.test_process_data import separation_raw
from tests.printouts.test_forms_02_07 import (  # noqa: F401  (fixtures)
    AT, flow, leader, office, read_pages, read_text, render, squash, vn,
)


def changed_spec(monkeypatch, form: str, edit) -> dict:
    """Serve an edited copy of a form's data to the printouts (as a wording fix in the JSON would)."""
    data = copy.deepcopy(process_form(form))
    edit(data)
    real = process_layout.spec
    monkeypatch.setattr(process_layout, "spec", lambda f: data if f == form else real(f))
    return data


def _extended(flow, leader):
    """A decision signed for more than 15 days on a competent authority's order (the order is its ground)."""
    flow.initial()
    raw = separation_raw(duration_days="30", order_number="12/QĐ-TA", order_date="19/11/2026",
                         order_body="Tòa án nhân dân khu vực 3")
    sep_id = separation.save_separation_draft(flow.db, flow.actor, flow.case_id, raw, at=vn("11:00 20/11/2026"))
    separation.decide_separation(leader.db, leader.actor, sep_id, decided_by="Phạm Văn Hùng",
                                 decided_at=vn("12:00 20/11/2026"), at=AT)
    return flow.case()


# --- Mẫu 07 ---------------------------------------------------------------------------------------------
def test_form07_order_ground_comes_from_the_data(flow, office, tmp_path, leader, monkeypatch):
    case = _extended(flow, leader)
    text = read_text(render(tmp_path, "07", case, office, "as-is"))
    assert "Căn cứ văn bản số 12/QĐ-TA ngày 19/11/2026 của Tòa án nhân dân khu vực 3;" in text
    changed_spec(monkeypatch, "07", lambda d: d.update(order_ground="Căn cứ Quyết định số {order_number} ngày "
                                                                    "{order_date} của {order_body} (đã sửa);"))
    text = read_text(render(tmp_path, "07", case, office, "changed"))
    assert "Căn cứ Quyết định số 12/QĐ-TA ngày 19/11/2026 của Tòa án nhân dân khu vực 3 (đã sửa);" in text
    assert "Căn cứ văn bản số 12/QĐ-TA" not in text


def test_form07_without_an_order_has_no_order_line(flow, office, tmp_path):
    text = read_text(render(tmp_path, "07", flow.initial().separate().case(), office))
    assert squash(process_form("07")["order_ground"].split("{", 1)[0]) not in text


# --- Mẫu 04 and the progress sheet ----------------------------------------------------------------------
def _progressed(flow):
    return flow.initial().assess().meet().draft_plan().approve().progress().case()


def test_progress_sheet_wording_comes_from_the_data(flow, office, tmp_path, monkeypatch):
    case = _progressed(flow)
    plan = case.plans[-1]
    out = tmp_path / "progress.pdf"
    progress.document(case, office, plan).build(out)
    text = read_text(out)
    spec = process_form("04")
    w = spec["progress"]
    for label in [w["title"], f"{w['plan_label']}: 01/QĐ-UBND", *w["columns"], f"{spec['child_label']}: Nguyễn Thị Ánh"]:
        assert squash(label) in text, label
    assert "THEO DÕI THỰC HIỆN KẾ HOẠCH HỖ TRỢ, CAN THIỆP" in text and "Họ và tên trẻ em: Nguyễn Thị Ánh" in text

    def edit(d):
        d["progress"].update(title="THEO DÕI KẾ HOẠCH (ĐÃ SỬA)", plan_label="Kế hoạch", columns=["TT", "Hoạt động",
                             "Ngày", "Trạng thái", "Ghi chú thêm"])
        d["child_label"] = "Trẻ em"
    changed_spec(monkeypatch, "04", edit)
    out = tmp_path / "progress-changed.pdf"
    doc = progress.document(case, office, plan)
    doc.build(out)
    text = read_text(out)
    for label in ["THEO DÕI KẾ HOẠCH (ĐÃ SỬA)", "Kế hoạch: 01/QĐ-UBND", "Hoạt động", "Trạng thái", "Ghi chú thêm",
                  "Trẻ em: Nguyễn Thị Ánh"]:
        assert label in text, label
    assert "Họ và tên trẻ em" not in text and doc.meta.title == "THEO DÕI KẾ HOẠCH (ĐÃ SỬA)"


def test_form04_prints_no_child_line_the_form_does_not_have(flow, office, tmp_path, monkeypatch):
    case = _progressed(flow)
    assert "Họ và tên trẻ em" not in read_text(render(tmp_path, "04", case, office))
    out = tmp_path / "blank-04.pdf"
    registry.render_blank("04", None, out)
    assert "Họ và tên trẻ em" not in read_text(out)
    changed_spec(monkeypatch, "04", lambda d: d.update(attached_to="(Ban hành kèm theo Quyết định số {decision_number})"))
    text = read_text(render(tmp_path, "04", case, office, "changed"))
    assert "(Ban hành kèm theo Quyết định số 01/QĐ-UBND)" in text  # the line's words come from the data


# --- Mẫu 06 ---------------------------------------------------------------------------------------------
def test_form06_conclusion_has_its_heading_from_the_data(flow, office, tmp_path, monkeypatch):
    case = flow.initial().assess().meet().draft_plan().approve().review().case()
    c = process_form("06")["part1"]["conclusion"]
    assert c["official_text"] is False and c["heading"].startswith("c) Kết luận các nguy cơ")
    heading = squash(f"{c['heading']} {c['intro']}")
    text = read_text(render(tmp_path, "06", case, office))
    # The heading comes after the tables and before the two marked options.
    assert text.index(heading) < text.index("■ " + squash(c["low"]))
    assert text.index(heading) < text.index("□ " + squash(c["high"]))
    blank = tmp_path / "blank-06.pdf"
    registry.render_blank("06", None, blank)
    assert heading in read_text(blank)
    changed_spec(monkeypatch, "06", lambda d: d["part1"]["conclusion"].update(heading="c) Kết luận (đã sửa):"))
    text = read_text(render(tmp_path, "06", case, office, "changed"))
    assert "c) Kết luận (đã sửa): " + squash(c["intro"]) in text and c["heading"] not in text


# --- Minutes --------------------------------------------------------------------------------------------
def test_every_purpose_has_a_subject():
    spec = process_form("bien_ban_hop")
    assert set(spec["subjects"]) == set(spec["purposes"])
    assert all("{child_name}" in t for t in spec["subjects"].values())
    assert spec["subjects"]["xac_dinh_nhu_cau"] == spec["subject"]  # the generic subject (blank form)


@pytest.mark.parametrize("purpose", list(process_form("bien_ban_hop")["purposes"]))
def test_minutes_subject_follows_the_purpose(flow, office, tmp_path, purpose):
    case = flow.initial().assess().meet(purpose=purpose).case()
    text = read_text(render(tmp_path, "minutes", case, office))
    subjects = process_form("bien_ban_hop")["subjects"]
    assert squash(subjects[purpose].format(child_name="Nguyễn Thị Ánh")) in text
    for other, template in subjects.items():
        if template != subjects[purpose]:
            assert squash(template.split("{", 1)[0]) not in text, other


def test_minutes_subject_wording_comes_from_the_data(flow, office, tmp_path, monkeypatch):
    case = flow.initial().assess().meet(purpose="khan_cap").case()
    changed_spec(monkeypatch, "bien_ban_hop",
                 lambda d: d["subjects"].update(khan_cap="Họp khẩn về trẻ em {child_name} (đã sửa)"))
    assert "Họp khẩn về trẻ em Nguyễn Thị Ánh (đã sửa)" in read_text(render(tmp_path, "minutes", case, office))


def test_minutes_of_a_purpose_the_data_does_not_word_use_the_generic_subject(flow, office, tmp_path, monkeypatch):
    case = flow.initial().assess().meet(purpose="khan_cap").case()
    changed_spec(monkeypatch, "bien_ban_hop", lambda d: d["subjects"].pop("khan_cap"))
    text = read_text(render(tmp_path, "minutes", case, office))
    assert squash(process_form("bien_ban_hop")["subject"].format(child_name="Nguyễn Thị Ánh")) in text
    assert minutes.subject_template(None) == process_form("bien_ban_hop")["subject"]


# --- Mẫu 01: one public story ---------------------------------------------------------------------------
def test_form01_document_is_what_prints_alone_and_in_the_case_file(flow, office, tmp_path):
    case = flow.case()
    alone = tmp_path / "01.pdf"
    form01.render(case, office, alone)
    doc = form01.document(case, office)
    built = io.BytesIO()
    doc.build(built)
    built.seek(0)
    assert read_pages(built) == read_pages(alone)
    assert doc.outline == "Mẫu số 01: " + form01._form()["name"] and "Nguyễn Thị Ánh" not in doc.meta.subject
    first = dossier.documents(case, office)[0]
    assert first.outline == doc.outline and first.meta == doc.meta
    in_file = tmp_path / "dossier.pdf"
    registry.render_dossier(case, None, office, in_file)
    front = 2  # the case file's cover and table of contents come first
    assert read_pages(in_file)[front: front + len(read_pages(alone))] == read_pages(alone)
    blank = io.BytesIO()
    form01.blank_document(office).build(blank)
    blank.seek(0)
    direct = tmp_path / "blank-01.pdf"
    form01.render_blank(office, direct)
    assert read_pages(blank) == read_pages(direct)


def test_form01_without_intake_says_so(flow, office):
    case = flow.case()
    case.intake = None
    with pytest.raises(ValueError, match="Mẫu số 01"):
        form01.document(case, office)
