"""What a printed document or an export is about: the school's facts for its header and the students a
selection names, in class order. Shared by every ledger's paper and xlsx modules; imports no
document layer (reportlab loads only when something is drawn)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, select, true
from sqlalchemy.orm import Session

from db import enums
from db.docs.kinds import Selection
from db.errors import LedgerError
from db.models.core import Setting
from db.models.registry import School, Student

HOTLINE_KEY = "school.county_hotline"      # 县学生资助管理中心电话; blank: a line to fill in by hand
GRADES = [g for gs in enums.GRADES.values() for g in gs]


@dataclass(frozen=True)
class SchoolFacts:
    name: str
    phone: str
    county_hotline: str


def school_facts(s: Session) -> SchoolFacts:
    sc = s.scalar(select(School).order_by(School.id).limit(1))
    hot = s.get(Setting, HOTLINE_KEY)
    return SchoolFacts(sc.name if sc else "", sc.phone if sc else "", (hot.value if hot else "").strip())


def parse_class(text: str) -> tuple[str, str]:
    """'三年级2班' -> ('三年级', '2班'); '2班' -> ('', '2班'). The longest grade name that starts the text."""
    t = (text or "").strip().replace(" ", "")
    grade = max((g for g in GRADES if t.startswith(g)), key=len, default="")
    return grade, t[len(grade):]


def student_condition(sel: Selection):
    """The students a selection names (a SQL condition); LedgerError when it names none."""
    conds = []
    if sel.student_ids:
        conds.append(Student.id.in_(sel.student_ids))
    if sel.household_ids:
        conds.append(Student.household_id.in_(sel.household_ids))
    if sel.class_name:
        grade, cls = parse_class(sel.class_name)
        if grade:
            conds.append(Student.grade == grade)
        if cls:
            conds.append(Student.class_name == cls)
    if not conds and not sel.all:
        raise LedgerError("请指定打印范围：班级、学生、家庭或全部（--class / --student / --household / --all）")
    return and_(*conds) if conds else true()


def student_order():
    """Class order: grades as the school counts them (小班 … 中职三年级), then class, then pinyin."""
    grade = case({g: i for i, g in enumerate(GRADES)}, value=Student.grade, else_=99)
    return (grade, Student.grade, Student.class_name, Student.name_pinyin, Student.id)
