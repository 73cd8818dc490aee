"""registry: school, households, students, officers, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-29 05:45:54.159730
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_table('liaison_officer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_liaison_officer'))
    )
    op.create_table('school',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('county', sa.String(length=50), nullable=False),
    sa.Column('township', sa.String(length=50), nullable=False),
    sa.Column('stages', sa.String(length=100), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('officer', sa.String(length=30), nullable=False),
    sa.Column('headmaster', sa.String(length=30), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('household',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_no', sa.String(length=40), nullable=True),
    sa.Column('head_name', sa.String(length=30), nullable=False),
    sa.Column('head_id_number', sa.String(length=18), nullable=True),
    sa.Column('township', sa.String(length=50), nullable=False),
    sa.Column('village', sa.String(length=50), nullable=False),
    sa.Column('group_name', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('poverty_status', sa.String(length=10), nullable=True),
    sa.Column('poverty_exit_year', sa.Integer(), nullable=True),
    sa.Column('liaison_officer_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['liaison_officer_id'], ['liaison_officer.id'], name=op.f('fk_household_liaison_officer_id_liaison_officer'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household')),
    sa.UniqueConstraint('household_no', name=op.f('uq_household_household_no'))
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index('ix_household_head_name', ['head_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_liaison_officer_id'), ['liaison_officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_township'), ['township'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_village'), ['village'], unique=False)

    op.create_table('student',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('name_pinyin', sa.String(length=120), nullable=False),
    sa.Column('name_initials', sa.String(length=30), nullable=False),
    sa.Column('gender', sa.String(length=2), nullable=True),
    sa.Column('ethnicity', sa.String(length=20), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('student_no', sa.String(length=19), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('stage', sa.String(length=10), nullable=True),
    sa.Column('grade', sa.String(length=10), nullable=False),
    sa.Column('class_name', sa.String(length=20), nullable=False),
    sa.Column('residence', sa.String(length=4), nullable=True),
    sa.Column('enrolment', sa.String(length=10), nullable=False),
    sa.Column('study_location', sa.String(length=10), nullable=True),
    sa.Column('study_school', sa.String(length=100), nullable=False),
    sa.Column('relation_to_head', sa.String(length=10), nullable=False),
    sa.Column('difficulty_level', sa.String(length=10), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('bank_card_no', sa.String(length=19), nullable=True),
    sa.Column('bank_name', sa.String(length=50), nullable=False),
    sa.Column('card_holder', sa.String(length=30), nullable=False),
    sa.Column('card_holder_relation', sa.String(length=10), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("gender IS NULL OR gender IN ('男','女')", name=op.f('ck_student_gender')),
    sa.CheckConstraint('id_number IS NULL OR length(id_number) = 18', name=op.f('ck_student_id_len')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_student_household_id_household'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student')),
    sa.UniqueConstraint('id_number', name=op.f('uq_student_id_number')),
    sa.UniqueConstraint('student_no', name=op.f('uq_student_student_no'))
    )
    with op.batch_alter_table('student', schema=None) as batch_op:
        batch_op.create_index('ix_student_grade_class', ['grade', 'class_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_name_initials'), ['name_initials'], unique=False)
        batch_op.create_index(batch_op.f('ix_student_name_pinyin'), ['name_pinyin'], unique=False)

    op.create_table('student_category',
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_student_category_student_id_student'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('student_id', 'category', name=op.f('pk_student_category'))
    )
    with op.batch_alter_table('student_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_student_category_category'), ['category'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('student_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_student_category_category'))

    op.drop_table('student_category')
    with op.batch_alter_table('student', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_student_name_pinyin'))
        batch_op.drop_index(batch_op.f('ix_student_name_initials'))
        batch_op.drop_index(batch_op.f('ix_student_household_id'))
        batch_op.drop_index('ix_student_grade_class')

    op.drop_table('student')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_village'))
        batch_op.drop_index(batch_op.f('ix_household_township'))
        batch_op.drop_index(batch_op.f('ix_household_liaison_officer_id'))
        batch_op.drop_index('ix_household_head_name')

    op.drop_table('household')
    op.drop_table('setting')
    op.drop_table('school')
    op.drop_table('liaison_officer')
    op.drop_table('audit_log')

