"""seed ledgers (issue 17): 线上学习排查, 营养改善计划, 中职毕业生就业, 个性化帮扶

Revision ID: 0010
Revises: 0009

New tables only; nothing existing is touched. Survey rounds and checks (with each child's 二问三查 and
the problems found and fixed), the nutrition plan's terms, months, real-name list and 陪餐 log, the
graduates with their guidance and proof files (BLOB + SHA-256), and individual assistance with the
visits of a pairing.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('nutrition_meal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meal_date', sa.Date(), nullable=False),
    sa.Column('leader', sa.String(length=30), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('meal', sa.String(length=4), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nutrition_meal'))
    )
    with op.batch_alter_table('nutrition_meal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nutrition_meal_meal_date'), ['meal_date'], unique=False)

    op.create_table('nutrition_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_key', sa.Integer(), nullable=False),
    sa.Column('meal_model', sa.String(length=10), nullable=False),
    sa.Column('daily_fen', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nutrition_term')),
    sa.UniqueConstraint('term_key', name=op.f('uq_nutrition_term_term_key'))
    )
    op.create_table('survey_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_round')),
    sa.UniqueConstraint('name', name=op.f('uq_survey_round_name'))
    )
    op.create_table('nutrition_month',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('meal_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['nutrition_term.id'], name=op.f('fk_nutrition_month_term_id_nutrition_term'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nutrition_month')),
    sa.UniqueConstraint('term_id', 'month', name=op.f('uq_nutrition_month_term_id'))
    )
    with op.batch_alter_table('nutrition_month', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nutrition_month_term_id'), ['term_id'], unique=False)

    op.create_table('survey_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('check_date', sa.Date(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('unannounced', sa.Boolean(), nullable=False),
    sa.Column('has_tv', sa.Boolean(), nullable=True),
    sa.Column('has_phone', sa.Boolean(), nullable=True),
    sa.Column('has_computer', sa.Boolean(), nullable=True),
    sa.Column('net_broadband', sa.Boolean(), nullable=True),
    sa.Column('net_mobile', sa.Boolean(), nullable=True),
    sa.Column('net_cable', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_survey_check_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['liaison_officer.id'], name=op.f('fk_survey_check_officer_id_liaison_officer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['survey_round.id'], name=op.f('fk_survey_check_round_id_survey_round'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_check')),
    sa.UniqueConstraint('round_id', 'household_id', name=op.f('uq_survey_check_round_id'))
    )
    with op.batch_alter_table('survey_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_check_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_check_round_id'), ['round_id'], unique=False)

    op.create_table('assistance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('who', sa.String(length=60), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('amount_fen IS NULL OR amount_fen >= 0', name=op.f('ck_assistance_amount')),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_assistance_student_id_student'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistance'))
    )
    with op.batch_alter_table('assistance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assistance_student_id'), ['student_id'], unique=False)

    op.create_table('graduate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('grad_year', sa.Integer(), nullable=False),
    sa.Column('school', sa.String(length=100), nullable=False),
    sa.Column('major', sa.String(length=50), nullable=False),
    sa.Column('intention', sa.String(length=4), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('employer', sa.String(length=100), nullable=False),
    sa.Column('place', sa.String(length=4), nullable=False),
    sa.Column('job', sa.String(length=50), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('contract', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('next_action', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_graduate_student_id_student'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_graduate')),
    sa.UniqueConstraint('student_id', name=op.f('uq_graduate_student_id'))
    )
    with op.batch_alter_table('graduate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_graduate_grad_year'), ['grad_year'], unique=False)

    op.create_table('nutrition_pupil',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('grade', sa.String(length=10), nullable=False),
    sa.Column('class_name', sa.String(length=20), nullable=False),
    sa.Column('from_month', sa.String(length=7), nullable=False),
    sa.Column('to_month', sa.String(length=7), nullable=True),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_nutrition_pupil_student_id_student'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['term_id'], ['nutrition_term.id'], name=op.f('fk_nutrition_pupil_term_id_nutrition_term'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nutrition_pupil')),
    sa.UniqueConstraint('term_id', 'student_id', name=op.f('uq_nutrition_pupil_term_id'))
    )
    with op.batch_alter_table('nutrition_pupil', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nutrition_pupil_student_id'), ['student_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nutrition_pupil_term_id'), ['term_id'], unique=False)

    op.create_table('survey_child',
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('can_attend', sa.Boolean(), nullable=True),
    sa.Column('knows_how', sa.Boolean(), nullable=True),
    sa.Column('operates_well', sa.Boolean(), nullable=True),
    sa.Column('guidance_ok', sa.Boolean(), nullable=True),
    sa.Column('homework_ok', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['check_id'], ['survey_check.id'], name=op.f('fk_survey_child_check_id_survey_check'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_survey_child_student_id_student'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('check_id', 'student_id', name=op.f('pk_survey_child'))
    )
    with op.batch_alter_table('survey_child', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_child_student_id'), ['student_id'], unique=False)

    op.create_table('survey_problem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('fix', sa.String(length=10), nullable=False),
    sa.Column('how', sa.String(length=10), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('paid_by', sa.String(length=60), nullable=False),
    sa.Column('solved_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['check_id'], ['survey_check.id'], name=op.f('fk_survey_problem_check_id_survey_check'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_problem'))
    )
    with op.batch_alter_table('survey_problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_problem_check_id'), ['check_id'], unique=False)

    op.create_table('assistance_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assistance_id', sa.Integer(), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assistance_id'], ['assistance.id'], name=op.f('fk_assistance_visit_assistance_id_assistance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistance_visit'))
    )
    with op.batch_alter_table('assistance_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assistance_visit_assistance_id'), ['assistance_id'], unique=False)

    op.create_table('graduate_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by', sa.String(length=60), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['graduate_id'], ['graduate.id'], name=op.f('fk_graduate_file_graduate_id_graduate'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_graduate_file'))
    )
    with op.batch_alter_table('graduate_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_graduate_file_graduate_id'), ['graduate_id'], unique=False)

    op.create_table('graduate_guidance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('graduate_id', sa.Integer(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('by', sa.String(length=30), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['graduate_id'], ['graduate.id'], name=op.f('fk_graduate_guidance_graduate_id_graduate'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_graduate_guidance'))
    )
    with op.batch_alter_table('graduate_guidance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_graduate_guidance_graduate_id'), ['graduate_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('graduate_guidance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_graduate_guidance_graduate_id'))

    op.drop_table('graduate_guidance')
    with op.batch_alter_table('graduate_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_graduate_file_graduate_id'))

    op.drop_table('graduate_file')
    with op.batch_alter_table('assistance_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assistance_visit_assistance_id'))

    op.drop_table('assistance_visit')
    with op.batch_alter_table('survey_problem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_problem_check_id'))

    op.drop_table('survey_problem')
    with op.batch_alter_table('survey_child', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_child_student_id'))

    op.drop_table('survey_child')
    with op.batch_alter_table('nutrition_pupil', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nutrition_pupil_term_id'))
        batch_op.drop_index(batch_op.f('ix_nutrition_pupil_student_id'))

    op.drop_table('nutrition_pupil')
    with op.batch_alter_table('graduate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_graduate_grad_year'))

    op.drop_table('graduate')
    with op.batch_alter_table('assistance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assistance_student_id'))

    op.drop_table('assistance')
    with op.batch_alter_table('survey_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_check_round_id'))
        batch_op.drop_index(batch_op.f('ix_survey_check_household_id'))

    op.drop_table('survey_check')
    with op.batch_alter_table('nutrition_month', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nutrition_month_term_id'))

    op.drop_table('nutrition_month')
    op.drop_table('survey_round')
    op.drop_table('nutrition_term')
    with op.batch_alter_table('nutrition_meal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nutrition_meal_meal_date'))

    op.drop_table('nutrition_meal')
