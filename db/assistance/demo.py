"""Demonstration data for individual assistance: pairings of teachers with some 建档立卡 children (with
visits), donations, 临时救助, school supplies — about a third of them, so the report has a list."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from db import audit
from db.context import ServiceContext
from db.models.assistance import Assistance, AssistanceVisit
from db.models.registry import Student, StudentCategory

TEACHERS = ("张丽老师", "王建国老师", "刘芳老师", "陈明老师", "杨静老师")
DONORS = (("社会捐助", "利辛县爱心协会", 50000), ("爱心助学", "亳州市慈善总会", 100000), ("临时救助", "阚疃镇民政办", 80000),
          ("学习用品", "县团委", None), ("衣物", "爱心人士李先生", None), ("心理关爱", "学校心理辅导室", None),
          ("学业辅导", "班主任", None))


def fill_assistance(ctx: ServiceContext, *, seed: int = 2020, year: int = 2020) -> int:
    rng = random.Random(seed + 3)
    today = ctx.clock.today()
    poor = select(StudentCategory.student_id).where(StudentCategory.category == "建档立卡")
    with ctx.write() as s:
        if s.scalar(select(Assistance.id).limit(1)) is not None:
            return 0
        ids = list(s.scalars(select(Student.id).where(Student.id.in_(poor), Student.enrolment == "在校")
                             .order_by(Student.id)))
        n = 0
        for sid in ids:
            if rng.random() > 0.35:
                continue
            start = min(today, dt.date(year, 9, rng.randrange(1, 20)))
            if rng.random() < 0.6:
                a = Assistance(student_id=sid, kind="结对帮扶", given_on=start, until=dt.date(year + 1, 7, 10),
                               who=rng.choice(TEACHERS), amount_fen=None, note="每月走访一次，关注学习和生活")
                s.add(a)
                s.flush()
                for k in range(rng.randrange(1, 4)):
                    day = start + dt.timedelta(days=20 + 30 * k)
                    if day <= today:
                        s.add(AssistanceVisit(assistance_id=a.id, visit_date=day, content="家访，辅导作业，了解家庭困难"))
            else:
                kind, who, fen = rng.choice(DONORS)
                s.add(Assistance(student_id=sid, kind=kind, given_on=start + dt.timedelta(days=rng.randrange(0, 60)),
                                 until=None, who=who, amount_fen=fen,
                                 note="书包、文具一套" if kind == "学习用品" else ("冬衣两套" if kind == "衣物" else "")))
            n += 1
        s.flush()
        for a in s.scalars(select(Assistance).where(Assistance.given_on > today)):
            a.given_on = today
        audit.record(s, ctx, "demo", "assistance", None, summary=f"生成演示数据：个性化帮扶 {n} 名学生")
        return n
