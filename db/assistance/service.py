"""The individual-assistance service (个性化帮扶, issue 17). One session per call.

    items(student_ids=None, school_year=None, kind="") -> [AssistanceRow]
    get(id) -> AssistanceForm; save(AssistanceForm) -> AssistanceRow; delete(id)
    visits(id) -> [PairVisitForm]; save_visit(PairVisitForm); delete_visit(id)     (a pairing's visits)
    report(school_year=None) -> AssistanceReport
    without_assistance(school_year=None) -> [ChildRow]   what needs doing: 特别困难 建档立卡 children with none
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from db import audit
from db.assistance import rules
from db.assistance.dto import (
    PAIRING,
    AssistanceForm,
    AssistanceReport,
    AssistanceRow,
    ChildRow,
    PairVisitForm,
)
from db.context import ServiceContext
from db.errors import NotFound, ValidationError
from db.models.assistance import Assistance, AssistanceVisit
from db.models.registry import DifficultyAssessment, Household, Student, StudentCategory
from db.money import parse_yuan
from db.registry.selection import student_order


def _amount(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError({"amount_fen": "金额无效"})
    if isinstance(value, int):
        if value < 0:
            raise ValidationError({"amount_fen": "金额不能为负数"})
        return value
    try:
        return parse_yuan(str(value))
    except ValueError as e:
        raise ValidationError({"amount_fen": str(e)}) from None


class AssistanceService:
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    def items(self, student_ids=None, school_year: int | None = None, kind: str = "") -> list[AssistanceRow]:
        with self._ctx.read() as s:
            return assistance_rows(s, student_ids, school_year, kind)

    def get(self, item_id: int) -> AssistanceForm:
        with self._ctx.read() as s:
            a = s.get(Assistance, item_id)
            if a is None:
                raise NotFound("该帮扶记录已被删除")
            return _form(a)

    def save(self, form: AssistanceForm) -> AssistanceRow:
        amount = _amount(form.amount_fen)
        p = rules.problems(form, amount, self._ctx.clock.today())
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            st = s.get(Student, form.student_id)
            if st is None:
                raise NotFound("该学生已被删除")
            a = s.get(Assistance, form.id) if form.id else Assistance()
            if a is None:
                raise NotFound("该帮扶记录已被删除")
            before = _form(a) if form.id else None
            a.student_id, a.kind, a.given_on, a.who = st.id, form.kind, form.given_on, form.who.strip()
            a.until = form.until if form.kind == PAIRING else None
            a.amount_fen, a.note = amount, (form.note or "").strip()
            s.add(a)
            s.flush()
            audit.record(s, self._ctx, "update" if before else "create", "assistance", a.id,
                         summary=f"个性化帮扶 {st.name} {a.kind} {a.who}", before=before, after=_form(a))
            return assistance_rows(s, [st.id], None, "", a.id)[0]

    def delete(self, item_id: int) -> None:
        with self._ctx.write() as s:
            a = s.get(Assistance, item_id)
            if a is None:
                raise NotFound("该帮扶记录已被删除")
            audit.record(s, self._ctx, "delete", "assistance", a.id, summary=f"删除个性化帮扶 {a.kind}",
                         before=_form(a))
            s.delete(a)

    # ---- a pairing's visits ---------------------------------------------------------------------
    def visits(self, item_id: int) -> list[PairVisitForm]:
        with self._ctx.read() as s:
            return [PairVisitForm(v.id, v.assistance_id, v.visit_date, v.content) for v in s.scalars(
                select(AssistanceVisit).where(AssistanceVisit.assistance_id == item_id)
                .order_by(AssistanceVisit.visit_date, AssistanceVisit.id))]

    def save_visit(self, form: PairVisitForm) -> PairVisitForm:
        with self._ctx.write() as s:
            a = s.get(Assistance, form.assistance_id)
            if a is None:
                raise NotFound("该帮扶记录已被删除")
            p = {}
            if a.kind != PAIRING:
                p["assistance_id"] = "只有结对帮扶记录走访"
            if not isinstance(form.visit_date, dt.date):
                p["visit_date"] = "请填写走访日期"
            elif form.visit_date > self._ctx.clock.today():
                p["visit_date"] = "走访日期不能晚于今天"
            elif form.visit_date < a.given_on or (a.until and form.visit_date > a.until):
                p["visit_date"] = (f"走访日期应在结对期间（{a.given_on:%Y-%m-%d} 至 "
                                   f"{a.until:%Y-%m-%d}）" if a.until else f"走访日期不能早于结对开始 {a.given_on:%Y-%m-%d}")
            if p:
                raise ValidationError(p)
            v = s.get(AssistanceVisit, form.id) if form.id else AssistanceVisit(assistance_id=a.id)
            if v is None:
                raise NotFound("该走访记录已被删除")
            v.visit_date, v.content = form.visit_date, (form.content or "").strip()
            s.add(v)
            s.flush()
            audit.record(s, self._ctx, "update" if form.id else "create", "assistance_visit", v.id,
                         summary=f"结对帮扶走访 {v.visit_date}", after={"assistance_id": a.id, "content": v.content})
            return PairVisitForm(v.id, a.id, v.visit_date, v.content)

    def delete_visit(self, visit_id: int) -> None:
        with self._ctx.write() as s:
            v = s.get(AssistanceVisit, visit_id)
            if v is None:
                raise NotFound("该走访记录已被删除")
            audit.record(s, self._ctx, "delete", "assistance_visit", v.id, summary=f"删除结对帮扶走访 {v.visit_date}")
            s.delete(v)

    # ---- report ---------------------------------------------------------------------------------
    def report(self, school_year: int | None = None) -> AssistanceReport:
        year = school_year if school_year is not None else rules.school_year_of(self._ctx.clock.today())
        rows = self.items(school_year=year)
        by_kind: dict[str, int] = {}
        money: dict[str, int] = {}
        for r in rows:
            by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
            if r.amount_fen:
                money[r.kind] = money.get(r.kind, 0) + r.amount_fen
        return AssistanceReport(year, len(rows), len({r.student_id for r in rows}), by_kind, money,
                                sum(money.values()), self.without_assistance(year))

    def without_assistance(self, school_year: int | None = None) -> list[ChildRow]:
        """特别困难 建档立卡 children in school with no assistance in the school year."""
        year = school_year if school_year is not None else rules.school_year_of(self._ctx.clock.today())
        with self._ctx.read() as s:
            helped = {r.student_id for r in assistance_rows(s, None, year, "")}
            poor = select(StudentCategory.student_id).where(StudentCategory.category == "建档立卡")
            other_level = select(DifficultyAssessment.student_id).where(
                DifficultyAssessment.school_year == year, DifficultyAssessment.level != "特别困难")
            stmt = (select(Student.id, Student.name, Student.grade, Student.class_name, Household.village,
                           Household.head_name).outerjoin(Household, Household.id == Student.household_id)
                    .where(Student.enrolment == "在校", Student.id.in_(poor), Student.id.not_in(other_level))
                    .order_by(*student_order()))
            return [ChildRow(i, n, f"{g}{c}", v or "", h or "") for i, n, g, c, v, h in s.execute(stmt)
                    if i not in helped]


def assistance_rows(s, student_ids, school_year: int | None, kind: str, item_id: int | None = None) -> list[AssistanceRow]:
    visits = dict(s.execute(select(AssistanceVisit.assistance_id, func.count(AssistanceVisit.id))
                            .group_by(AssistanceVisit.assistance_id)).all())
    stmt = (select(Assistance, Student.name, Student.grade, Student.class_name)
            .join(Student, Student.id == Assistance.student_id).order_by(Assistance.given_on.desc(), Assistance.id))
    if student_ids is not None:
        stmt = stmt.where(Assistance.student_id.in_(list(student_ids)))
    if kind:
        stmt = stmt.where(Assistance.kind == kind)
    if item_id is not None:
        stmt = stmt.where(Assistance.id == item_id)
    if school_year is not None:
        start, end = rules.year_span(school_year)
        stmt = stmt.where(Assistance.given_on <= end, (Assistance.given_on >= start) | (
            (Assistance.kind == PAIRING) & (Assistance.until.is_(None) | (Assistance.until >= start))))
    return [AssistanceRow(a.id, a.student_id, n, f"{g}{c}", a.kind, a.given_on, a.until, a.who, a.amount_fen, a.note,
                          visits.get(a.id, 0)) for a, n, g, c in s.execute(stmt)]


def _form(a: Assistance) -> AssistanceForm:
    return AssistanceForm(a.id, a.student_id, a.kind, a.given_on, a.who, a.amount_fen, a.until, a.note)
