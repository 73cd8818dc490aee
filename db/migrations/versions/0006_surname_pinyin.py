"""pinyin keys of names read with the surname's reading (覃 qin, 曾 zeng, 单 shan …)

Revision ID: 0006
Revises: 0005

Students whose name starts with a surname read differently from the character's everyday reading get
their stored pinyin and initials corrected, so that "qm" finds 覃明 without re-saving anyone. The
first syllable is replaced; the rest is kept as stored. The table is frozen here as it was written.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SURNAMES = {
    "覃": "qin", "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha",
    "盖": "ge", "缪": "miao", "翟": "zhai", "乐": "yue", "员": "yun", "召": "shao", "种": "chong", "秘": "bi",
    "繁": "po", "尉": "wei", "燕": "yan", "黑": "he", "柏": "bai", "隗": "wei", "句": "gou", "折": "she",
    "能": "nai", "任": "ren", "华": "hua", "纪": "ji", "冼": "xian", "阚": "kan", "褚": "chu", "曲": "qu",
    "沈": "shen", "费": "fei", "莘": "shen", "卜": "bu",
}
COMPOUND = ("尉迟", "万俟", "单于", "长孙", "澹台", "令狐")


def upgrade() -> None:
    conn = op.get_bind()
    student = sa.table("student", sa.column("id", sa.Integer), sa.column("name", sa.String),
                       sa.column("name_pinyin", sa.String), sa.column("name_initials", sa.String))
    rows = conn.execute(sa.select(student.c.id, student.c.name, student.c.name_pinyin, student.c.name_initials)
                        .where(sa.func.substr(student.c.name, 1, 1).in_(list(SURNAMES)))).all()
    for sid, name, pinyin, initials in rows:
        if len(name) < 2 or name[:2] in COMPOUND or not pinyin or len(pinyin.split(" ")) != len(name):
            continue
        first, _, rest = pinyin.partition(" ")
        reading = SURNAMES[name[0]]
        if first != reading:
            conn.execute(student.update().where(student.c.id == sid).values(
                name_pinyin=f"{reading} {rest}", name_initials=reading[0] + (initials or "")[1:]))


def downgrade() -> None:
    pass        # the old readings were wrong; nothing to restore
