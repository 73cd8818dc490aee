"""What the county exchange puts on the home page (db.home): the gaps of the reconciliation of the
county's latest pushed list with the roll (系统推送 + 逐人排查)."""
from __future__ import annotations

import datetime as dt

from db.errors import NotFound
from db.exchange.dto import PENDING
from db.home import DUE, INFO, HomeItem, Link

# `sv` below is db.services.Services (not imported: that module imports every ledger)


def home_items(sv, today: dt.date) -> list[HomeItem]:
    try:
        rec = sv.reconcile.compare()
    except NotFound:
        return [HomeItem("exchange", "尚未导入县里推送的名单", "导入建档立卡学龄人口等推送名单后，才能逐人核对“对象无遗漏”",
                         0, INFO, None, Link.to("exchange"))]
    named = f"{rec.list.kind}（{rec.list.list_date:%Y-%m-%d}）"
    open_ = [x for x in rec.not_at_school if x.follow_up in ("", PENDING)]
    items = []
    if open_:
        items.append(HomeItem("exchange", "名单内学生去向待核实", f"{named}中 {len(open_)} 人不在本校，尚未核实去向",
                              len(open_), DUE, None, Link.to("exchange", group="not_at_school")))
    if rec.not_on_list:
        items.append(HomeItem("exchange", "本校困难学生未在名单", f"{len(rec.not_on_list)} 名本校困难学生不在{named}中，"
                              "请核实后报县里", len(rec.not_on_list), DUE, None, Link.to("exchange", group="not_on_list")))
    if rec.different:
        items.append(HomeItem("exchange", "名单与本校信息不一致", f"{len(rec.different)} 人的姓名或类别与{named}不一致",
                              len(rec.different), DUE, None, Link.to("exchange", group="different")))
    return items
