"""What the letters ledger puts on the home page and into the self-inspection (db.home): letters past
their reply date, students still needing a letter, and each student's letter as their account."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from db.home import DUE, LATE, LETTER, Account, HomeItem, Link
from db.letters import rules
from db.letters.common import facts
from db.letters.dto import UNSENT
from db.models.letters import Letter

# `sv` below is db.services.Services (not imported: that module imports every ledger)


def home_items(sv, today: dt.date) -> list[HomeItem]:
    items = []
    late = sv.letters.overdue(today)
    if late:
        items.append(HomeItem("letters", "省外就读函件逾期未复",
                              f"{len(late)} 封函件已过回复期限（最长 {late[0].days_late} 天），请电话跟进或登记回复",
                              len(late), LATE, None, Link.to("letters", status=late[0].status)))
    due = sv.letters.due(today)
    if due:
        items.append(HomeItem("letters", "省外就读学生待发函", f"{len(due)} 名在省外就读的建档立卡学生还没有发函",
                              len(due), DUE, None, Link.to("letters", tab="due")))
    return items


def accounts(sv, today: dt.date) -> list[Account]:
    """A student's letters: one sent (and not answered 不在该校) accounts for them; one made and never
    sent is an account with something missing."""
    with sv.ctx.read() as s:
        letters = list(s.scalars(select(Letter).where(Letter.student_id.is_not(None), Letter.voided.is_(False))
                                 .order_by(Letter.letter_date, Letter.id)))
    out = []
    for x in letters:
        f = facts(x)
        if not rules.answers_need(f):
            continue
        state = rules.status(f, today)
        if state == UNSENT:
            out.append(Account("letters", LETTER, f"函件 {x.number} 已生成但未发出", x.student_id,
                               x.child_id_number or "", ok=False))
        else:
            out.append(Account("letters", LETTER, f"已发函 {x.number}（{state}）", x.student_id, x.child_id_number or ""))
    return out
