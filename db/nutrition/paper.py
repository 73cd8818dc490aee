"""The nutrition plan's printed document: the monthly fund 公示 (营养改善计划资金使用公示), one page per
month of the term (or only `--month`)."""
from __future__ import annotations

from db.context import ServiceContext
from db.docs.kinds import DocKind, Selection
from db.docs.render import FORM, Section
from db.errors import LedgerError
from db.nutrition import rules
from db.nutrition.dto import MonthNotice
from db.nutrition.pdf import month_notice
from db.nutrition.service import NutritionService
from db.terms import parse_term


def notices(ctx: ServiceContext, sel: Selection) -> list[MonthNotice]:
    term = parse_term(sel.term)
    svc = NutritionService(ctx)
    months = [sel.month] if sel.month else [m.month for m in svc.funds(term) if m.meal_days]
    if not months:
        raise LedgerError(f"{term.label}还没有填写任何月份的供餐天数")
    return [svc.notice(term, m, sel.today_or_now) for m in months]


def notice_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, n=n: month_notice(kit, n), FORM,
                    f"{n.school}　营养改善计划公示 {rules.month_label(n.month)}") for n in notices(ctx, sel)]


KINDS = [
    DocKind("nutrition", "营养改善计划资金使用公示", "学期（--term）；可只打印某月（--month 2021-03）；每月一页，"
            "只列姓名、年级、班级", notice_sections, needs_term=True, scopes=frozenset({"all", "term"})),
]
