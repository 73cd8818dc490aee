"""aid rules (issue 9): 认定 history, 中职 专业/涉农, 户籍性质, 帮扶责任人, 监测对象, 就读地, waivers

Revision ID: 0005
Revises: 0004

Nothing is lost:
- a student's `difficulty_level` becomes the assessment (认定) of the current school year, marked
  升级迁移 (the column stays: it shows the latest assessment in lists);
- 就读地 takes the new values (镇内/县内镇外 -> 本县外校; 省内县外 cannot be told apart between
  市内县外 and 省内市外: it becomes 省内市外 and the old value is kept in the student's notes);
- the seeded standards (is_default) take the policy's scope and periods, each with its version
  bumped; standards the county edited keep their figures and get a scope that says what their
  category list used to mean;
- batches are not recomputed: a pending line of a fee waiver (免学费/免学杂费/免保教费), which was
  never money to pay, is labelled 减免; amounts, paid lines and everything else stay as they were.
  A refresh of a term (aid plan --dry-run) shows what the new rules would change.
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

WAIVER_WORDS = ("免学费", "免学杂费", "免保教费")
GROUPS = "残疾学生,农村低保,特困供养"
# the seeded defaults as the policy has them (frozen here): programme -> (scope, categories, cash, waiver)
DEFAULT_SCOPES = {
    "家庭经济困难幼儿资助": ("needy", "", True, False),
    "寄宿生生活补助": ("needy", "", True, False),
    "非寄宿生生活补助": ("registered,groups", GROUPS, True, False),
    "营养改善计划": ("all", "", False, False),
    "普通高中国家助学金": ("needy", "", True, False),
    "普通高中免学杂费": ("registered,groups", GROUPS, False, True),
    "中职国家助学金": ("needy,agri", "", True, False),
    "中职免学费": ("needy,agri,rural", "", False, True),
}
OLD_BOARDING_START, NEW_BOARDING_START = 2019 * 2, 2011 * 2 + 1      # 2019春 -> 2011秋 (term keys)
LOCATIONS = {"镇内": "本县外校", "县内镇外": "本县外校", "省内县外": "省内市外"}


def _school_year(today: dt.date) -> int:
    """The school year a day falls in (autumn starts it), as in db.terms.term_of (frozen here)."""
    return today.year if today.month >= 8 else today.year - 1


def _columns() -> None:
    with op.batch_alter_table("student") as b:
        b.add_column(sa.Column("hukou", sa.String(length=4), nullable=True))
        b.add_column(sa.Column("major", sa.String(length=50), server_default="", nullable=False))
        b.add_column(sa.Column("agri_major", sa.Boolean(), nullable=True))
    with op.batch_alter_table("household") as b:
        b.add_column(sa.Column("helper_cadre", sa.String(length=30), server_default="", nullable=False))
        b.add_column(sa.Column("monitored_type", sa.String(length=10), nullable=True))
    with op.batch_alter_table("aid_standard") as b:
        b.add_column(sa.Column("waiver", sa.Boolean(), server_default=sa.false(), nullable=False))
        b.add_column(sa.Column("scope", sa.String(length=60), server_default="needy", nullable=False))
    op.create_table(
        "difficulty_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("assessed_by", sa.String(length=30), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"],
                                name=op.f("fk_difficulty_assessment_student_id_student"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_difficulty_assessment")),
        sa.UniqueConstraint("student_id", "school_year", name=op.f("uq_difficulty_assessment_student_id")),
    )
    with op.batch_alter_table("difficulty_assessment") as b:
        b.create_index("ix_difficulty_assessment_year_level", ["school_year", "level"], unique=False)
        b.create_index(b.f("ix_difficulty_assessment_student_id"), ["student_id"], unique=False)


def _assessments(conn) -> None:
    year = _school_year(dt.date.today())
    conn.exec_driver_sql(
        "INSERT INTO difficulty_assessment (student_id, school_year, level, assessed_on, reason, assessed_by, source) "
        "SELECT id, ?, difficulty_level, NULL, '', '', '升级迁移' FROM student "
        "WHERE difficulty_level IS NOT NULL AND difficulty_level <> ''", (year,))


def _locations(conn) -> None:
    for old, new in LOCATIONS.items():
        note = f"（原就读地：{old}，请核对）" if old == "省内县外" else ""
        conn.exec_driver_sql("UPDATE student SET study_location = ?, notes = notes || ? WHERE study_location = ?",
                             (new, note, old))


def _derived_scope(programme: str, categories: str) -> tuple[str, str, bool]:
    """What an edited standard's category list meant before: "*" every student, "" any category."""
    waiver = any(w in programme for w in WAIVER_WORDS)
    if categories == "*":
        return "all", "", waiver
    if not categories:
        return "needy", "", waiver
    cats = [c for c in categories.split(",") if c]
    scope = "registered,groups" if "建档立卡" in cats else "groups"
    return scope, ",".join(c for c in cats if c != "建档立卡"), waiver


def _standards(conn) -> None:
    rows = conn.exec_driver_sql(
        "SELECT id, programme, categories, cash, is_default, from_term FROM aid_standard").fetchall()
    for sid, programme, categories, cash, is_default, from_term in rows:
        if is_default and programme in DEFAULT_SCOPES:
            scope, cats, cash, waiver = DEFAULT_SCOPES[programme]
            if programme == "寄宿生生活补助" and from_term == OLD_BOARDING_START:
                from_term = NEW_BOARDING_START
        else:
            scope, cats, waiver = _derived_scope(programme, categories or "")
            cash = bool(cash) and not waiver
        conn.exec_driver_sql(
            "UPDATE aid_standard SET scope = ?, categories = ?, cash = ?, waiver = ?, from_term = ?, "
            "version = version + 1 WHERE id = ?", (scope, cats, int(cash), int(waiver), from_term, sid))


def _waiver_lines(conn) -> None:
    conn.exec_driver_sql(
        "UPDATE disbursement SET status = '减免' WHERE status = '待发放' AND ("
        "standard_id IN (SELECT id FROM aid_standard WHERE waiver = 1) OR "
        + " OR ".join("programme LIKE ?" for _ in WAIVER_WORDS) + ")",
        tuple(f"%{w}%" for w in WAIVER_WORDS))


def upgrade() -> None:
    _columns()
    conn = op.get_bind()
    _assessments(conn)
    _locations(conn)
    _standards(conn)
    _waiver_lines(conn)


def downgrade() -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("UPDATE disbursement SET status = '待发放' WHERE status = '减免'")
    for old, new in (("县内镇外", "本县外校"), ("省内县外", "省内市外"), ("省内县外", "市内县外")):
        conn.exec_driver_sql("UPDATE student SET study_location = ? WHERE study_location = ?", (old, new))
    conn.exec_driver_sql("UPDATE student SET study_location = NULL WHERE study_location = '本校'")
    with op.batch_alter_table("difficulty_assessment") as b:
        b.drop_index(b.f("ix_difficulty_assessment_student_id"))
        b.drop_index("ix_difficulty_assessment_year_level")
    op.drop_table("difficulty_assessment")
    with op.batch_alter_table("aid_standard") as b:
        b.drop_column("scope")
        b.drop_column("waiver")
    with op.batch_alter_table("household") as b:
        b.drop_column("monitored_type")
        b.drop_column("helper_cadre")
    with op.batch_alter_table("student") as b:
        b.drop_column("agri_major")
        b.drop_column("major")
        b.drop_column("hukou")
