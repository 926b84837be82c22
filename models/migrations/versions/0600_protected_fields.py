"""Children's personal fields and the free-text accounts encrypted on the client in the server mode
(models/field_crypto.py): the office's wrapped field key, the blind-index tokens of the children, the office's key
file shared with the workstations (models/server_keys.py), and on PostgreSQL the protected columns become TEXT (an
encrypted value is longer than the clear one). The single-PC file
keeps its columns as they are: there nothing is encrypted by the program (the whole file is).

Revision ID: 0600
Revises: 0400, 0500
"""
from alembic import op
import sqlalchemy as sa


revision = '0600'
down_revision = ('0400', '0500')
branch_labels = None
depends_on = None

# The protected columns that were VARCHAR(n): table → columns (the TEXT ones need nothing).
WIDENED = {
    'child': ('full_name', 'name_key', 'sort_key', 'personal_id', 'village', 'address'),
    'person': ('full_name', 'occupation', 'phone', 'address'),
    'intake': ('informant_name', 'informant_phone', 'informant_address'),
    'carer': ('full_name', 'name_key', 'personal_id', 'occupation', 'phone', 'village', 'address',
              'relation_to_child'),
    'separation': ('carer_name', 'carer_address'),
    'attachment': ('note', 'file_name'),
}


def upgrade() -> None:
    op.create_table(
        'field_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_id', sa.String(length=16), nullable=False),
        sa.Column('wrapped', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_field_key')),
    )
    op.create_table(
        'child_token',
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('token', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_child_token_child_id_child'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('child_id', 'token', name=op.f('pk_child_token')),
    )
    op.create_index(op.f('ix_child_token_token'), 'child_token', ['token'], unique=False)
    op.create_table(
        'key_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_key_file')),
    )
    if op.get_bind().dialect.name == 'postgresql':
        for table, columns in WIDENED.items():
            for column in columns:
                op.alter_column(table, column, type_=sa.Text())


def downgrade() -> None:
    op.drop_table('key_file')
    op.drop_index(op.f('ix_child_token_token'), table_name='child_token')
    op.drop_table('child_token')
    op.drop_table('field_key')
