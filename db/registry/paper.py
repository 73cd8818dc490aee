"""Data for the registry's printed documents (档案封面/目录, 资助对象认定表), one session per call, returned
as the dataclasses of db/registry/pdf.py; also what every ledger's documents share: the school's name
and phones, and turning a selection (class, students, households, all) into a condition on students.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.context import ServiceContext
from db.docs.kinds import DocKind, Selection
from db.docs.render import FORM, Section
from db.models.aid import AidBatch, Disbursement, Visit
from db.models.registry import Household, Student, StudentCategory
from db.registry.pdf import ArchiveCover, ArchiveEntry, AssessmentForm, archive_cover, assessment_form
from db.registry.selection import (
    SchoolFacts,
    parse_class,
    school_facts,
    student_condition,
    student_order,
)
from db.terms import Term, parse_term, term_of
from db.validators import mask_id, mask_phone


def _address(hh: Household | None) -> str:
    return " ".join(x for x in (hh.township, hh.village, hh.group_name) if x) if hh else ""


def _poverty(hh: Household | None) -> str:
    if hh is None or not hh.poverty_status:
        return "非建档立卡"
    year = f"，{hh.poverty_exit_year}年脱贫" if hh.poverty_exit_year and hh.poverty_status != "未脱贫户" else ""
    return f"建档立卡（{hh.poverty_status}{year}）"


def _students(s: Session, sel: Selection) -> list[tuple[Student, Household | None, list[str]]]:
    rows = list(s.execute(select(Student, Household).outerjoin(Household, Household.id == Student.household_id)
                          .where(student_condition(sel)).order_by(*student_order())))
    cats: dict[int, list[str]] = {}
    ids = [st.id for st, _h in rows]
    for i in range(0, len(ids), 900):
        for sid, c in s.execute(select(StudentCategory.student_id, StudentCategory.category)
                                .where(StudentCategory.student_id.in_(ids[i:i + 900]))):
            cats.setdefault(sid, []).append(c)
    return [(st, hh, sorted(cats.get(st.id, []))) for st, hh in rows]


def archive_covers(ctx: ServiceContext, sel: Selection) -> list[ArchiveCover]:
    """The archive cover and 目录 of each selected student: the documents on file in binding order."""
    with ctx.read() as s:
        facts = school_facts(s)
        out = []
        for st, hh, cats in _students(s, sel):
            out.append(ArchiveCover(
                facts.name, st.name, st.gender or "", f"{st.birth_date.year}年{st.birth_date.month}月"
                if st.birth_date else "", st.stage or "", f"{st.grade}{st.class_name}", mask_id(st.student_no),
                mask_id(st.id_number), hh.head_name if hh else "", _address(hh), _poverty(hh), "、".join(cats),
                _entries(s, st, hh), today=sel.today_or_now))
        return out


def _entries(s: Session, st: Student, hh: Household | None) -> list[ArchiveEntry]:
    out = [ArchiveEntry("学生资助档案封面", None), ArchiveEntry("家庭经济困难学生认定表", None, "每学年一份")]
    keys = sorted(set(s.scalars(select(AidBatch.term_key).join(Disbursement, Disbursement.batch_id == AidBatch.id)
                                .where(Disbursement.student_id == st.id, Disbursement.status != "已作废"))))
    years = sorted({Term.from_key(k).school_year for k in keys})
    out += [ArchiveEntry("学生资助政策告知书（明白卡）", f"{y}学年") for y in years]
    for k in keys:
        paid = s.scalar(select(Disbursement.paid_on).join(AidBatch).where(
            Disbursement.student_id == st.id, AidBatch.term_key == k, Disbursement.paid_on.is_not(None))
            .order_by(Disbursement.paid_on).limit(1))
        out.append(ArchiveEntry(f"{Term.from_key(k).label}资助发放记录及银行流水", paid, "" if paid else "待发放"))
    if hh is not None:
        out += [ArchiveEntry("学生资助走访核实记录表", d) for d in
                s.scalars(select(Visit.visit_date).where(Visit.household_id == hh.id).order_by(Visit.visit_date))]
    return out


def assessment_forms(ctx: ServiceContext, sel: Selection) -> list[AssessmentForm]:
    year = (parse_term(sel.term) if sel.term else term_of(sel.today_or_now)).school_year
    with ctx.read() as s:
        facts = school_facts(s)
        return [AssessmentForm(
            facts.name, year, st.name, st.gender or "", mask_id(st.id_number), st.stage or "",
            f"{st.grade}{st.class_name}", st.residence or "", hh.head_name if hh else "", st.relation_to_head,
            _address(hh), mask_phone(hh.phone if hh else st.phone), categories=cats,
            level=st.difficulty_level or "", today=sel.today_or_now) for st, hh, cats in _students(s, sel)]


def _footer(facts_name: str, title: str) -> str:
    return f"{facts_name}　{title}"


def cover_sections(ctx: ServiceContext, sel: Selection) -> list[Section]:
    return [Section(lambda kit, c=c: archive_cover(kit, c), FORM, _footer(c.school, "学生资助档案"))
            for c in archive_covers(ctx, sel)]


def assessment_sections(ctx: ServiceContext, sel: Selection) -> list[Section]:
    return [Section(lambda kit, f=f: assessment_form(kit, f), FORM, _footer(f.school, "家庭经济困难学生认定表"))
            for f in assessment_forms(ctx, sel)]


SCOPES = frozenset({"student", "household", "class", "all"})
KINDS = [
    DocKind("cover", "学生资助档案封面及目录", "学生、家庭、班级或全部；每名学生一份（封面 + 卷内目录）",
            cover_sections, scopes=SCOPES, per_student=True),
    DocKind("assessment", "家庭经济困难学生认定表", "学生、家庭、班级或全部；可指定学期（定学年）",
            assessment_sections, scopes=SCOPES, per_student=True),
]

__all__ = ["KINDS", "SchoolFacts", "archive_covers", "assessment_forms", "parse_class", "school_facts",
           "student_condition"]
