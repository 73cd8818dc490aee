"""Demonstration data for the survey: one round in spring 2020 (停课不停学), most registered-poor
households checked, some failing with problems, most of them fixed the way the seed tells."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from db import audit
from db.context import ServiceContext
from db.models.registry import Household, Student
from db.models.survey import SurveyCheck, SurveyChild, SurveyProblem, SurveyRound
from db.survey.common import poor_pupils
from db.survey.dto import CHILD_QUESTIONS

ROUND = "2020年春季停课不停学排查"
FIXES = {"无终端": [("电视机", "购买", "县教育局"), ("手机", "捐赠", "爱心企业"), ("网络电视", "免费安装", "县广电")],
         "信号差": [("天线", "免费安装", "乡镇政府")], "流量费": [("流量（学生）", "赠送", "中国移动")],
         "无宽带": [("网络电视", "免费安装", "县广电")]}


def fill_survey(ctx: ServiceContext, *, seed: int = 2020, year: int = 2020) -> int:
    rng = random.Random(seed + 17)
    start = dt.date(year, 2, 17)
    with ctx.write() as s:
        if s.scalar(select(SurveyRound.id).where(SurveyRound.name == ROUND)) is not None:
            return 0
        r = SurveyRound(name=ROUND, start_date=start, end_date=dt.date(year, 3, 31),
                        notes="组织教育扶贫联络员进村入户，一看二问三查")
        s.add(r)
        s.flush()
        kids: dict[int, list[int]] = {}
        for sid, hid in s.execute(select(Student.id, Student.household_id).where(poor_pupils(),
                                                                                  Student.household_id.is_not(None))):
            kids.setdefault(hid, []).append(sid)
        officers = dict(s.execute(select(Household.id, Household.liaison_officer_id)
                                  .where(Household.id.in_(list(kids)))).all())
        n = 0
        for hid in sorted(kids):
            if rng.random() < 0.12:
                continue                        # not yet checked
            n += 1
            _check(s, rng, r.id, hid, officers.get(hid), kids[hid], start)
        audit.record(s, ctx, "demo", "survey_check", None, summary=f"生成演示数据：线上学习排查 {n} 户")
        return n


def _check(s, rng: random.Random, round_id: int, hid: int, officer: int | None, kids: list[int],
           start: dt.date) -> None:
    day = start + dt.timedelta(days=rng.randrange(0, 30))
    fail = rng.random() < 0.25
    c = SurveyCheck(round_id=round_id, household_id=hid, check_date=day, officer_id=officer,
                    unannounced=rng.random() < 0.2, has_tv=False if fail else rng.random() < 0.8,
                    has_phone=not fail, has_computer=rng.choice((False, False, None, True)),
                    net_broadband=rng.choice((True, False, None)), net_mobile=rng.random() < 0.85,
                    net_cable=rng.choice((True, False, None)), notes="")
    if not fail and not c.has_tv and rng.random() < 0.3:
        c.has_tv = None
    s.add(c)
    s.flush()
    for sid in kids:
        s.add(SurveyChild(check_id=c.id, student_id=sid, **{
            f: (None if rng.random() < 0.1 else rng.random() < (0.5 if fail else 0.95)) for f, _ in CHILD_QUESTIONS}))
    kinds = ["无终端"] if fail else []
    if rng.random() < 0.15:
        kinds.append(rng.choice(("信号差", "流量费", "无宽带")))
    for kind in kinds:
        fix, how, paid = rng.choice(FIXES[kind])
        solved = rng.random() < 0.8
        s.add(SurveyProblem(check_id=c.id, kind=kind, note="", fix=fix if solved else "", how=how if solved else "",
                            quantity=len(kids) if fix == "流量（学生）" else 1, paid_by=paid if solved else "",
                            solved_on=day + dt.timedelta(days=rng.randrange(1, 12)) if solved else None))
