"""公示名单: the list posted at school after identification, for at least 5 working days.

Only 姓名, 学校, 年级, 班级, 类别/等级 and 金额 — never an ID number, address, phone, birth date or
bank card (教育部 2017 notice on the privacy of aid lists). Amounts come from `amounts`, a callable
(student ids -> fen); by default `batch_amounts` gives each student's total of the term's aid batch
(issue 4), and while the term has no batch the 金额 column stays blank.

    export_notice_list(ctx, "公示名单.xlsx", start=date(2020, 9, 7), end=date(2020, 9, 11), term="2020秋")
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from sqlalchemy import case, func, select

from db import enums
from db.aid.common import get_batch
from db.aid.dto import LineStatus
from db.clock import parse_day
from db.context import ServiceContext
from db.errors import LedgerError, ValidationError
from db.models.aid import Disbursement
from db.models.registry import Student, StudentCategory
from db.money import fen_to_decimal
from db.registry.rules import sort_categories
from db.registry.school import SchoolService
from db.sheets import XLSXWRITER_OPTIONS, Formats, atomic_output, closing_on_error, write_value
from db.terms import parse_term

HEADERS = ["姓名", "学校", "年级", "班级", "类别/等级", "金额(元)"]
WIDTHS = [10, 24, 12, 12, 30, 12]
MIN_WORKING_DAYS = 5
PRIVATE = frozenset({"残疾学生", "残疾人子女"})     # disability is never posted (issue 13)
AmountSource = Callable[[list[int]], dict[int, int]]     # student ids -> amount in fen


@dataclass
class NoticeResult:
    path: Path
    students: int
    with_amount: int


def working_days(start: dt.date, end: dt.date) -> int:
    return sum(1 for i in range((end - start).days + 1) if (start + dt.timedelta(days=i)).weekday() < 5)


def _date(v, field: str, label: str) -> dt.date:
    if isinstance(v, dt.date):
        return v
    try:
        return parse_day(v)
    except ValueError as e:
        raise ValidationError({field: f"{label}{e}"}) from None


def notice_rows(ctx: ServiceContext) -> list[tuple[int, str, str, str, str]]:
    """(student id, name, grade, class, 类别/等级) of every needy student in school, in class order."""
    cats = (select(func.aggregate_strings(StudentCategory.category, "\x1f"))
            .where(StudentCategory.student_id == Student.id).scalar_subquery())
    grades = [g for gs in enums.GRADES.values() for g in gs]
    order = case({g: i for i, g in enumerate(grades)}, value=Student.grade, else_=99)
    stmt = (select(Student.id, Student.name, Student.grade, Student.class_name, cats, Student.difficulty_level)
            .where(Student.enrolment.in_(("在校", "休学")),
                   select(StudentCategory.student_id).where(StudentCategory.student_id == Student.id).exists())
            .order_by(order, Student.class_name, Student.name_pinyin, Student.id))
    with ctx.read() as s:
        out = []
        for sid, name, grade, cls, cat, level in s.execute(stmt):
            tier = "、".join(c for c in sort_categories(cat.split("\x1f")) if c not in PRIVATE) if cat else ""
            if level:
                tier = f"{tier}（{level}）"
            out.append((sid, name, grade or "", cls or "", tier))
        return out


def batch_amounts(ctx: ServiceContext, term) -> AmountSource | None:
    """Per student, the sum of the term's aid lines that are not void; None when there is no batch."""
    with ctx.read() as s:
        batch = get_batch(s, parse_term(term))
        if batch is None:
            return None
        batch_id = batch.id

    def amounts(student_ids: list[int]) -> dict[int, int]:
        wanted = set(student_ids)
        with ctx.read() as s:
            rows = s.execute(select(Disbursement.student_id, func.sum(Disbursement.amount_fen))
                             .where(Disbursement.batch_id == batch_id, Disbursement.status != LineStatus.VOID)
                             .group_by(Disbursement.student_id))
            return {sid: int(fen) for sid, fen in rows if sid in wanted}
    return amounts


def export_notice_list(ctx: ServiceContext, out_path: Path | str, *, start, end, term: str = "2020秋",
                       school: str | None = None, title: str | None = None,
                       amounts: AmountSource | None = None) -> NoticeResult:
    """Write the public notice list. Refuses a notice period shorter than 5 working days."""
    start, end = _date(start, "start", "公示开始日期"), _date(end, "end", "公示结束日期")
    if end < start:
        raise ValidationError({"end": "公示结束日期不能早于开始日期"})
    if working_days(start, end) < MIN_WORKING_DAYS:
        raise ValidationError({"end": f"公示期不少于 {MIN_WORKING_DAYS} 个工作日"
                                      f"（{start:%Y-%m-%d} 至 {end:%Y-%m-%d} 只有 {working_days(start, end)} 个）"})
    t = parse_term(term)
    info = SchoolService(ctx).info()
    school = school if school is not None else info.name
    rows = notice_rows(ctx)
    if not rows:
        raise LedgerError("没有需要公示的学生（在校且有资助对象类别的学生）")
    if amounts is None:
        amounts = batch_amounts(ctx, t)
    fen = amounts([r[0] for r in rows]) if amounts else {}
    out = Path(out_path)
    with atomic_output(out) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), XLSXWRITER_OPTIONS)
        with closing_on_error(wb):
            fmt = Formats(wb)
            ws = wb.add_worksheet("公示名单")
            last = len(HEADERS) - 1
            ws.merge_range(0, 0, 0, last, title or f"{school}{t.label}家庭经济困难学生资助公示名单", fmt.title)
            ws.set_row(0, 30)
            ws.merge_range(1, 0, 1, last, f"公示时间：{start.year}年{start.month}月{start.day}日至"
                                          f"{end.year}年{end.month}月{end.day}日", fmt.subtitle)
            ws.write_string(2, 0, "公示开始", fmt.bold)
            write_value(ws, 2, 1, start, fmt)
            ws.write_string(2, 2, "公示结束", fmt.bold)
            write_value(ws, 2, 3, end, fmt)
            for c, (h, w) in enumerate(zip(HEADERS, WIDTHS)):
                ws.write_string(3, c, h, fmt.header)
                ws.set_column(c, c, w)
            ws.freeze_panes(4, 0)
            r = 3
            for sid, name, grade, cls, tier in rows:
                r += 1
                for c, v in enumerate((name, school, grade, cls, tier)):
                    ws.write_string(r, c, v)
                if sid in fen:
                    write_value(ws, r, 5, fen_to_decimal(fen[sid]), fmt)
            r += 2
            ws.merge_range(r, 0, r, last, "如有异议，请在公示期内向学校学生资助工作办公室反映。", fmt.subtitle)
            ws.set_landscape()
            ws.set_paper(9)                       # A4
            ws.repeat_rows(3)
            ws.fit_to_pages(1, 0)
    return NoticeResult(out, len(rows), len(fen))
