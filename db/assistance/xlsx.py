"""Individual assistance's sheet of the submission workbook: the school year's records (money apart
from budget aid), and the count of 特别困难 建档立卡 children still without any."""
from __future__ import annotations

from db.assistance.service import AssistanceService
from db.context import ServiceContext
from db.money import fen_to_decimal, format_yuan
from db.sheets import Formats, write_header, write_value
from db.terms import Term

HEADERS = ["学生", "年级班级", "帮扶方式", "日期", "至", "帮扶人/捐助方", "金额(元)", "走访次数", "说明"]
WIDTHS = [10, 12, 10, 12, 12, 18, 10, 8, 30]


def write_sheet(wb, ctx: ServiceContext, fmt: Formats, term: Term) -> tuple[str, int, str] | None:
    svc = AssistanceService(ctx)
    year = term.start_year
    rep = svc.report(year)
    if not rep.items:
        return None
    rows = svc.items(school_year=year)
    name = "个性化帮扶"
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, f"{year}-{year + 1}学年个性化帮扶 {rep.items} 项，{rep.children} 名学生，金额 "
                          f"{format_yuan(rep.money_fen)} 元（不属于国家资助资金）；特别困难建档立卡学生未帮扶 "
                          f"{len(rep.without)} 人", fmt.bold)
    write_header(ws, 1, HEADERS, fmt, WIDTHS)
    for r, x in enumerate(rows, 2):
        for c, v in enumerate([x.name, x.grade, x.kind, x.given_on, x.until, x.who,
                               fen_to_decimal(x.amount_fen) if x.amount_fen is not None else None,
                               x.visits if x.kind == "结对帮扶" else None, x.note]):
            write_value(ws, r, c, v, fmt)
    return name, len(rows), f"金额 {format_yuan(rep.money_fen)} 元（不计入资助发放）"
