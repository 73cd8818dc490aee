"""the office's tables: school-year rollovers (学年结转), each student's place in every closed school
year, and why and when a student left (转出, 毕业, 休学 …)

Revision ID: 0011
Revises: 0010

New tables only: existing data is not touched.
"""
from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rollover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('backup_file', sa.String(length=255), nullable=False),
    sa.Column('promoted', sa.Integer(), nullable=False),
    sa.Column('graduated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rollover')),
    sa.UniqueConstraint('school_year', name=op.f('uq_rollover_school_year'))
    )
    op.create_table('student_exit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('enrolment', sa.String(length=10), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('to_school', sa.String(length=100), nullable=False),
    sa.Column('by', sa.String(length=60), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_student_exit_student_id_student'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student_exit')),
    sa.UniqueConstraint('student_id', name=op.f('uq_student_exit_student_id'))
    )
    op.create_table('student_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('grade', sa.String(length=10), nullable=False),
    sa.Column('class_name', sa.String(length=20), nullable=False),
    sa.Column('enrolment', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_student_year_student_id_student'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_student_year')),
    sa.UniqueConstraint('student_id', 'school_year', name=op.f('uq_student_year_student_id'))
    )
    op.create_index(op.f('ix_student_year_student_id'), 'student_year', ['student_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_student_year_student_id'), table_name='student_year')
    op.drop_table('student_year')
    op.drop_table('student_exit')
    op.drop_table('rollover')
