"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 07:25:26.416497
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('child',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('estimated_age', sa.Integer(), nullable=True),
    sa.Column('gender', sa.String(length=12), nullable=False),
    sa.Column('ethnicity', sa.String(length=60), nullable=False),
    sa.Column('personal_id', sa.String(length=12), nullable=True),
    sa.Column('village', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('updated_at', models.base.AwareDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child'))
    )
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_personal_id'), ['personal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_sort_key'), ['sort_key'], unique=False)

    op.create_table('document_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_counter')),
    sa.UniqueConstraint('kind', 'year', name=op.f('uq_document_counter_kind'))
    )
    op.create_table('office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province', sa.String(length=120), nullable=False),
    sa.Column('commune_name', sa.String(length=120), nullable=False),
    sa.Column('commune_kind', sa.String(length=10), nullable=False),
    sa.Column('agency_name', sa.String(length=200), nullable=False),
    sa.Column('agency_abbrev', sa.String(length=30), nullable=False),
    sa.Column('place_name', sa.String(length=120), nullable=False),
    sa.Column('chairman_name', sa.String(length=120), nullable=False),
    sa.Column('vice_chairmen', sa.Text(), nullable=False),
    sa.Column('worker_name', sa.String(length=120), nullable=False),
    sa.Column('worker_phone', sa.String(length=30), nullable=False),
    sa.Column('report_recipient', sa.String(length=200), nullable=False),
    sa.Column('updated_at', models.base.AwareDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('occupation', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    op.create_table('case_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('closed_at', models.base.AwareDateTime(), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_case_file_child_id_child'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('code', name=op.f('uq_case_file_code'))
    )
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_file_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_opened_at'), ['opened_at'], unique=False)

    op.create_table('child_relation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_child_relation_child_id_child'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_child_relation_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_relation')),
    sa.UniqueConstraint('child_id', 'person_id', 'role', name=op.f('uq_child_relation_child_id'))
    )
    with op.batch_alter_table('child_relation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_relation_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_relation_person_id'), ['person_id'], unique=False)

    op.create_table('case_abuse_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_abuse_form_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_abuse_form')),
    sa.UniqueConstraint('case_id', 'code', name=op.f('uq_case_abuse_form_case_id'))
    )
    with op.batch_alter_table('case_abuse_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_abuse_form_case_id'), ['case_id'], unique=False)

    op.create_table('draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('updated_at', models.base.AwareDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_draft_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft'))
    )
    op.create_table('intake',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('doc_year', sa.Integer(), nullable=False),
    sa.Column('doc_number', sa.Integer(), nullable=False),
    sa.Column('report_date', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('received_at', models.base.AwareDateTime(), nullable=False),
    sa.Column('receiving_officer', sa.String(length=120), nullable=False),
    sa.Column('incident_place', sa.Text(), nullable=False),
    sa.Column('child_condition', sa.Text(), nullable=False),
    sa.Column('predicted_consequences', sa.Text(), nullable=False),
    sa.Column('family_situation', sa.Text(), nullable=False),
    sa.Column('current_caregiver', sa.Text(), nullable=False),
    sa.Column('prior_actions', sa.Text(), nullable=False),
    sa.Column('informant_consent', sa.Boolean(), nullable=False),
    sa.Column('informant_name', sa.String(length=120), nullable=False),
    sa.Column('informant_phone', sa.String(length=30), nullable=False),
    sa.Column('informant_address', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.AwareDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_intake_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake')),
    sa.UniqueConstraint('case_id', name=op.f('uq_intake_case_id')),
    sa.UniqueConstraint('doc_year', 'doc_number', name=op.f('uq_intake_doc_year'))
    )


def downgrade() -> None:
    op.drop_table('intake')
    op.drop_table('draft')
    with op.batch_alter_table('case_abuse_form', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_abuse_form_case_id'))

    op.drop_table('case_abuse_form')
    with op.batch_alter_table('child_relation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_relation_person_id'))
        batch_op.drop_index(batch_op.f('ix_child_relation_child_id'))

    op.drop_table('child_relation')
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_file_opened_at'))
        batch_op.drop_index(batch_op.f('ix_case_file_child_id'))

    op.drop_table('case_file')
    op.drop_table('person')
    op.drop_table('office')
    op.drop_table('document_counter')
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_sort_key'))
        batch_op.drop_index(batch_op.f('ix_child_personal_id'))
        batch_op.drop_index(batch_op.f('ix_child_name_key'))

    op.drop_table('child')
