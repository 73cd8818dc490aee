"""Working days for the 公示 period: official holidays and 调休 (a weekend made a working day) from the
`chinese-calendar` package (e.g. 2020 National Day: 1–8 October off, Sunday 27 September worked).
Years the package does not know yet fall back to Monday–Friday, and say so."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

MIN_NOTICE_DAYS = 5                   # the law's minimum; a county may ask for more
NOTICE_DAYS_KEY = "aid.notice_days"   # the school's setting (设置 page), never below the minimum


@dataclass(frozen=True)
class WorkingDays:
    days: int
    exact: bool            # False: a year the calendar does not know; counted Monday–Friday

    @property
    def note(self) -> str:
        return "" if self.exact else "（该年度法定节假日安排未知，按周一至周五计算，请核对）"


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(a working day?, known from the official calendar?)"""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def working_days(start: dt.date, end: dt.date) -> WorkingDays:
    days, exact = 0, True
    for i in range((end - start).days + 1):
        work, known = is_workday(start + dt.timedelta(days=i))
        days += work
        exact = exact and known
    return WorkingDays(days, exact)


def notice_period_problem(start: dt.date, end: dt.date, min_days: int = MIN_NOTICE_DAYS) -> str | None:
    """Why a 公示 period is not acceptable (Chinese), or None."""
    if end < start:
        return "公示结束日期不能早于开始日期"
    wd = working_days(start, end)
    min_days = max(min_days, MIN_NOTICE_DAYS)
    if wd.days < min_days:
        return (f"公示期不少于 {min_days} 个工作日（法定节假日和调休已计入）："
                f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d} 只有 {wd.days} 个工作日{wd.note}")
    return None
