"""The employment ledger's sheet of the submission workbook: every registered graduate, with the
employment rate of those who want a job on the first line."""
from __future__ import annotations

from db.context import ServiceContext
from db.employment.service import EmploymentService
from db.sheets import Formats, write_header, write_value
from db.terms import Term

HEADERS = ["毕业年份", "姓名", "学校", "专业", "就业意向", "去向", "就业单位", "地点", "岗位", "入职日期", "证明",
           "未就业原因", "下一步措施"]
WIDTHS = [8, 10, 18, 14, 8, 8, 20, 6, 12, 12, 10, 20, 20]


def write_sheet(wb, ctx: ServiceContext, fmt: Formats, term: Term) -> tuple[str, int, str] | None:
    svc = EmploymentService(ctx)
    rows = svc.graduates()
    if not rows:
        return None
    rep = svc.report()
    name = "中职毕业生就业"
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, f"建档立卡中职毕业生 {rep.graduates} 人；有就业意向的已就业 {rep.rate_text}", fmt.bold)
    write_header(ws, 1, HEADERS, fmt, WIDTHS)
    for r, g in enumerate(rows, 2):
        for c, v in enumerate([g.grad_year, g.name, g.school, g.major, g.intention, g.status, g.employer, g.place,
                               g.job, g.start_date, g.contract or (f"{g.files} 个文件" if g.files else ""),
                               g.reason, g.next_action]):
            write_value(ws, r, c, v, fmt)
    return name, len(rows), f"就业 {rep.rate_text}"
