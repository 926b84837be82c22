"""The search tokens keyed by (token, child id): a typed word's children read from the index alone

On the office server a typed word is looked up among the children's keyed tokens (models/field_crypto.py). Keyed
by (child id, token) with a second index on the token, the children of a common piece ("n", "ng": three children in
four at 200,000) were found one case at a time through the primary key (80,000 probes: 150 ms for the case list's
count). Keyed by (token, child id) they are one range of the primary key, read in child order from the index alone
(40 ms); the index on the child id serves the replacing of a child's tokens and the deleting of a child. The two
indexes are as large as the two before.

In the single-PC file the table is always empty (nothing is encrypted by the program there): it is made again.
On the server the keys are changed in place (at 200,000 children, 7 million tokens: about half a minute).

Revision ID: 0800
Revises: 0700
"""
from alembic import op
import sqlalchemy as sa

revision = '0800'
down_revision = ('0700',)
branch_labels = None
depends_on = None


def _remake(token_first: bool) -> None:
    """The table in the given shape (the single-PC file: nothing in it)."""
    op.drop_table('child_token')
    columns = ('token', 'child_id') if token_first else ('child_id', 'token')
    op.create_table(
        'child_token',
        sa.Column('token', sa.BigInteger(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_child_token_child_id_child'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint(*columns, name=op.f('pk_child_token')),
    )
    second = 'child_id' if token_first else 'token'
    op.create_index(op.f(f'ix_child_token_{second}'), 'child_token', [second], unique=False)


def _rekey(old_index: str, new_index: str, key: list[str]) -> None:
    op.drop_index(op.f(f'ix_child_token_{old_index}'), table_name='child_token')
    op.drop_constraint(op.f('pk_child_token'), 'child_token', type_='primary')
    op.create_primary_key(op.f('pk_child_token'), 'child_token', key)
    op.create_index(op.f(f'ix_child_token_{new_index}'), 'child_token', [new_index], unique=False)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _remake(token_first=True)
    else:
        _rekey('token', 'child_id', ['token', 'child_id'])


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _remake(token_first=False)
    else:
        _rekey('child_id', 'token', ['child_id', 'token'])
