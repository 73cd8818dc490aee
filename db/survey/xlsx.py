"""The survey's sheet of the submission workbook: the latest round, one row per household, under a
line in the seed's own form (surveyed, passed, problems, fixes, open problems)."""
from __future__ import annotations

from db.context import ServiceContext
from db.errors import NotFound
from db.sheets import Formats, write_header, write_value
from db.survey.service import SurveyService
from db.terms import Term

HEADERS = ["户主", "乡镇 村", "电话", "建档立卡学生", "联络员", "排查日期", "方式", "可用设备", "状态", "未解决问题",
           "问题及解决"]
WIDTHS = [10, 18, 14, 20, 10, 12, 6, 18, 8, 10, 40]


def write_sheet(wb, ctx: ServiceContext, fmt: Formats, term: Term) -> tuple[str, int, str] | None:
    svc = SurveyService(ctx)
    try:
        rep = svc.report()
    except NotFound:
        return None
    rows = svc.households()
    name = "线上学习排查"
    ws = wb.add_worksheet(name)
    summary = (f"{rep.round}：应排查 {rep.population} 户，已排查 {rep.surveyed} 户（暗访 {rep.unannounced} 户），"
               f"达标 {rep.passed} 户，已整改 {rep.fixed} 户，待整改 {rep.failing} 户；解决：{rep.fixes_text()}；"
               f"未解决问题 {rep.open_problems} 个")
    ws.write_string(0, 0, summary, fmt.bold)
    write_header(ws, 1, HEADERS, fmt, WIDTHS, text_columns={2})
    for r, x in enumerate(rows, 2):
        values = [x.head_name, x.village, x.phone, x.children, x.officer, x.check_date,
                  "暗访" if x.unannounced else ("明查" if x.check_id else ""), x.devices, x.status,
                  x.open_problems if x.check_id else None, x.problems]
        for c, v in enumerate(values):
            write_value(ws, r, c, v, fmt, text=c == 2)
    return name, len(rows), f"{rep.round}，待整改 {rep.failing} 户"
