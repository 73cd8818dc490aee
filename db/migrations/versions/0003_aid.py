"""aid: programmes and standards, term batches, disbursements, verification visits

Revision ID: 0003
Revises: 0002

The standards table is seeded on first use (db.aid.standards), not here, so that the seeded
figures can be edited in code without rewriting a migration.
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('aid_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_key', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.Integer(), nullable=False),
    sa.Column('planned_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_batch')),
    sa.UniqueConstraint('term_key', name=op.f('uq_aid_batch_term_key'))
    )
    op.create_table('aid_standard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme', sa.String(length=40), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('from_term', sa.Integer(), nullable=True),
    sa.Column('to_term', sa.Integer(), nullable=True),
    sa.Column('categories', sa.String(length=200), nullable=False),
    sa.Column('residence', sa.String(length=4), nullable=False),
    sa.Column('grades', sa.String(length=100), nullable=False),
    sa.Column('yearly_fen', sa.Integer(), nullable=False),
    sa.Column('per_day_fen', sa.Integer(), nullable=False),
    sa.Column('school_days', sa.Integer(), nullable=False),
    sa.Column('tiers', sa.String(length=100), nullable=False),
    sa.Column('spring_share', sa.Integer(), nullable=False),
    sa.Column('cash', sa.Boolean(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_standard'))
    )
    op.create_table('visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('term_key', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('told', sa.Text(), nullable=False),
    sa.Column('statement_filed', sa.Boolean(), nullable=True),
    sa.Column('family_remarks', sa.Text(), nullable=False),
    sa.Column('follow_up', sa.Boolean(), nullable=False),
    sa.Column('follow_up_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_visit_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['liaison_officer.id'], name=op.f('fk_visit_officer_id_liaison_officer'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_term_key'), ['term_key'], unique=False)

    op.create_table('disbursement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=True),
    sa.Column('standard_version', sa.Integer(), nullable=True),
    sa.Column('programme', sa.String(length=40), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('computed_fen', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('adjusted', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('card_no', sa.String(length=19), nullable=True),
    sa.Column('bank_name', sa.String(length=50), nullable=False),
    sa.Column('card_holder', sa.String(length=30), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('verified_visit_id', sa.Integer(), nullable=True),
    sa.Column('void_reason', sa.String(length=200), nullable=False),
    sa.Column('voided_by', sa.String(length=30), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('reissue_of_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['aid_batch.id'], name=op.f('fk_disbursement_batch_id_aid_batch'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reissue_of_id'], ['disbursement.id'], name=op.f('fk_disbursement_reissue_of_id_disbursement'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['standard_id'], ['aid_standard.id'], name=op.f('fk_disbursement_standard_id_aid_standard'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_disbursement_student_id_student'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['verified_visit_id'], ['visit.id'], name=op.f('fk_disbursement_verified_visit_id_visit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disbursement'))
    )
    with op.batch_alter_table('disbursement', schema=None) as batch_op:
        batch_op.create_index('ix_disbursement_batch_status', ['batch_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_disbursement_student_id'), ['student_id'], unique=False)
        batch_op.create_index('uq_disbursement_live', ['batch_id', 'student_id', 'programme'], unique=True, sqlite_where=sa.text("status <> '已作废'"))

    op.create_table('disbursement_adjustment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('disbursement_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('old_fen', sa.Integer(), nullable=False),
    sa.Column('new_fen', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('by', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['disbursement_id'], ['disbursement.id'], name=op.f('fk_disbursement_adjustment_disbursement_id_disbursement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disbursement_adjustment'))
    )
    with op.batch_alter_table('disbursement_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disbursement_adjustment_disbursement_id'), ['disbursement_id'], unique=False)

    op.create_table('visit_payment',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('disbursement_id', sa.Integer(), nullable=False),
    sa.Column('received', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['disbursement_id'], ['disbursement.id'], name=op.f('fk_visit_payment_disbursement_id_disbursement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_payment_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'disbursement_id', name=op.f('pk_visit_payment'))
    )
    with op.batch_alter_table('visit_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_payment_disbursement_id'), ['disbursement_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('visit_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_payment_disbursement_id'))

    op.drop_table('visit_payment')
    with op.batch_alter_table('disbursement_adjustment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disbursement_adjustment_disbursement_id'))

    op.drop_table('disbursement_adjustment')
    with op.batch_alter_table('disbursement', schema=None) as batch_op:
        batch_op.drop_index('uq_disbursement_live', sqlite_where=sa.text("status <> '已作废'"))
        batch_op.drop_index(batch_op.f('ix_disbursement_student_id'))
        batch_op.drop_index('ix_disbursement_batch_status')

    op.drop_table('disbursement')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_term_key'))
        batch_op.drop_index(batch_op.f('ix_visit_officer_id'))
        batch_op.drop_index(batch_op.f('ix_visit_household_id'))

    op.drop_table('visit')
    op.drop_table('aid_standard')
    op.drop_table('aid_batch')
