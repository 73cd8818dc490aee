"""The school-year rollover's rules (学年结转), pure.

- Every student of the roll whose enrolment is 在校 or 在外就读 moves up one grade (学前 小班→中班→大班,
  小学 一年级 … 六年级, 初中 七年级 … 九年级, 高一 … 高三, 中职一年级 … 中职三年级). 休学, 辍学, 转出 and 毕业
  students stay as they are; so does a student whose grade is unknown (listed: the officer fixes it).
- The final year of a stage goes on to the next stage's first year when the school runs that stage
  (大班 → 一年级, 六年级 → 七年级); otherwise it graduates (毕业): the student is kept, with the whole
  history, and leaves the lists of students in school. 九年级, 高三 and 中职三年级 always graduate
  (senior high school is a new enrolment after 中考).
- A class keeps its name in the new grade unless the officer's mapping says otherwise
  ("三年级2班" → "3班": the class becomes 四年级3班; → "毕业": it graduates).
- One rollover per school year, in order: the year it opens follows the year the roll's grades are for
  (the last rollover's, else the year the roll was started), never a year already rolled over, never
  skipping a year, and never before June of the year before.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db import enums
from db.terms import school_year_of

PROMOTED = ("在校", "在外就读")
NEXT_STAGE = {"学前": "小学", "小学": "初中"}
GRADUATE = "毕业"
EARLIEST_MONTH = 6            # from June the next school year may be opened


@dataclass(frozen=True)
class Step:
    to_stage: str
    to_grade: str
    graduate: bool
    note: str


def step(stage: str, grade: str, stages_run: list[str]) -> Step | None:
    """Where a student of `stage` `grade` goes; None when the grade is not one of the stage's."""
    try:
        grades = enums.GRADES[enums.Stage(stage)]
    except ValueError:
        return None
    if grade not in grades:
        return None
    i = grades.index(grade)
    if i + 1 < len(grades):
        return Step(stage, grades[i + 1], False, "")
    nxt = NEXT_STAGE.get(stage)
    if nxt and nxt in stages_run:
        return Step(nxt, enums.GRADES[enums.Stage(nxt)][0], False, f"{stage}毕业，升入本校{nxt}")
    return Step("", "", True, f"{stage}毕业")


def target_class(source: str, default: str, mapping: dict[str, str]) -> tuple[str, bool]:
    """(class name, graduates?) for the class `source` ("三年级2班") under the officer's mapping."""
    chosen = (mapping.get(source) or "").strip()
    if not chosen:
        return default, False
    if chosen == GRADUATE:
        return "", True
    return chosen, False


def refusal(year: int, today: dt.date, roll_year: int, done: list[int], students: int) -> str:
    """Why the rollover that opens `year` cannot run now ("" when it can). `roll_year` is the school
    year the roll's grades are for now."""
    current = school_year_of(today)
    if year in done:
        return f"{year}-{year + 1} 学年已经结转过，不能重复结转"
    if year != roll_year + 1:
        return (f"名册中的年级是 {roll_year}-{roll_year + 1} 学年的，只能结转到 {roll_year + 1}-{roll_year + 2} 学年"
                f"（不能结转到 {year}-{year + 1} 学年）")
    if today < dt.date(year, EARLIEST_MONTH, 1):
        return (f"现在是 {current}-{current + 1} 学年，还不能结转到 {year}-{year + 1} 学年"
                f"（{year} 年 6 月起才能结转）")
    if students == 0:
        return "名册中没有需要升级的学生"
    return ""


def parse_mapping(items: list[str]) -> dict[str, str]:
    """["三年级2班=3班", "六年级1班=毕业"] -> {"三年级2班": "3班", …}; ValueError in Chinese."""
    out = {}
    for item in items:
        src, sep, dst = item.partition("=")
        if not sep or not src.strip() or not dst.strip():
            raise ValueError(f"班级对应“{item}”应写成 原年级班级=新班级，如 三年级2班=3班 或 六年级1班=毕业")
        out[src.strip()] = dst.strip()
    return out
