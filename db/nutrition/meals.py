"""The 陪餐 log: a school leader ate with the pupils (date, who, role, meal, remarks)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from db import audit
from db.context import ServiceContext
from db.errors import NotFound, ValidationError
from db.models.nutrition import NutritionMeal
from db.nutrition import rules
from db.nutrition.dto import MEALS, MealForm
from db.terms import Term, parse_term


class MealsMixin:
    _ctx: ServiceContext

    def meals(self, term: Term | str) -> list[MealForm]:
        start, end = rules.term_dates(parse_term(term))
        with self._ctx.read() as s:
            self._require(s)
            return [_form(m) for m in s.scalars(select(NutritionMeal).where(
                NutritionMeal.meal_date.between(start, end)).order_by(NutritionMeal.meal_date.desc(), NutritionMeal.id))]

    def save_meal(self, form: MealForm) -> MealForm:
        p = {}
        if not isinstance(form.meal_date, dt.date):
            p["meal_date"] = "请填写陪餐日期"
        elif form.meal_date > self._ctx.clock.today():
            p["meal_date"] = "陪餐日期不能晚于今天"
        if not (form.leader or "").strip():
            p["leader"] = "请填写陪餐的学校负责人"
        if form.meal not in MEALS:
            p["meal"] = f"餐次应为：{'、'.join(MEALS)}"
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            self._require(s)
            m = s.get(NutritionMeal, form.id) if form.id else NutritionMeal()
            if m is None:
                raise NotFound("该陪餐记录已被删除")
            m.meal_date, m.leader, m.role = form.meal_date, form.leader.strip(), (form.role or "").strip()
            m.meal, m.remarks = form.meal, (form.remarks or "").strip()
            s.add(m)
            s.flush()
            audit.record(s, self._ctx, "update" if form.id else "create", "nutrition_meal", m.id,
                         summary=f"陪餐 {m.meal_date} {m.leader}", after=_form(m))
            return _form(m)

    def delete_meal(self, meal_id: int) -> None:
        with self._ctx.write() as s:
            m = s.get(NutritionMeal, meal_id)
            if m is None:
                raise NotFound("该陪餐记录已被删除")
            audit.record(s, self._ctx, "delete", "nutrition_meal", m.id, summary=f"删除陪餐记录 {m.meal_date}",
                         before=_form(m))
            s.delete(m)


def _form(m: NutritionMeal) -> MealForm:
    return MealForm(m.id, m.meal_date, m.leader, m.role, m.meal, m.remarks)
