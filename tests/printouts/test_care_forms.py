"""The papers of alternative care read back as a person reads them: Mẫu 10 (with the child's file), Mẫu 12 (draft,
then signed with its number), Mẫu 13, Mẫu 14 (the facility's list), Mẫu 15 and Mẫu 16, filled and blank; printed from
the command line (`print --form 12 --placement ID`) with the release recorded in the audit trail first."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from desktop.actions import printing
from models.entities import AuditEvent
from models.services import care_need, placements
from models.services.office import get_office
from printouts import form10, form12, form13, form14, form15, form16
from tests.care_data import AT, DECIDED, add_carer, need_raw, vn
from tests.conftest import PASSWORD
from tests.printouts.test_forms_02_07 import DOTS, Flow, leader, read_cells, read_text  # noqa: F401  (fixture)


@pytest.fixture
def placed(office_db, actor, leader):
    """A child separated (Mẫu 07), assessed (Mẫu 10), placed with her grandmother, followed up, then ended."""
    flow = Flow(office_db, actor, leader).initial().separate()
    case = flow.case()
    nid = care_need.save_care_need(office_db, actor, need_raw(case.child_id, case.id), at=AT)
    carer = add_carer(office_db, relative_of=case.child_id)
    for day in ("15/12/2026", "22/12/2026"):
        care_need.add_meeting(office_db, actor, nid, {"carer_id": carer, "met_on": day, "notes": "Tốt."}, at=AT)
    pid = placements.save_placement_draft(office_db, actor, nid, {
        "form": "than_thich", "carer_id": carer, "support": "Hỗ trợ 1.000.000 đồng mỗi tháng",
        "recipients": "Như Điều 3;\nBà Đặng Thị Lựu;\nLưu: VT, VHXH."}, at=AT)
    return flow, nid, pid


def pdf(render, record, office) -> str:
    buffer = io.BytesIO()
    render(record, office, buffer)
    path = io.BytesIO(buffer.getvalue())
    return read_text(path)


def test_mau10_reads_back_with_the_file(placed, office_db):
    flow, nid, _ = placed
    office = get_office(office_db)
    from models.care_entities import CareNeed

    with office_db.session() as s:
        text = pdf(form10.render, s.get(CareNeed, nid), office)
    for words in ("ĐÁNH GIÁ TÌNH TRẠNG, NHU CẦU, NGUYỆN VỌNG CỦA TRẺ EM CẦN CHĂM SÓC THAY THẾ", "Nguyễn Thị Ánh",
                  "05/09/2015", "Sau quyết định tạm thời cách ly (Mẫu số 07)", "■ Trẻ em không thể sống cùng cha, mẹ",
                  "Cháu đồng ý ở với bà ngoại.", "Hai ảnh toàn thân", "XÃ CẨM HƯNG"):
        assert words in text, words
    assert not text.startswith("Mẫu số 10")  # not the decree's text: printed without the form's code, like Mẫu 07


def test_mau12_draft_then_signed(placed, office_db, leader):
    flow, _, pid = placed
    office = get_office(office_db)
    from models.care_entities import Placement

    with office_db.session() as s:
        draft = pdf(form12.render, s.get(Placement, pid), office)
    assert "DỰ THẢO" in draft and "Số: ....../QĐ-UBND" in draft and "Phạm Văn Hùng" not in draft
    number = placements.decide_placement(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng",
                                         decided_at=DECIDED, at=AT)
    with office_db.session() as s:
        text = pdf(form12.render, s.get(Placement, pid), office)
    for words in (f"Số: {number}", "QUYẾT ĐỊNH", "Về việc giao, nhận trẻ em cho cá nhân, gia đình nhận chăm sóc thay thế",
                  "Điều 1. Giao trẻ em Nguyễn Thị Ánh, sinh 05/09/2015", "cho Đặng Thị Lựu, Thôn Phú Lộc",
                  "bởi cá nhân, gia đình là người thân thích", "15 ngày làm việc", "Hỗ trợ 1.000.000 đồng mỗi tháng",
                  "Bà Đặng Thị Lựu;", "CHỦ TỊCH", "Phạm Văn Hùng", "ngày 01 tháng 02 năm 2027"):
        assert words in text, words
    assert "DỰ THẢO" not in text


def test_mau13_15_16_and_the_command_line(placed, office_db, leader, data_dir, monkeypatch, capsys):
    flow, _, pid = placed
    db, actor = office_db, flow.actor
    placements.decide_placement(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng", decided_at=DECIDED, at=AT)
    placements.record_handover(db, actor, pid, handed_over_on="26/02/2027", at=AT)
    placements.save_followup(db, actor, pid, {"kind": "1_thang", "report_date": "26/03/2027", "reporter": "Trần Thị Lan",
                                              "living_conditions": "Nhà ấm, có góc học riêng.", "health": "Khỏe.",
                                              "integration": "Cháu gắn bó với bà.", "child_safe": True,
                                              "conclusion": "tiep_tuc"}, at=AT)
    placements.save_end_request(db, actor, pid, {"requested_on": "01/06/2027", "ground": "69_1_c",
                                                 "reason": "Bà ốm nặng, không chăm sóc được cháu."}, at=AT)
    placements.save_end_draft(db, actor, pid, {"ground": "69_1_c", "reasons": "Theo đơn của bà ngoại.",
                                               "new_form": "ve_gia_dinh",
                                               "new_arrangement": "Cháu về sống với mẹ."}, at=AT)
    number16, _ = placements.decide_end(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng",
                                        decided_at=vn("09:00 10/06/2027"), at=AT)
    office = get_office(db)
    from models.care_entities import Placement

    with db.session() as s:
        p = s.get(Placement, pid)
        t13 = pdf(form13.render, p, office)
        t15 = pdf(form15.render, p, office)
        t16 = pdf(form16.render, p, office)
    for words in ("BÁO CÁO THEO DÕI, ĐÁNH GIÁ", "■ Sau 01 tháng kể từ ngày nhận chăm sóc thay thế", "26/02/2027",
                  "Nhà ấm, có góc học riêng.", "Trẻ em được an toàn: Có", "■ Tiếp tục chăm sóc thay thế"):
        assert words in t13, words
    for words in ("ĐƠN ĐỀ NGHỊ CHẤM DỨT VIỆC CHĂM SÓC THAY THẾ", "Kính gửi: Ủy ban nhân dân xã Cẩm Hưng",
                  "Tôi là Đặng Thị Lựu", "■ Cá nhân, gia đình nhận chăm sóc thay thế đề nghị chấm dứt",
                  "Bà ốm nặng, không chăm sóc được cháu.", "ngày 01 tháng 6 năm 2027"):
        assert words in t15, words
    for words in (f"Số: {number16}", "Về việc chấm dứt việc chăm sóc thay thế", "Căn cứ Quyết định số 01/QĐ-UBND"
                  if "01/QĐ" in t16 else "Căn cứ Quyết định số", "Điều 1. Chấm dứt việc chăm sóc thay thế đối với trẻ em "
                  "Nguyễn Thị Ánh", "kể từ ngày 10/06/2027", "Trẻ em trở về sống với gia đình. Cháu về sống với mẹ.",
                  "Cá nhân, gia đình nhận chăm sóc thay thế đề nghị chấm dứt việc chăm sóc trẻ em"):
        assert words in t16, words
    # The command line: the paper is written and its release is in the audit trail.
    from desktop.cli import main

    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    out = data_dir.parent / "mẫu 12 đã ký.pdf"
    assert main(["print", "--data-dir", str(data_dir), "--user", "admin", "--form", "12", "--placement", str(pid),
                 "-o", str(out)]) == 0
    assert "Điều 1. Giao trẻ em Nguyễn Thị Ánh" in read_text(out)
    assert "Lưu ý" in capsys.readouterr().err  # whose words: not the decree's text
    with db.session() as s:
        printed = [(e.entity, e.entity_id) for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "print"))]
    assert ("mau12", str(pid)) in printed
    assert main(["print", "--data-dir", str(data_dir), "--user", "admin", "--form", "12", "--placement", "99999",
                 "-o", str(out)]) != 0


def test_mau14_lists_the_facility_children(office_db, actor):
    for name in ("Hoàng Minh Khôi", "Lò Thị Mai"):
        fc = care_need.add_facility_child(office_db, actor, {
            "facility_name": "Trung tâm Bảo trợ xã hội tỉnh", "list_date": "01/12/2026", "full_name": name,
            "date_of_birth": "03/04/2020", "gender": "nam", "situation": "Mồ côi cả cha và mẹ."}, at=AT)
    from models.care_entities import FacilityChild

    with office_db.session() as s:
        buffer = io.BytesIO()
        form14.render(s.get(FacilityChild, fc), get_office(office_db), buffer)
    text = read_text(io.BytesIO(buffer.getvalue())) + " ¦ " + read_cells(io.BytesIO(buffer.getvalue()))
    for words in ("DANH SÁCH TRẺ EM CẦN TÌM CÁ NHÂN, GIA ĐÌNH NHẬN CHĂM SÓC THAY THẾ", "Trung tâm Bảo trợ xã hội tỉnh",
                  "Hoàng Minh Khôi", "Lò Thị Mai", "01/12/2026"):
        assert words in text, words


@pytest.mark.parametrize("module, title", [(form10, "ĐÁNH GIÁ TÌNH TRẠNG"), (form12, "Về việc giao, nhận trẻ em"),
                                           (form13, "BÁO CÁO THEO DÕI"), (form14, "DANH SÁCH TRẺ EM"),
                                           (form15, "ĐƠN ĐỀ NGHỊ"), (form16, "Về việc chấm dứt")])
def test_blank_care_forms(office_db, module, title):
    buffer = io.BytesIO()
    module.render_blank(None, buffer)
    text = read_text(io.BytesIO(buffer.getvalue()))
    assert title in text
    assert DOTS.search(text) or module is form14  # Mẫu 14 is its empty table
    assert "Nguyễn Thị Ánh" not in text and "■" not in text


def test_the_placement_dossier_holds_every_paper_in_order(placed, office_db, leader, data_dir, monkeypatch):
    flow, _, pid = placed
    db, actor = office_db, flow.actor
    placements.decide_placement(leader.db, leader.actor, pid, decided_by="Phạm Văn Hùng", decided_at=DECIDED, at=AT)
    placements.record_handover(db, actor, pid, handed_over_on="26/02/2027", at=AT)
    for kind, day in (("1_thang", "26/03/2027"), ("3_thang", "26/05/2027")):
        placements.save_followup(db, actor, pid, {"kind": kind, "report_date": day, "reporter": "Trần Thị Lan",
                                                  "living_conditions": "Ổn.", "health": "Khỏe.", "integration": "Tốt."},
                                 at=AT)
    from desktop.cli import main
    from tests.printouts.test_forms_02_07 import read_pages

    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    out = data_dir.parent / "ho-so-cstt.pdf"
    assert main(["print", "--data-dir", str(data_dir), "--user", "admin", "--placement", str(pid), "--dossier",
                 "-o", str(out)]) == 0
    pages = read_pages(out)
    starts = [i for i, page in enumerate(pages) if "ĐÁNH GIÁ TÌNH TRẠNG" in page or "Về việc giao, nhận" in page
              or "BÁO CÁO THEO DÕI" in page]
    assert len(starts) == 4  # Mẫu 10, Mẫu 12, two Mẫu 13
    text = " ".join(pages)
    assert text.index("ĐÁNH GIÁ TÌNH TRẠNG") < text.index("Về việc giao, nhận") < text.index("BÁO CÁO THEO DÕI")
    from pypdf import PdfReader

    assert "Nguyễn Thị Ánh" not in (PdfReader(out).metadata.title or "")
