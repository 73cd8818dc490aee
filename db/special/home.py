"""What the special-needs ledger puts on the home page and into the self-inspection (db.home): the
alerts (待安置, 送教 overdue, reviews due …) grouped by kind, and every open file as the account of its
child — with its placement; a child still 待安置 is a file with something missing."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select

from db.home import DUE, FILE, LATE, Account, HomeItem, Link
from db.models.special import SpecialFile
from db.special import rules

# `sv` below is db.services.Services (not imported: that module imports every ledger)


def home_items(sv, today: dt.date) -> list[HomeItem]:
    by_kind: dict[str, list] = defaultdict(list)
    for a in sv.special.alerts(today):
        by_kind[a.kind].append(a)
    items = []
    for kind, alerts in by_kind.items():
        names = "、".join(dict.fromkeys(a.name for a in alerts[:3])) + ("等" if len(alerts) > 3 else "")
        late = any(a.due is not None and a.due < today for a in alerts)
        due = min((a.due for a in alerts if a.due is not None), default=None)
        items.append(HomeItem("special", f"残疾儿童安置：{kind}", f"{len(alerts)} 名儿童（{names}）：{alerts[0].text}"
                              + ("等" if len(alerts) > 1 else ""), len(alerts), LATE if late else DUE, due,
                              Link.to("special")))
    return items


def accounts(sv, today: dt.date) -> list[Account]:
    with sv.ctx.read() as s:
        rows = s.execute(select(SpecialFile.student_id, SpecialFile.id_number, SpecialFile.placement,
                                SpecialFile.closed_on, SpecialFile.closed_reason)).all()
    out = []
    for sid, number, placement, closed_on, why in rows:
        if closed_on is not None:
            text = f"残疾儿童安置档案已结案（{closed_on:%Y-%m-%d}{'，' + why if why else ''}）"
        elif placement == rules.PENDING:
            out.append(Account("special", FILE, "残疾儿童安置档案：待安置（尚未确定安置方式）", sid, number or "", ok=False))
            continue
        else:
            text = f"残疾儿童安置档案（{placement}）"
        out.append(Account("special", FILE, text, sid, number or ""))
    return out
