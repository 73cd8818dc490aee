"""What individual assistance puts on the home page (db.home): 特别困难 建档立卡 children in school with
no assistance this school year."""
from __future__ import annotations

import datetime as dt

from db.home import INFO, HomeItem, Link
from db.terms import school_year_of

# `sv` below is db.services.Services (not imported: that module imports every ledger)


def home_items(sv, today: dt.date) -> list[HomeItem]:
    year = school_year_of(today)
    left = sv.assistance.without_assistance(year)
    if not left:
        return []
    return [HomeItem("assistance", "个性化帮扶未覆盖", f"{len(left)} 名特别困难的建档立卡在校学生 {year}-{year + 1} 学年"
                     "还没有结对帮扶或其他个性化帮扶", len(left), INFO, None, Link.to("assistance"))]
