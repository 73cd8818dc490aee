"""The family page's section on a child's special-needs file (一人一案): category and grade, the
certificate (masked), placement, reviews, this term's 送教上门 visits and what needs doing. HTML built
from db.special.dto.FamilySpecial (plain Python), inserted by desktop/pages/family.py."""
from __future__ import annotations

import datetime as dt
import html

from db.special.dto import FamilySpecial


def e(value) -> str:
    return html.escape("" if value is None else str(value))


def _d(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "—"


def _pairs(items: list[tuple[str, str]]) -> str:
    """Label/value pairs, three to a row (values already HTML)."""
    cells = [f"<th width='11%'>{e(k)}</th><td width='22%'>{v or '—'}</td>" for k, v in items]
    rows = ["".join(cells[i:i + 3]) for i in range(0, len(cells), 3)]
    return "<table width='100%' cellspacing='0' cellpadding='3'>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def special_html(files: list[FamilySpecial]) -> str:
    """'' when no child of the family has a file."""
    if not files:
        return ""
    out = ["<h3>残疾儿童安置（一人一案）</h3><p class='muted'>内部信息，不得公示；详情在“残疾儿童安置”页。</p>"]
    for f in files:
        since = f"（{_d(f.placement_since)} 起）" if f.placement_since else ""
        alerts = "<span style='color:#c62828'>" + e("；".join(f.alerts)) + "</span>" if f.alerts else "无"
        out.append(_pairs([
            ("姓名", e(f.name)), ("残疾类别等级", e(f"{f.category}{f.grade}")), ("残疾人证号", e(f.card_no or "未办证")),
            ("安置方式", f"<b>{e(f.placement)}</b>{since}"), ("最近评估", _d(f.last_assessment)),
            ("下次复评", _d(f.next_review)), ("个别化方案", e(f.plan_term or "—")),
            ("本学期送教", f"{f.visits_term} 次（最近 {_d(f.last_visit)}）"), ("免于学习", e(f.exempt_year or "—")),
            ("附件", f"{f.attachments} 个"), ("需要处理", alerts)]))
    return "".join(out)
