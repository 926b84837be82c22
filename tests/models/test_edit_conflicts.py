"""Two workstations editing the same form: the second save is told who saved first and what changed, and
overwrites nothing (optimistic versioning). Runs on both storage modes."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from models.clock import VN
from models.process_entities import InitialAssessment
from models.services import assessment
from models.services.accounts import add_account, login
from models.services.intake import create_intake, parse_intake
from models.services.process_common import EditConflict
from tests.conftest import intake_raw
from tests.models.test_process_data import ia_raw

AT = datetime(2026, 11, 20, 10, 0, tzinfo=VN)


@pytest.fixture
def second_worker(workspace, data_dir):
    add_account(workspace, "canbo2", "Lê Văn Tâm", ["worker"], "mat-khau-can-bo-hai")
    ws = login(data_dir, "canbo2", "mat-khau-can-bo-hai")
    yield ws
    ws.close()


def test_the_second_save_of_a_form_is_told_who_saved_first_and_what_changed(office_db, actor, second_worker):
    data, errors = parse_intake(intake_raw())
    assert errors == {}
    case_id = create_intake(office_db, data, actor)
    assessment.save_initial_assessment(office_db, actor, case_id, ia_raw(), complete=False, at=AT)
    with office_db.session() as s:
        opened = s.scalar(select(InitialAssessment.row_version).where(InitialAssessment.case_id == case_id))
    # Both open the form at this version; the other worker saves first.
    assessment.save_initial_assessment(second_worker.db, second_worker.actor, case_id,
                                       ia_raw(assessor="Lê Văn Tâm", row_version=opened), complete=False, at=AT)
    with pytest.raises(EditConflict) as refused:
        assessment.save_initial_assessment(office_db, actor, case_id,
                                           ia_raw(assessor="Trần Văn Bình", row_version=opened), complete=False, at=AT)
    message = str(refused.value)
    assert "Lê Văn Tâm (canbo2)" in message and "Mẫu số 02" in message
    assert "→ «Lê Văn Tâm»" in message  # what the first save changed
    assert "chưa được lưu" in message
    with office_db.session() as s:
        ia = s.scalar(select(InitialAssessment).where(InitialAssessment.case_id == case_id))
        assert ia.assessor == "Lê Văn Tâm"  # nothing overwritten
        assert ia.row_version == opened + 1
    # Opened again (the new version), the same change saves.
    assessment.save_initial_assessment(office_db, actor, case_id,
                                       ia_raw(assessor="Trần Văn Bình", row_version=opened + 1), complete=False, at=AT)
    with office_db.session() as s:
        assert s.scalar(select(InitialAssessment.assessor).where(InitialAssessment.case_id == case_id)) == "Trần Văn Bình"


def test_a_carers_record_read_with_its_joined_child_is_guarded_too(office_db, actor, second_worker):
    """A carer is read with the relative's child joined (a nullable relation): on the server, locking the row
    before the version check must lock the carer's own row only (PostgreSQL refuses FOR UPDATE on the nullable
    side of an outer join). The second save from the same version is refused, the first kept."""
    from models.care_entities import Carer
    from models.services import carers
    from tests.models.test_carers import person

    carer_id = carers.register_carer(office_db, actor, person())
    with office_db.session() as s:
        opened = s.get(Carer, carer_id).row_version
    carers.update_carer(second_worker.db, second_worker.actor, carer_id,
                        person(occupation="Thợ may", row_version=opened))
    with pytest.raises(EditConflict):
        carers.update_carer(office_db, actor, carer_id, person(occupation="Nông dân", row_version=opened))
    with office_db.session() as s:
        assert s.get(Carer, carer_id).occupation == "Thợ may"
