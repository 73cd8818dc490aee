"""The rules of dropout control (控辍保学), pure: no session, no clock (today is an argument).

Who can have a case (check_open)
- A student of the school who is not 毕业 or 转出 (then another school is responsible), in a compulsory
  stage (小学, 初中) or of compulsory school age; or a child on the county's pushed list (学龄人口) who
  is at no school, 6–15 years old on 31 August of the school year (the age comes from the ID number).
- One open case per child (the service checks the database; an index keeps it).

States (ALLOWED: every move not listed is refused)
- 疑似辍学: absent without a valid reason for more than 7 days (SUSPECT_DAYS).
- 辍学: absent for more than 30 days (DROPOUT_DAYS). A child from the county's list who has no last day
  at school (never came, 失学) may be opened as 辍学 at once.
- 劝返中: reached only by recording the first persuasion attempt on a 辍学 case.
- 复学: from 疑似辍学 (back within the month) or 劝返中, with the date and the class; a follow-up note is
  due a month later (FOLLOW_UP_MONTHS).
- 销号: from any open state, with a reason and the evidence that reason asks for (CLOSE_NEEDS); 超龄 only
  from the 16th birthday (OVER_AGE).
- 复学 and 销号 are final: a child who drops out again gets a new case.
- A move is dated: not before the case's last change, not after today.
Days absent are calendar days since the last day at school; when that day is unknown, the days typed
at opening plus the days since.

The registry follows the case (enrolment_after): 辍学 while the case is open, 在校 after 复学, and after
销号 what the reason means (转学 → 转出, 休学 → 休学 …).

Escalation: when the school's attempts have failed `after` times (a setting, default 2) the case
"应上报乡镇"; when the township's have failed as often, "应上报县教育局" for a written 限期复学 order.
An attempt fails unless its result is 同意返校.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from db.dropout.dto import (
    AGREED,
    CLOSE_REASONS,
    COUNTY,
    LEVELS,
    METHODS,
    OPEN_STATES,
    OPENING_STATES,
    RESULTS,
    SCHOOL,
    TOWNSHIP,
    Move,
    State,
)

SUSPECT_DAYS = 7
DROPOUT_DAYS = 30
SCHOOL_AGE = (6, 15)
OVER_AGE = 16
FOLLOW_UP_MONTHS = 1
DEFAULT_ESCALATE_AFTER = 2
COMPULSORY_STAGES = ("小学", "初中")
NOT_OURS = ("毕业", "转出")
ESCALATE_TOWNSHIP = "应上报乡镇"
ESCALATE_COUNTY = "应上报县教育局（书面限期复学）"
Problems = dict[str, str]

ALLOWED: dict[str, frozenset[str]] = {
    State.SUSPECTED: frozenset({State.DROPPED, State.RETURNED, State.CLOSED}),
    State.DROPPED: frozenset({State.PERSUADING, State.CLOSED}),
    State.PERSUADING: frozenset({State.RETURNED, State.CLOSED}),
    State.RETURNED: frozenset(),
    State.CLOSED: frozenset(),
}

# 销号 reason -> the fields it needs, with their Chinese names (the evidence on file)
CLOSE_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "转学": (("close_school", "转入学校"), ("close_evidence", "转入学校出具的在读证明")),
    "在外就读": (("close_school", "就读学校"), ("close_location", "就读地"), ("close_evidence", "在读证明")),
    "送教上门": (("special_ref", "特殊教育档案（一人一案）编号"),),
    "特教学校": (("close_school", "特殊教育学校"), ("special_ref", "特殊教育档案（一人一案）编号")),
    "延缓入学": (("close_evidence", "监护人的申请"), ("approved_by", "批准机关"), ("approved_on", "批准日期")),
    "休学": (("close_evidence", "监护人的申请"), ("approved_by", "批准机关"), ("approved_on", "批准日期")),
    "免于学习": (("close_evidence", "县残疾人教育专家委员会的评估意见"), ("approved_by", "评估机构"),
                ("approved_on", "评估日期")),
    "超龄": (),
    "死亡": (("close_evidence", "死亡证明或户籍注销证明"),),
    "出国": (("close_evidence", "出国（境）证明材料"),),
}
# 销号 reason -> the student's enrolment afterwards
CLOSE_ENROLMENT = {"转学": "转出", "在外就读": "在外就读", "送教上门": "在校", "特教学校": "转出", "延缓入学": "休学",
                   "休学": "休学", "免于学习": "休学", "超龄": "转出", "死亡": "转出", "出国": "转出"}
assert set(CLOSE_NEEDS) == set(CLOSE_REASONS) == set(CLOSE_ENROLMENT)


@dataclass(frozen=True)
class CaseFacts:
    """What a move is checked against."""
    state: str
    opened_on: dt.date
    state_since: dt.date
    last_at_school: dt.date | None = None
    absent_days: int | None = None
    attempts: int = 0
    birth_date: dt.date | None = None
    from_county_list: bool = False


# ---- ages and days -----------------------------------------------------------------------------
def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def school_year_cutoff(day: dt.date) -> dt.date:
    """31 August that starts the school year `day` falls in."""
    return dt.date(day.year if day.month >= 9 else day.year - 1, 8, 31)


def stage_for_age(age: int) -> str:
    """The compulsory stage a child of `age` (on 31 August) belongs in."""
    return "小学" if age <= 11 else "初中"


def days_absent(last_at_school: dt.date | None, absent_days: int | None, opened_on: dt.date,
                on: dt.date) -> int | None:
    if last_at_school is not None:
        return (on - last_at_school).days
    if absent_days is not None:
        return absent_days + max(0, (on - opened_on).days)
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_due(returned_on: dt.date) -> dt.date:
    return add_months(returned_on, FOLLOW_UP_MONTHS)


# ---- opening -----------------------------------------------------------------------------------
def check_who(*, is_student: bool, enrolment: str, stage: str, birth: dt.date | None, on: dt.date) -> Problems:
    """Whether this child can have a case at all (see the module docstring)."""
    who = "student_id" if is_student else "county_entry_id"
    if is_student and enrolment in NOT_OURS:
        return {who: f"该学生学籍状态为{enrolment}，不属于本校控辍保学对象"}
    age = age_on(birth, school_year_cutoff(on)) if birth else None
    lo, hi = SCHOOL_AGE
    if is_student and stage in COMPULSORY_STAGES:
        return {}
    if age is None:
        return {who: "无法确定孩子的年龄（没有出生日期），不能建立控辍保学个案"}
    if not lo <= age <= hi:
        return {who: f"孩子在 {school_year_cutoff(on):%Y年%m月%d日} 为 {age} 周岁，不在义务教育年龄（{lo}–{hi} 周岁）内"}
    return {}


def check_opening(*, state: str, opened_on: dt.date | None, today: dt.date, last_at_school: dt.date | None,
                  absent_days: int | None, from_county_list: bool) -> Problems:
    """The state a case opens in, its date and the absence that justifies it."""
    p: Problems = {}
    if state not in OPENING_STATES:
        p["state"] = "个案只能以“疑似辍学”或“辍学”建立"
        return p
    if opened_on is None:
        p["opened_on"] = "请填写建档日期"
        return p
    if opened_on > today:
        p["opened_on"] = "建档日期不能晚于今天"
    if last_at_school is not None and last_at_school > opened_on:
        p["last_at_school"] = "最后到校日期不能晚于建档日期"
    if absent_days is not None and absent_days < 0:
        p["absent_days"] = "缺课天数不能为负数"
    if p:
        return p
    days = days_absent(last_at_school, absent_days, opened_on, opened_on)
    if days is None:
        if not (from_county_list and state == State.DROPPED):
            p["last_at_school"] = "请填写最后到校日期或缺课天数"
        return p
    need = SUSPECT_DAYS if state == State.SUSPECTED else DROPOUT_DAYS
    if days <= need:
        field = "last_at_school" if last_at_school else "absent_days"
        p[field] = f"缺课 {days} 天，未超过 {need} 天，不能认定为{state}"
    return p


def check_details(*, reason: str, reasons: Sequence[str], guardian_name: str) -> Problems:
    p: Problems = {}
    if reason and reason not in reasons:
        p["reason"] = f"辍学原因应为：{'、'.join(reasons)}"
    if guardian_name and len(guardian_name) > 30:
        p["guardian_name"] = "监护人姓名过长"
    return p


# ---- moves ---------------------------------------------------------------------------------------
def refusal(state: str, to: str) -> str:
    """Why a move that ALLOWED does not list is refused, in Chinese."""
    if to == state:
        return f"个案已是“{state}”"
    if state in (State.RETURNED, State.CLOSED):
        return f"个案已{state}，不能再改为“{to}”；如孩子再次辍学，请新建个案"
    if state == State.DROPPED and to == State.RETURNED:
        return "辍学的孩子须先登记劝返（进入“劝返中”）才能登记复学"
    if to == State.PERSUADING:
        return "只有已认定为“辍学”的个案，登记第一次劝返后才进入“劝返中”"
    return f"不能从“{state}”改为“{to}”"


def allowed_moves(state: str) -> tuple[str, ...]:
    return tuple(s for s in State if s in ALLOWED.get(state, ()))


def check_move(c: CaseFacts, m: Move, today: dt.date) -> Problems:
    """Every problem with moving case `c` as `m` says; {} when the move may be made."""
    if m.to not in ALLOWED:
        return {"to": f"未知状态“{m.to}”"}
    if m.to not in ALLOWED.get(c.state, ()):
        return {"to": refusal(c.state, m.to)}
    p: Problems = {}
    if m.on is None:
        return {"on": "请填写日期"}
    if m.on > today:
        p["on"] = "日期不能晚于今天"
    elif m.on < c.state_since:
        p["on"] = f"日期不能早于上一次状态变更（{c.state_since:%Y-%m-%d}）"
    if m.to == State.DROPPED:
        days = days_absent(c.last_at_school, c.absent_days, c.opened_on, m.on)
        if days is None:
            p["to"] = "请先在个案中填写最后到校日期或缺课天数"
        elif days <= DROPOUT_DAYS:
            p["to"] = f"到 {m.on:%Y-%m-%d} 缺课 {days} 天，未超过 {DROPOUT_DAYS} 天，还不能认定为辍学"
    elif m.to == State.PERSUADING and c.attempts == 0:
        p["to"] = "请先登记一次劝返"
    elif m.to == State.RETURNED and not m.return_class.strip():
        p["return_class"] = "请填写复学后就读的年级班级"
    elif m.to == State.CLOSED:
        p.update(check_close(c, m, today))
    return p


def check_close(c: CaseFacts, m: Move, today: dt.date) -> Problems:
    if m.close_reason not in CLOSE_NEEDS:
        return {"close_reason": f"请选择销号原因：{'、'.join(CLOSE_REASONS)}"}
    p: Problems = {}
    for field, label in CLOSE_NEEDS[m.close_reason]:
        value = getattr(m, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            p[field] = f"以“{m.close_reason}”销号须填写{label}"
    if m.approved_on is not None and m.approved_on > today:
        p["approved_on"] = "批准日期不能晚于今天"
    if m.close_reason == "超龄":
        if c.birth_date is None:
            p["close_reason"] = "没有出生日期，不能以超龄销号"
        elif age_on(c.birth_date, m.on) < OVER_AGE:
            p["close_reason"] = (f"到 {m.on:%Y-%m-%d} 孩子 {age_on(c.birth_date, m.on)} 周岁，"
                                 f"未满 {OVER_AGE} 周岁，不能以超龄销号")
    return p


def enrolment_after(state: str, close_reason: str = "") -> str | None:
    """The student's enrolment once the case is in `state` (None: leave it as it is)."""
    if state in OPEN_STATES:
        return "辍学"
    if state == State.RETURNED:
        return "在校"
    if state == State.CLOSED:
        return CLOSE_ENROLMENT.get(close_reason)
    return None


# ---- attempts and escalation ---------------------------------------------------------------------
def check_attempt(*, state: str, level: str, method: str, result: str, on: dt.date | None, opened_on: dt.date,
                  next_date: dt.date | None, deadline: dt.date | None, people: int, today: dt.date) -> Problems:
    p: Problems = {}
    if state not in OPEN_STATES:
        return {"case_id": f"个案已{state}，不能再登记劝返"}
    if level not in LEVELS:
        p["level"] = f"劝返层级应为：{'、'.join(LEVELS)}"
    if method not in METHODS:
        p["method"] = f"劝返方式应为：{'、'.join(METHODS)}"
    if result not in RESULTS:
        p["result"] = f"请选择劝返结果：{'、'.join(RESULTS)}"
    if people == 0:
        p["people"] = "请填写参加劝返的人员（至少一人）"
    if on is None:
        p["on"] = "请填写劝返日期"
    elif on > today:
        p["on"] = "劝返日期不能晚于今天"
    elif on < opened_on:
        p["on"] = f"劝返日期不能早于建档日期（{opened_on:%Y-%m-%d}）"
    if on and next_date and next_date < on:
        p["next_date"] = "下一步日期不能早于本次劝返日期"
    if on and deadline and deadline < on:
        p["deadline"] = "限期复学日期不能早于本次劝返日期"
    return p


def escalation(attempts: Sequence[tuple[str, str]], after: int, state: str) -> str:
    """`attempts` in order as (level, result): "" or what the case should be reported to now."""
    if state not in (State.DROPPED, State.PERSUADING) or not attempts or attempts[-1][1] == AGREED:
        return ""
    levels = {level for level, _ in attempts}
    if COUNTY in levels:
        return ""
    failed = Counter(level for level, result in attempts if result != AGREED)
    if failed[TOWNSHIP] >= after:
        return ESCALATE_COUNTY
    if TOWNSHIP in levels:
        return ""
    return ESCALATE_TOWNSHIP if failed[SCHOOL] >= after else ""


# ---- what is late ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseClock:
    """The dates of a case that next steps hang on."""
    state: str
    opened_on: dt.date
    last_at_school: dt.date | None
    absent_days: int | None
    returned_on: dt.date | None
    follow_up_on: dt.date | None
    next_step: str
    next_date: dt.date | None
    escalation: str
    last_attempt_on: dt.date | None


def late_steps(c: CaseClock, today: dt.date) -> list[tuple[str, dt.date, str]]:
    """(kind, due date, text) of every next step of the case whose date has passed."""
    out = []
    if c.state in OPEN_STATES and c.next_date and c.next_date < today:
        out.append(("劝返下一步", c.next_date, c.next_step or "按计划再次劝返"))
    if c.state in OPEN_STATES and c.escalation and c.last_attempt_on and c.last_attempt_on < today:
        out.append(("应上报", c.last_attempt_on, c.escalation))
    if c.state == State.SUSPECTED:
        days = days_absent(c.last_at_school, c.absent_days, c.opened_on, today)
        if days is not None and days > DROPOUT_DAYS:
            due = today - dt.timedelta(days=days - DROPOUT_DAYS - 1)
            out.append(("应认定辍学", due, f"缺课已 {days} 天，超过 {DROPOUT_DAYS} 天：应认定为辍学，或复学、销号"))
    if c.state == State.RETURNED and c.returned_on and not c.follow_up_on:
        due = follow_up_due(c.returned_on)
        if due < today:
            out.append(("复学回访", due, "复学满一个月，应回访并记录在校情况"))
    return out


# ---- the monthly report ----------------------------------------------------------------------------
def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def state_on(transitions: Sequence[tuple[str, dt.date]], day: dt.date) -> str | None:
    """The state after the last transition dated on or before `day` (in recorded order); None if the
    case did not exist yet."""
    state = None
    for to, on in transitions:
        if on <= day:
            state = to
    return state


def month_changes(transitions: Sequence[tuple[str, dt.date]], opened_on: dt.date,
                  month: dt.date) -> tuple[str | None, set[str]]:
    """(state at the month's end, the change keys of COUNT_COLUMNS that happened in the month)."""
    first, last = month_bounds(month)
    keys = set()
    if first <= opened_on <= last:
        keys.add("new")
    for to, on in transitions:
        if first <= on <= last:
            if to == State.RETURNED:
                keys.add("returned")
            elif to == State.CLOSED:
                keys.add("closed")
    return state_on(transitions, last), keys
