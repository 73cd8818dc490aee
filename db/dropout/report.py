"""The monthly report (学校一月一报告): by stage, the children 疑似辍学 / 辍学 / 劝返中 at the end of the
month, those who returned (复学) or were closed (销号, by reason) during it and those newly found, each
with how many are 建档立卡; plus the list of cases for the county.

The state at the month's end comes from the case's recorded transitions, so a past month's report
reads the same later on. A month with no case at all is still a report (零报告): the compulsory
stages are always listed.
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from db import enums
from db.context import ServiceContext
from db.dropout import common, rules
from db.dropout.dto import CLOSE_REASONS, COUNT_COLUMNS, OPEN_STATES, MonthReport, ReportCase, StageCounts
from db.errors import ValidationError
from db.models.dropout import DropoutCase

NO_STAGE = "未入学"
_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_month(text: object) -> dt.date:
    """'2020-10', '2020年10月', '2020/10' (or a date) -> the month's first day. ValidationError otherwise."""
    if isinstance(text, dt.date):
        return text.replace(day=1)
    m = _MONTH.match(str(text or ""))
    if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2100:
        raise ValidationError({"month": f"月份“{text}”应写成 2020-10"})
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


class ReportMixin:
    _ctx: ServiceContext

    def month_report(self, month: dt.date | str) -> MonthReport:
        first = parse_month(month)
        _, last = rules.month_bounds(first)
        with self._ctx.read() as s:
            found = sorted(s.scalars(select(DropoutCase).where(DropoutCase.opened_on <= last)), key=_class_order)
            ids = [c.id for c in found]
            trans = common.transitions_of(s, ids)
            attempts = common.attempts_of(s, ids)
        by_stage: dict[str, StageCounts] = {}
        closed: dict[str, list[int]] = {r: [0, 0] for r in CLOSE_REASONS}
        cases = []
        for c in found:
            steps = [(t.to_state, t.on) for t in trans.get(c.id, [])]
            state, keys = rules.month_changes(steps, c.opened_on, first)
            if state is None:
                continue
            if state in OPEN_STATES:
                keys.add(state)
            if not keys:
                continue
            row = by_stage.setdefault(c.stage or NO_STAGE, StageCounts(c.stage or NO_STAGE))
            for k in keys:
                n, poor = row.get(k)
                row.counts[k] = (n + 1, poor + int(c.registered_poor))
            if "closed" in keys and c.close_reason in closed:
                closed[c.close_reason][0] += 1
                closed[c.close_reason][1] += int(c.registered_poor)
            cases.append(_report_case(c, state, keys, [a for a in attempts.get(c.id, []) if a.on <= last]))
        rows = _ordered(by_stage)
        total = StageCounts("合计", {k: (sum(r.get(k)[0] for r in rows), sum(r.get(k)[1] for r in rows))
                                   for k, _ in COUNT_COLUMNS})
        return MonthReport(first, rows, total, [(r, n, p) for r, (n, p) in closed.items() if n], cases)


STAGE_ORDER = {st: i for i, st in enumerate(enums.values(enums.Stage) + [NO_STAGE])}
GRADE_ORDER = {g: i for i, g in enumerate(g for gs in enums.GRADES.values() for g in gs)}


def _class_order(c: DropoutCase) -> tuple:
    return (STAGE_ORDER.get(c.stage or NO_STAGE, 99), GRADE_ORDER.get(c.grade, 99), c.class_name, c.opened_on, c.id)


def _ordered(by_stage: dict[str, StageCounts]) -> list[StageCounts]:
    for st in rules.COMPULSORY_STAGES:
        by_stage.setdefault(st, StageCounts(st))
    return sorted(by_stage.values(), key=lambda r: (STAGE_ORDER.get(r.stage, 99), r.stage))


def _report_case(c: DropoutCase, state: str, keys: set[str], attempts) -> ReportCase:
    change = ("本月复学" if "returned" in keys else f"本月销号（{c.close_reason}）" if "closed" in keys
              else "本月新增" if "new" in keys else "")
    last = attempts[-1] if attempts else None
    last_text = f"{last.on:%Y-%m-%d} {last.level}{last.method}：{last.result}" if last else ""
    return ReportCase(c.name, c.id_number or "", c.gender, c.stage or NO_STAGE, f"{c.grade}{c.class_name}",
                      c.registered_poor, state, c.reason, c.opened_on, len(attempts), last_text, change)
