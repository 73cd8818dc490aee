"""The nutrition plan's sheet of the submission workbook: the current term's months (meal days,
pupils, standard, funds) and the total — only for pilot schools with a plan for the term."""
from __future__ import annotations

from db.context import ServiceContext
from db.errors import LedgerError
from db.money import fen_to_decimal, format_yuan
from db.nutrition.rules import month_label
from db.nutrition.service import NutritionService
from db.sheets import Formats, write_header, write_value
from db.terms import Term

HEADERS = ["月份", "供餐方式", "供餐天数", "受益学生(人)", "标准(元/生·天)", "资金(元)"]


def write_sheet(wb, ctx: ServiceContext, fmt: Formats, term: Term) -> tuple[str, int, str] | None:
    svc = NutritionService(ctx)
    if not svc.enabled():
        return None
    try:
        rep = svc.report(term)
    except LedgerError:
        return None
    name = "营养改善计划"
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, f"{rep.term} 营养改善计划（膳食补助，不发放现金）", fmt.bold)
    write_header(ws, 1, HEADERS, fmt, [12, 10, 10, 12, 14, 14])
    for r, m in enumerate(rep.months, 2):
        for c, v in enumerate([month_label(m.month), rep.meal_model, m.meal_days, m.pupils,
                               fen_to_decimal(m.daily_fen), fen_to_decimal(m.funds_fen)]):
            write_value(ws, r, c, v, fmt)
    last = len(rep.months) + 2
    ws.write_string(last, 0, "合计", fmt.bold)
    write_value(ws, last, 5, fen_to_decimal(rep.total_fen), fmt)
    return name, len(rep.months), f"{rep.term} 合计 {format_yuan(rep.total_fen)} 元"
