"""The 学生名册 columns and the rows behind them, streamed from SQL (no ORM objects per row).

Headers come from `mapping.FIELD_LABELS`, so a workbook the app wrote imports back field for field.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from sqlalchemy import case, func, select

from db import enums
from db.context import ServiceContext
from db.exchange.mapping import FIELD_LABELS
from db.models.registry import Household, LiaisonOfficer, Student, StudentCategory
from db.sheets import Cancelled

# field, source column, kind (text: '@' text cell; date; number; plain: short text)
ROSTER: tuple[tuple[str, object, str], ...] = (
    ("name", Student.name, "plain"),
    ("gender", Student.gender, "plain"),
    ("ethnicity", Student.ethnicity, "plain"),
    ("id_number", Student.id_number, "text"),
    ("student_no", Student.student_no, "text"),
    ("birth_date", Student.birth_date, "date"),
    ("stage", Student.stage, "plain"),
    ("grade", Student.grade, "plain"),
    ("class_name", Student.class_name, "text"),
    ("residence", Student.residence, "plain"),
    ("enrolment", Student.enrolment, "plain"),
    ("study_location", Student.study_location, "plain"),
    ("study_school", Student.study_school, "plain"),
    ("categories", None, "plain"),                      # filled from student_category
    ("difficulty_level", Student.difficulty_level, "plain"),
    ("hukou", Student.hukou, "plain"),                                       # issue 9
    ("major", Student.major, "plain"),
    ("agri_major", case((Student.agri_major.is_(True), "是"), (Student.agri_major.is_(False), "否"), else_=""),
     "plain"),
    ("phone", Student.phone, "text"),
    ("bank_card_no", Student.bank_card_no, "text"),
    ("bank_name", Student.bank_name, "plain"),
    ("card_holder", Student.card_holder, "plain"),
    ("card_holder_relation", Student.card_holder_relation, "plain"),
    ("relation_to_head", Student.relation_to_head, "plain"),
    ("head_name", Household.head_name, "plain"),
    ("head_id_number", Household.head_id_number, "text"),
    ("household_no", Household.household_no, "text"),
    ("township", Household.township, "plain"),
    ("village", Household.village, "plain"),
    ("group_name", Household.group_name, "text"),
    ("address", Household.address, "plain"),
    ("poverty_status", Household.poverty_status, "plain"),
    ("poverty_exit_year", Household.poverty_exit_year, "number"),
    ("household_phone", Household.phone, "text"),
    ("liaison_officer", LiaisonOfficer.name, "plain"),
    ("helper_cadre", Household.helper_cadre, "plain"),                       # issue 9: not the liaison officer
    ("household_notes", Household.notes, "plain"),
    ("notes", Student.notes, "plain"),
)
FIELDS = tuple(f for f, _, _ in ROSTER)
HEADERS = [FIELD_LABELS[f] for f in FIELDS]
KINDS = tuple(k for _, _, k in ROSTER)
TEXT_COLUMNS = frozenset(i for i, k in enumerate(KINDS) if k == "text")
CATEGORY_COLUMN = FIELDS.index("categories")
WIDTHS = {"name": 10, "gender": 6, "ethnicity": 8, "id_number": 21, "student_no": 22, "birth_date": 12,
          "stage": 9, "grade": 12, "class_name": 8, "residence": 10, "enrolment": 10, "study_location": 10,
          "study_school": 20, "categories": 22, "difficulty_level": 10, "phone": 14, "bank_card_no": 23,
          "bank_name": 18, "card_holder": 10, "card_holder_relation": 16, "relation_to_head": 12,
          "head_name": 10, "head_id_number": 21, "household_no": 22, "township": 12, "village": 12,
          "group_name": 8, "address": 30, "poverty_status": 10, "poverty_exit_year": 10,
          "household_phone": 14, "liaison_officer": 12, "household_notes": 24, "notes": 24,
          "hukou": 10, "major": 16, "agri_major": 12, "helper_cadre": 12}

_GRADE_ORDER = [g for gs in enums.GRADES.values() for g in gs]
_CAT_ORDER = {c: i for i, c in enumerate(enums.values(enums.Category))}
DROPDOWNS: dict[str, list[str]] = {
    "gender": enums.values(enums.Gender),
    "ethnicity": list(enums.ETHNICITIES),
    "stage": enums.values(enums.Stage),
    "grade": _GRADE_ORDER,
    "residence": enums.values(enums.Residence),
    "enrolment": enums.values(enums.Enrolment),
    "study_location": enums.values(enums.StudyLocation),
    "difficulty_level": enums.values(enums.DifficultyLevel),
    "relation_to_head": list(enums.RELATIONS_TO_HEAD),
    "card_holder_relation": list(enums.CARD_HOLDER_RELATIONS),
    "poverty_status": enums.values(enums.PovertyStatus),
    "hukou": enums.values(enums.Hukou),
    "agri_major": ["是", "否"],
}
CHUNK = 2000


def sort_categories(text: str | None) -> str:
    if not text:
        return ""
    return "、".join(sorted(text.split("\x1f"), key=lambda c: (_CAT_ORDER.get(c, 99), c)))


def roster_statement():
    cats = (select(func.aggregate_strings(StudentCategory.category, "\x1f"))
            .where(StudentCategory.student_id == Student.id).scalar_subquery())
    cols = [cats if src is None else src for _, src, _ in ROSTER]
    stage_order = case({s: i for i, s in enumerate(enums.values(enums.Stage))}, value=Student.stage, else_=9)
    grade_order = case({g: i for i, g in enumerate(_GRADE_ORDER)}, value=Student.grade, else_=99)
    return (select(*cols).select_from(Student).outerjoin(Household, Student.household_id == Household.id)
            .outerjoin(LiaisonOfficer, Household.liaison_officer_id == LiaisonOfficer.id)
            .order_by(stage_order, grade_order, Student.class_name, Student.name_pinyin, Student.id))


def count_students(ctx: ServiceContext) -> int:
    with ctx.read() as s:
        return s.scalar(select(func.count(Student.id))) or 0


def roster_rows(ctx: ServiceContext, cancelled: Callable[[], bool] | None = None) -> Iterator[list]:
    """Every student as a list of values in ROSTER order (categories joined with 、), in chunks.

    Rows come straight from the DBAPI cursor (no Row objects): this is the export's hot loop."""
    date_col = FIELDS.index("birth_date")
    to_date = dt.date.fromisoformat
    with ctx.read() as s:
        conn = s.connection()
        sql = str(roster_statement().compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        cur = conn.connection.dbapi_connection.cursor()
        try:
            cur.execute(sql)
            while part := cur.fetchmany(CHUNK):
                if cancelled and cancelled():
                    raise Cancelled()
                for r in part:
                    row = list(r)
                    cat = row[CATEGORY_COLUMN]
                    if cat:
                        row[CATEGORY_COLUMN] = sort_categories(cat) if "\x1f" in cat else cat
                    if row[date_col]:
                        row[date_col] = to_date(row[date_col][:10])
                    yield row
        finally:
            cur.close()
