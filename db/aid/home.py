"""What the aid ledger puts on the home page (db.home): money not yet paid and the days to the deadline,
a term without its batch, amounts still to fill in, paid households without a verification visit, and
students whose data cannot decide their aid."""
from __future__ import annotations

import datetime as dt

from db.aid.dto import DeadlineRow
from db.aid.rules import INCOMPLETE
from db.home import DUE, LATE, HomeItem, Link
from db.money import format_yuan
from db.terms import parse_term, term_of

# `sv` below is db.services.Services (not imported: that module imports every ledger)

LEDGER = "aid"


def _deadline_item(r: DeadlineRow, today: dt.date) -> HomeItem | None:
    term = parse_term(r.term)
    when = f"{r.deadline.month} 月 {r.deadline.day} 日"
    late = r.days_left < 0
    left = f"已超过截止日（{when}）{-r.days_left} 天" if late else f"距截止日（{when}）还有 {r.days_left} 天"
    level = LATE if late else DUE
    if r.state == "未生成批次":
        return HomeItem(LEDGER, "本学期资助名单未生成", f"{r.term}：还没有生成资助名单，{left}", 0, level, r.deadline,
                        Link.to("aid", term=term.short))
    if r.state == "金额待填写":
        return HomeItem(LEDGER, "资助金额待填写", f"{r.term}：{r.no_amount_lines} 条记录的资助标准还没有金额，请在"
                        "“资助标准”中填写", r.no_amount_lines, DUE, None, Link.to("aid", term=term.short, open="standards"))
    if r.state in ("待发放", "已逾期"):
        title = "资助发放已逾期" if late else "资助待发放"
        return HomeItem(LEDGER, title, f"{r.term}：{r.unpaid_lines} 条、{format_yuan(r.unpaid_fen)} 元未发放，{left}",
                        r.unpaid_lines, level, r.deadline, Link.to("aid", term=term.short, status="待发放"))
    return None


def _not_visited(sv, rows: list[DeadlineRow]) -> list[HomeItem]:
    out = []
    for r in [r for r in rows if r.paid_fen > 0][:2]:             # the two newest terms with money paid
        groups = sv.aid.households_not_visited(r.term)
        households = sum(len(g.households) for g in groups)
        if households:
            fen = sum(h.paid_fen for g in groups for h in g.households)
            out.append(HomeItem(LEDGER, "已发放未走访核实", f"{r.term}：{households} 户已发放 {format_yuan(fen)} 元、"
                                f"尚未走访核实（涉及 {len(groups)} 名联络员）", households, DUE, None,
                                Link.to("visits", term=parse_term(r.term).short)))
    return out


def home_items(sv, today: dt.date) -> list[HomeItem]:
    rows = sv.aid.deadline_status(today)
    items = [x for x in (_deadline_item(r, today) for r in rows) if x is not None]
    items += _not_visited(sv, rows)
    term = term_of(today)
    incomplete = [n for n in sv.aid.students_without_entitlement(term) if n.kind == INCOMPLETE]
    if incomplete:
        items.append(HomeItem(LEDGER, "学生信息不全", f"{len(incomplete)} 名学生缺学段、年级或寄宿/走读等信息，"
                              f"无法判断{term.label}的资助项目", len(incomplete), DUE, None,
                              Link.to("aid", term=term.short, open="missing", kind=INCOMPLETE)))
    return items
