"""营养改善计划 forms: a term's plan (meal model, daily standard, meal days of each month) and a 陪餐
record."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QSpinBox

from db.money import format_yuan
from db.nutrition.dto import MEAL_MODELS, MEALS, MealForm, PlanForm
from db.nutrition.rules import month_label
from desktop.context import AppContext
from widgets.combos import choice_combo, set_combo
from widgets.date_edit import DateEdit
from widgets.form_base import FormBase


class PlanDialog(FormBase):
    def __init__(self, ctx: AppContext, plan: PlanForm, parent=None):
        super().__init__(f"营养改善计划安排（{plan.term}）", parent)
        self.ctx, self.plan = ctx, plan
        self.model = self.add_field("meal_model", "供餐方式", choice_combo(MEAL_MODELS, empty=None), 0)
        set_combo(self.model, plan.meal_model)
        self.daily = self.add_field("daily_fen", "标准（元/生·天）", QLineEdit(
            format_yuan(plan.daily_fen) if isinstance(plan.daily_fen, int) else str(plan.daily_fen)), 1)
        self.daily.setToolTip("4.00 元；2021年秋季学期起 5.00 元")
        self.days: dict[str, QSpinBox] = {}
        for i, (month, n) in enumerate(plan.months.items()):
            spin = QSpinBox()
            spin.setRange(0, 31)
            spin.setSuffix(" 天")
            spin.setValue(n)
            self.days[month] = self.add_field(f"month_{month}", f"{month_label(month)}供餐天数", spin, 2 + i)
        self.notes = self.add_field("notes", "备注", QLineEdit(plan.notes), 3 + len(self.days))
        self.mark_clean()
        self.resize(420, 200 + 44 * len(self.days))

    def submit(self) -> PlanForm:
        return self.ctx.nutrition.save_plan(PlanForm(self.plan.term, self.model.currentData(), self.daily.text(),
                                                     {m: s.value() for m, s in self.days.items()}, self.notes.text()))


class MealDialog(FormBase):
    def __init__(self, ctx: AppContext, parent=None, *, today: dt.date | None = None, leader: str = ""):
        super().__init__("登记陪餐", parent)
        self.ctx = ctx
        self.date = self.add_field("meal_date", "陪餐日期", DateEdit(today or dt.date.today()), 0)
        self.leader = self.add_field("leader", "陪餐负责人", QLineEdit(leader), 1)
        self.role = self.add_field("role", "职务", QLineEdit(""), 2)
        self.role.setPlaceholderText("如 校长、副校长、值班领导")
        self.meal = self.add_field("meal", "餐次", choice_combo(MEALS, empty=None), 3)
        set_combo(self.meal, "午餐")
        self.remarks = self.add_field("remarks", "情况记录", QLineEdit(""), 4)
        self.remarks.setPlaceholderText("饭菜质量、分量、卫生、学生反映……")
        self.mark_clean()
        self.resize(460, 280)

    def submit(self) -> MealForm:
        return self.ctx.nutrition.save_meal(MealForm(None, self.date.value(), self.leader.text(), self.role.text(),
                                                     self.meal.currentData(), self.remarks.text()))
