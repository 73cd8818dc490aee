"""What the registry puts on the home page (db.home): the school year's 认定 still to do — 认定信息不全
(低保, 特困, 孤儿, 残疾 without a level: left out of the batch), 未认定, and records that lack 认定时间 or
认定原因 (the national template needs them)."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from db.home import DUE, INFO, HomeItem, Link
from db.terms import school_year_of

# `sv` below is db.services.Services (not imported: that module imports every ledger)

TEXTS = {
    "认定信息不全": (DUE, "{n} 名低保、特困、孤儿、残疾学生 {y} 学年未认定困难等级，认定前不纳入发放"),
    "未认定": (DUE, "{n} 名有资助对象类别的学生 {y} 学年尚未认定家庭经济困难"),
    "认定记录不完整": (INFO, "{n} 条 {y} 学年认定记录缺认定时间或认定原因（国家模板必填）"),
}


def home_items(sv, today: dt.date) -> list[HomeItem]:
    year = school_year_of(today)
    counts = Counter(g.state for g in sv.registry.assessment_gaps(year))
    return [HomeItem("registry", state, text.format(n=counts[state], y=f"{year}-{year + 1}"), counts[state], level,
                     None, Link.to("students", assess=year, state=state))
            for state, (level, text) in TEXTS.items() if counts[state]]
