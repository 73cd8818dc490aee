"""Demonstration data for the nutrition plan: the demo school (利辛县, where the seed's city ran the
plan) is made a pilot, the 2020秋 term planned with its meal days, the real-name list, a 陪餐 log."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from db import audit
from db.aid.settings import KEYS
from db.context import ServiceContext
from db.models.core import Setting
from db.models.nutrition import NutritionMeal, NutritionMonth, NutritionTerm
from db.models.registry import School
from db.nutrition import rules
from db.nutrition.service import refresh_pupils
from db.terms import AUTUMN, Term

DAYS = {9: 20, 10: 16, 11: 21, 12: 22, 1: 12}
LEADERS = (("王校长", "校长"), ("刘副校长", "副校长"), ("陈主任", "值班领导"))


def fill_nutrition(ctx: ServiceContext, *, seed: int = 2020, year: int = 2020) -> int:
    rng = random.Random(seed + 5)
    term = Term(year, AUTUMN)
    today = ctx.clock.today()
    with ctx.write() as s:
        county = s.scalar(select(School.county).limit(1)) or "利辛县"
        pilot = s.get(Setting, KEYS["nutrition_pilot"])
        if pilot is None or pilot.value != "1":
            s.merge(Setting(key=KEYS["nutrition_pilot"], value="1"))
            s.merge(Setting(key=KEYS["nutrition_county"], value=county))
        if s.scalar(select(NutritionTerm.id).where(NutritionTerm.term_key == term.key)) is not None:
            return 0
        t = NutritionTerm(term_key=term.key, meal_model="食堂供餐", daily_fen=rules.default_daily_fen(term),
                          notes="演示数据")
        s.add(t)
        s.flush()
        for month in rules.term_months(term):
            s.add(NutritionMonth(term_id=t.id, month=month, meal_days=DAYS[int(month[5:])]))
        added, _ = refresh_pupils(s, t, rules.term_months(term)[0])
        day = dt.date(year, 9, 7)
        while day <= min(today, dt.date(year, 12, 25)):
            leader, role = rng.choice(LEADERS)
            s.add(NutritionMeal(meal_date=day, leader=leader, role=role, meal="午餐",
                                remarks=rng.choice(("饭菜温度适宜，分量足", "学生反映菜品偏咸，已告知食堂", ""))))
            day += dt.timedelta(days=rng.choice((5, 7, 7, 9)))
        audit.record(s, ctx, "demo", "nutrition_term", t.id, summary=f"生成演示数据：营养改善计划 {term.label} {added} 人")
        return added
