"""The survey ledger's service (线上学习排查, issue 17). One session per call; plain dataclasses out.

    rounds() -> [RoundRow]; save_round(RoundForm); delete_round(id)
    households(round=None, status="") -> [CheckRow]   the round's households and their state
    check_form(round, household_id) -> CheckForm       the saved check, or a blank one with the children
    save_check(CheckForm) -> CheckRow; delete_check(id)
    report(round=None) -> SurveyReport                 (db/survey/report.py)
    failing(round=None) -> [CheckRow]                  what needs doing: 待整改, listed until fixed
    not_surveyed(round=None) -> [CheckRow]             registered-poor households not yet checked
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select

from db import audit
from db.context import ServiceContext
from db.errors import LedgerError, NotFound, ValidationError
from db.models.registry import Household, LiaisonOfficer
from db.models.survey import SurveyCheck, SurveyChild, SurveyProblem, SurveyRound
from db.survey import rules
from db.survey.common import child_answers, children_of, find_round, round_rows
from db.survey.dto import (
    CHILD_QUESTIONS,
    DEVICES,
    FIX_KINDS,
    NETWORKS,
    PROBLEM_KINDS,
    CheckForm,
    CheckRow,
    ChildAnswers,
    ProblemForm,
    RoundForm,
    RoundRow,
)
from db.survey.report import ReportMixin

TRI = (True, False, None)


class SurveyService(ReportMixin):
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    # ---- rounds ---------------------------------------------------------------------------------
    def rounds(self) -> list[RoundRow]:
        with self._ctx.read() as s:
            counts = dict(s.execute(select(SurveyCheck.round_id, func.count(SurveyCheck.id))
                                    .group_by(SurveyCheck.round_id)).all())
            return [RoundRow(r.id, r.name, r.start_date, r.end_date, counts.get(r.id, 0)) for r in s.scalars(
                select(SurveyRound).order_by(SurveyRound.start_date.desc(), SurveyRound.id.desc()))]

    def save_round(self, form: RoundForm) -> RoundRow:
        p = {}
        name = (form.name or "").strip()
        if not name:
            p["name"] = "请填写轮次名称，如“2020年春季停课不停学排查”"
        if not isinstance(form.start_date, dt.date):
            p["start_date"] = "请填写开始日期"
        elif form.end_date is not None and form.end_date < form.start_date:
            p["end_date"] = "结束日期不能早于开始日期"
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            clash = s.scalar(select(SurveyRound.id).where(SurveyRound.name == name))
            if clash is not None and clash != form.id:
                raise ValidationError({"name": f"已有名为“{name}”的轮次"})
            r = s.get(SurveyRound, form.id) if form.id else SurveyRound()
            if r is None:
                raise NotFound("该轮次已被删除")
            r.name, r.start_date, r.end_date, r.notes = name, form.start_date, form.end_date, form.notes.strip()
            s.add(r)
            s.flush()
            audit.record(s, self._ctx, "update" if form.id else "create", "survey_round", r.id,
                         summary=f"线上学习排查轮次 {name}", after=form)
            n = s.scalar(select(func.count(SurveyCheck.id)).where(SurveyCheck.round_id == r.id))
            return RoundRow(r.id, r.name, r.start_date, r.end_date, n)

    def delete_round(self, round_id: int) -> None:
        with self._ctx.write() as s:
            r = s.get(SurveyRound, round_id)
            if r is None:
                raise NotFound("该轮次已被删除")
            n = s.scalar(select(func.count(SurveyCheck.id)).where(SurveyCheck.round_id == r.id))
            if n:
                raise LedgerError(f"轮次“{r.name}”已有 {n} 户排查记录，不能删除")
            audit.record(s, self._ctx, "delete", "survey_round", r.id, summary=f"删除排查轮次 {r.name}")
            s.delete(r)

    # ---- households and checks ------------------------------------------------------------------
    def households(self, round: str | int | None = None, status: str = "") -> list[CheckRow]:
        with self._ctx.read() as s:
            rows = round_rows(s, find_round(s, round))
        return [r for r in rows if not status or r.status == status]

    def failing(self, round: str | int | None = None) -> list[CheckRow]:
        """Households listed until fixed (待整改): the home page's "what needs doing"."""
        return self.households(round, rules.FAILING)

    def not_surveyed(self, round: str | int | None = None) -> list[CheckRow]:
        return self.households(round, rules.NOT_CHECKED)

    def check_form(self, round: str | int | None, household_id: int) -> CheckForm:
        with self._ctx.read() as s:
            r = find_round(s, round)
            hh = s.get(Household, household_id)
            if hh is None:
                raise NotFound("该家庭已被删除")
            c = s.scalar(select(SurveyCheck).where(SurveyCheck.round_id == r.id,
                                                   SurveyCheck.household_id == household_id))
            kids = children_of(s, [household_id]).get(household_id, [])
            answers = child_answers(s, c.id) if c else {}
            children = [ChildAnswers(k.id, k.name, f"{k.grade}{k.class_name}",
                                     *(getattr(answers[k.id], f) if k.id in answers else None
                                       for f, _ in CHILD_QUESTIONS)) for k in kids]
            if c is None:
                return CheckForm(None, r.id, household_id, None, hh.liaison_officer_id, children=children)
            problems = [ProblemForm(p.id, p.kind, p.note, p.fix, p.how, p.quantity, p.paid_by, p.solved_on)
                        for p in s.scalars(select(SurveyProblem).where(SurveyProblem.check_id == c.id)
                                           .order_by(SurveyProblem.id))]
            return CheckForm(c.id, r.id, household_id, c.check_date, c.officer_id, c.unannounced,
                             *(getattr(c, f) for f, _ in DEVICES + NETWORKS), c.notes, children, problems)

    def save_check(self, form: CheckForm) -> CheckRow:
        _check(form, self._ctx.clock.today())
        with self._ctx.write() as s:
            r = s.get(SurveyRound, form.round_id)
            hh = s.get(Household, form.household_id)
            if r is None or hh is None:
                raise NotFound("该轮次或家庭已被删除")
            if form.officer_id is not None and s.get(LiaisonOfficer, form.officer_id) is None:
                raise ValidationError({"officer_id": "该联络员已被删除"})
            c = s.get(SurveyCheck, form.id) if form.id else s.scalar(select(SurveyCheck).where(
                SurveyCheck.round_id == r.id, SurveyCheck.household_id == hh.id))
            if form.id and c is None:
                raise NotFound("该排查记录已被删除")
            before = self._snapshot(s, c) if c else None
            c = c or SurveyCheck(round_id=r.id, household_id=hh.id)
            c.check_date, c.officer_id, c.unannounced = form.check_date, form.officer_id, bool(form.unannounced)
            for f, _ in DEVICES + NETWORKS:
                setattr(c, f, getattr(form, f))
            c.notes = form.notes.strip()
            s.add(c)
            s.flush()
            _save_children(s, c, form)
            _save_problems(s, c, form)
            audit.record(s, self._ctx, "update" if before else "create", "survey_check", c.id,
                         summary=f"线上学习排查 {r.name} {hh.head_name}家", before=before, after=form)
            return round_rows(s, r, [hh.id])[0]

    def delete_check(self, check_id: int) -> None:
        with self._ctx.write() as s:
            c = s.get(SurveyCheck, check_id)
            if c is None:
                raise NotFound("该排查记录已被删除")
            audit.record(s, self._ctx, "delete", "survey_check", c.id, summary="删除线上学习排查记录",
                         before=self._snapshot(s, c))
            s.delete(c)

    def _snapshot(self, s, c: SurveyCheck) -> dict:
        probs = [(p.kind, p.fix, p.quantity, p.paid_by, p.solved_on) for p in
                 s.scalars(select(SurveyProblem).where(SurveyProblem.check_id == c.id))]
        return {"household_id": c.household_id, "check_date": c.check_date, "unannounced": c.unannounced,
                **{f: getattr(c, f) for f, _ in DEVICES + NETWORKS}, "problems": probs}


def _check(form: CheckForm, today: dt.date) -> None:
    """Every problem of the form at once."""
    p: dict[str, str] = {}
    if form.round_id is None:
        p["round_id"] = "请选择排查轮次"
    if form.household_id is None:
        p["household_id"] = "请选择家庭"
    if not isinstance(form.check_date, dt.date):
        p["check_date"] = "请填写排查日期"
    elif form.check_date > today:
        p["check_date"] = "排查日期不能晚于今天"
    for f, label in DEVICES + NETWORKS:
        if getattr(form, f) not in TRI:
            p[f] = f"{label}只能填“有”“无”或留空（不清楚）"
    for i, pr in enumerate(form.problems, 1):
        why = _problem_problem(pr, form.check_date, today)
        if why:
            p["problems"] = f"第 {i} 个问题：{why}"
    if p:
        raise ValidationError(p)


def _problem_problem(pr: ProblemForm, check_date, today: dt.date) -> str:
    if pr.kind not in PROBLEM_KINDS:
        return f"问题类型应为 {'、'.join(PROBLEM_KINDS)}"
    if pr.fix and pr.fix not in FIX_KINDS:
        return f"解决措施应为 {'、'.join(FIX_KINDS)}"
    if not 1 <= int(pr.quantity or 0) <= 999:
        return "数量应为 1–999"
    if pr.solved_on is None:
        return ""
    if not pr.fix:
        return "已填写解决日期，请写明解决措施"
    if isinstance(check_date, dt.date) and pr.solved_on < check_date:
        return "解决日期不能早于排查日期"
    return "解决日期不能晚于今天" if pr.solved_on > today else ""


def _save_children(s, c: SurveyCheck, form: CheckForm) -> None:
    kids = {k.id for k in children_of(s, [c.household_id]).get(c.household_id, [])}
    s.execute(delete(SurveyChild).where(SurveyChild.check_id == c.id))
    for a in form.children:
        if a.student_id not in kids:
            raise ValidationError({"children": f"{a.name or a.student_id} 不是这户在校的建档立卡学生"})
        s.add(SurveyChild(check_id=c.id, student_id=a.student_id,
                          **{f: getattr(a, f) for f, _ in CHILD_QUESTIONS}))


def _save_problems(s, c: SurveyCheck, form: CheckForm) -> None:
    keep = {p.id for p in form.problems if p.id}
    s.execute(delete(SurveyProblem).where(SurveyProblem.check_id == c.id, SurveyProblem.id.not_in(keep)))
    for pf in form.problems:
        p = s.get(SurveyProblem, pf.id) if pf.id else None
        if pf.id and (p is None or p.check_id != c.id):
            raise ValidationError({"problems": "问题记录不属于这次排查"})
        p = p or SurveyProblem(check_id=c.id)
        p.kind, p.note, p.fix, p.how = pf.kind, pf.note.strip(), pf.fix, pf.how
        p.quantity, p.paid_by, p.solved_on = int(pf.quantity or 1), pf.paid_by.strip(), pf.solved_on
        s.add(p)
    s.flush()
