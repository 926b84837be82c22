"""Báo cáo vụ việc: a case of abuse is reported upward by phone at once and in writing within one day of
reception; the written report is numbered "NN/BC-UBND" in the office's report numbering, anonymised by default,
and its deadline is on the to-do list from the moment of reception."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from desktop.cli import main as cli_main
from models.calendar_days import end_of_day
from models.clock import VN
from models.incident_entities import IncidentReport
from models.services import incident_report as service
from models.services.cases import load_case
from models.services.intake import create_intake, parse_intake
from models.services.office import get_office
from models.services.process_common import ProcessError
from models.services.tasks import compute_tasks
from models.stages import facts_of, pending_steps
from tests.conftest import PASSWORD, intake_raw
from tests.models.test_process_data import CAL
from tests.printouts.test_forms_02_07 import read_text, signature_text

AT = datetime(2026, 11, 20, 11, 0, tzinfo=VN)  # intake_raw: received 08:30 20/11/2026


def _case(db, actor, **overrides) -> int:
    data, errors = parse_intake(intake_raw(**overrides), at=AT)
    assert errors == {}
    return create_intake(db, data, actor)


def _step(db, case_id):
    return [s for s in pending_steps(facts_of(load_case(db, case_id)), CAL) if s.form == "bao_cao_vu_viec"]


def test_the_deadline_is_on_the_to_do_list_from_reception(office_db, actor):
    case_id = _case(office_db, actor)
    (step,) = _step(office_db, case_id)
    assert step.deadline == end_of_day(date(2026, 11, 21))  # one day after reception, Saturday: not moved
    assert "Chưa ghi báo cáo bằng điện thoại" in step.rule and "hết ngày 21/11/2026" in step.rule
    tasks = [t for t in compute_tasks(office_db, CAL, AT) if t.form == "bao_cao_vu_viec"]
    assert [(t.case_id, t.deadline) for t in tasks] == [(case_id, step.deadline)]  # the bulk list agrees
    # a child at risk (not abused) is not reported upward
    other = _case(office_db, actor, category="nguy_co_bao_luc", child_name="Lê Văn Nam", personal_id="")
    assert _step(office_db, other) == []


def test_phone_then_written_report_numbered_and_anonymous(office_db, actor, tmp_path):
    case_id = _case(office_db, actor)
    with pytest.raises(ProcessError) as exc:
        service.save_incident_report(office_db, actor, case_id, {"phoned_at": "09:00 20/11/2026"}, at=AT)
    assert "cho ai" in exc.value.errors["phoned_to"]
    with pytest.raises(ProcessError) as exc:
        service.save_incident_report(office_db, actor, case_id, {"phoned_at": "08:00 20/11/2026",
                                                                 "phoned_to": "Sở Y tế"}, at=AT)
    assert "trước thời điểm nhận thông tin" in exc.value.errors["phoned_at"]
    rid = service.save_incident_report(office_db, actor, case_id, {
        "phoned_at": "09:05 20/11/2026", "phoned_to": "Ông Trần Văn Đức, chuyên viên Sở Y tế",
        "phoned_by": "Trần Thị Lan"}, at=AT)
    (step,) = _step(office_db, case_id)
    assert "Đã báo cáo bằng điện thoại lúc 09:05 20/11/2026" in step.rule
    with pytest.raises(ProcessError) as exc:  # the written report needs its addressee, summary and signer
        service.issue_incident_report(office_db, actor, rid, report_date="20/11/2026", at=AT)
    assert set(exc.value.errors) == {"recipient", "summary", "signer"}
    service.save_incident_report(office_db, actor, case_id, {
        "phoned_at": "09:05 20/11/2026", "phoned_to": "Ông Trần Văn Đức, chuyên viên Sở Y tế",
        "recipient": "Ủy ban nhân dân tỉnh (qua Sở Y tế)",
        "summary": "Trẻ em bị cha dượng đánh nhiều lần, có vết bầm ở tay và lưng.",
        "actions_taken": "Đưa trẻ em sang nhà bà ngoại; Công an xã đã làm việc với cha dượng.",
        "signer": "Phạm Văn Hùng"}, report_id=rid, at=AT)
    number = service.issue_incident_report(office_db, actor, rid, report_date="20/11/2026", at=AT)
    # Mẫu 01 of this case took 01/BC: the report continues the office's report numbering
    assert number == "02/BC-UBND"
    assert _step(office_db, case_id) == []
    with pytest.raises(ProcessError):
        service.save_incident_report(office_db, actor, case_id, {"summary": "sửa"}, report_id=rid, at=AT)

    case, office = load_case(office_db, case_id), get_office(office_db)
    from printouts import registry

    out = tmp_path / "bcvv.pdf"
    registry.render("bao-cao-vu-viec", case, office, out)
    text = read_text(out)
    assert "Số: 02/BC-UBND" in text and "BÁO CÁO" in text and "ngày 20 tháng 11 năm 2026" in text
    assert "Vụ việc trẻ em bị xâm hại trên địa bàn xã Cẩm Hưng" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh (qua Sở Y tế)." in text
    assert "Trẻ em N.T.A., nữ, 11 tuổi." in text and "Nguyễn Thị Ánh" not in text  # anonymised (Điều 24, 33)
    assert "Đã báo cáo bằng điện thoại lúc 09 giờ 05, ngày 20/11/2026 cho Ông Trần Văn Đức" in text
    assert "cha dượng đánh nhiều lần" in text and "khoản 3 Điều 24" in text
    left, right = signature_text(out)
    assert left == "Nơi nhận: - Như trên; - Lưu: VT, VHXH." and right == "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Phạm Văn Hùng"
    for informant in ("Hoàng Văn", "0912"):  # the informant never appears
        assert informant not in text


def test_named_report_when_the_worker_decides(office_db, actor, tmp_path):
    case_id = _case(office_db, actor)
    service.save_incident_report(office_db, actor, case_id, {"anonymised": False, "summary": "Tóm tắt."}, at=AT)
    from printouts import registry

    out = tmp_path / "named.pdf"
    registry.render("bao-cao-vu-viec", load_case(office_db, case_id), get_office(office_db), out)
    text = read_text(out)
    assert "Trẻ em Nguyễn Thị Ánh, nữ, sinh 05/09/2015" in text and "DỰ THẢO" in text
    assert "Chưa ghi thời điểm báo cáo bằng điện thoại." in text


def test_print_from_the_command_line(office_db, actor, data_dir, tmp_path, monkeypatch, capsys):
    case_id = _case(office_db, actor)
    service.save_incident_report(office_db, actor, case_id, {"summary": "Tóm tắt vụ việc."}, at=AT)
    code = load_case(office_db, case_id).code
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    out = tmp_path / "bao-cao.pdf"
    assert cli_main(["--data-dir", str(data_dir), "print", "--user", "admin", "--case", code,
                     "--form", "bao-cao-vu-viec", "-o", str(out)]) == 0
    assert "Tóm tắt vụ việc." in read_text(out)


def test_cases_already_in_the_file_before_the_upgrade_are_not_called_overdue(office_db, actor):
    case_id = _case(office_db, actor)
    with office_db.transaction() as s:  # what migration 0005 leaves for a case of abuse entered before it
        s.add(IncidentReport(case_id=case_id, untracked=True))
    assert _step(office_db, case_id) == []
    assert not [t for t in compute_tasks(office_db, CAL, AT) if t.form == "bao_cao_vu_viec"]
    with office_db.session() as s:
        assert s.scalar(select(IncidentReport.doc_number).where(IncidentReport.case_id == case_id)) is None
