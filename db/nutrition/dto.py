"""Plain dataclasses in and out of the nutrition ledger (营养改善计划)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MEAL_MODELS = ("食堂供餐", "企业供餐", "托餐", "混合供餐")
MEALS = ("早餐", "午餐", "晚餐")
NOT_PILOT = ("本校未设为营养改善计划试点学校。试点学校请在“学生资助 → 资助标准… → 学校资助设置”中勾选"
             "“本校为营养改善计划试点学校”。")


@dataclass
class PlanForm:
    term: str                                  # 2021春
    meal_model: str
    daily_fen: int | str                       # int fen, or yuan text "5.00"
    months: dict[str, int] = field(default_factory=dict)   # 2021-03 -> meal days
    notes: str = ""


@dataclass(frozen=True)
class PupilRow:
    id: int
    student_id: int | None
    name: str
    grade: str
    class_name: str
    from_month: str
    to_month: str | None
    note: str


@dataclass(frozen=True)
class MonthFunds:
    month: str
    meal_days: int
    pupils: int
    daily_fen: int
    funds_fen: int                             # meal_days × pupils × daily_fen


@dataclass
class MealForm:
    id: int | None
    meal_date: dt.date | None
    leader: str
    role: str = ""
    meal: str = "午餐"
    remarks: str = ""


@dataclass
class NutritionReport:
    term: str
    meal_model: str
    daily_fen: int
    pupils: int                                # on the list now (not ended)
    months: list[MonthFunds]
    total_fen: int
    meals_logged: int                          # 陪餐 records in the term
    by_grade: dict[str, int]


@dataclass
class MonthNotice:
    """The monthly 公示: the month's figures and the names (name, grade, class only)."""
    school: str
    term: str
    month: str
    meal_model: str
    funds: MonthFunds
    term_total_fen: int
    pupils: list[tuple[str, str, str]]         # (grade, class, name)
    school_phone: str = ""
    county_hotline: str = ""
    today: dt.date | None = None
