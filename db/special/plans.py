"""个别化教育方案 (one per child and term: goals by area, measures, teachers, review) and the 送教上门
log with the visits due and missed (`home_teaching_due`, for the home page)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select

from db import audit
from db.context import ServiceContext
from db.errors import ValidationError
from db.models.registry import Student
from db.models.special import SpecialAttachment, SpecialFile, SpecialHomeVisit, SpecialPlan, SpecialPlanGoal
from db.special import rules
from db.special.common import gather_facts, get_file, get_row, visit_settings, where_text
from db.special.dto import DueVisit, GoalLine, HomeVisitForm, HomeVisitRow, PlanForm
from db.terms import Term, parse_term, term_of
from db.validators import clean_text


class PlansMixin:
    _ctx: ServiceContext

    # ---- 个别化教育方案 ------------------------------------------------------------------------------
    def plans(self, file_id: int) -> list[PlanForm]:
        with self._ctx.read() as s:
            return [_plan(s, x) for x in s.scalars(select(SpecialPlan).where(SpecialPlan.file_id == file_id)
                                                   .order_by(SpecialPlan.term_key.desc()))]

    def save_plan(self, form: PlanForm) -> PlanForm:
        p: dict[str, str] = {}
        try:
            term = parse_term(form.term)
        except ValidationError as e:
            p["term"], term = e.problems["term"], None
        made = rules.day(form.made_on, "made_on", "制定日期", p, required=True, today=self._ctx.clock.today())
        review = rules.day(form.review_on, "review_on", "复查日期", p)
        reviewed = rules.day(form.reviewed_on, "reviewed_on", "实际复查日期", p, today=self._ctx.clock.today())
        goals = [g for g in form.goals if any((g.goal.strip(), g.measures.strip(), g.teacher.strip()))]
        for i, g in enumerate(goals, 1):
            if g.area not in rules.PLAN_AREAS:
                p["goals"] = f"第 {i} 个目标：请选择领域（{'、'.join(rules.PLAN_AREAS)}）"
            elif not g.goal.strip():
                p["goals"] = f"第 {i} 个目标：请填写目标内容"
            elif g.result and g.result not in rules.GOAL_RESULTS:
                p["goals"] = f"第 {i} 个目标：达成情况应为 {'、'.join(rules.GOAL_RESULTS)} 或留空"
        if not goals and "goals" not in p:
            p["goals"] = "请至少填写一个目标"
        if not form.teachers.strip():
            p["teachers"] = "请填写负责教师"
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            f = get_file(s, form.file_id)
            x = get_row(s, SpecialPlan, form.id, "个别化教育方案") if form.id else SpecialPlan(file_id=f.id)
            clash = s.scalar(select(SpecialPlan.id).where(SpecialPlan.file_id == f.id, SpecialPlan.term_key == term.key,
                                                          SpecialPlan.id != (x.id or 0)))
            if clash:
                raise ValidationError({"term": f"{term.label}已有个别化教育方案，请打开那一份修改"})
            before = _plan(s, x) if form.id else None
            x.term_key, x.made_on, x.review_on, x.reviewed_on = term.key, made, review, reviewed
            x.baseline, x.teachers, x.review_notes = form.baseline.strip(), form.teachers.strip(), form.review_notes.strip()
            s.add(x)
            s.flush()
            s.execute(delete(SpecialPlanGoal).where(SpecialPlanGoal.plan_id == x.id))
            for i, g in enumerate(goals):
                s.add(SpecialPlanGoal(plan_id=x.id, position=i, area=g.area, goal=g.goal.strip(),
                                      measures=g.measures.strip(), teacher=g.teacher.strip(), result=g.result or ""))
            s.flush()
            after = _plan(s, x)
            audit.record(s, self._ctx, "update" if before else "create", "special_plan", x.id,
                         summary=f"{f.name} 个别化教育方案 {term.label}", before=before, after=after)
            return after

    def delete_plan(self, plan_id: int) -> None:
        with self._ctx.write() as s:
            x = get_row(s, SpecialPlan, plan_id, "个别化教育方案")
            audit.record(s, self._ctx, "delete", "special_plan", x.id, summary="删除个别化教育方案",
                         before=_plan(s, x))
            s.delete(x)

    # ---- 送教上门 log ------------------------------------------------------------------------------
    def home_visits(self, file_id: int, term: Term | str | None = None) -> list[HomeVisitRow]:
        with self._ctx.read() as s:
            stmt = select(SpecialHomeVisit).where(SpecialHomeVisit.file_id == file_id)
            if term:
                stmt = stmt.where(SpecialHomeVisit.term_key == parse_term(term).key)
            visits = list(s.scalars(stmt.order_by(SpecialHomeVisit.visit_date.desc(), SpecialHomeVisit.id.desc())))
            photos = dict(s.execute(select(SpecialAttachment.visit_id, func.count()).where(
                SpecialAttachment.visit_id.in_([v.id for v in visits])).group_by(SpecialAttachment.visit_id)).all())
            return [visit_row(v, photos.get(v.id, 0)) for v in visits]

    def save_home_visit(self, form: HomeVisitForm) -> HomeVisitRow:
        today, p = self._ctx.clock.today(), {}
        day = rules.day(form.visit_date, "visit_date", "送教日期", p, required=True, today=today)
        t1, t2 = clean_text(form.teacher1), clean_text(form.teacher2)
        if not t1 or not t2:
            p["teacher2" if t1 else "teacher1"] = "送教上门由两名教师一同前往，请填写两位教师"
        elif t1 == t2:
            p["teacher2"] = "两位送教教师不能是同一人"
        minutes = form.minutes
        if minutes is not None and (not isinstance(minutes, int) or not 10 <= minutes <= 480):
            p["minutes"] = "时长应为 10–480 分钟"
        if not form.content.strip():
            p["content"] = "请填写送教内容"
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            f = get_file(s, form.file_id)
            v = get_row(s, SpecialHomeVisit, form.id, "送教记录") if form.id else SpecialHomeVisit(file_id=f.id)
            before = visit_row(v, 0) if form.id else None
            v.visit_date, v.term_key, v.teacher1, v.teacher2 = day, term_of(day).key, t1, t2
            v.minutes = minutes if minutes is not None else visit_settings(s).minutes
            v.content, v.progress = form.content.strip(), form.progress.strip()
            v.parent_remarks, v.parent_signed = form.parent_remarks.strip(), form.parent_signed
            s.add(v)
            s.flush()
            n = s.scalar(select(func.count()).where(SpecialAttachment.visit_id == v.id)) or 0
            after = visit_row(v, n)
            audit.record(s, self._ctx, "update" if before else "create", "special_home_visit", v.id,
                         summary=f"{f.name} 送教上门 {day}", before=before, after=after)
            return after

    def delete_home_visit(self, visit_id: int) -> None:
        """The visit's photos stay in the file (as attachments no longer tied to a visit)."""
        with self._ctx.write() as s:
            v = get_row(s, SpecialHomeVisit, visit_id, "送教记录")
            audit.record(s, self._ctx, "delete", "special_home_visit", v.id, summary=f"删除送教记录 {v.visit_date}",
                         before=visit_row(v, 0))
            s.delete(v)

    def home_teaching_due(self, today: dt.date | None = None) -> list[DueVisit]:
        """Every open file placed 送教上门: its term so far (done, expected, minutes), when the next visit
        is due and how many days it is overdue — most overdue first. For the home page (issue 16)."""
        today = today or self._ctx.clock.today()
        term = term_of(today)
        with self._ctx.read() as s:
            every = visit_settings(s).every_days
            found = list(s.execute(select(SpecialFile, Student).outerjoin(Student, Student.id == SpecialFile.student_id)
                                   .where(SpecialFile.placement == rules.HOME, SpecialFile.closed_on.is_(None))))
            facts = gather_facts(s, [f.id for f, _ in found], term, rules.school_year_of(today))
        out = []
        for f, st in found:
            fa, n = facts[f.id], f.visit_every_days or every
            due = rules.next_due(term, f.placement_since, fa.last_visit, n)
            overdue = (today - due).days if rules.in_term(term, today) and due < today else 0
            out.append(DueVisit(f.id, f.name, where_text(st, f), n, fa.last_visit, due, overdue, fa.visits_term,
                                rules.expected_visits(term, f.placement_since, today, n), fa.minutes_term))
        out.sort(key=lambda d: (-d.overdue_days, d.next_due, d.name))
        return out


def visit_row(v: SpecialHomeVisit, photos: int) -> HomeVisitRow:
    return HomeVisitRow(v.id, v.file_id, v.visit_date, Term.from_key(v.term_key).label if v.term_key else "",
                        v.teacher1, v.teacher2 or "", v.minutes, v.content, v.progress or "", v.parent_remarks or "",
                        v.parent_signed, photos)


def _plan(s, x: SpecialPlan) -> PlanForm:
    goals = [GoalLine(g.area, g.goal, g.measures, g.teacher, g.result) for g in s.scalars(
        select(SpecialPlanGoal).where(SpecialPlanGoal.plan_id == x.id).order_by(SpecialPlanGoal.position))] \
        if x.id else []
    return PlanForm(x.id, x.file_id, Term.from_key(x.term_key).short if x.term_key else "", x.made_on, x.baseline or "",
                    x.teachers or "", x.review_on, x.reviewed_on, x.review_notes or "", goals)
