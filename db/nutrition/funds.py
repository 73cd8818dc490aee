"""The nutrition plan's money: each month's funds (meal days × pupils × standard, integer fen), the
term's report and the monthly 公示 data (name, grade and class only)."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select

from db.aid.settings import load_settings
from db.context import ServiceContext
from db.errors import NotFound, ValidationError
from db.models.nutrition import NutritionMeal, NutritionMonth, NutritionPupil, NutritionTerm
from db.nutrition import rules
from db.nutrition.dto import MonthFunds, MonthNotice, NutritionReport
from db.registry.selection import GRADES, school_facts
from db.terms import Term, parse_term, term_of


def month_funds(s, t: NutritionTerm) -> list[MonthFunds]:
    spans = list(s.execute(select(NutritionPupil.from_month, NutritionPupil.to_month)
                           .where(NutritionPupil.term_id == t.id)))
    out = []
    for m in s.scalars(select(NutritionMonth).where(NutritionMonth.term_id == t.id).order_by(NutritionMonth.month)):
        n = sum(1 for a, b in spans if rules.on_list(a, b, m.month))
        out.append(MonthFunds(m.month, m.meal_days, n, t.daily_fen, rules.month_funds(m.meal_days, n, t.daily_fen)))
    return out

GRADE_ORDER = {g: i for i, g in enumerate(GRADES)}     # 一年级 … 九年级, as the school counts them


class FundsMixin:
    _ctx: ServiceContext

    def funds(self, term: Term | str) -> list[MonthFunds]:
        term = parse_term(term)
        with self._ctx.read() as s:
            self._require(s)
            return month_funds(s, self._term(s, term))

    def report(self, term: Term | str) -> NutritionReport:
        term = parse_term(term)
        with self._ctx.read() as s:
            self._require(s)
            t = self._term(s, term)
            months = month_funds(s, t)
            grades = Counter(s.scalars(select(NutritionPupil.grade).where(
                NutritionPupil.term_id == t.id, NutritionPupil.to_month.is_(None))))
            start, end = rules.term_dates(term)
            meals = s.scalar(select(func.count(NutritionMeal.id)).where(NutritionMeal.meal_date.between(start, end)))
            return NutritionReport(term.label, t.meal_model, t.daily_fen, sum(grades.values()), months,
                                   sum(m.funds_fen for m in months), meals, dict(sorted(grades.items())))

    def notice(self, term: Term | str, month: str, today: dt.date | None = None) -> MonthNotice:
        term = parse_term(term)
        if month not in rules.term_months(term):
            raise ValidationError({"month": f"月份 {month} 不在{term.label}"})
        with self._ctx.read() as s:
            self._require(s)
            t = self._term(s, term)
            funds = {m.month: m for m in month_funds(s, t)}
            if month not in funds:
                raise NotFound(f"{rules.month_label(month)}还没有填写供餐天数")
            pupils = sorted(((g, c, n) for n, g, c, a, b in s.execute(
                select(NutritionPupil.name, NutritionPupil.grade, NutritionPupil.class_name,
                       NutritionPupil.from_month, NutritionPupil.to_month)
                .where(NutritionPupil.term_id == t.id).order_by(NutritionPupil.grade, NutritionPupil.class_name,
                                                                NutritionPupil.name))
                      if rules.on_list(a, b, month)), key=lambda p: GRADE_ORDER.get(p[0], 99))
            facts = school_facts(s)
            return MonthNotice(facts.name, term.label, month, t.meal_model, funds[month],
                               sum(m.funds_fen for m in funds.values() if m.month <= month), pupils,
                               facts.phone, facts.county_hotline, today or self._ctx.clock.today())

    def needs_doing(self, today: dt.date | None = None) -> list[str]:
        """What is still to do for the current term (empty when nothing, or when not a pilot)."""
        today = today or self._ctx.clock.today()
        term = term_of(today)
        with self._ctx.read() as s:
            if not load_settings(s).nutrition_pilot:
                return []
            t = s.scalar(select(NutritionTerm).where(NutritionTerm.term_key == term.key))
            if t is None:
                return [f"{term.label}还没有营养改善计划安排（供餐方式、标准、各月供餐天数）"]
            out = []
            done = {m.month: m for m in month_funds(s, t)}
            past = [m for m in rules.term_months(term) if m < f"{today:%Y-%m}"]
            missing = [m for m in past if m not in done or not done[m].meal_days]
            if missing:
                out.append("未填写供餐天数：" + "、".join(rules.month_label(m) for m in missing))
            if not s.scalar(select(func.count(NutritionPupil.id)).where(NutritionPupil.term_id == t.id)):
                out.append(f"{term.label}还没有实名制学生名单")
            start, _end = rules.term_dates(term)
            logged = {f"{d:%Y-%m}" for d in s.scalars(select(NutritionMeal.meal_date)
                                                      .where(NutritionMeal.meal_date.between(start, today)))}
            no_meal = [m for m in past if done.get(m) and done[m].meal_days and m not in logged]
            if no_meal:
                out.append("没有陪餐记录的月份：" + "、".join(rules.month_label(m) for m in no_meal))
            return out

    def _term(self, s, term: Term) -> NutritionTerm:
        t = s.scalar(select(NutritionTerm).where(NutritionTerm.term_key == term.key))
        if t is None:
            raise NotFound(f"{term.label}还没有营养改善计划安排，请先填写供餐方式、标准和各月供餐天数")
        return t
