"""公示名单 (xlsx): the list posted at school after identification, for at least 5 working days
(official holidays and 调休 counted, db.aid.workdays).

Exactly 姓名, 学校, 年级, 班级, 资助项目, 档次, 金额 — for the students with a live line in the term's batch
only (cash with an amount, and 减免). Never a category (建档立卡, 孤儿, 残疾, 低保 …), an ID number,
an address, a phone, a birth date or a bank card (教育部 2017 notice on the privacy of aid lists).
Below the list: the complaint phones, and the school's name with a date line for the seal.

    AidService.export_notice("公示名单.xlsx", start=date(2020, 9, 7), end=date(2020, 9, 11), term="2020秋")
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from db import audit
from db.aid.dto import NoticeRow
from db.aid.settings import notice_days
from db.aid.workdays import MIN_NOTICE_DAYS, notice_period_problem, working_days
from db.clock import parse_day
from db.context import ServiceContext
from db.errors import LedgerError, ValidationError
from db.money import fen_to_decimal
from db.registry.selection import school_facts
from db.sheets import Formats, atomic_output, closing_on_error, open_workbook, write_value
from db.terms import parse_term

HEADERS = ["姓名", "学校", "年级", "班级", "资助项目", "档次", "金额(元)"]
WIDTHS = [10, 24, 10, 8, 22, 8, 12]
TIERS = ("最高档", "中间档", "最低档")
BLANK = "＿＿＿＿＿＿"


@dataclass
class NoticeResult:
    path: Path
    students: int
    lines: int
    working_days: int


def tier_of(reason: str | None) -> str:
    """The tier a line's basis names (普通高中国家助学金), else ""."""
    return next((t for t in TIERS if t in (reason or "")), "")


def _date(v, field: str, label: str) -> dt.date:
    if isinstance(v, dt.date):
        return v
    try:
        return parse_day(v)
    except ValueError as e:
        raise ValidationError({field: f"{label}{e}"}) from None


def check_period(start, end, min_days: int = MIN_NOTICE_DAYS) -> tuple[dt.date, dt.date]:
    """The period as dates; ValidationError when it is shorter than `min_days` (≥ 5) working days."""
    start, end = _date(start, "start", "公示开始日期"), _date(end, "end", "公示结束日期")
    problem = notice_period_problem(start, end, min_days)
    if problem:
        raise ValidationError({"end": problem})
    return start, end


def amount_text(row: NoticeRow) -> object:
    return fen_to_decimal(row.amount_fen) if row.amount_fen else "减免"


def export_notice_list(ctx: ServiceContext, out_path: Path | str, *, start, end, rows: list[NoticeRow],
                       term="2020秋") -> NoticeResult:
    """Write the public notice list. Refuses a period shorter than 5 working days, and a term
    whose batch has no line to show."""
    with ctx.read() as s:
        facts = school_facts(s)
        min_days = notice_days(s)
    start, end = check_period(start, end, min_days)
    t = parse_term(term)
    if not rows:
        raise LedgerError(f"{t.label}没有需要公示的资助记录（请先生成发放名单）")
    days = working_days(start, end)
    out = Path(out_path)
    audit.can_record(ctx)
    with atomic_output(out) as tmp:
        wb = open_workbook(tmp)
        with closing_on_error(wb):
            fmt = Formats(wb)
            ws = wb.add_worksheet("公示名单")
            last = len(HEADERS) - 1
            ws.merge_range(0, 0, 0, last, f"{facts.name}{t.label}学生资助公示名单", fmt.title)
            ws.set_row(0, 30)
            ws.merge_range(1, 0, 1, last, f"公示时间：{start.year}年{start.month}月{start.day}日至"
                                          f"{end.year}年{end.month}月{end.day}日（{days.days}个工作日）{days.note}",
                           fmt.subtitle)
            for c, (h, w) in enumerate(zip(HEADERS, WIDTHS)):
                ws.write_string(2, c, h, fmt.header)
                ws.set_column(c, c, w)
            ws.freeze_panes(3, 0)
            r = 2
            for row in rows:
                r += 1
                for c, v in enumerate((row.name, row.school, row.grade, row.class_name, row.programmes, row.tier,
                                       amount_text(row))):
                    write_value(ws, r, c, v, fmt)
            r += 2
            phone = facts.phone or BLANK
            ws.merge_range(r, 0, r, last, f"公示期间如有异议，请向学校学生资助工作办公室反映（电话：{phone}），"
                                          f"或拨打县学生资助管理中心电话（{facts.county_hotline or BLANK}）。",
                           fmt.subtitle)
            ws.merge_range(r + 2, 3, r + 2, last, f"{facts.name}（盖章）", fmt.subtitle)
            ws.merge_range(r + 3, 3, r + 3, last, "　　　年　　月　　日", fmt.subtitle)
            ws.set_landscape()
            ws.set_paper(9)                       # A4
            ws.repeat_rows(2)
            ws.fit_to_pages(1, 0)
    people = len({(x.name, x.grade, x.class_name) for x in rows})
    audit.log_event(ctx, "export", "notice", summary=f"导出{t.label}公示名单 {out.name}：{people} 人")
    return NoticeResult(out, people, len(rows), days.days)
