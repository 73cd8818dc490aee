"""The 控辍保学 sheet of the submission workbook (written into it by db/exchange/workbook.py): the
month's counts by stage with their 建档立卡 numbers, 销号 by reason, and the cases (ID numbers in full as
text cells — the workbook goes to the county). Written once the ledger has a case; a month without
cases in it says so (零报告). The printed 控辍保学月报表 is there for a school that never had one."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from db.context import ServiceContext
from db.dropout.dto import COUNT_COLUMNS
from db.dropout.service import DropoutService
from db.models.dropout import DropoutCase
from db.sheets import Formats, write_value

SHEET = "控辍保学"
CASE_HEADERS = ["序号", "姓名", "性别", "身份证号", "学段", "年级班级", "建档立卡", "月末状态", "辍学原因", "建档日期",
                "劝返次数", "最近一次劝返", "本月变化"]
WIDTHS = [6, 10, 6, 21, 8, 12, 9, 10, 16, 12, 9, 34, 18]


def write_sheet(wb, ctx: ServiceContext, fmt: Formats, today: dt.date) -> tuple[str, int, str] | None:
    """(sheet name, cases listed, a note for the cover), or None before the first case."""
    with ctx.read() as s:
        if s.scalar(select(DropoutCase.id).limit(1)) is None:
            return None
    r = DropoutService(ctx).month_report(today)
    ws = wb.add_worksheet(SHEET)
    for c, w in enumerate(WIDTHS):
        ws.set_column(c, c, w, fmt.text if c == 3 else None)
    ws.write_string(0, 0, f"控辍保学月报（{r.label}）：疑似辍学、辍学、劝返中为月末人数，"
                          "复学、销号、新增为本月人数", fmt.bold)
    heads = ["学段"] + [h for _k, title in COUNT_COLUMNS for h in (title, "其中建档立卡")]
    for c, h in enumerate(heads):
        ws.write_string(2, c, h, fmt.header)
    row = 3
    for line in [*r.rows, r.total]:
        ws.write_string(row, 0, line.stage, fmt.bold if line is r.total else None)
        for i, (key, _t) in enumerate(COUNT_COLUMNS):
            n, poor = line.get(key)
            ws.write_number(row, 1 + 2 * i, n)
            ws.write_number(row, 2 + 2 * i, poor)
        row += 1
    row += 1
    ws.write_string(row, 0, "本月销号原因", fmt.bold)
    for c, h in enumerate(("销号原因", "人数", "其中建档立卡"), 0):
        ws.write_string(row + 1, c, h, fmt.header)
    row += 2
    for reason, n, poor in r.closed_by_reason or [("（无）", 0, 0)]:
        ws.write_string(row, 0, reason)
        ws.write_number(row, 1, n)
        ws.write_number(row, 2, poor)
        row += 1
    row += 1
    ws.write_string(row, 0, "个案名单" if r.cases else "个案名单：本月无控辍保学个案（零报告）", fmt.bold)
    for c, h in enumerate(CASE_HEADERS):
        ws.write_string(row + 1, c, h, fmt.header)
    row += 2
    for i, x in enumerate(r.cases, 1):
        values = [i, x.name, x.gender, x.id_number, x.stage, x.grade_class, "是" if x.poor else "", x.state, x.reason,
                  x.opened_on, x.attempts, x.last_attempt, x.change]
        for c, v in enumerate(values):
            write_value(ws, row, c, v, fmt, text=c == 3)
        row += 1
    t = r.total
    note = (f"{r.label}：月末辍学 {t.get('辍学')[0]} 人、劝返中 {t.get('劝返中')[0]} 人、"
            f"疑似辍学 {t.get('疑似辍学')[0]} 人，"
            f"本月复学 {t.get('returned')[0]} 人、销号 {t.get('closed')[0]} 人")
    return SHEET, len(r.cases), note
