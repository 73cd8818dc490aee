"""What dropout control puts on the home page and into the self-inspection (db.home): next steps past
their date, and every case (open or closed) as the account of its child."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from db.dropout.dto import OPEN_STATES, State
from db.home import CASE, LATE, Account, HomeItem, Link
from db.models.dropout import DropoutCase

# `sv` below is db.services.Services (not imported: that module imports every ledger)


def home_items(sv, today: dt.date) -> list[HomeItem]:
    late = sv.dropout.overdue(today)
    if not late:
        return []
    cases = len({x.case_id for x in late})
    worst = max(x.days_late for x in late)
    names = "、".join(dict.fromkeys(x.name for x in late[:3])) + ("等" if cases > 3 else "")
    return [HomeItem("dropout", "控辍保学下一步已逾期",
                     f"{cases} 个个案（{names}）的劝返、上报或回访已过期，最长 {worst} 天",
                     cases, LATE, min(x.due for x in late), Link.to("dropout", overdue=1))]


def accounts(sv, today: dt.date) -> list[Account]:
    """Each case accounts for its child: open cases with their state, returned ones, closed ones with
    their reason (销号：转学 …)."""
    with sv.ctx.read() as s:
        rows = s.execute(select(DropoutCase.student_id, DropoutCase.id_number, DropoutCase.state,
                                DropoutCase.close_reason, DropoutCase.opened_on, DropoutCase.id)
                         .order_by(DropoutCase.opened_on, DropoutCase.id)).all()
    out = []
    for sid, number, state, why, opened, cid in rows:
        text = f"控辍保学个案（{state}{'：' + why if state == State.CLOSED and why else ''}，{opened:%Y-%m-%d} 立案）"
        out.append(Account("dropout", CASE, text, sid, number or "",
                           extra={"case_id": str(cid), "open": "1" if state in OPEN_STATES else ""}))
    return out
