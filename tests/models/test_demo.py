"""The demo data generator: realistic, consistent with the rules of Mẫu 01, and kind to real data."""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from tests.conftest import OFFICE, intake_raw
from models.clock import VN, now
from models.incident_entities import IncidentReport
from models.demo import generate_demo
from models.entities import (
    Case, CaseAbuseForm, Child, ChildRelation, DocumentCounter, Intake, Office, Person,
)
from models.wording import form_definition
from models.services.intake import create_intake, parse_intake
from models.textnorm import fold, vn_sort_key
from models.validation import age_on
from models.vocab import ABUSE_FORMS
from models.security.roles import Actor

ACTOR = Actor("admin", "Quản trị viên", frozenset({"admin", "worker"}))

TODAY = date(2026, 6, 15)


def _counters(session, kind: str) -> dict[int, int]:
    return dict(session.execute(
        select(DocumentCounter.year, DocumentCounter.last_number).where(DocumentCounter.kind == kind)
    ).all())


def _real_intake(db, when: str, day: str, **overrides) -> int:
    data, errors = parse_intake(
        intake_raw(received_at=when, report_date=day, personal_id="", **overrides),
        at=datetime(2026, 6, 15, 17, 0, tzinfo=VN),
    )
    assert errors == {}
    return create_intake(db, data, ACTOR)


def test_counts_and_office(db):
    calls = []
    summary = generate_demo(db, ACTOR, children=300, cases=120, progress=lambda done, total: calls.append((done, total)))
    assert (summary.children, summary.cases) == (300, 120)
    assert summary.office_created
    with db.session() as s:
        assert s.scalar(select(func.count(Child.id))) == 300
        assert s.scalar(select(func.count(Case.id))) == 120
        assert s.scalar(select(func.count(Intake.id))) == 120
        assert s.scalar(select(func.count(Person.id))) == summary.persons
        assert s.scalar(select(func.count(ChildRelation.id))) == summary.persons
        assert s.scalar(select(func.count(func.distinct(Case.child_id)))) < 120  # some children have 2–3 cases
        per_child = s.execute(select(Case.child_id, func.count()).group_by(Case.child_id)).all()
        assert max(n for _, n in per_child) <= 3
        forms_per_case = dict(s.execute(select(CaseAbuseForm.case_id, func.count()).group_by(CaseAbuseForm.case_id)).all())
        assert len(forms_per_case) == 120 and set(forms_per_case.values()) <= {1, 2}
        assert set(s.scalars(select(CaseAbuseForm.code))) <= set(ABUSE_FORMS)
        office = s.scalar(select(Office))
        assert office.agency_name.startswith("Ủy ban nhân dân xã ")
        assert "Sở Y tế" in office.report_recipient
        assert set(s.scalars(select(Intake.receiving_officer))) == {office.worker_name}
        mau01 = form_definition("01")
        assert set(s.scalars(select(Intake.category))) <= set(mau01["categories"])
        assert set(s.scalars(select(Intake.source))) <= set(mau01["sources"])
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))


def test_ages_and_dates_are_consistent(db):
    generate_demo(db, ACTOR, children=300, cases=120)
    moment = now()
    with db.session() as s:
        rows = s.execute(
            select(Child.date_of_birth, Child.estimated_age, Intake.received_at, Intake.report_date, Case.opened_at,
                   Case.closed_at)
            .join(Case, Case.child_id == Child.id).join(Intake, Intake.case_id == Case.id)
        ).all()
        assert len(rows) == 120
        for dob, est, received, report, opened, closed in rows:
            assert received.tzinfo is not None and received == opened
            assert received < moment and report <= moment.date()
            assert (report - received.date()).days in (0, 1)
            assert 6 <= received.hour <= 21
            age = age_on(dob, received.date()) if dob else est
            assert age is not None and 0 <= age <= 15
            if dob:
                assert dob <= received.date()
            if closed is not None:
                assert received < closed < moment
        # Children without a case are children today (those with a case may have turned 16 since).
        no_case = select(Child.date_of_birth, Child.estimated_age).where(~Child.cases.any())
        for dob, est in s.execute(no_case):
            age = age_on(dob, moment.date()) if dob else est
            assert age is not None and 0 <= age <= 15
        # Parents' ages are plausible for the child's age.
        for age in s.scalars(select(Person.age).where(Person.age.is_not(None))):
            assert 20 <= age <= 60


def _bc_numbers(s) -> dict[int, list[int]]:
    """The office's report numbers ("…/BC-UBND") per year: Mẫu 01 and the incident reports upward."""
    out = defaultdict(list)
    for year, number in s.execute(select(Intake.doc_year, Intake.doc_number)):
        out[year].append(number)
    for year, number in s.execute(select(IncidentReport.doc_year, IncidentReport.doc_number)
                                  .where(IncidentReport.doc_number.is_not(None))):
        out[year].append(number)
    return {year: sorted(numbers) for year, numbers in out.items()}


def test_numbers_per_year_have_no_gaps_and_counters_match(db):
    generate_demo(db, ACTOR, children=300, cases=120, today=TODAY)
    with db.session() as s:
        doc = defaultdict(list)
        for year, number in s.execute(select(Intake.doc_year, Intake.doc_number)):
            doc[year].append(number)
        # the incident reports upward ("…/BC-UBND") share the office's report numbering with Mẫu 01
        for year, number in s.execute(select(IncidentReport.doc_year, IncidentReport.doc_number)
                                      .where(IncidentReport.doc_number.is_not(None))):
            doc[year].append(number)
        assert {year: sorted(nums) for year, nums in doc.items()} == {
            year: list(range(1, len(nums) + 1)) for year, nums in doc.items()
        }
        assert _counters(s, "BC") == {year: len(nums) for year, nums in doc.items()}

        hs = defaultdict(list)
        for code, opened in s.execute(select(Case.code, Case.opened_at).order_by(Case.opened_at, Case.id)):
            prefix, year, number = code.split("-")
            assert prefix == "HS" and int(year) == opened.year and len(number) == 4
            hs[int(year)].append(int(number))
        # Numbered in the order the reports arrived.
        assert all(nums == list(range(1, len(nums) + 1)) for nums in hs.values())
        assert _counters(s, "HS") == {year: len(nums) for year, nums in hs.items()}

        # Report numbers follow the report dates within each year.
        by_number = s.execute(select(Intake.doc_year, Intake.doc_number, Intake.report_date)
                              .order_by(Intake.doc_year, Intake.doc_number)).all()
        for (y1, _, d1), (y2, _, d2) in zip(by_number, by_number[1:]):
            if y1 == y2:
                assert d1 <= d2
        assert all(y == d.year for y, _, d in by_number)
        assert max(d for _, _, d in by_number) <= TODAY


def test_names_ids_and_informants(db):
    generate_demo(db, ACTOR, children=300, cases=120)
    with db.session() as s:
        children = s.execute(select(Child.full_name, Child.name_key, Child.sort_key, Child.personal_id,
                                    Child.gender, Child.date_of_birth, Child.village)).all()
        for name, key, sort_key, pid, gender, dob, village in children:
            assert unicodedata.is_normalized("NFC", name)
            assert key == fold(name) and sort_key == vn_sort_key(name)
            assert 3 <= len(name.split()) <= 4
            assert gender in ("nam", "nu", "khong_biet")
            if pid is not None:
                assert len(pid) == 12 and pid.isdigit()
                assert pid[3] == {"nam": "2", "nu": "3"}[gender]
                assert pid[4:6] == f"{dob.year % 100:02d}"
        ids = [c[3] for c in children if c[3]]
        assert len(ids) == len(set(ids)) and len(ids) > 200
        assert sum(c[4] == "khong_biet" for c in children) < 15
        assert sum(c[0].startswith("Nguyễn ") for c in children) > 60  # the most common family name
        assert all(c[6].startswith(("Thôn ", "Tổ dân phố ")) for c in children if c[6])
        for name in s.scalars(select(Person.full_name)):
            assert unicodedata.is_normalized("NFC", name)

        texts = s.execute(select(Intake)).scalars().all()
        with_consent = [i for i in texts if i.informant_consent]
        assert 0 < len(with_consent) < len(texts)
        for intake in texts:
            for value in (intake.incident_place, intake.child_condition, intake.predicted_consequences,
                          intake.family_situation, intake.current_caregiver, intake.prior_actions, intake.notes):
                assert value and unicodedata.is_normalized("NFC", value) and "{" not in value
            if intake.informant_consent:
                assert intake.informant_name and intake.informant_phone and intake.informant_address
            else:
                assert intake.informant_name == intake.informant_phone == intake.informant_address == ""


def test_every_demo_intake_passes_the_real_checks(db):
    """What the generator writes is what a worker could have typed into Mẫu 01."""
    generate_demo(db, ACTOR, children=300, cases=120)
    with db.session() as s:
        cases = s.scalars(select(Case)).all()
        for case in cases:
            child, intake = case.child, case.intake
            parents = {rel.role: rel.person for rel in child.relations}
            father, mother = parents.get("cha"), parents.get("me")
            raw = {
                "category": intake.category, "source": intake.source, "received_at": intake.received_at,
                "report_date": intake.report_date, "receiving_officer": intake.receiving_officer,
                "child_name": child.full_name, "date_of_birth": child.date_of_birth,
                "estimated_age": child.estimated_age, "gender": child.gender, "ethnicity": child.ethnicity,
                "personal_id": child.personal_id, "village": child.village, "address": child.address,
                "incident_place": intake.incident_place, "child_condition": intake.child_condition,
                "predicted_consequences": intake.predicted_consequences,
                "father_name": father.full_name if father else "", "father_age": father.age if father else None,
                "father_occupation": father.occupation if father else "",
                "mother_name": mother.full_name if mother else "", "mother_age": mother.age if mother else None,
                "mother_occupation": mother.occupation if mother else "",
                "family_situation": intake.family_situation, "current_caregiver": intake.current_caregiver,
                "prior_actions": intake.prior_actions, "informant_consent": intake.informant_consent,
                "informant_name": intake.informant_name, "informant_phone": intake.informant_phone,
                "informant_address": intake.informant_address, "notes": intake.notes,
                "abuse_forms": [f.code for f in case.abuse_forms],
            }
            data, errors = parse_intake(raw)
            assert errors == {}, (case.code, errors)
            assert data.child_name == child.full_name  # names are already in their clean form


def test_real_intake_after_demo_takes_the_next_number(db):
    generate_demo(db, ACTOR, children=300, cases=120, today=TODAY)
    with db.session() as s:
        last_bc = max(s.scalar(select(func.max(Intake.doc_number)).where(Intake.doc_year == 2026)) or 0,
                      s.scalar(select(func.max(IncidentReport.doc_number)).where(IncidentReport.doc_year == 2026)) or 0)
        last_hs = _counters(s, "HS").get(2026, 0)
        assert _counters(s, "BC").get(2026, 0) == last_bc
    case_id = _real_intake(db, "09:00 15/06/2026", "15/06/2026")
    with db.session() as s:
        case = s.get(Case, case_id)
        assert case.intake.doc_number == last_bc + 1
        assert case.code == f"HS-2026-{last_hs + 1:04d}"
        assert s.scalar(select(func.count(Child.id))) == 301


def test_same_seed_same_data(tmp_path):
    from models.services.accounts import setup_office

    names = []
    for run, seed in enumerate((7, 7, 8)):
        db = setup_office(tmp_path / f"run{run}", "admin", "Quản trị viên", "mat-khau-thu").db
        try:
            generate_demo(db, ACTOR, children=120, cases=50, seed=seed, today=TODAY)
            with db.session() as s:
                names.append((
                    s.scalars(select(Child.full_name).order_by(Child.id)).all(),
                    s.scalars(select(Person.full_name).order_by(Person.id)).all(),
                    s.scalars(select(Intake.child_condition).order_by(Intake.id)).all(),
                    s.scalars(select(Case.code).order_by(Case.id)).all(),
                ))
        finally:
            db.dispose()
    assert names[0] == names[1]
    assert names[0][0] != names[2][0]


def test_demo_beside_real_data_keeps_it_and_continues_numbering(office_db):
    db = office_db
    first = _real_intake(db, "10:00 10/06/2026", "10/06/2026")
    with db.session() as s:
        before = s.get(Case, first)
        assert (before.code, before.intake.doc_number) == ("HS-2026-0001", 1)

    summary = generate_demo(db, ACTOR, children=200, cases=80, today=TODAY)
    assert not summary.office_created
    with db.session() as s:
        kept = s.get(Case, first)
        assert kept.code == "HS-2026-0001" and kept.intake.doc_number == 1
        assert kept.child.full_name == "Nguyễn Thị Ánh"
        assert s.scalar(select(func.count(Case.id))) == 81
        assert s.scalar(select(func.count(Office.id))) == 1
        assert s.scalar(select(Office.commune_name)) == OFFICE["commune_name"]
        demo_officers = set(s.scalars(select(Intake.receiving_officer).where(Intake.case_id != first)))
        assert demo_officers == {OFFICE["worker_name"]}
        numbers_2026 = _bc_numbers(s)[2026]  # Mẫu 01 and the incident reports share "…/BC-UBND"
        assert numbers_2026 == list(range(1, len(numbers_2026) + 1))
        assert _counters(s, "BC")[2026] == numbers_2026[-1]
        codes_2026 = sorted(s.scalars(select(Case.code).where(Case.code.like("HS-2026-%"))))
        assert codes_2026 == [f"HS-2026-{n:04d}" for n in range(1, len(codes_2026) + 1)]

    # Running it again adds more without reusing a number.
    generate_demo(db, ACTOR, children=100, cases=40, seed=99, today=TODAY)
    with db.session() as s:
        assert s.scalar(select(func.count(Case.id))) == 121
        for year, numbers in _bc_numbers(s).items():
            assert numbers == list(range(1, len(numbers) + 1)) and numbers[-1] == _counters(s, "BC")[year]
        ids = [pid for pid in s.scalars(select(Child.personal_id)) if pid]
        assert len(ids) == len(set(ids))


def test_bad_arguments(db):
    with pytest.raises(ValueError):
        generate_demo(db, ACTOR, children=10, cases=31)
    with pytest.raises(ValueError):
        generate_demo(db, ACTOR, children=-1, cases=0)


def test_empty_run(db):
    summary = generate_demo(db, ACTOR, children=5, cases=0, today=TODAY)
    assert (summary.children, summary.cases, summary.years) == (5, 0, [])
    with db.session() as s:
        assert s.scalar(select(func.count(DocumentCounter.id))) == 0


def test_received_on_working_hours_mostly(db):
    generate_demo(db, ACTOR, children=600, cases=400, today=TODAY)
    with db.session() as s:
        times = [r.astimezone(VN) for r in s.scalars(select(Intake.received_at))]
    office_hours = sum(time(7, 30) <= t.time() <= time(17, 0) and t.weekday() < 5 for t in times)
    assert office_hours / len(times) > 0.6
    assert all(t.date() < TODAY for t in times)
    assert min(t.date() for t in times) >= date(2023, 6, 1)
