"""Demonstration dropout cases (called by db.demo.fill_demo): every state and path of the rules, made
through the service itself (so they are checked, audited and the registry follows), dated up to the
demo's "now" (late in the autumn term of its year, never after today).

Students already 辍学 in the registry get open cases; some students at school get a case that ends
in 复学; 休学 students a case closed as 休学; one 疑似辍学 and one 转学. At most MAX_CASES cases.
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from db.context import ServiceContext
from db.dropout import rules
from db.dropout.dto import AttemptForm, CaseForm, Move, Person, State
from db.dropout.service import DropoutService
from db.errors import LedgerError
from db.models.registry import Student

MAX_CASES = 40
REASONS = ("厌学/学习困难", "外出务工", "家庭经济困难", "监护缺失/家长观念", "上学远", "疾病")
PEOPLE = {"学校": (("刘老师", "班主任"), ("周老师", "任课教师"), ("孙主任", "德育主任")),
          "乡镇政府": (("陈主任", "村委会主任"), ("何书记", "包村干部"), ("赵镇长", "副镇长")),
          "县教育局": (("吴科长", "县教育局督导员"),)}


def fill_demo(ctx: ServiceContext, end: dt.date, *, seed: int = 2020) -> int:
    """Add demonstration cases dated up to `end` (the demo's "now"); returns how many."""
    rng = random.Random(seed + 12)
    svc = DropoutService(ctx)
    with ctx.read() as s:
        rows = list(s.execute(select(Student.id, Student.enrolment, Student.stage).where(
            Student.stage.in_(rules.COMPULSORY_STAGES)).order_by(Student.id)))
    dropped = [i for i, e, _s in rows if e == "辍学"]
    resting = [i for i, e, _s in rows if e == "休学"]
    at_school = [i for i, e, _s in rows if e == "在校"]
    rng.shuffle(at_school)
    plan = [(i, _persuading if n % 2 else _escalated) for n, i in enumerate(dropped)]
    plan += [(i, _rested) for i in resting]
    scenarios = [_returned, _back_soon, _suspected, _returned, _transferred, _ordered]
    plan += [(i, scenarios[n % len(scenarios)]) for n, i in enumerate(at_school[:max(6, len(rows) // 60)])]
    made = 0
    for student_id, scenario in plan[:MAX_CASES]:
        try:
            scenario(svc, student_id, end, rng)
            made += 1
        except LedgerError:      # a child the rules refuse (age): the demo skips it
            continue
    return made


def _people(rng: random.Random, level: str) -> list[Person]:
    chosen = rng.sample(PEOPLE[level], min(2, len(PEOPLE[level])))
    return [Person(name, role, f"139{rng.randrange(10**8):08d}") for name, role in chosen]


def _open(svc: DropoutService, sid: int, state: str, opened: dt.date, last: dt.date, rng: random.Random):
    return svc.open_case(CaseForm(student_id=sid, state=state, opened_on=opened, last_at_school=last,
                                  reason=rng.choice(REASONS), head_teacher=rng.choice("刘周孙郑王") + "老师"))


def _attempt(svc, case_id: int, on: dt.date, level: str, result: str, rng, *, method: str = "家访",
             next_step: str = "", next_date: dt.date | None = None, deadline: dt.date | None = None):
    return svc.record_attempt(AttemptForm(case_id, on, level, method, _people(rng, level), result,
                                          "家长表示孩子不愿上学" if result != "同意返校" else "家长同意送孩子返校",
                                          next_step, next_date, deadline))


def _persuading(svc, sid, end, rng) -> None:
    c = _open(svc, sid, State.DROPPED, end - dt.timedelta(days=50), end - dt.timedelta(days=90), rng)
    _attempt(svc, c.id, end - dt.timedelta(days=45), "学校", "犹豫观望", rng, next_step="再次家访",
             next_date=end - dt.timedelta(days=5))


def _escalated(svc, sid, end, rng) -> None:
    c = _open(svc, sid, State.DROPPED, end - dt.timedelta(days=60), end - dt.timedelta(days=100), rng)
    _attempt(svc, c.id, end - dt.timedelta(days=55), "学校", "拒绝返校", rng, next_step="再次家访")
    _attempt(svc, c.id, end - dt.timedelta(days=40), "学校", "拒绝返校", rng, method="约谈",
             next_step="报乡镇政府联合劝返", next_date=end - dt.timedelta(days=20))


def _ordered(svc, sid, end, rng) -> None:
    c = _open(svc, sid, State.SUSPECTED, end - dt.timedelta(days=95), end - dt.timedelta(days=105), rng)
    svc.move(c.id, Move(State.DROPPED, end - dt.timedelta(days=70)))
    for days, level in ((65, "学校"), (55, "学校"), (40, "乡镇政府"), (28, "乡镇政府")):
        _attempt(svc, c.id, end - dt.timedelta(days=days), level, "拒绝返校", rng)
    _attempt(svc, c.id, end - dt.timedelta(days=10), "县教育局", "犹豫观望", rng, method="书面通知",
             next_step="限期届满后核查是否返校", next_date=end + dt.timedelta(days=5), deadline=end + dt.timedelta(days=5))


def _returned(svc, sid, end, rng) -> None:
    c = _open(svc, sid, State.SUSPECTED, end - dt.timedelta(days=100), end - dt.timedelta(days=110), rng)
    svc.move(c.id, Move(State.DROPPED, end - dt.timedelta(days=75)))
    _attempt(svc, c.id, end - dt.timedelta(days=72), "学校", "拒绝返校", rng)
    _attempt(svc, c.id, end - dt.timedelta(days=62), "乡镇政府", "同意返校", rng)
    st = svc.move(c.id, Move(State.RETURNED, end - dt.timedelta(days=55), return_class=_class_of(svc, c.id)))
    svc.record_follow_up(st.id, end - dt.timedelta(days=20), "已按时到校，学习状态良好，班主任每周与家长联系一次")


def _back_soon(svc, sid, end, rng) -> None:
    c = _open(svc, sid, State.SUSPECTED, end - dt.timedelta(days=20), end - dt.timedelta(days=30), rng)
    svc.move(c.id, Move(State.RETURNED, end - dt.timedelta(days=14), return_class=_class_of(svc, c.id),
                        note="家访后第二天返校"))


def _suspected(svc, sid, end, rng) -> None:
    c = _open(svc, sid, State.SUSPECTED, end - dt.timedelta(days=3), end - dt.timedelta(days=12), rng)
    _attempt(svc, c.id, end - dt.timedelta(days=2), "学校", "犹豫观望", rng, method="电话", next_step="家访",
             next_date=end + dt.timedelta(days=2))


def _transferred(svc, sid, end, rng) -> None:
    c = _open(svc, sid, State.SUSPECTED, end - dt.timedelta(days=40), end - dt.timedelta(days=50), rng)
    svc.move(c.id, Move(State.CLOSED, end - dt.timedelta(days=33), close_reason="转学",
                        close_school="涡阳县城关第二小学", close_evidence="转入学校出具的在读证明（已存档）"))


def _rested(svc, sid, end, rng) -> None:
    c = _open(svc, sid, State.SUSPECTED, end - dt.timedelta(days=70), end - dt.timedelta(days=80), rng)
    svc.move(c.id, Move(State.CLOSED, end - dt.timedelta(days=60), close_reason="休学",
                        close_evidence="监护人休学申请及医院诊断证明", approved_by="县教育局",
                        approved_on=end - dt.timedelta(days=62)))


def _class_of(svc: DropoutService, case_id: int) -> str:
    c = svc.get_case(case_id)
    return f"{c.grade}{c.class_name}"


def fill_hook(ctx: ServiceContext, *, seed: int = 2020, year: int = 2020) -> int:
    """db.demo's hook: records dated up to late in the demo year's autumn term (never after today)."""
    return fill_demo(ctx, min(ctx.clock.today(), dt.date(year, 12, 18)), seed=seed)
