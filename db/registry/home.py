"""What the registry puts on the home page (db.home): the school year's 认定 still to do — 认定信息不全
(低保, 特困, 孤儿, 残疾 without a level: left out of the batch), 未认定, and records that lack 认定时间 or
认定原因 (the national template needs them).

The same groups as `registry.assessment_gaps(year)` (a test keeps them equal), counted in SQL: the home
page needs three numbers, not 100,000 rows."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, or_, select

from db import enums
from db.home import DUE, INFO, HomeItem, Link
from db.models.registry import DifficultyAssessment, Student, StudentCategory
from db.registry.rules import PRESUMED_NEEDY
from db.terms import school_year_of

REGISTERED_POOR = "建档立卡"
TEXTS = {
    "认定信息不全": (DUE, "{n} 名低保、特困、孤儿、残疾学生 {y} 学年未认定困难等级，认定前不纳入发放"),
    "未认定": (DUE, "{n} 名有资助对象类别的学生 {y} 学年尚未认定家庭经济困难"),
    "认定记录不完整": (INFO, "{n} 条 {y} 学年认定记录缺认定时间或认定原因（国家模板必填）"),
}

# `sv` below is db.services.Services (not imported: that module imports every ledger)


def gap_counts(s, year: int) -> dict[str, int]:
    """state -> students, as assessment_gaps(year) would list them."""
    in_school = Student.enrolment == enums.Enrolment.IN_SCHOOL

    def has(cats) -> object:
        return select(StudentCategory.student_id).where(StudentCategory.student_id == Student.id,
                                                        StudentCategory.category.in_(cats)).exists()
    any_cat = select(StudentCategory.student_id).where(StudentCategory.student_id == Student.id).exists()
    assessed = select(DifficultyAssessment.id).where(DifficultyAssessment.student_id == Student.id,
                                                     DifficultyAssessment.school_year == year).exists()
    open_ = and_(in_school, ~assessed, any_cat, ~has([REGISTERED_POOR]))
    presumed = s.scalar(select(func.count(Student.id)).where(open_, has(sorted(PRESUMED_NEEDY)))) or 0
    unassessed = s.scalar(select(func.count(Student.id)).where(open_)) or 0
    incomplete = s.scalar(select(func.count(DifficultyAssessment.id))
                          .join(Student, Student.id == DifficultyAssessment.student_id)
                          .where(in_school, DifficultyAssessment.school_year == year,
                                 or_(DifficultyAssessment.assessed_on.is_(None),
                                     func.trim(func.coalesce(DifficultyAssessment.reason, "")) == "")))
    return {"认定信息不全": presumed, "未认定": unassessed - presumed, "认定记录不完整": incomplete or 0}


def home_items(sv, today: dt.date) -> list[HomeItem]:
    year = school_year_of(today)
    with sv.ctx.read() as s:
        counts = gap_counts(s, year)
    return [HomeItem("registry", state, text.format(n=counts[state], y=f"{year}-{year + 1}"), counts[state], level,
                     None, Link.to("students", assess=year, state=state))
            for state, (level, text) in TEXTS.items() if counts[state]]
