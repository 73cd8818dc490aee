"""What the 中职 graduates' ledger puts on the home page (db.home): graduates who want a job and have
none (schools with a 中职 stage only)."""
from __future__ import annotations

import datetime as dt

from db.home import DUE, HomeItem, Link

# `sv` below is db.services.Services (not imported: that module imports every ledger)


def home_items(sv, today: dt.date) -> list[HomeItem]:
    if not sv.employment.applies():
        return []
    waiting = sv.employment.without_job()
    if not waiting:
        return []
    return [HomeItem("employment", "中职毕业生待就业", f"{len(waiting)} 名有就业意愿的建档立卡中职毕业生还没有就业",
                     len(waiting), DUE, None, Link.to("employment"))]
