"""county exchange: pushed lists, reconciliation, remembered import mappings

Revision ID: 0002
Revises: 0001

Remembered import mappings live in the `setting` table (no table of their own).
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('county_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=50), nullable=False),
    sa.Column('source_file', sa.String(length=255), nullable=False),
    sa.Column('list_date', sa.Date(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_county_list'))
    )
    op.create_table('county_list_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('head_name', sa.String(length=30), nullable=False),
    sa.Column('township', sa.String(length=50), nullable=False),
    sa.Column('village', sa.String(length=50), nullable=False),
    sa.Column('categories', sa.String(length=100), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('follow_up', sa.String(length=20), nullable=False),
    sa.Column('follow_up_note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['county_list.id'],
                            name=op.f('fk_county_list_entry_list_id_county_list'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_county_list_entry')),
    sa.UniqueConstraint('list_id', 'id_number', name=op.f('uq_county_list_entry_list_id'))
    )
    with op.batch_alter_table('county_list_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_county_list_entry_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_county_list_entry_list_id'), ['list_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('county_list_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_county_list_entry_list_id'))
        batch_op.drop_index(batch_op.f('ix_county_list_entry_id_number'))
    op.drop_table('county_list_entry')
    op.drop_table('county_list')
