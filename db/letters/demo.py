"""Demonstration letters (called by db.demo.fill_demo): a few registered-poor children moved to schools
out of province, and letters to those schools in every state — not yet sent, waiting, late with a
phone follow-up, answered 已落实 and 不在该校 — with one child left in the 应发函 list. Made through the
service (checked and audited), dated up to the demo's "now"."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from db.context import ServiceContext
from db.letters import rules
from db.letters.dto import ReplyForm, SendForm
from db.letters.service import LettersService
from db.models.registry import Student, StudentCategory
from db.registry.enrolment import set_enrolment

SCHOOLS = (("昆山市玉山镇第一中心小学", "江苏省", "苏州市", "昆山市", "0512-5771"),
           ("慈溪市浒山街道实验小学", "浙江省", "宁波市", "慈溪市", "0574-6321"),
           ("上海市松江区九亭中学", "上海市", "", "松江区", "021-5763"),
           ("东莞市长安镇第三小学", "广东省", "东莞市", "长安镇", "0769-8531"),
           ("杭州市萧山区新街初级中学", "浙江省", "杭州市", "萧山区", "0571-8266"),
           ("江阴市澄江中心小学", "江苏省", "无锡市", "江阴市", "0510-8681"))


def fill_demo(ctx: ServiceContext, end: dt.date, *, seed: int = 2020) -> int:
    """Move a few children out of province and write their letters, dated up to `end` (the demo's
    "now"); returns how many letters."""
    rng = random.Random(seed + 13)
    poor = select(StudentCategory.student_id).where(StudentCategory.category == rules.REGISTERED_POOR)
    with ctx.read() as s:
        ids = list(s.scalars(select(Student.id).where(Student.id.in_(poor), Student.enrolment == "在校",
                                                      Student.stage.in_(("小学", "初中"))).order_by(Student.id)))
    chosen = rng.sample(ids, min(len(ids), max(6, len(ids) // 100), 12))
    with ctx.write() as s:
        for i, sid in enumerate(chosen):
            set_enrolment(s, ctx, sid, "在外就读", why="演示数据：随父母外出，在省外就读",
                          study_location=rules.OUT_OF_PROVINCE, study_school=SCHOOLS[i % len(SCHOOLS)][0])
    svc = LettersService(ctx)
    steps = (_unsent, _waiting, _late, _done, _not_there)
    for i, sid in enumerate(chosen[:-1]):            # the last child stays in the 应发函 list
        steps[i % len(steps)](svc, sid, SCHOOLS[i % len(SCHOOLS)], end, rng)
    return max(0, len(chosen) - 1)


def _letter(svc: LettersService, sid: int, school, day: dt.date, rng: random.Random):
    form = svc.new_form(sid)
    form.letter_date = day
    form.to_school, form.to_province, form.to_city, form.to_county, phone = school
    form.to_phone = f"{phone}{rng.randrange(10**4):04d}"
    form.to_contact = rng.choice("王李张刘陈") + "老师"
    return svc.save_letter(form)


def _sent(svc, sid, school, end, rng, days_ago: int):
    x = _letter(svc, sid, school, end - dt.timedelta(days=days_ago + 2), rng)
    return svc.send(SendForm(x.id, "邮寄", end - dt.timedelta(days=days_ago), f"11{rng.randrange(10**11):011d}"))


def _unsent(svc, sid, school, end, rng) -> None:
    _letter(svc, sid, school, end - dt.timedelta(days=1), rng)


def _waiting(svc, sid, school, end, rng) -> None:
    _sent(svc, sid, school, end, rng, 10)


def _late(svc, sid, school, end, rng) -> None:
    x = _sent(svc, sid, school, end, rng, 45)
    svc.call(x.id, end - dt.timedelta(days=8), f"电话联系{x.form.to_contact}，对方称已转学校资助办，尚未回复")


def _done(svc, sid, school, end, rng) -> None:
    x = _sent(svc, sid, school, end, rng, 60)
    svc.reply(ReplyForm(x.id, end - dt.timedelta(days=30), "已落实", "回执已盖章寄回", "家庭经济困难学生生活补助",
                        f"{end.year}秋", "625.00", x.form.to_contact, ""))


def _not_there(svc, sid, school, end, rng) -> None:
    x = _sent(svc, sid, school, end, rng, 50)
    svc.reply(ReplyForm(x.id, end - dt.timedelta(days=35), "不在该校", "该校称学生已于开学后转走，去向待查"))


def fill_hook(ctx: ServiceContext, *, seed: int = 2020, year: int = 2020) -> int:
    """db.demo's hook: records dated up to late in the demo year's autumn term (never after today)."""
    return fill_demo(ctx, min(ctx.clock.today(), dt.date(year, 12, 18)), seed=seed)
