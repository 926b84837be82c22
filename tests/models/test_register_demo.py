from datetime import date

from sqlalchemy import func, select

from models.demo import generate_demo
from models.register_demo import add_register_demo
from models.register_entities import GroupMembership, SupportEntry
from models.services.register import special_groups


def test_register_demo_gives_a_share_of_children_groups(office_db, actor):
    generate_demo(office_db, actor, children=2000, cases=400, today=date(2026, 11, 20))
    summary = add_register_demo(office_db, actor, today=date(2026, 11, 20))
    assert 60 < summary.children_in_groups < 400 and summary.support > 0
    with office_db.session() as s:
        for code, sub in s.execute(select(GroupMembership.group_code, GroupMembership.subgroup)):
            assert 1 <= sub <= len(special_groups()[code].subgroups)
        assert s.scalar(select(func.count(SupportEntry.id))) == summary.support
    again = add_register_demo(office_db, actor, today=date(2026, 11, 20))
    assert again.memberships == 0  # children already in the register are left alone
