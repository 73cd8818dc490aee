"""The nutrition ledger's service (营养改善计划, issue 17). Only for pilot schools: every write, and
every read but `enabled()`, says so when the school is not one (the setting lives in the aid
settings, db.aid.settings). One session per call; plain dataclasses out.

    enabled() -> bool
    plan(term) -> PlanForm | None; save_plan(PlanForm); planned_terms() -> [str]
    refresh_list(term, from_month=None) -> (added, ended); pupils(term) -> [PupilRow];
    end_pupil(pupil_id, last_month, note)
    funds(term) -> [MonthFunds]; report(term) -> NutritionReport; notice(term, month) -> MonthNotice
    meals(term) -> [MealForm]; save_meal(MealForm); delete_meal(id)
    needs_doing(today=None) -> [str]      what the officer has still to do this term (home page)
"""
from __future__ import annotations

from sqlalchemy import select

from db import audit
from db.aid.common import amount_fen
from db.aid.settings import load_settings
from db.context import ServiceContext
from db.errors import LedgerError, NotFound, ValidationError
from db.models.nutrition import NutritionMonth, NutritionPupil, NutritionTerm
from db.models.registry import Student
from db.nutrition import rules
from db.nutrition.dto import MEAL_MODELS, NOT_PILOT, PlanForm, PupilRow
from db.nutrition.funds import GRADE_ORDER, FundsMixin
from db.nutrition.meals import MealsMixin
from db.terms import Term, parse_term


class NutritionService(FundsMixin, MealsMixin):
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    def enabled(self) -> bool:
        with self._ctx.read() as s:
            return load_settings(s).nutrition_pilot

    def _require(self, s) -> None:
        if not load_settings(s).nutrition_pilot:
            raise LedgerError(NOT_PILOT)

    # ---- the term's plan ------------------------------------------------------------------------
    def planned_terms(self) -> list[str]:
        with self._ctx.read() as s:
            self._require(s)
            return [Term.from_key(k).short for k in s.scalars(
                select(NutritionTerm.term_key).order_by(NutritionTerm.term_key.desc()))]

    def plan(self, term: Term | str) -> PlanForm | None:
        term = parse_term(term)
        with self._ctx.read() as s:
            self._require(s)
            t = s.scalar(select(NutritionTerm).where(NutritionTerm.term_key == term.key))
            if t is None:
                return None
            months = {m.month: m.meal_days for m in s.scalars(
                select(NutritionMonth).where(NutritionMonth.term_id == t.id).order_by(NutritionMonth.month))}
            return PlanForm(term.short, t.meal_model, t.daily_fen, months, t.notes)

    def default_plan(self, term: Term | str) -> PlanForm:
        """A new term's plan as proposed: the school's daily standard (4 元, 5 元 from 2021秋), its months."""
        term = parse_term(term)
        with self._ctx.read() as s:
            daily = rules.default_daily_fen(term, load_settings(s).nutrition_daily_fen)
        return PlanForm(term.short, MEAL_MODELS[0], daily, {m: 0 for m in rules.term_months(term)})

    def save_plan(self, form: PlanForm) -> PlanForm:
        term, daily, months = _check_plan(form)
        with self._ctx.write() as s:
            self._require(s)
            t = s.scalar(select(NutritionTerm).where(NutritionTerm.term_key == term.key))
            before = None if t is None else {"meal_model": t.meal_model, "daily_fen": t.daily_fen}
            t = t or NutritionTerm(term_key=term.key)
            t.meal_model, t.daily_fen, t.notes = form.meal_model, daily, (form.notes or "").strip()
            s.add(t)
            s.flush()
            have = {m.month: m for m in s.scalars(select(NutritionMonth).where(NutritionMonth.term_id == t.id))}
            for month, days in months.items():
                row = have.get(month) or NutritionMonth(term_id=t.id, month=month)
                row.meal_days = days
                s.add(row)
            clean = PlanForm(term.short, t.meal_model, daily, dict(sorted(months.items())), t.notes)
            audit.record(s, self._ctx, "update" if before else "create", "nutrition_term", t.id,
                         summary=f"营养改善计划 {term.label}", before=before, after=clean)
            return clean

    # ---- the real-name list ----------------------------------------------------------------------
    def refresh_list(self, term: Term | str, from_month: str | None = None) -> tuple[int, int]:
        """Add the compulsory-stage pupils in school who are not on the list (from `from_month`, default
        the term's first month); end, at the month before, those no longer in school."""
        term = parse_term(term)
        months = rules.term_months(term)
        start = from_month or months[0]
        if start not in months:
            raise ValidationError({"from_month": f"月份 {start} 不在{term.label}（{months[0]} 至 {months[-1]}）"})
        with self._ctx.write() as s:
            self._require(s)
            t = _term_row(s, term)
            added, ended = refresh_pupils(s, t, start)
            audit.record(s, self._ctx, "update", "nutrition_pupil", t.id,
                         summary=f"营养改善计划 {term.label} 实名名单：新增 {added} 人，停止 {ended} 人（自 {start}）")
            return added, ended

    def pupils(self, term: Term | str) -> list[PupilRow]:
        term = parse_term(term)
        with self._ctx.read() as s:
            self._require(s)
            t = _term_row(s, term)
            rows = s.scalars(select(NutritionPupil).where(NutritionPupil.term_id == t.id).order_by(*rules_order()))
            return sorted((_pupil(p) for p in rows), key=lambda p: GRADE_ORDER.get(p.grade, 99))

    def end_pupil(self, pupil_id: int, last_month: str, note: str = "") -> PupilRow:
        """The pupil eats no more after `last_month` (转出, 辍学 …)."""
        if not rules.valid_month(last_month):
            raise ValidationError({"to_month": f"月份“{last_month}”应写成 YYYY-MM，如 2021-04"})
        with self._ctx.write() as s:
            self._require(s)
            p = s.get(NutritionPupil, pupil_id)
            if p is None:
                raise NotFound("名单中已没有这名学生")
            if last_month < p.from_month:
                raise ValidationError({"to_month": f"停止月份不能早于开始月份 {p.from_month}"})
            before = _pupil(p)
            p.to_month, p.note = last_month, (note or p.note).strip()
            audit.record(s, self._ctx, "update", "nutrition_pupil", p.id, summary=f"营养餐名单 {p.name} 至 {last_month}",
                         before=before, after=_pupil(p))
            return _pupil(p)


def rules_order():
    return (NutritionPupil.grade, NutritionPupil.class_name, NutritionPupil.name, NutritionPupil.id)


def _pupil(p: NutritionPupil) -> PupilRow:
    return PupilRow(p.id, p.student_id, p.name, p.grade, p.class_name, p.from_month, p.to_month, p.note)


def _term_row(s, term: Term) -> NutritionTerm:
    t = s.scalar(select(NutritionTerm).where(NutritionTerm.term_key == term.key))
    if t is None:
        raise NotFound(f"{term.label}还没有营养改善计划安排，请先填写供餐方式、标准和各月供餐天数")
    return t


def _check_plan(form: PlanForm) -> tuple[Term, int, dict[str, int]]:
    p: dict[str, str] = {}
    term = None
    try:
        term = parse_term(form.term)
    except ValidationError as e:
        p.update(e.problems)
    if form.meal_model not in MEAL_MODELS:
        p["meal_model"] = f"供餐方式应为：{'、'.join(MEAL_MODELS)}"
    daily = 0
    try:
        daily = amount_fen(form.daily_fen, "daily_fen")
        if not 0 < daily <= 5000:
            p["daily_fen"] = "每生每天标准应在 0.01–50.00 元之间"
    except ValidationError:
        p["daily_fen"] = "每生每天标准应为金额，如 5.00"
    months: dict[str, int] = {}
    allowed = set(rules.term_months(term)) if term else set()
    for month, days in (form.months or {}).items():
        if month not in allowed:
            p["months"] = f"月份 {month} 不在{term.label if term else '该学期'}"
        elif not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 31:
            p["months"] = f"{rules.month_label(month)}供餐天数应为 0–31 的整数"
        else:
            months[month] = days
    if p:
        raise ValidationError(p)
    return term, daily, months


def refresh_pupils(s, t: NutritionTerm, start: str) -> tuple[int, int]:
    eligible = {st.id: st for st in s.scalars(select(Student).where(
        Student.stage.in_(rules.COMPULSORY), Student.enrolment == "在校"))}
    listed = {p.student_id: p for p in s.scalars(select(NutritionPupil).where(NutritionPupil.term_id == t.id))}
    added = ended = 0
    for sid, st in eligible.items():
        if sid not in listed:
            s.add(NutritionPupil(term_id=t.id, student_id=sid, name=st.name, grade=st.grade,
                                 class_name=st.class_name, from_month=start, to_month=None, note=""))
            added += 1
    last = rules.previous_month(start)
    for sid, p in listed.items():
        if (sid is None or sid not in eligible) and p.to_month is None:
            if last < p.from_month:
                s.delete(p)
            else:
                p.to_month, p.note = last, p.note or "已不在校"
            ended += 1
    s.flush()
    return added, ended
