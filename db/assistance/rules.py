"""Individual assistance (个性化帮扶; the seed: "针对家庭特别贫困的建档立卡家庭学生进行个性化帮扶，变大水
漫灌为精准滴灌"), pure rules:

- What a school does for an especially poor child beyond the standard programmes: 结对帮扶 (a named
  teacher, over a period, with visits), 社会捐助 / 爱心助学 (from a named donor), 临时救助, 学习用品,
  衣物, 心理关爱, 学业辅导 — each with a date, who, an amount in fen when there is money, a note.
- Money here is not budget aid: it is never in an aid batch, a bank list or an aid total. The 明白卡
  shows it in a section of its own.
- Who should have some: children in school who are 建档立卡 and 特别困难 for the school year (建档立卡
  counts as 特别困难 unless the year's 认定 says otherwise). The report lists those with none in the
  school year (an item dated in it, or a pairing that runs into it).
"""
from __future__ import annotations

import datetime as dt

from db.assistance.dto import DONATIONS, KINDS, PAIRING, AssistanceForm


def year_span(school_year: int) -> tuple[dt.date, dt.date]:
    """The school year 2020 runs from 2020-09-01 to 2021-08-31."""
    return dt.date(school_year, 9, 1), dt.date(school_year + 1, 8, 31)


def school_year_of(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def in_year(given_on: dt.date, until: dt.date | None, kind: str, school_year: int) -> bool:
    start, end = year_span(school_year)
    if kind == PAIRING:
        return given_on <= end and (until is None or until >= start)
    return start <= given_on <= end


def problems(f: AssistanceForm, amount: int | None, today: dt.date) -> dict[str, str]:
    p: dict[str, str] = {}
    if f.student_id is None:
        p["student_id"] = "请选择学生"
    if f.kind not in KINDS:
        p["kind"] = f"帮扶方式应为：{'、'.join(KINDS)}"
    if not isinstance(f.given_on, dt.date):
        p["given_on"] = "请填写日期" if f.kind != PAIRING else "请填写结对开始日期"
    elif f.given_on > today:
        p["given_on"] = "日期不能晚于今天"
    who = (f.who or "").strip()
    if not who:
        p["who"] = {PAIRING: "请填写结对帮扶的教师姓名"}.get(f.kind, "请填写捐助人（单位）或帮扶人")
    if f.until is not None:
        if f.kind != PAIRING:
            p["until"] = "只有结对帮扶有结束日期"
        elif isinstance(f.given_on, dt.date) and f.until < f.given_on:
            p["until"] = "结束日期不能早于开始日期"
    if f.kind in DONATIONS and amount is None and not (f.note or "").strip():
        p["amount_fen"] = "捐助请填写金额，或在备注中写明捐助的物品"
    return p
