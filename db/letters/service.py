"""The out-of-province letters ledger's service (省外就读, issue 12): one session per call, plain
dataclasses out (db.letters.dto), the rules in db.letters.rules.

    content    new_form(student_id) (filled from the registry); save_letter(LetterForm) (numbered per
               year; editable until sent); make_for_due() (one letter for every student who needs one,
               all or nothing); void_letter(id, reason); policies(stage, term) (from the aid standards)
    reading    letters(LetterQuery) -> [LetterRow]; get_letter(id); letters_for_student(id); due() -> [DueRow]
    tracking   (db.letters.tracking) send(SendForm), reply(ReplyForm), call(id, date, note),
               overdue(today) (the home page), reply_days()/set_reply_days(n), prefix()/set_prefix(text)
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db import audit
from db.aid.service import AidService
from db.context import ServiceContext
from db.errors import LedgerError, NotFound, ValidationError
from db.letters import common, rules
from db.letters.dto import DueRow, LetterDetail, LetterForm, LetterQuery, LetterRow, MakeResult, StudentChoice
from db.letters.tracking import TrackingMixin
from db.models.letters import Letter, LetterCall
from db.models.registry import Household, School, Student, StudentCategory
from db.query import like_pattern
from db.terms import parse_term, term_of
from db.validators import IdNumberError, clean_text, mask_id, normalize_phone, parse_id_number


class LettersService(TrackingMixin):
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    # ---- content -------------------------------------------------------------------------------------
    def find_students(self, text: str, limit: int = 30) -> list[StudentChoice]:
        """Students to write a letter for, by name or ID number prefix; those studying out of province first."""
        t = clean_text(text).upper()
        stmt = select(Student).order_by((Student.study_location == rules.OUT_OF_PROVINCE).desc(), Student.name_pinyin,
                                        Student.id).limit(limit)
        if t:
            stmt = stmt.where(Student.id_number.startswith(t) if t[:1].isdigit()
                              else Student.name.like(like_pattern(t), escape="\\"))
        with self._ctx.read() as s:
            return [StudentChoice(st.id, _student_label(st)) for st in s.scalars(stmt)]

    def student_label(self, student_id: int) -> str:
        with self._ctx.read() as s:
            st = s.get(Student, student_id)
            return _student_label(st) if st else ""

    def new_form(self, student_id: int) -> LetterForm:
        """A letter for the student, filled from the registry (the receiving school from 就读学校)."""
        with self._ctx.read() as s:
            st = s.get(Student, student_id)
            if st is None:
                raise NotFound(f"找不到编号为 {student_id} 的学生")
            return _form_for(s, st, self._ctx.clock.today())

    def save_letter(self, form: LetterForm) -> LetterDetail:
        today = self._ctx.clock.today()
        with self._ctx.write() as s:
            x = self._save(s, form, today)
            return common.detail(s, x, today)

    def _save(self, s: Session, form: LetterForm, today: dt.date) -> Letter:
        clean, p = _clean(form, today)
        x = common.get_letter(s, form.id) if form.id else None
        if x is not None and (x.sent_on or x.voided):
            raise LedgerError(f"函件 {x.number} 已{'作废' if x.voided else '发出'}，内容不能再修改")
        if x is not None and clean.letter_date and clean.letter_date.year != x.year:
            p["letter_date"] = f"函号按年编排（{x.number}），发函日期不能改到另一年"
        if p:
            raise ValidationError(p)
        before = common.snapshot(x) if x else None
        if x is None:
            year = clean.letter_date.year
            seq = (s.scalar(select(func.max(Letter.seq)).where(Letter.year == year)) or 0) + 1
            x = Letter(year=year, seq=seq, number=rules.letter_number(common.prefix(s), year, seq))
            s.add(x)
        for name in common.CONTENT:
            setattr(x, name, getattr(clean, name))
        x.child_id_number = clean.child_id_number or None
        x.term_key = parse_term(clean.term).key if clean.term else term_of(clean.letter_date).key
        s.flush()
        audit.record(s, self._ctx, "update" if before else "create", "letter", x.id, before=before,
                     after=common.snapshot(x), summary=f"{x.number} 致{x.to_school}（{x.child_name}）")
        return x

    def make_for_due(self, letter_date: dt.date | None = None) -> MakeResult:
        """A letter for every student in the 应发函 list (one write: all or nothing). A student whose
        就读学校 is not recorded is skipped and named."""
        today = self._ctx.clock.today()
        due = self.due(today)
        out = MakeResult()
        with self._ctx.write() as s:
            made = []
            for d in due:
                form = _form_for(s, s.get(Student, d.student_id), today)
                form.letter_date = letter_date or today
                if not form.to_school:
                    out.skipped.append((d.name, "学生信息中没有填写就读学校，请逐个新建函件"))
                    continue
                made.append(self._save(s, form, today))
            out.made = [common.detail(s, x, today) for x in made]
        return out

    def void_letter(self, letter_id: int, reason: str) -> LetterDetail:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "请填写作废原因"})
        today = self._ctx.clock.today()
        with self._ctx.write() as s:
            x = common.get_letter(s, letter_id)
            if x.voided:
                raise LedgerError(f"函件 {x.number} 已作废")
            before = common.snapshot(x)
            x.voided, x.void_reason = True, reason
            audit.record(s, self._ctx, "void", "letter", x.id, before=before, after=common.snapshot(x),
                         summary=f"作废 {x.number}（{x.child_name}）：{reason}")
            return common.detail(s, x, today)

    def policies(self, stage: str, term: str | None = None) -> list[str]:
        """The policies a letter states for `stage` in `term` (default: now), from the aid standards."""
        t = parse_term(term) if term else term_of(self._ctx.clock.today())
        return rules.policy_lines(AidService(self._ctx).list_standards(include_inactive=False), stage, t)

    # ---- reading -------------------------------------------------------------------------------------
    def letters(self, q: LetterQuery | None = None, *, today: dt.date | None = None) -> list[LetterRow]:
        q = q or LetterQuery()
        today = today or self._ctx.clock.today()
        stmt = select(Letter).order_by(Letter.year.desc(), Letter.seq.desc())
        if q.year:
            stmt = stmt.where(Letter.year == q.year)
        text = clean_text(q.text).upper()
        if text:
            pattern = like_pattern(text)
            stmt = stmt.where(Letter.child_id_number.startswith(text) if text[:1].isdigit() else or_(
                Letter.child_name.like(pattern, escape="\\"), Letter.to_school.like(pattern, escape="\\"),
                Letter.number.like(pattern, escape="\\")))
        with self._ctx.read() as s:
            found = list(s.scalars(stmt))
            calls = dict(s.execute(select(LetterCall.letter_id, func.count()).group_by(LetterCall.letter_id)).all())
            rows = [common.row(x, calls.get(x.id, 0), today) for x in found]
        return [r for r in rows if r.status == q.status] if q.status else rows

    def get_letter(self, letter_id: int) -> LetterDetail:
        with self._ctx.read() as s:
            return common.detail(s, common.get_letter(s, letter_id), self._ctx.clock.today())

    def letters_for_student(self, student_id: int) -> list[LetterDetail]:
        today = self._ctx.clock.today()
        with self._ctx.read() as s:
            return [common.detail(s, x, today) for x in s.scalars(
                select(Letter).where(Letter.student_id == student_id).order_by(Letter.letter_date.desc(), Letter.id.desc()))]

    def due(self, today: dt.date | None = None) -> list[DueRow]:
        """应发函: registered-poor students studying out of province with no letter (that counts) yet."""
        today = today or self._ctx.clock.today()
        poor = select(StudentCategory.student_id).where(StudentCategory.category == rules.REGISTERED_POOR)
        with self._ctx.read() as s:
            found = list(s.execute(
                select(Student, Household).outerjoin(Household, Household.id == Student.household_id)
                .where(Student.study_location == rules.OUT_OF_PROVINCE, Student.enrolment.not_in(rules.LEFT_CARE),
                       Student.id.in_(poor)).order_by(Student.name_pinyin, Student.id)))
            letters: dict[int, list[Letter]] = {}
            for x in s.scalars(select(Letter).where(Letter.student_id.in_([st.id for st, _h in found]))
                               .order_by(Letter.letter_date, Letter.id)):
                letters.setdefault(x.student_id, []).append(x)
        out = []
        for st, hh in found:
            mine = letters.get(st.id, [])
            if rules.needs_letter([common.facts(x) for x in mine]):
                last = mine[-1] if mine else None
                out.append(DueRow(st.id, st.name, mask_id(st.id_number), st.stage or "", st.grade, st.study_school,
                                  hh.head_name if hh else "", hh.village if hh else "",
                                  (hh.poverty_status or "") if hh else "",
                                  f"{last.number}（{rules.status(common.facts(last), today)}）" if last else ""))
        return out


# ---- helpers ---------------------------------------------------------------------------------------
def _student_label(st: Student) -> str:
    where = f"，{st.enrolment}" + (f"：{st.study_location} {st.study_school}".rstrip() if st.study_location else "")
    return f"{st.name}（{mask_id(st.id_number) or '无身份证号'}，{st.stage or ''}{st.grade}{where}）"


def _form_for(s: Session, st: Student, today: dt.date) -> LetterForm:
    hh = s.get(Household, st.household_id) if st.household_id else None
    school = s.scalar(select(School.name).order_by(School.id).limit(1)) or ""
    return LetterForm(
        student_id=st.id, letter_date=today, term=term_of(today).short, child_name=st.name,
        child_gender=st.gender or "", child_id_number=st.id_number or "", child_stage=st.stage or "",
        child_grade=st.grade, head_name=hh.head_name if hh else "",
        address=" ".join(x for x in (hh.township, hh.village, hh.group_name) if x) if hh else "",
        poverty_status=(hh.poverty_status or "") if hh else "", poverty_exit_year=hh.poverty_exit_year if hh else None,
        to_school=st.study_school, request=rules.default_request(school))


def _clean(form: LetterForm, today: dt.date) -> tuple[LetterForm, dict[str, str]]:
    f = dataclasses.replace(form)
    for name in common.CONTENT:
        v = getattr(f, name)
        if isinstance(v, str):
            setattr(f, name, v.strip())
    p = rules.check_content(child_name=f.child_name, to_school=f.to_school, request=f.request,
                            letter_date=f.letter_date, today=today)
    if f.child_id_number:
        try:
            f.child_id_number = parse_id_number(f.child_id_number).number
        except IdNumberError as e:
            p["child_id_number"] = str(e)
    if f.to_phone:
        try:
            f.to_phone = normalize_phone(f.to_phone)
        except ValueError as e:
            p["to_phone"] = str(e)
    if f.term:
        try:
            parse_term(f.term)
        except ValidationError as e:
            p["term"] = e.problems["term"]
    if f.poverty_exit_year is not None and not 2013 <= f.poverty_exit_year <= today.year:
        p["poverty_exit_year"] = f"脱贫年度应在 2013 年至 {today.year} 年之间"
    return f, p
