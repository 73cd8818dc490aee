"""HTML of a dropout case and of a letter (plain Python, no Qt): the detail panels of the 控辍保学 and
省外就读 pages, and their section on the family page. Numbers arrive masked from the services."""
from __future__ import annotations

import html

from db.dropout.dto import CaseDetail
from db.letters.dto import LetterDetail
from db.money import format_yuan
from db.validators import mask_phone

STATE_COLORS = {"疑似辍学": "#e65100", "辍学": "#c62828", "劝返中": "#6a1b9a", "复学": "#2e7d32", "销号": "#616161"}
LETTER_COLORS = {"待发出": "#e65100", "待回复": "#1565c0", "逾期未复": "#c62828", "已落实": "#2e7d32",
                 "未落实": "#c62828", "不在该校": "#6a1b9a", "无回复": "#616161", "已作废": "#9e9e9e"}
CSS = """
body { font-size: 10pt; }
h3 { margin: 8px 0 3px 0; color: #1a237e; }
table { border-collapse: collapse; }
td, th { border: 1px solid #bdbdbd; padding: 2px 5px; }
th { background: #eceff1; text-align: left; }
.muted { color: #616161; }
"""


def e(value) -> str:
    return html.escape("" if value is None else str(value))


def day(d) -> str:
    return f"{d:%Y-%m-%d}" if d else ""


def table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table width='100%' cellspacing='0' cellpadding='2'><tr>{head}</tr>{body}</table>"


def state_span(state: str) -> str:
    return f"<b style='color:{STATE_COLORS.get(state, '#000')}'>{e(state)}</b>"


def case_summary(c: CaseDetail) -> str:
    poor = "　<b style='color:#c62828'>建档立卡</b>" if c.registered_poor else ""
    esc = f"　<b style='color:#c62828'>{e(c.escalation)}</b>" if c.escalation else ""
    out = [f"<p><b>{e(c.name)}</b>（{e(c.gender)}，{e(c.id_number)}，{e(c.stage)}{e(c.grade)}{e(c.class_name)}）{poor}　"
           f"{state_span(c.state)}（{day(c.state_since)} 起）{esc}<br>"
           f"<span class='muted'>监护人 {e(c.form.guardian_name)} {e(mask_phone(c.form.guardian_phone))}　"
           f"班主任 {e(c.form.head_teacher)}　联络员 {e(c.form.liaison)}　原因 {e(c.form.reason)}"
           f"{e('：' + c.form.reason_note if c.form.reason_note else '')}　最后到校 {day(c.form.last_at_school) or '未知'}"
           f"　来源 {e(c.source)}</span></p>"]
    if c.returned_on:
        follow = (f"；{day(c.follow_up_on)} 回访：{e(c.follow_up_note)}" if c.follow_up_on
                  else "；<span style='color:#e65100'>尚未回访</span>")
        out.append(f"<p>{day(c.returned_on)} 复学，就读 {e(c.return_class)}{follow}</p>")
    if c.closed_on:
        parts = [c.close_school, c.close_location, c.close_evidence, c.approved_by, day(c.approved_on), c.special_ref]
        out.append(f"<p>{day(c.closed_on)} 销号（{e(c.close_reason)}）：{e('，'.join(p for p in parts if p))}</p>")
    return "".join(out)


def case_html(c: CaseDetail) -> str:
    """The page's detail panel: summary, every attempt, every change of state."""
    out = [f"<html><head><style>{CSS}</style></head><body>", case_summary(c), "<h3>劝返记录</h3>"]
    if c.attempts:
        out.append(table(["次数", "日期", "层级", "方式", "人员", "结果", "情况", "下一步", "限期复学"],
                         [[str(a.seq), day(a.on), e(a.level), e(a.method), e(a.people), e(a.result), e(a.result_note),
                           e(a.next_step) + (f"（{day(a.next_date)}）" if a.next_date else ""), day(a.deadline)]
                          for a in c.attempts]))
    else:
        out.append("<p class='muted'>还没有劝返记录。</p>")
    out.append("<h3>状态变化</h3>")
    out.append(table(["日期", "变化", "说明", "操作人"],
                     [[day(t.on), f"{e(t.from_state) or '建档'} → {state_span(t.to_state)}", e(t.note), e(t.by)]
                      for t in c.transitions]))
    out.append("</body></html>")
    return "".join(out)


def letter_summary(x: LetterDetail) -> str:
    f = x.form
    color = LETTER_COLORS.get(x.status, "#000")
    place = "".join(p for p in (f.to_province, f.to_city, f.to_county) if p)
    sent = f"{e(x.sent_how)} {day(x.sent_on)}" + (f"（单号 {e(x.tracking_no)}）" if x.tracking_no else "")
    reply = ""
    if x.reply_on:
        money = f" {format_yuan(x.reply_amount_fen)} 元" if x.reply_amount_fen is not None else ""
        reply = (f"<br>{day(x.reply_on)} 回复：<b>{e(x.result)}</b> {e(x.reply_programme)} {e(x.reply_term)}{money}"
                 f" {e(x.reply_note)}")
    return (f"<p><b>{e(x.number)}</b>　{day(f.letter_date)}　致 {e(f.to_school)}（{e(place)}）　"
            f"<b style='color:{color}'>{e(x.status)}</b><br>学生 {e(f.child_name)}（{e(f.child_stage)}{e(f.child_grade)}）"
            + (f"　发出：{sent}　回复期限 {day(x.reply_due)}" if x.sent_on else "") + reply
            + (f"<br>作废原因：{e(x.void_reason)}" if x.void_reason else "") + "</p>")


def letter_html(x: LetterDetail) -> str:
    out = [f"<html><head><style>{CSS}</style></head><body>", letter_summary(x), "<h3>电话跟进</h3>"]
    out.append(table(["日期", "跟进人", "情况"], [[day(c.on), e(c.by), e(c.note)] for c in x.calls]) if x.calls
               else "<p class='muted'>还没有电话跟进。</p>")
    out.append("</body></html>")
    return "".join(out)


def family_section(cases: list[CaseDetail], letters: list[LetterDetail]) -> str:
    """The family page's 控辍保学与省外就读 section ("" when the child has neither)."""
    if not cases and not letters:
        return ""
    out = ["<h3>控辍保学与省外就读</h3>"]
    for c in cases:
        out.append(f"<p>控辍保学个案（{day(c.form.opened_on)} 建档，劝返 {len(c.attempts)} 次）：</p>" + case_summary(c))
    for x in letters:
        out.append(letter_summary(x))
    return "".join(out)
