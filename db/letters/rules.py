"""The rules of out-of-province letters, pure (no session; today is an argument).

- Who needs a letter (应发函): a registered-poor (建档立卡) student whose 就读地 is out of province
  (OUT_OF_PROVINCE, matched in one place whatever the set of 就读地 values is) and who has not left
  the school's care (毕业), with no letter yet — a letter answered "不在该校" or voided does not count:
  the child still needs one, to the right school.
- Numbers run per calendar year of the letter's date: 校资函〔2020〕1号, 2号 … (the prefix is a setting).
- A letter's content can be changed until it is sent; after that only its tracking.
- Sending: how (邮寄 needs its tracking number), the date (not before the letter's date, not after
  today), a reply due date (default: sent + the reply-days setting, 30).
- Status: 已作废; 待发出 before sending; 待回复, or 逾期未复 once the due date has passed; then the
  reply's result (已落实 / 未落实 / 不在该校 / 无回复, the last one recorded when the school never answered).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from db.aid.dto import StandardRow
from db.letters.dto import LATE, NOT_THERE, RESULTS, SENT_HOW, UNSENT, VOID, WAITING
from db.money import format_yuan
from db.terms import Term, parse_term

OUT_OF_PROVINCE = "省外"          # the 就读地 value that needs a letter (one place to change it)
LEFT_CARE = ("毕业",)             # enrolments that need no letter
REGISTERED_POOR = "建档立卡"
DEFAULT_REPLY_DAYS = 30
DEFAULT_PREFIX = "校资函"
Problems = dict[str, str]


def letter_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq}号"


@dataclass(frozen=True)
class LetterFacts:
    voided: bool
    letter_date: dt.date
    sent_on: dt.date | None
    reply_due: dt.date | None
    result: str


def status(f: LetterFacts, today: dt.date) -> str:
    if f.voided:
        return VOID
    if f.result:
        return f.result
    if f.sent_on is None:
        return UNSENT
    return LATE if f.reply_due and f.reply_due < today else WAITING


def answers_need(f: LetterFacts) -> bool:
    """Whether this letter answers the student's need for one."""
    return not f.voided and f.result != NOT_THERE


def needs_letter(letters: Sequence[LetterFacts]) -> bool:
    return not any(answers_need(f) for f in letters)


# ---- checks ------------------------------------------------------------------------------------------
def check_content(*, child_name: str, to_school: str, request: str, letter_date: dt.date | None,
                  today: dt.date) -> Problems:
    p: Problems = {}
    if not child_name.strip():
        p["child_name"] = "请填写学生姓名"
    if not to_school.strip():
        p["to_school"] = "请填写学生就读的学校（收函单位）"
    if not request.strip():
        p["request"] = "请填写请求事项"
    if letter_date is None:
        p["letter_date"] = "请填写发函日期"
    elif letter_date > today:
        p["letter_date"] = "发函日期不能晚于今天"
    return p


def check_send(*, how: str, tracking_no: str, sent_on: dt.date | None, reply_due: dt.date | None,
               letter_date: dt.date, already_sent: bool, voided: bool, today: dt.date) -> Problems:
    if voided:
        return {"letter_id": "函件已作废"}
    if already_sent:
        return {"letter_id": "该函件已登记发出"}
    p: Problems = {}
    if how not in SENT_HOW:
        p["how"] = f"发送方式应为：{'、'.join(SENT_HOW)}"
    elif how == "邮寄" and not tracking_no.strip():
        p["tracking_no"] = "邮寄请填写快递（挂号信）单号"
    if sent_on is None:
        p["sent_on"] = "请填写发出日期"
    elif sent_on < letter_date:
        p["sent_on"] = f"发出日期不能早于发函日期（{letter_date:%Y-%m-%d}）"
    elif sent_on > today:
        p["sent_on"] = "发出日期不能晚于今天"
    if sent_on and reply_due and reply_due <= sent_on:
        p["reply_due"] = "回复期限应晚于发出日期"
    return p


def check_reply(*, result: str, reply_on: dt.date | None, sent_on: dt.date | None, voided: bool,
                amount_fen: int | None, today: dt.date) -> Problems:
    if voided:
        return {"letter_id": "函件已作废"}
    if sent_on is None:
        return {"letter_id": "请先登记函件的发出"}
    p: Problems = {}
    if result not in RESULTS:
        p["result"] = f"落实情况应为：{'、'.join(RESULTS)}"
    if reply_on is None:
        p["reply_on"] = "请填写日期"
    elif reply_on < sent_on:
        p["reply_on"] = f"回复日期不能早于发出日期（{sent_on:%Y-%m-%d}）"
    elif reply_on > today:
        p["reply_on"] = "回复日期不能晚于今天"
    if amount_fen is not None and amount_fen < 0:
        p["amount"] = "金额不能为负数"
    return p


# ---- the policies a letter states --------------------------------------------------------------------
def in_force(row: StandardRow, term: Term) -> bool:
    lo = parse_term(row.from_term).key if row.from_term else None
    hi = parse_term(row.to_term).key if row.to_term else None
    return (lo is None or lo <= term.key) and (hi is None or term.key <= hi)


def for_registered_poor(row: StandardRow) -> bool:
    """Whether a registered-poor (建档立卡) child is within the standard's scope: 建档立卡 counts as
    needy (特别困难), so every scope but 涉农专业/农业户籍-only ones covers the child."""
    scope = set(row.scope.split(",")) if row.scope else {"needy"}
    return bool(scope & {"all", "needy", "registered"}) or REGISTERED_POOR in row.categories.split(",")


def _yuan(fen: int) -> str:
    return format_yuan(fen).replace(",", "").removesuffix(".00")


def policy_line(row: StandardRow) -> str:
    """寄宿生生活补助（寄宿生）：1250 元/年 — as a letter states it."""
    who = {"寄宿": "（寄宿生）", "走读": "（非寄宿生）"}.get(row.residence, "")
    if row.grades:
        who += f"（{row.grades.replace(',', '、')}）"
    if row.tiers:
        amount = "分档 " + "/".join(_yuan(t) for t in row.tiers) + " 元/年，建档立卡学生按最高档"
    elif row.yearly_fen:
        amount = f"{_yuan(row.yearly_fen)} 元/年"
    elif row.per_day_fen:
        amount = f"{_yuan(row.per_day_fen)} 元/天（膳食补助，不发现金）"
    else:
        amount = "按核定标准免除" if "免" in row.programme else "按核定标准"
    return f"{row.programme}{who}：{amount}"


def policy_lines(rows: Sequence[StandardRow], stage: str, term: Term) -> list[str]:
    """The active standards of `stage` in force in `term` that a registered-poor child qualifies for."""
    return [policy_line(r) for r in rows if r.active and r.stage == stage and in_force(r, term)
            and for_registered_poor(r)]


def default_request(school: str) -> str:
    return (f"该生系我县建档立卡家庭学生，现在贵校就读。按照国家学生资助政策“学段全覆盖、对象无遗漏”的要求，"
            f"建档立卡家庭学生无论在何地就读，均应享受国家规定的学生资助政策。恳请贵校核实该生在校情况，"
            f"按照贵地学生资助政策将其纳入资助范围、落实相应资助，并将落实情况填写下方回执，加盖公章后寄回"
            f"{school or '我校'}。感谢贵校的支持！")
