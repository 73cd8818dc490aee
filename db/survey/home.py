"""What the online-learning survey puts on the home page (db.home): households of the newest round still
to check, and those that failed and are not yet fixed (待整改)."""
from __future__ import annotations

import datetime as dt

from db.errors import NotFound
from db.home import DUE, HomeItem, Link

# `sv` below is db.services.Services (not imported: that module imports every ledger)


def home_items(sv, today: dt.date) -> list[HomeItem]:
    try:
        failing, unchecked = sv.survey.failing(), sv.survey.not_surveyed()
    except NotFound:                      # no round yet: nothing is due
        return []
    items = []
    if failing:
        items.append(HomeItem("survey", "线上学习排查待整改", f"{len(failing)} 户排查发现问题、尚未整改（无终端、无网络等）",
                              len(failing), DUE, None, Link.to("survey")))
    if unchecked:
        items.append(HomeItem("survey", "线上学习待排查", f"最新一轮排查还有 {len(unchecked)} 户建档立卡家庭没有排查",
                              len(unchecked), DUE, None, Link.to("survey")))
    return items
