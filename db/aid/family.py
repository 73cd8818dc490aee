"""The family page's data (结果可查询): a child, the household, brothers and sisters, every payment,
the visits and what the child is entitled to now."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from db.access.guard import own_students, require_own_student
from db.aid.dto import FamilyChild, FamilyChoice, FamilyRecord, LineStatus, PaymentRow
from db.aid.visits import visit_row
from db.context import ServiceContext
from db.errors import LedgerError, NotFound
from db.models.aid import AidBatch, Disbursement, Visit
from db.models.registry import DifficultyAssessment, Household, LiaisonOfficer, Student, StudentCategory
from db.terms import Term, term_of
from db.validators import clean_text, mask_card, mask_id, mask_phone


class FamilyMixin:
    _ctx: ServiceContext

    def search_family(self, text: str, limit: int = 30) -> list[FamilyChoice]:
        """Students whose name, ID number (prefix) or household head matches."""
        t = clean_text(text).upper()
        if not t:
            return []
        if t[:1].isdigit():
            cond = Student.id_number.startswith(t)
        else:
            cond = or_(Student.name.contains(t), Household.head_name == t)
        own = own_students(self._ctx.actor)             # a 班主任/录入员 finds own classes only
        with self._ctx.read() as s:
            stmt = (select(Student.id, Student.name, Student.id_number, Student.grade, Student.class_name,
                           Household.village).outerjoin(Household).where(cond, *([] if own is None else [own]))
                    .order_by(Student.name_pinyin, Student.id).limit(limit))
            return [FamilyChoice(i, f"{n}（{mask_id(idn)}，{g}{c}，{v or ''}）")
                    for i, n, idn, g, c, v in s.execute(stmt)]

    def family_record(self, key: int | str, *, today: dt.date | None = None) -> FamilyRecord:
        """Everything about a child and the household: a student id, or a name / ID number that
        matches exactly one student."""
        if isinstance(key, str):
            found = self.search_family(key, limit=10)
            if not found:
                raise NotFound(f"没有找到“{key}”")
            if len(found) > 1:
                raise LedgerError(f"“{key}”匹配到 {len(found)} 名学生，请输入更完整的姓名或身份证号")
            key = found[0].student_id
        today = today or self._ctx.clock.today()
        with self._ctx.read() as s:
            st = s.get(Student, key)
            if st is None:
                raise NotFound(f"找不到编号为 {key} 的学生")
            require_own_student(self._ctx.actor, st.grade, st.class_name, "学生家庭")
            hh = s.get(Household, st.household_id) if st.household_id else None
            kids = [st] if hh is None else list(s.scalars(
                select(Student).where(Student.household_id == hh.id).order_by(Student.birth_date, Student.id)))
            kid_ids = [k.id for k in kids]
            cats = {}
            for sid, c in s.execute(select(StudentCategory.student_id, StudentCategory.category)
                                    .where(StudentCategory.student_id.in_(kid_ids))):
                cats.setdefault(sid, []).append(c)
            names = {k.id: k.name for k in kids}
            pays = [PaymentRow(d.id, Term.from_key(tk).label, names[d.student_id], d.programme, d.amount_fen,
                               d.status, d.paid_on, mask_card(d.card_no), d.reason)
                    for d, tk in s.execute(select(Disbursement, AidBatch.term_key).join(AidBatch)
                                           .where(Disbursement.student_id.in_(kid_ids))
                                           .order_by(AidBatch.term_key.desc(), Disbursement.id))]
            visit_rows = [] if hh is None else [visit_row(s, v) for v in s.scalars(
                select(Visit).where(Visit.household_id == hh.id).order_by(Visit.visit_date.desc()))]
            officer = s.get(LiaisonOfficer, hh.liaison_officer_id) if hh and hh.liaison_officer_id else None
            assessments = list(s.scalars(select(DifficultyAssessment).where(DifficultyAssessment.student_id == st.id)
                                         .order_by(DifficultyAssessment.school_year.desc())))
            terms = sorted({Term.from_key(k) for k in s.scalars(select(AidBatch.term_key))} | {term_of(today)},
                           reverse=True)
        ents = {t.label: self.entitlements(t, [st.id]) for t in terms}
        history = [f"{a.school_year}学年 {a.level}" + (f"（{a.assessed_on:%Y-%m-%d}）" if a.assessed_on else "")
                   for a in assessments]
        child = _child(st, cats.get(st.id, []))
        return FamilyRecord(
            child, hh.id if hh else None, hh.head_name if hh else "", (hh.household_no or "") if hh else "",
            " ".join(x for x in (hh.township, hh.village, hh.group_name) if x) if hh else "",
            mask_phone(hh.phone) if hh else "", (hh.poverty_status or "") if hh else "",
            f"{officer.name}（{officer.phone}）" if officer and officer.phone else (officer.name if officer else ""),
            [_child(k, cats.get(k.id, [])) for k in kids if k.id != st.id], ents, pays, visit_rows,
            sum(p.amount_fen for p in pays if p.status in (LineStatus.PAID, LineStatus.VERIFIED)),
            sum(p.amount_fen for p in pays if p.status == LineStatus.WAIVER), history)


def _child(st: Student, cats: list[str]) -> FamilyChild:
    return FamilyChild(st.id, st.name, st.gender or "", mask_id(st.id_number), st.stage or "", st.grade,
                       st.class_name, st.residence or "", st.enrolment, sorted(cats), st.difficulty_level or "",
                       st.bank_name, mask_card(st.bank_card_no))
