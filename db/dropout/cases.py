"""Cases: opening one (a student, or a child from the county's pushed list), editing its details,
moving it between states (db.dropout.rules), the list, one case in full. Every change is audited, and
the student's enrolment in the registry follows the case in the same write."""
from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db import audit, enums
from db.changes import Changes
from db.context import ServiceContext
from db.dropout import common, rules
from db.dropout.dto import (
    ALL_OPEN,
    OPEN_STATES,
    SOURCE_COUNTY,
    SOURCE_STUDENT,
    CaseDetail,
    CaseForm,
    CaseQuery,
    CaseRow,
    ChildChoice,
    Move,
    State,
)
from db.errors import LedgerError, NotFound, ValidationError
from db.models.dropout import DropoutAttempt, DropoutCase, DropoutTransition
from db.models.exchange import CountyListEntry
from db.models.registry import Household, LiaisonOfficer, Student, StudentCategory
from db.query import like_pattern
from db.registry.enrolment import set_enrolment
from db.validators import IdNumberError, clean_text, mask_id, normalize_phone, parse_id_number

EDITABLE = ("guardian_name", "guardian_phone", "head_teacher", "liaison", "last_at_school", "absent_days",
            "reason", "reason_note", "notes")
REGISTERED_POOR = "建档立卡"


class CasesMixin:
    _ctx: ServiceContext

    # ---- choosing the child ------------------------------------------------------------------------
    def find_children(self, text: str, limit: int = 30) -> list[ChildChoice]:
        """Students who may have a case (not 毕业/转出), by name or ID number prefix: (id, label)."""
        t = clean_text(text).upper()
        stmt = (select(Student, Household.village).outerjoin(Household, Household.id == Student.household_id)
                .where(Student.enrolment.not_in(rules.NOT_OURS)).order_by(Student.name_pinyin, Student.id).limit(limit))
        if t:
            stmt = stmt.where(Student.id_number.startswith(t) if t[:1].isdigit()
                              else Student.name.like(like_pattern(t), escape="\\"))
        with self._ctx.read() as s:
            return [ChildChoice(st.id, _child_label(st, village)) for st, village in s.execute(stmt)]

    def child_label(self, student_id: int) -> str:
        with self._ctx.read() as s:
            st = s.get(Student, student_id)
            village = s.scalar(select(Household.village).where(Household.id == st.household_id)) if st else ""
            return _child_label(st, village) if st else ""

    def county_entry_label(self, entry_id: int) -> str:
        with self._ctx.read() as s:
            e = s.get(CountyListEntry, entry_id)
            return f"{e.name}（{mask_id(e.id_number)}，{e.township}{e.village}，推送名单）" if e else ""

    # ---- opening and editing -----------------------------------------------------------------------
    def open_case(self, form: CaseForm) -> CaseDetail:
        """Open a case for a student or a child on the county's list. Raises ValidationError."""
        today = self._ctx.clock.today()
        with self._ctx.write() as s:
            clean, p = _clean(form, common.reasons(s))
            clean.opened_on = clean.opened_on or today
            if (form.student_id is None) == (form.county_entry_id is None):
                raise ValidationError({"student_id": "请选择一名学生，或名单上的一名孩子"})
            c = DropoutCase(state=clean.state, opened_on=clean.opened_on, state_since=clean.opened_on)
            st = _fill_child(s, c, form)
            p.update(rules.check_who(is_student=st is not None, enrolment=st.enrolment if st else "",
                                     stage=c.stage, birth=c.birth_date, on=c.opened_on))
            p.update(rules.check_opening(state=clean.state, opened_on=clean.opened_on, today=today,
                                         last_at_school=clean.last_at_school, absent_days=clean.absent_days,
                                         from_county_list=st is None))
            other = _open_case_of(s, st.id if st else None, c.id_number)
            if other is not None:
                p["student_id" if st else "county_entry_id"] = (
                    f"{other.name}已有未结束的个案（{other.state}，{other.opened_on:%Y-%m-%d} 建档），请在该个案中继续登记")
            if p:
                raise ValidationError(p)
            _apply(c, clean)
            _defaults(s, c, st)
            s.add(c)
            s.flush()
            common.add_transition(s, self._ctx, c, "", c.opened_on, "建档")
            if st is not None:
                c.prior_enrolment = set_enrolment(s, self._ctx, st.id, "辍学",
                                                  why=f"控辍保学个案 {c.id}：{c.state}")
            common.record(s, self._ctx, "create", c, f"建档（{c.state}）")
            return common.detail(s, c)

    def save_case(self, form: CaseForm) -> CaseDetail:
        """Edit a case's details (guardian, teachers, absence, reason, 建档立卡, notes); its child and state
        change only by opening and by moves."""
        with self._ctx.write() as s:
            c = common.get_case(s, form.id)
            clean, p = _clean(form, common.reasons(s))
            if clean.last_at_school and clean.last_at_school > c.opened_on:
                p["last_at_school"] = "最后到校日期不能晚于建档日期"
            if p:
                raise ValidationError(p)
            before = common.snapshot(c)
            _apply(c, clean)
            if form.registered_poor is not None:
                c.registered_poor = bool(form.registered_poor)
            common.record(s, self._ctx, "update", c, "修改个案信息", before)
            return common.detail(s, c)

    def delete_case(self, case_id: int) -> Changes:
        """Only a case opened by mistake: still open, no persuasion attempt and no move yet. The
        student's enrolment goes back to what it was."""
        with self._ctx.write() as s:
            c = common.get_case(s, case_id)
            moves = s.scalar(select(func.count(DropoutTransition.id)).where(DropoutTransition.case_id == c.id))
            tried = s.scalar(select(DropoutAttempt.id).where(DropoutAttempt.case_id == c.id).limit(1))
            if c.state not in OPEN_STATES or tried or moves > 1:
                raise LedgerError("已有劝返记录或状态变更的个案不能删除（控辍保学档案须保留）；如属误建，请以相应原因销号")
            st = s.get(Student, c.student_id) if c.student_id else None
            if st is not None and st.enrolment == "辍学" and c.prior_enrolment:
                set_enrolment(s, self._ctx, st.id, c.prior_enrolment, why=f"删除误建的控辍保学个案 {c.id}")
            audit.record(s, self._ctx, "delete", "dropout_case", c.id, before=common.snapshot(c),
                                summary=f"删除误建的控辍保学个案 {c.name} {mask_id(c.id_number)}")
            s.delete(c)
        return Changes(frozenset({"dropout", "student"}), frozenset({case_id}))

    # ---- moves -------------------------------------------------------------------------------------------
    def move(self, case_id: int, m: Move) -> CaseDetail:
        """Change the case's state as `m` says, if the rules allow it (ValidationError otherwise)."""
        today = self._ctx.clock.today()
        with self._ctx.write() as s:
            c = common.get_case(s, case_id)
            n = s.scalar(select(func.count(DropoutAttempt.id)).where(DropoutAttempt.case_id == c.id))
            m = _clean_move(m)
            p = rules.check_move(common.facts(c, n), m, today)
            if m.to == State.CLOSED and m.close_location and m.close_location not in enums.values(enums.StudyLocation):
                p["close_location"] = f"就读地应为：{'、'.join(enums.values(enums.StudyLocation))}"
            if p:
                raise ValidationError(p)
            self._apply_move(s, c, m)
            return common.detail(s, c)

    def _apply_move(self, s: Session, c: DropoutCase, m: Move) -> None:
        before, old = common.snapshot(c), c.state
        c.state, c.state_since = m.to, m.on
        if m.to == State.RETURNED:
            c.returned_on, c.return_class = m.on, m.return_class
        elif m.to == State.CLOSED:
            c.closed_on, c.close_reason, c.close_school = m.on, m.close_reason, m.close_school
            c.close_location, c.close_evidence, c.approved_by = m.close_location, m.close_evidence, m.approved_by
            c.approved_on, c.special_ref = m.approved_on, m.special_ref
        common.add_transition(s, self._ctx, c, old, m.on, m.note)
        follow_registry(s, self._ctx, c)
        why = f"（{m.close_reason}）" if m.to == State.CLOSED else (f"（{m.return_class}）" if m.return_class else "")
        common.record(s, self._ctx, "transition", c, f"{old} → {m.to}{why}", before)

    # ---- reading -----------------------------------------------------------------------------------------
    def get_case(self, case_id: int) -> CaseDetail:
        with self._ctx.read() as s:
            return common.detail(s, common.get_case(s, case_id))

    def cases(self, q: CaseQuery | None = None, *, today: dt.date | None = None) -> list[CaseRow]:
        """The case list, newest first: open cases first, then by the date of their last change."""
        q = q or CaseQuery()
        today = today or self._ctx.clock.today()
        with self._ctx.read() as s:
            found = list(s.scalars(select(DropoutCase).where(*_conditions(q))
                                   .order_by(DropoutCase.state.in_(tuple(OPEN_STATES)).desc(),
                                             DropoutCase.state_since.desc(), DropoutCase.id.desc())))
            attempts = common.attempts_of(s, [c.id for c in found])
            after = common.escalate_after(s)
            rows = [common.case_row(c, attempts.get(c.id, []), after, today) for c in found]
        return [r for r in rows if r.overdue or r.escalation] if q.overdue_only else rows

    def cases_for_student(self, student_id: int) -> list[CaseDetail]:
        """Every case of a student (the family page), newest first."""
        with self._ctx.read() as s:
            st = s.get(Student, student_id)
            if st is None:
                return []
            cond = DropoutCase.student_id == st.id
            if st.id_number:
                cond = or_(cond, DropoutCase.id_number == st.id_number)
            return [common.detail(s, c) for c in s.scalars(select(DropoutCase).where(cond)
                                                             .order_by(DropoutCase.opened_on.desc(), DropoutCase.id.desc()))]


def follow_registry(s: Session, ctx: ServiceContext, c: DropoutCase) -> None:
    """The student's enrolment after the case's move (rules.enrolment_after)."""
    if c.student_id is None or s.get(Student, c.student_id) is None:
        return
    enrolment = rules.enrolment_after(c.state, c.close_reason)
    if enrolment is None:
        return
    moved = c.state == State.CLOSED and c.close_reason in ("转学", "在外就读", "特教学校")
    set_enrolment(s, ctx, c.student_id, enrolment, why=f"控辍保学个案 {c.id}：{c.state}"
                  + (f"（{c.close_reason}）" if c.close_reason else ""),
                  study_location=c.close_location if c.close_reason == "在外就读" else None,
                  study_school=c.close_school if moved else None)


# ---- helpers -------------------------------------------------------------------------------------------
def _child_label(st: Student, village: str | None) -> str:
    return f"{st.name}（{mask_id(st.id_number) or '无身份证号'}，{st.grade}{st.class_name}，{st.enrolment}" + \
        (f"，{village}）" if village else "）")


def _clean(form: CaseForm, reasons: list[str]) -> tuple[CaseForm, dict[str, str]]:
    f = dataclasses.replace(form)
    for name in ("guardian_name", "head_teacher", "liaison", "reason", "reason_note", "notes"):
        setattr(f, name, (getattr(f, name) or "").strip())
    p = rules.check_details(reason=f.reason, reasons=reasons, guardian_name=f.guardian_name)
    if (f.guardian_phone or "").strip():
        try:
            f.guardian_phone = normalize_phone(f.guardian_phone)
        except ValueError as e:
            p["guardian_phone"] = str(e)
    else:
        f.guardian_phone = ""
    if f.absent_days is not None and f.absent_days < 0:
        p["absent_days"] = "缺课天数不能为负数"
    return f, p


def _clean_move(m: Move) -> Move:
    m = dataclasses.replace(m)
    for name in ("note", "return_class", "close_reason", "close_school", "close_location", "close_evidence",
                 "approved_by", "special_ref"):
        setattr(m, name, (getattr(m, name) or "").strip())
    return m


def _apply(c: DropoutCase, f: CaseForm) -> None:
    for name in EDITABLE:
        setattr(c, name, getattr(f, name))


def _fill_child(s: Session, c: DropoutCase, form: CaseForm) -> Student | None:
    """The child's details on the case, from the student or the county's list entry (a child on the
    list who is in our registry after all becomes a student case). Returns the student, if any."""
    st, entry = None, None
    if form.student_id is not None:
        st = s.get(Student, form.student_id)
        if st is None:
            raise NotFound("所选学生已被删除")
    else:
        entry = s.get(CountyListEntry, form.county_entry_id)
        if entry is None:
            raise NotFound("名单中已没有这名孩子（名单可能已被删除）")
        st = s.scalar(select(Student).where(Student.id_number == entry.id_number))
        c.county_entry_id = entry.id
    if st is not None:
        hh = s.get(Household, st.household_id) if st.household_id else None
        c.student_id, c.source, c.name, c.gender, c.id_number = st.id, SOURCE_STUDENT, st.name, st.gender or "", st.id_number
        c.birth_date, c.stage, c.grade, c.class_name = st.birth_date, st.stage or "", st.grade, st.class_name
        c.household_id = hh.id if hh else None
        c.head_name, c.township, c.village = (hh.head_name, hh.township, hh.village) if hh else ("", "", "")
        c.registered_poor = s.scalar(select(StudentCategory.student_id).where(
            StudentCategory.student_id == st.id, StudentCategory.category == REGISTERED_POOR)) is not None
    else:
        c.source, c.name, c.id_number = SOURCE_COUNTY, entry.name, entry.id_number
        c.head_name, c.township, c.village = entry.head_name, entry.township, entry.village
        try:
            info = parse_id_number(entry.id_number)
            c.birth_date, c.gender = info.birth_date, info.gender.value
            c.stage = rules.stage_for_age(rules.age_on(info.birth_date, rules.school_year_cutoff(c.opened_on)))
        except IdNumberError:
            c.birth_date = None
        c.registered_poor = REGISTERED_POOR in (entry.categories or "") or REGISTERED_POOR in _list_kind(s, entry)
    if form.registered_poor is not None:
        c.registered_poor = bool(form.registered_poor)
    return st


def _list_kind(s: Session, entry: CountyListEntry) -> str:
    return entry.county_list.kind if entry.county_list else ""


def _defaults(s: Session, c: DropoutCase, st: Student | None) -> None:
    """Guardian and liaison officer from the household when the form leaves them blank."""
    hh = s.get(Household, c.household_id) if c.household_id else None
    if hh is None:
        if not c.guardian_name:
            c.guardian_name = c.head_name
        return
    if not c.guardian_name:
        c.guardian_name = hh.head_name
        c.guardian_phone = c.guardian_phone or hh.phone
    if not c.liaison and hh.liaison_officer_id:
        officer = s.get(LiaisonOfficer, hh.liaison_officer_id)
        c.liaison = officer.name if officer else ""


def _open_case_of(s: Session, student_id: int | None, id_number: str | None) -> DropoutCase | None:
    conds = [DropoutCase.student_id == student_id] if student_id else []
    if id_number:
        conds.append(DropoutCase.id_number == id_number)
    if not conds:
        return None
    return s.scalar(select(DropoutCase).where(or_(*conds), DropoutCase.state.in_(tuple(OPEN_STATES))).limit(1))


def _conditions(q: CaseQuery) -> list:
    conds = []
    if q.state == ALL_OPEN:
        conds.append(DropoutCase.state.in_(tuple(OPEN_STATES)))
    elif q.state:
        conds.append(DropoutCase.state == q.state)
    if q.stage:
        conds.append(DropoutCase.stage == ("" if q.stage == "未入学" else q.stage))
    if q.poor_only:
        conds.append(DropoutCase.registered_poor.is_(True))
    text = clean_text(q.text).upper()
    if text:
        pattern = like_pattern(text)
        conds.append(DropoutCase.id_number.startswith(text) if text[:1].isdigit() else or_(
            DropoutCase.name.like(pattern, escape="\\"), DropoutCase.village.like(pattern, escape="\\"),
            DropoutCase.head_name.like(pattern, escape="\\")))
    return conds
