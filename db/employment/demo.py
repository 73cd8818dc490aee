"""Demonstration data for the employment ledger: the registered-poor 中职 students of the final year
become the year's graduates, most employed (with a contract), some still looking, with guidance."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from db import audit
from db.context import ServiceContext
from db.models.employment import Graduate, GraduateGuidance
from db.models.registry import School, Student, StudentCategory

EMPLOYERS = [("合肥京东方光电科技有限公司", "省内", "设备操作员"), ("亳州市人民医院", "省内", "护理员"),
             ("苏州富士康科技集团", "省外", "装配技术员"), ("利辛县鑫源汽修厂", "省内", "汽修学徒"),
             ("杭州顺丰速运有限公司", "省外", "仓储管理员")]


def fill_employment(ctx: ServiceContext, *, seed: int = 2020, year: int = 2020) -> int:
    rng = random.Random(seed + 9)
    poor = select(StudentCategory.student_id).where(StudentCategory.category == "建档立卡")
    with ctx.write() as s:
        school = s.scalar(select(School.name).limit(1)) or ""
        done = set(s.scalars(select(Graduate.student_id)))
        students = [st for st in s.scalars(select(Student).where(
            Student.stage == "中职", Student.grade == "中职三年级", Student.id.in_(poor))) if st.id not in done]
        for st in students:
            intention = rng.choices(("就业", "升学", "参军", "暂不"), (75, 15, 5, 5))[0]
            g = Graduate(student_id=st.id, grad_year=year, school=school, major=st.major, intention=intention,
                         status="未就业", notes="")
            if intention == "就业" and rng.random() < 0.8:
                employer, place, job = rng.choice(EMPLOYERS)
                g.status, g.employer, g.place, g.job = "已就业", employer, place, job
                g.start_date, g.contract = dt.date(year, 7, rng.randrange(1, 29)), "劳动合同"
            elif intention in ("升学", "参军"):
                g.status = intention
            else:
                g.reason = rng.choice(("家中需要照顾老人", "正在准备技能证书考试", "未找到合适岗位"))
                g.next_action = rng.choice(("推荐到县人社局招聘会", "联系合作企业推荐岗位", "参加电工技能培训"))
            s.add(g)
            s.flush()
            s.add(GraduateGuidance(graduate_id=g.id, given_on=dt.date(year, 5, 20), kind="讲座", by="就业指导中心",
                                   content="就业政策与求职技巧讲座"))
            if g.status != "已就业" and intention == "就业":
                s.add(GraduateGuidance(graduate_id=g.id, given_on=dt.date(year, 8, 10), kind="推荐岗位", by="班主任",
                                       content="推荐县经济开发区企业岗位 2 个"))
        audit.record(s, ctx, "demo", "graduate", None, summary=f"生成演示数据：中职毕业生 {len(students)} 人")
        return len(students)
