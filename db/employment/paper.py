"""Data for the employment ledger's printed form (就业帮扶登记表, one per graduate), and its kind."""
from __future__ import annotations

from sqlalchemy import select

from db.context import ServiceContext
from db.docs.kinds import DocKind, Selection
from db.docs.render import FORM, Section
from db.employment.pdf import GraduateSheet, graduate_sheet
from db.errors import LedgerError
from db.models.employment import Graduate, GraduateFile, GraduateGuidance
from db.models.registry import Household, Student
from db.registry.selection import school_facts, student_condition
from db.validators import mask_id, mask_phone


def graduate_sheets(ctx: ServiceContext, sel: Selection) -> list[GraduateSheet]:
    with ctx.read() as s:
        facts = school_facts(s)
        stmt = (select(Graduate, Student).join(Student, Student.id == Graduate.student_id)
                .where(student_condition(sel)).order_by(Graduate.grad_year.desc(), Student.name_pinyin))
        out = []
        for g, st in s.execute(stmt):
            hh = s.get(Household, st.household_id) if st.household_id else None
            sheet = GraduateSheet(
                facts.name, st.name, st.gender or "", mask_id(st.id_number), g.grad_year, g.major,
                mask_phone(st.phone or (hh.phone if hh else "")),
                " ".join(x for x in (hh.township, hh.village, hh.group_name) if x) if hh else "",
                g.intention, g.status, g.employer, g.place, g.job, g.start_date, g.contract,
                list(s.scalars(select(GraduateFile.filename).where(GraduateFile.graduate_id == g.id))),
                g.reason, g.next_action, today=sel.today_or_now)
            sheet.guidance = [(x.given_on, x.kind, x.by, x.content) for x in s.scalars(
                select(GraduateGuidance).where(GraduateGuidance.graduate_id == g.id).order_by(GraduateGuidance.given_on))]
            out.append(sheet)
    if not out:
        raise LedgerError("所选范围内没有中职毕业生就业记录")
    return out


def graduate_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, g=g: graduate_sheet(kit, g), FORM, f"{g.school}　就业帮扶登记表")
            for g in graduate_sheets(ctx, sel)]


KINDS = [
    DocKind("employment", "建档立卡家庭中职毕业生就业帮扶登记表", "学生或全部（已登记的毕业生）；每人一份",
            graduate_sections, scopes=frozenset({"student", "class", "all"}), per_student=True),
]
