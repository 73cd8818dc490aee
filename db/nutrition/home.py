"""What the nutrition programme puts on the home page (db.home): this term's plan, meal days, the
real-name list and the 陪餐 log still to do (pilot schools only; nothing otherwise)."""
from __future__ import annotations

import datetime as dt

from db.home import DUE, HomeItem, Link

# `sv` below is db.services.Services (not imported: that module imports every ledger)


def home_items(sv, today: dt.date) -> list[HomeItem]:
    return [HomeItem("nutrition", "营养改善计划待办", text, 0, DUE, None, Link.to("nutrition"))
            for text in sv.nutrition.needs_doing(today)]
