"""Sub-groups of the 14 groups as NĐ 56 Điều 3–16 (stored memberships mapped, the rest flagged "cần xem
lại"); a separation keeps its original duration when extended; the incident report upward

Revision ID: 0005
Revises: 0003, 0004
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0005'
down_revision = ('0003', '0004')
branch_labels = None
depends_on = None

# (group, sub-group number before this revision) → (sub-group number now, or None when no sub-group of
# the decree has the same meaning; the words the program showed before). The numbering now is the
# clause of NĐ 56 Điều 3–16 (resources/special_groups.json). Frozen here: the migration must not depend
# on a data file that later releases may change.
OLD_SUBGROUPS = {
    ('a', 1): (1, 'Trẻ em mồ côi cả cha và mẹ không có người chăm sóc'),
    ('a', 2): (2, 'Trẻ em mồ côi cả cha và mẹ được nuôi dưỡng trong cơ sở cung cấp dịch vụ bảo vệ trẻ em hoặc cơ sở trợ giúp xã hội'),
    ('a', 3): (3, 'Trẻ em mồ côi cả cha và mẹ sống với người thân thích'),
    ('a', 4): (4, 'Trẻ em mồ côi cả cha và mẹ được nhận chăm sóc thay thế bởi cá nhân, gia đình không phải người thân thích, trừ trường hợp được nhận làm con nuôi'),
    ('b', 1): (1, 'Trẻ em bị bỏ rơi chưa được chăm sóc thay thế'),
    ('b', 2): (2, 'Trẻ em bị bỏ rơi được chăm sóc thay thế'),
    ('c', 1): (1, 'Trẻ em mồ côi cha hoặc mẹ và người còn lại mất tích theo quy định của pháp luật'),
    ('c', 2): (2, 'Trẻ em mồ côi cha hoặc mẹ và người còn lại đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội hoặc không còn khả năng chăm sóc, nuôi dưỡng'),
    ('c', 3): (3, 'Trẻ em mồ côi cha hoặc mẹ và người còn lại đang chấp hành án phạt tù tại trại giam hoặc đang chấp hành quyết định đưa vào cơ sở giáo dục bắt buộc, cơ sở cai nghiện bắt buộc'),
    ('c', 4): (4, 'Trẻ em có cả cha và mẹ mất tích theo quy định của pháp luật'),
    ('c', 5): (5, 'Trẻ em có cha hoặc mẹ mất tích theo quy định của pháp luật và người còn lại đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội'),
    ('c', 6): (6, 'Trẻ em có cha hoặc mẹ mất tích theo quy định của pháp luật và người còn lại đang chấp hành án phạt tù tại trại giam hoặc đang chấp hành quyết định đưa vào cơ sở giáo dục bắt buộc, cơ sở cai nghiện bắt buộc'),
    ('c', 7): (8, 'Trẻ em có cả cha và mẹ đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội'),
    ('c', 8): (9, 'Trẻ em có cả cha và mẹ đang chấp hành án phạt tù tại trại giam hoặc đang chấp hành quyết định đưa vào cơ sở giáo dục bắt buộc, cơ sở cai nghiện bắt buộc'),
    ('c', 9): (None, 'Trẻ em có cha hoặc mẹ đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội và người còn lại không còn khả năng chăm sóc, nuôi dưỡng'),
    ('c', 10): (10, 'Trẻ em có cha hoặc mẹ đang hưởng chế độ chăm sóc, nuôi dưỡng tại cơ sở trợ giúp xã hội và người còn lại đang chấp hành án phạt tù tại trại giam hoặc đang chấp hành quyết định đưa vào cơ sở giáo dục bắt buộc, cơ sở cai nghiện bắt buộc'),
    ('c', 11): (11, 'Trẻ em sống trong gia đình có cả cha và mẹ trong độ tuổi trẻ em'),
    ('c', 12): (12, 'Trẻ em có cả cha và mẹ bị hạn chế quyền làm cha mẹ hoặc tạm thời cách ly khỏi cha hoặc mẹ theo quy định của pháp luật'),
    ('d', 1): (1, 'Trẻ em khuyết tật đặc biệt nặng'),
    ('d', 2): (2, 'Trẻ em khuyết tật nặng'),
    ('d', 3): (3, 'Trẻ em khuyết tật nhẹ'),
    ('đ', 1): (1, 'Trẻ em nhiễm HIV/AIDS'),
    ('e', 1): (None, 'Trẻ em vi phạm pháp luật đang bị áp dụng biện pháp xử lý vi phạm hành chính giáo dục tại xã, phường, thị trấn'),
    ('e', 2): (1, 'Trẻ em vi phạm pháp luật đang được áp dụng biện pháp quản lý tại gia đình'),
    ('e', 3): (None, 'Trẻ em vi phạm pháp luật đang bị áp dụng biện pháp đưa vào trường giáo dưỡng'),
    ('e', 4): (None, 'Trẻ em vi phạm pháp luật đang chấp hành án phạt tù hoặc được áp dụng biện pháp giám sát, giáo dục theo quy định của pháp luật hình sự'),
    ('g', 1): (2, 'Trẻ em nghiện ma túy đang cai nghiện tại gia đình hoặc cộng đồng'),
    ('g', 2): (1, 'Trẻ em nghiện ma túy đang cai nghiện tại cơ sở cai nghiện'),
    ('h', 1): (None, 'Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở, đang sống cùng gia đình'),
    ('h', 2): (None, 'Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở, không sống cùng gia đình'),
    ('i', 1): (1, 'Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực'),
    ('k', 1): (1, 'Trẻ em phải lao động trái quy định của pháp luật về lao động'),
    ('k', 2): (2, 'Trẻ em bị sử dụng để trình diễn hoặc sản xuất sản phẩm khiêu dâm'),
    ('k', 3): (3, 'Trẻ em bị tổ chức, hỗ trợ hoạt động du lịch nhằm mục đích xâm hại tình dục trẻ em'),
    ('k', 4): (3, 'Trẻ em bị cho, nhận hoặc cung cấp để hoạt động mại dâm'),
    ('k', 5): (5, 'Trẻ em bị sử dụng vào các hành vi khác để trục lợi'),
    ('l', 1): (1, 'Trẻ em bị hiếp dâm'),
    ('l', 2): (2, 'Trẻ em bị cưỡng dâm'),
    ('l', 3): (3, 'Trẻ em bị giao cấu'),
    ('l', 4): (4, 'Trẻ em bị dâm ô'),
    ('l', 5): (5, 'Trẻ em bị sử dụng vào mục đích mại dâm, khiêu dâm dưới mọi hình thức'),
    ('m', 1): (None, 'Trẻ em bị mua bán đang được tiếp nhận, xác minh, bảo vệ và hỗ trợ'),
    ('m', 2): (None, 'Trẻ em bị mua bán đã trở về gia đình, cộng đồng'),
    ('n', 1): (None, 'Trẻ em mắc bệnh hiểm nghèo thuộc hộ nghèo hoặc hộ cận nghèo'),
    ('n', 2): (None, 'Trẻ em mắc bệnh phải điều trị dài ngày thuộc hộ nghèo hoặc hộ cận nghèo'),
    ('o', 1): (None, 'Trẻ em di cư chưa xác định được cha mẹ hoặc không có người chăm sóc'),
    ('o', 2): (None, 'Trẻ em lánh nạn chưa xác định được cha mẹ hoặc không có người chăm sóc'),
    ('o', 3): (None, 'Trẻ em tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc'),
}


def upgrade() -> None:
    with op.batch_alter_table('child_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_needed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('old_subgroup', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('old_subgroup_text', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reviewed_at', models.base.AwareDateTime(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by', sa.String(length=40), nullable=False, server_default=''))
    with op.batch_alter_table('separation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_duration_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('original_order_number', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('original_order_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('original_order_body', sa.String(length=200), nullable=False, server_default=''))
    op.create_table('incident_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('phoned_at', models.base.AwareDateTime(), nullable=True),
    sa.Column('phoned_to', sa.String(length=200), nullable=False),
    sa.Column('phoned_by', sa.String(length=120), nullable=False),
    sa.Column('recipient', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('actions_taken', sa.Text(), nullable=False),
    sa.Column('proposals', sa.Text(), nullable=False),
    sa.Column('anonymised', sa.Boolean(), nullable=False),
    sa.Column('signer', sa.String(length=120), nullable=False),
    sa.Column('signing_capacity', sa.String(length=20), nullable=False),
    sa.Column('doc_year', sa.Integer(), nullable=True),
    sa.Column('doc_number', sa.Integer(), nullable=True),
    sa.Column('report_date', sa.Date(), nullable=True),
    sa.Column('issued_at', models.base.AwareDateTime(), nullable=True),
    sa.Column('issued_by_user', sa.String(length=40), nullable=False),
    sa.Column('untracked', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_incident_report_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_report')),
    sa.UniqueConstraint('doc_year', 'doc_number', name=op.f('uq_incident_report_doc_year'))
    )
    with op.batch_alter_table('incident_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_report_case_id'), ['case_id'], unique=False)
    _map_memberships()
    _mark_cases_before_incident_reports()


def _mark_cases_before_incident_reports() -> None:
    """Cases of abuse already in the file were reported upward (or not) outside the program: a marker row
    each, so the to-do list does not call every one of them overdue. Cases entered from now on get the
    one-day reminder."""
    from datetime import datetime, timezone

    conn = op.get_bind()
    intake = sa.table('intake', sa.column('case_id', sa.Integer), sa.column('category', sa.String))
    report = sa.table('incident_report', sa.column('case_id', sa.Integer), sa.column('phoned_to', sa.String),
                      sa.column('phoned_by', sa.String), sa.column('recipient', sa.String),
                      sa.column('summary', sa.Text), sa.column('actions_taken', sa.Text),
                      sa.column('proposals', sa.Text), sa.column('anonymised', sa.Boolean),
                      sa.column('signer', sa.String), sa.column('signing_capacity', sa.String),
                      sa.column('issued_by_user', sa.String), sa.column('untracked', sa.Boolean),
                      sa.column('created_at', models.base.AwareDateTime()), sa.column('created_by', sa.String))
    cases = [cid for (cid,) in conn.execute(sa.select(intake.c.case_id).where(intake.c.category == 'bi_xam_hai'))]
    moment = datetime.now(timezone.utc)
    if cases:
        conn.execute(report.insert(), [dict(
            case_id=cid, phoned_to='', phoned_by='', recipient='', summary='', actions_taken='', proposals='',
            anonymised=True, signer='', signing_capacity='chu_tich', issued_by_user='', untracked=True,
            created_at=moment, created_by='') for cid in cases])


def _map_memberships() -> None:
    """Each stored sub-group to the decree's sub-group of the same meaning; the others keep their group,
    lose the sub-group (None = not yet known), are flagged, and keep their former code and words. Nothing is
    deleted. Two memberships that would become the same row are not merged: the second is flagged instead."""
    conn = op.get_bind()
    t = sa.table('child_group', sa.column('id', sa.Integer), sa.column('child_id', sa.Integer),
                 sa.column('group_code', sa.String), sa.column('subgroup', sa.Integer),
                 sa.column('from_date', sa.Date), sa.column('review_needed', sa.Boolean),
                 sa.column('old_subgroup', sa.Integer), sa.column('old_subgroup_text', sa.Text))
    rows = conn.execute(sa.select(t.c.id, t.c.child_id, t.c.group_code, t.c.subgroup, t.c.from_date)
                        .order_by(t.c.id)).all()
    taken: set = set()
    changes: list[tuple[int, int | None, bool, int, str]] = []
    unchanged = []
    for rid, child, code, sub, start in rows:
        known = OLD_SUBGROUPS.get((code, sub)) if sub is not None else None
        if known is None or known[0] == sub:
            unchanged.append((rid, child, code, sub, start))
            taken.add((child, code, sub, start))
    for rid, child, code, sub, start in rows:
        known = OLD_SUBGROUPS.get((code, sub)) if sub is not None else None
        if known is None or known[0] == sub:
            continue
        new, text = known
        key = (child, code, new, start)
        if new is not None and key not in taken:
            taken.add(key)
            changes.append((rid, new, False, sub, text))
        else:
            changes.append((rid, None, True, sub, text))
    # Two passes so that no intermediate state breaks the (child, group, sub-group, from) uniqueness.
    for rid, *_ in changes:
        conn.execute(t.update().where(t.c.id == rid).values(subgroup=None))
    for rid, new, review, old, text in changes:
        conn.execute(t.update().where(t.c.id == rid).values(
            subgroup=new, review_needed=review, old_subgroup=old, old_subgroup_text=text))


def downgrade() -> None:
    conn = op.get_bind()
    t = sa.table('child_group', sa.column('id', sa.Integer), sa.column('subgroup', sa.Integer),
                 sa.column('old_subgroup', sa.Integer))
    moved = conn.execute(sa.select(t.c.id, t.c.old_subgroup).where(t.c.old_subgroup.is_not(None))).all()
    for rid, _old in moved:
        conn.execute(t.update().where(t.c.id == rid).values(subgroup=None))
    for rid, old in moved:
        conn.execute(t.update().where(t.c.id == rid).values(subgroup=old))
    with op.batch_alter_table('incident_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_report_case_id'))
    op.drop_table('incident_report')
    with op.batch_alter_table('separation', schema=None) as batch_op:
        batch_op.drop_column('original_order_body')
        batch_op.drop_column('original_order_date')
        batch_op.drop_column('original_order_number')
        batch_op.drop_column('original_duration_days')
    with op.batch_alter_table('child_group', schema=None) as batch_op:
        batch_op.drop_column('reviewed_by')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('old_subgroup_text')
        batch_op.drop_column('old_subgroup')
        batch_op.drop_column('review_needed')
