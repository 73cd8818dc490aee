"""The 省外就读 sheet of the submission workbook (written into it by db/exchange/workbook.py): every
letter with its sending and reply, then the students who still need one (应发函). ID numbers in full as
text cells (the workbook goes to the county). Not written when there is neither a letter nor a student
who needs one."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from db.context import ServiceContext
from db.letters import common, rules
from db.letters.service import LettersService
from db.models.letters import Letter, LetterCall
from db.sheets import Formats, write_money, write_value

SHEET = "省外就读"
HEADERS = ["序号", "函号", "发函日期", "学生姓名", "性别", "身份证号", "学段", "年级", "户主", "家庭住址", "建档立卡类型",
           "脱贫年度", "就读学校", "省", "市", "县（区）", "发送方式", "快递单号", "发出日期", "回复期限", "回复日期",
           "落实情况", "资助项目", "学期", "金额(元)", "经办人", "电话跟进次数", "状态"]
TEXT = {5, 17}
AMOUNT = HEADERS.index("金额(元)")
DUE_HEADERS = ["序号", "姓名", "身份证号（脱敏）", "学段", "年级", "就读学校", "户主", "村", "建档立卡类型", "上次函件"]


def write_sheet(wb, ctx: ServiceContext, fmt: Formats, today: dt.date) -> tuple[str, int, str] | None:
    with ctx.read() as s:
        letters = list(s.scalars(select(Letter).order_by(Letter.year, Letter.seq)))
        calls = dict(s.execute(select(LetterCall.letter_id, func.count()).group_by(LetterCall.letter_id)).all())
    due = LettersService(ctx).due(today)
    if not letters and not due:
        return None
    ws = wb.add_worksheet(SHEET)
    for c, h in enumerate(HEADERS):
        ws.set_column(c, c, 21 if c in TEXT else max(8, 2 + 2 * len(h)), fmt.text if c in TEXT else None)
    ws.write_string(0, 0, f"省外就读建档立卡学生资助政策落实函（{len(letters)} 份）", fmt.bold)
    for c, h in enumerate(HEADERS):
        ws.write_string(1, c, h, fmt.header)
    row = 2
    for i, x in enumerate(letters, 1):
        values = [i, x.number, x.letter_date, x.child_name, x.child_gender, x.child_id_number or "", x.child_stage,
                  x.child_grade, x.head_name, x.address, x.poverty_status, x.poverty_exit_year, x.to_school,
                  x.to_province, x.to_city, x.to_county, x.sent_how, x.tracking_no, x.sent_on, x.reply_due, x.reply_on,
                  x.result, x.reply_programme, x.reply_term,
                  x.reply_amount_fen,
                  x.reply_handler, calls.get(x.id, 0), rules.status(common.facts(x), today)]
        for c, v in enumerate(values):
            if c == AMOUNT and v is not None:
                write_money(ws, row, c, v, None)     # General: LibreOffice and Excel show 625 / 625.5 alike
            else:
                write_value(ws, row, c, v, fmt, text=c in TEXT)
        row += 1
    row += 1
    ws.write_string(row, 0, f"应发函（在省外就读、尚未发函的建档立卡学生）：{len(due)} 人", fmt.bold)
    for c, h in enumerate(DUE_HEADERS):
        ws.write_string(row + 1, c, h, fmt.header)
    row += 2
    for i, d in enumerate(due, 1):
        for c, v in enumerate([i, d.name, d.id_number, d.stage, d.grade, d.study_school, d.head_name, d.village,
                               d.poverty_status, d.last_letter]):
            write_value(ws, row, c, v, fmt, text=c == 2)
        row += 1
    done = sum(1 for x in letters if x.result == "已落实")
    return SHEET, len(letters), f"已落实 {done} 份，应发函未发 {len(due)} 人"
