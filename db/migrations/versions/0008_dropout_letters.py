"""dropout control (控辍保学) cases, state changes and persuasion attempts; letters to out-of-province
schools (省外就读) and their phone follow-ups

Revision ID: 0008
Revises: 0007

New tables only: existing data is not touched.
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dropout_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=True),
    sa.Column('county_entry_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('gender', sa.String(length=2), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('grade', sa.String(length=10), nullable=False),
    sa.Column('class_name', sa.String(length=20), nullable=False),
    sa.Column('head_name', sa.String(length=30), nullable=False),
    sa.Column('township', sa.String(length=50), nullable=False),
    sa.Column('village', sa.String(length=50), nullable=False),
    sa.Column('guardian_name', sa.String(length=30), nullable=False),
    sa.Column('guardian_phone', sa.String(length=30), nullable=False),
    sa.Column('head_teacher', sa.String(length=30), nullable=False),
    sa.Column('liaison', sa.String(length=30), nullable=False),
    sa.Column('last_at_school', sa.Date(), nullable=True),
    sa.Column('absent_days', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('reason_note', sa.Text(), nullable=False),
    sa.Column('registered_poor', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=6), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('state_since', sa.Date(), nullable=False),
    sa.Column('prior_enrolment', sa.String(length=10), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('return_class', sa.String(length=30), nullable=False),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('follow_up_note', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('close_reason', sa.String(length=10), nullable=False),
    sa.Column('close_school', sa.String(length=100), nullable=False),
    sa.Column('close_location', sa.String(length=10), nullable=False),
    sa.Column('close_evidence', sa.Text(), nullable=False),
    sa.Column('approved_by', sa.String(length=100), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('special_ref', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.CheckConstraint("state IN ('疑似辍学','辍学','劝返中','复学','销号')", name=op.f('ck_dropout_case_state')),
    sa.ForeignKeyConstraint(['county_entry_id'], ['county_list_entry.id'], name=op.f('fk_dropout_case_county_entry_id_county_list_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_dropout_case_household_id_household'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_dropout_case_student_id_student'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dropout_case'))
    )
    with op.batch_alter_table('dropout_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dropout_case_id_number'), ['id_number'], unique=False)
        batch_op.create_index('ix_dropout_case_state', ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_dropout_case_student_id'), ['student_id'], unique=False)
        batch_op.create_index('uq_dropout_case_open_id', ['id_number'], unique=True, sqlite_where=sa.text("state IN ('疑似辍学','辍学','劝返中')"), postgresql_where=sa.text("state IN ('疑似辍学','辍学','劝返中')"))

    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('letter_date', sa.Date(), nullable=False),
    sa.Column('term_key', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=True),
    sa.Column('child_name', sa.String(length=30), nullable=False),
    sa.Column('child_gender', sa.String(length=2), nullable=False),
    sa.Column('child_id_number', sa.String(length=18), nullable=True),
    sa.Column('child_stage', sa.String(length=10), nullable=False),
    sa.Column('child_grade', sa.String(length=20), nullable=False),
    sa.Column('head_name', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('poverty_status', sa.String(length=10), nullable=False),
    sa.Column('poverty_exit_year', sa.Integer(), nullable=True),
    sa.Column('to_school', sa.String(length=100), nullable=False),
    sa.Column('to_province', sa.String(length=20), nullable=False),
    sa.Column('to_city', sa.String(length=30), nullable=False),
    sa.Column('to_county', sa.String(length=30), nullable=False),
    sa.Column('to_address', sa.String(length=200), nullable=False),
    sa.Column('to_contact', sa.String(length=30), nullable=False),
    sa.Column('to_phone', sa.String(length=30), nullable=False),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('sent_how', sa.String(length=10), nullable=False),
    sa.Column('tracking_no', sa.String(length=40), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('reply_due', sa.Date(), nullable=True),
    sa.Column('reply_on', sa.Date(), nullable=True),
    sa.Column('result', sa.String(length=10), nullable=False),
    sa.Column('reply_note', sa.Text(), nullable=False),
    sa.Column('reply_programme', sa.String(length=60), nullable=False),
    sa.Column('reply_term', sa.String(length=20), nullable=False),
    sa.Column('reply_amount_fen', sa.Integer(), nullable=True),
    sa.Column('reply_handler', sa.String(length=30), nullable=False),
    sa.Column('reply_phone', sa.String(length=30), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('void_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_letter_student_id_student'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_letter_year'))
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_student_id'), ['student_id'], unique=False)

    op.create_table('dropout_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('people', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('result_note', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('next_date', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('by', sa.String(length=60), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dropout_case.id'], name=op.f('fk_dropout_attempt_case_id_dropout_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dropout_attempt'))
    )
    with op.batch_alter_table('dropout_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dropout_attempt_case_id'), ['case_id'], unique=False)
        batch_op.create_index('uq_dropout_attempt_seq', ['case_id', 'seq'], unique=True)

    op.create_table('dropout_transition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=6), nullable=False),
    sa.Column('to_state', sa.String(length=6), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('by', sa.String(length=60), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dropout_case.id'], name=op.f('fk_dropout_transition_case_id_dropout_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dropout_transition'))
    )
    with op.batch_alter_table('dropout_transition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dropout_transition_case_id'), ['case_id'], unique=False)

    op.create_table('letter_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('by', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_letter_call_letter_id_letter'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_call'))
    )
    with op.batch_alter_table('letter_call', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_call_letter_id'), ['letter_id'], unique=False)


def downgrade() -> None:
    for table in ("letter_call", "dropout_transition", "dropout_attempt", "letter", "dropout_case"):
        op.drop_table(table)
