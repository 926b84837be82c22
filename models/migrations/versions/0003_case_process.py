"""Case process after intake: Mẫu 02–07, the case meeting, plan versions and progress, reviews,
closing/reopening history, the user's calendar edits

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_edit')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_edit_day'))
    )
    op.create_table('emergency_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('taken_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=False),
    sa.Column('carried_out_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_emergency_measure_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_measure'))
    )
    with op.batch_alter_table('emergency_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emergency_measure_case_id'), ['case_id'], unique=False)

    op.create_table('initial_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('assessor', sa.String(length=120), nullable=False),
    sa.Column('assessed_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('threat_life', sa.Boolean(), nullable=False),
    sa.Column('threat_health', sa.Boolean(), nullable=False),
    sa.Column('threat_dignity', sa.Boolean(), nullable=False),
    sa.Column('threat_description', sa.Text(), nullable=False),
    sa.Column('caregiver_is_abuser', sa.Boolean(), nullable=False),
    sa.Column('abuser_can_reach', sa.Boolean(), nullable=False),
    sa.Column('abuser_access_description', sa.Text(), nullable=False),
    sa.Column('safety_measures', sa.Text(), nullable=False),
    sa.Column('needs_emergency_by_rule', sa.Boolean(), nullable=False),
    sa.Column('needs_emergency', sa.Boolean(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('completed_at', models.base.AwareDateTime(), nullable=True),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_initial_assessment_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initial_assessment')),
    sa.UniqueConstraint('case_id', name=op.f('uq_initial_assessment_case_id'))
    )
    op.create_table('risk_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('assessor', sa.String(length=120), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('child_opinion', sa.Text(), nullable=False),
    sa.Column('parents_opinion', sa.Text(), nullable=False),
    sa.Column('parents_opinion_skipped', sa.Boolean(), nullable=False),
    sa.Column('parents_skip_reason', sa.Text(), nullable=False),
    sa.Column('service_needs', sa.JSON(), nullable=False),
    sa.Column('service_needs_note', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_risk_assessment_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_assessment'))
    )
    with op.batch_alter_table('risk_assessment', schema=None) as batch_op:
        batch_op.create_index('ix_risk_assessment_case_created', ['case_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_assessment_case_id'), ['case_id'], unique=False)

    op.create_table('separation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('grounds', sa.JSON(), nullable=False),
    sa.Column('separated_from', sa.Text(), nullable=False),
    sa.Column('safe_place', sa.Text(), nullable=False),
    sa.Column('carer_kind', sa.String(length=30), nullable=False),
    sa.Column('carer_name', sa.String(length=200), nullable=False),
    sa.Column('carer_address', sa.String(length=300), nullable=False),
    sa.Column('executing_officer', sa.String(length=200), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('start_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('duration_days', sa.Integer(), nullable=False),
    sa.Column('order_number', sa.String(length=60), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=True),
    sa.Column('order_body', sa.String(length=200), nullable=False),
    sa.Column('drafted_by', sa.String(length=120), nullable=False),
    sa.Column('drafted_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('doc_year', sa.Integer(), nullable=True),
    sa.Column('doc_number', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.String(length=120), nullable=False),
    sa.Column('signing_capacity', sa.String(length=20), nullable=False),
    sa.Column('decided_at', models.base.AwareDateTime(), nullable=True),
    sa.Column('decided_by_user', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('outcome_at', models.base.AwareDateTime(), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_separation_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_separation')),
    sa.UniqueConstraint('doc_year', 'doc_number', name=op.f('uq_separation_doc_year'))
    )
    with op.batch_alter_table('separation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_separation_case_id'), ['case_id'], unique=False)

    op.create_table('case_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('risk_assessment_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=30), nullable=False),
    sa.Column('held_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('ended_at', models.base.AwareDateTime(), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('chair_name', sa.String(length=120), nullable=False),
    sa.Column('chair_title', sa.String(length=120), nullable=False),
    sa.Column('secretary', sa.String(length=120), nullable=False),
    sa.Column('attendees', sa.JSON(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('conclusions', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_meeting_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['risk_assessment_id'], ['risk_assessment.id'], name=op.f('fk_case_meeting_risk_assessment_id_risk_assessment'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_meeting'))
    )
    with op.batch_alter_table('case_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_meeting_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_case_meeting_case_ra', ['case_id', 'risk_assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_meeting_risk_assessment_id'), ['risk_assessment_id'], unique=False)

    op.create_table('support_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('plan_no', sa.Integer(), nullable=False),
    sa.Column('risk_assessment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_support_plan_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['risk_assessment_id'], ['risk_assessment.id'], name=op.f('fk_support_plan_risk_assessment_id_risk_assessment'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plan')),
    sa.UniqueConstraint('case_id', 'plan_no', name=op.f('uq_support_plan_case_id'))
    )
    with op.batch_alter_table('support_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plan_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_plan_risk_assessment_id'), ['risk_assessment_id'], unique=False)

    op.create_table('activity_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('activity_key', sa.Integer(), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plan.id'], name=op.f('fk_activity_progress_plan_id_support_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_progress'))
    )
    with op.batch_alter_table('activity_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_progress_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('ix_activity_progress_status', ['plan_id', 'noted_on', 'activity_key', 'status'], unique=False)

    op.create_table('case_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('reviewer', sa.String(length=120), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('activities_result', sa.Text(), nullable=False),
    sa.Column('family_change', sa.Text(), nullable=False),
    sa.Column('community_change', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('outcome_reason', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_review_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plan.id'], name=op.f('fk_case_review_plan_id_support_plan'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_review')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_case_review_plan_id'))
    )
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_review_case_id'), ['case_id'], unique=False)

    op.create_table('plan_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('drafted_by', sa.String(length=120), nullable=False),
    sa.Column('drafted_on', sa.Date(), nullable=False),
    sa.Column('submitted_at', models.base.AwareDateTime(), nullable=True),
    sa.Column('submitted_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('updated_at', models.base.AwareDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plan.id'], name=op.f('fk_plan_version_plan_id_support_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_version')),
    sa.UniqueConstraint('plan_id', 'version', name=op.f('uq_plan_version_plan_id'))
    )
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_version_plan_id'), ['plan_id'], unique=False)

    op.create_table('case_status_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('at', models.base.AwareDateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_status_event_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['case_review.id'], name=op.f('fk_case_status_event_review_id_case_review'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_status_event'))
    )
    with op.batch_alter_table('case_status_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_status_event_case_id'), ['case_id'], unique=False)

    op.create_table('plan_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('coordinating', sa.String(length=200), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['plan_version.id'], name=op.f('fk_plan_activity_version_id_plan_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_activity'))
    )
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_activity_version_id'), ['version_id'], unique=False)

    op.create_table('plan_approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('doc_year', sa.Integer(), nullable=False),
    sa.Column('doc_number', sa.Integer(), nullable=False),
    sa.Column('plan_doc_year', sa.Integer(), nullable=False),
    sa.Column('plan_doc_number', sa.Integer(), nullable=False),
    sa.Column('approved_by', sa.String(length=120), nullable=False),
    sa.Column('signing_capacity', sa.String(length=20), nullable=False),
    sa.Column('approved_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('approved_by_user', sa.String(length=40), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['plan_version.id'], name=op.f('fk_plan_approval_version_id_plan_version'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_approval')),
    sa.UniqueConstraint('doc_year', 'doc_number', name=op.f('uq_plan_approval_doc_year')),
    sa.UniqueConstraint('plan_doc_year', 'plan_doc_number', name=op.f('uq_plan_approval_plan_doc_year')),
    sa.UniqueConstraint('version_id', name=op.f('uq_plan_approval_version_id'))
    )
    op.create_table('plan_objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('printed_id', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['plan_version.id'], name=op.f('fk_plan_objective_version_id_plan_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_objective'))
    )
    with op.batch_alter_table('plan_objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_objective_version_id'), ['version_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('plan_objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_objective_version_id'))

    op.drop_table('plan_objective')
    op.drop_table('plan_approval')
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_activity_version_id'))

    op.drop_table('plan_activity')
    with op.batch_alter_table('case_status_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_status_event_case_id'))

    op.drop_table('case_status_event')
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_version_plan_id'))

    op.drop_table('plan_version')
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_review_case_id'))

    op.drop_table('case_review')
    with op.batch_alter_table('activity_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_progress_status')
        batch_op.drop_index(batch_op.f('ix_activity_progress_plan_id'))

    op.drop_table('activity_progress')
    with op.batch_alter_table('support_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plan_risk_assessment_id'))
        batch_op.drop_index(batch_op.f('ix_support_plan_case_id'))

    op.drop_table('support_plan')
    with op.batch_alter_table('case_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_meeting_risk_assessment_id'))
        batch_op.drop_index('ix_case_meeting_case_ra')
        batch_op.drop_index(batch_op.f('ix_case_meeting_case_id'))

    op.drop_table('case_meeting')
    with op.batch_alter_table('separation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_separation_case_id'))

    op.drop_table('separation')
    with op.batch_alter_table('risk_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_assessment_case_id'))
        batch_op.drop_index('ix_risk_assessment_case_created')

    op.drop_table('risk_assessment')
    op.drop_table('initial_assessment')
    with op.batch_alter_table('emergency_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emergency_measure_case_id'))

    op.drop_table('emergency_measure')
    op.drop_table('calendar_edit')
