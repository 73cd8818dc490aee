"""The family page's section on individual assistance (个性化帮扶): plain HTML from the service's rows,
kept apart from the state's aid."""
from __future__ import annotations

import html

from db.assistance.dto import PAIRING, AssistanceRow
from db.money import format_yuan


def _e(v) -> str:
    return html.escape("" if v is None else str(v))


def assistance_html(rows: list[AssistanceRow]) -> str:
    head = "<h3>个性化帮扶（学校和社会爱心帮扶，不属于国家资助资金）</h3>"
    if not rows:
        return head + "<p class='muted'>没有个性化帮扶记录。</p>"
    cells = "".join(f"<th>{h}</th>" for h in ("学生", "帮扶方式", "时间", "帮扶人/捐助方", "金额(元)", "说明"))
    body = []
    for r in rows:
        when = f"{r.given_on:%Y-%m-%d}" + ((f" 至 {r.until:%Y-%m-%d}" if r.until else " 起") if r.kind == PAIRING else "")
        visits = f"（走访 {r.visits} 次）" if r.kind == PAIRING else ""
        money = format_yuan(r.amount_fen) if r.amount_fen else "—"
        body.append(f"<tr><td>{_e(r.name)}</td><td>{_e(r.kind)}</td><td>{when}</td><td>{_e(r.who)}{visits}</td>"
                    f"<td class=money>{money}</td><td>{_e(r.note)}</td></tr>")
    return f"{head}<table width='100%' cellspacing='0' cellpadding='3'><tr>{cells}</tr>{''.join(body)}</table>"
