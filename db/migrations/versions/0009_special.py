"""special needs: placement files (一人一案), assessments, placements, plans, 送教上门 visits,
the 免于学习名册 and attachments stored in the database

Revision ID: 0009
Revises: 0008

Attachments are immutable: triggers refuse an UPDATE of their bytes, and of the hash, size and type
recorded for them (the kind, date and note stay editable). They can be added and deleted, never
changed in place.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = "0008"
branch_labels = None
depends_on = None

TRIGGERS = {
    "special_attachment_data_no_update":
        "CREATE TRIGGER special_attachment_data_no_update BEFORE UPDATE ON special_attachment_data "
        "BEGIN SELECT RAISE(ABORT, 'attachments are immutable'); END",
    "special_attachment_fixed":
        "CREATE TRIGGER special_attachment_fixed BEFORE UPDATE OF sha256, size, mime, filename, original_size, "
        "file_id ON special_attachment BEGIN SELECT RAISE(ABORT, 'attachments are immutable'); END",
}


def upgrade() -> None:
    op.create_table('special_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=True),
    sa.Column('county_entry_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('gender', sa.String(length=2), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=4), nullable=False),
    sa.Column('grade', sa.String(length=4), nullable=False),
    sa.Column('card_no', sa.String(length=20), nullable=True),
    sa.Column('card_issued_on', sa.Date(), nullable=True),
    sa.Column('guardian_name', sa.String(length=30), nullable=False),
    sa.Column('guardian_relation', sa.String(length=10), nullable=False),
    sa.Column('guardian_phone', sa.String(length=30), nullable=False),
    sa.Column('registered_poor', sa.Boolean(), nullable=True),
    sa.Column('placement', sa.String(length=20), nullable=False),
    sa.Column('placement_since', sa.Date(), nullable=True),
    sa.Column('visit_every_days', sa.Integer(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closed_reason', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['county_entry_id'], ['county_list_entry.id'], name=op.f('fk_special_file_county_entry_id_county_list_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['student_id'], ['student.id'], name=op.f('fk_special_file_student_id_student'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_file')),
    sa.UniqueConstraint('id_number', name=op.f('uq_special_file_id_number')),
    sa.UniqueConstraint('student_id', name=op.f('uq_special_file_student_id'))
    )
    with op.batch_alter_table('special_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_file_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_special_file_county_entry_id'), ['county_entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_special_file_placement'), ['placement'], unique=False)

    op.create_table('special_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('members', sa.Text(), nullable=False),
    sa.Column('physical', sa.Text(), nullable=False),
    sa.Column('learning', sa.Text(), nullable=False),
    sa.Column('adaptability', sa.Text(), nullable=False),
    sa.Column('conclusion', sa.Text(), nullable=False),
    sa.Column('recommended', sa.String(length=20), nullable=False),
    sa.Column('guardian_opinion', sa.Text(), nullable=False),
    sa.Column('guardian_signed_on', sa.Date(), nullable=True),
    sa.Column('next_review', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['special_file.id'], name=op.f('fk_special_assessment_file_id_special_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_assessment'))
    )
    with op.batch_alter_table('special_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_assessment_file_id'), ['file_id'], unique=False)

    op.create_table('special_exemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('hospital', sa.String(length=100), nullable=False),
    sa.Column('diagnosis', sa.Text(), nullable=False),
    sa.Column('diagnosed_on', sa.Date(), nullable=True),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    sa.Column('assessment_conclusion', sa.Text(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('approved_by', sa.String(length=100), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('review_due', sa.Date(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('review_result', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['special_file.id'], name=op.f('fk_special_exemption_file_id_special_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_exemption')),
    sa.UniqueConstraint('file_id', 'school_year', name=op.f('uq_special_exemption_file_id'))
    )
    with op.batch_alter_table('special_exemption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_exemption_file_id'), ['file_id'], unique=False)

    op.create_table('special_home_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('term_key', sa.Integer(), nullable=False),
    sa.Column('teacher1', sa.String(length=30), nullable=False),
    sa.Column('teacher2', sa.String(length=30), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('parent_remarks', sa.Text(), nullable=False),
    sa.Column('parent_signed', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['special_file.id'], name=op.f('fk_special_home_visit_file_id_special_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_home_visit'))
    )
    with op.batch_alter_table('special_home_visit', schema=None) as batch_op:
        batch_op.create_index('ix_special_home_visit_file_date', ['file_id', 'visit_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_special_home_visit_term_key'), ['term_key'], unique=False)

    op.create_table('special_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('term_key', sa.Integer(), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('baseline', sa.Text(), nullable=False),
    sa.Column('teachers', sa.String(length=200), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('review_notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['special_file.id'], name=op.f('fk_special_plan_file_id_special_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_plan')),
    sa.UniqueConstraint('file_id', 'term_key', name=op.f('uq_special_plan_file_id'))
    )
    with op.batch_alter_table('special_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_plan_file_id'), ['file_id'], unique=False)

    op.create_table('special_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('doc_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('mime', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('original_size', sa.Integer(), nullable=False),
    sa.Column('reduced', sa.Boolean(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['special_file.id'], name=op.f('fk_special_attachment_file_id_special_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['special_home_visit.id'], name=op.f('fk_special_attachment_visit_id_special_home_visit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_attachment'))
    )
    with op.batch_alter_table('special_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_attachment_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_special_attachment_visit_id'), ['visit_id'], unique=False)

    op.create_table('special_placement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('placement', sa.String(length=20), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['special_assessment.id'], name=op.f('fk_special_placement_assessment_id_special_assessment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['file_id'], ['special_file.id'], name=op.f('fk_special_placement_file_id_special_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_placement'))
    )
    with op.batch_alter_table('special_placement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_placement_file_id'), ['file_id'], unique=False)

    op.create_table('special_plan_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=10), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('teacher', sa.String(length=60), nullable=False),
    sa.Column('result', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['special_plan.id'], name=op.f('fk_special_plan_goal_plan_id_special_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_special_plan_goal'))
    )
    with op.batch_alter_table('special_plan_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_special_plan_goal_plan_id'), ['plan_id'], unique=False)

    op.create_table('special_attachment_data',
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('thumb', sa.LargeBinary(), nullable=True),
    sa.Column('thumb_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['special_attachment.id'], name=op.f('fk_special_attachment_data_attachment_id_special_attachment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('attachment_id', name=op.f('pk_special_attachment_data'))
    )
    for sql in TRIGGERS.values():
        op.execute(sql)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table('special_attachment_data')
    with op.batch_alter_table('special_plan_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_plan_goal_plan_id'))

    op.drop_table('special_plan_goal')
    with op.batch_alter_table('special_placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_placement_file_id'))

    op.drop_table('special_placement')
    with op.batch_alter_table('special_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_attachment_visit_id'))
        batch_op.drop_index(batch_op.f('ix_special_attachment_file_id'))

    op.drop_table('special_attachment')
    with op.batch_alter_table('special_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_plan_file_id'))

    op.drop_table('special_plan')
    with op.batch_alter_table('special_home_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_home_visit_term_key'))
        batch_op.drop_index('ix_special_home_visit_file_date')

    op.drop_table('special_home_visit')
    with op.batch_alter_table('special_exemption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_exemption_file_id'))

    op.drop_table('special_exemption')
    with op.batch_alter_table('special_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_assessment_file_id'))

    op.drop_table('special_assessment')
    with op.batch_alter_table('special_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_special_file_placement'))
        batch_op.drop_index(batch_op.f('ix_special_file_county_entry_id'))
        batch_op.drop_index(batch_op.f('ix_special_file_category'))

    op.drop_table('special_file')
