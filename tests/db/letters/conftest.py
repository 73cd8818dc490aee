"""A small real school for the letters tests: registered-poor children studying out of province and
one at home, a fixed clock (2020-11-20), the letters service on the same context."""
from __future__ import annotations

import datetime as dt

import pytest

from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.letters.service import LettersService
from db.registry.dto import HouseholdForm, SchoolInfo, StudentForm
from db.registry.school import SchoolService
from db.registry.service import RegistryService
from tests.db.dropout.conftest import make_id

TODAY = dt.date(2020, 11, 20)


@pytest.fixture
def ctx(database):
    return ServiceContext(database.session_factory, Actor("李老师"), FixedClock(dt.datetime(2020, 11, 20, 2), TODAY))


@pytest.fixture
def svc(ctx):
    return LettersService(ctx)


@pytest.fixture
def reg(ctx):
    return RegistryService(ctx)


@pytest.fixture
def kids(ctx, reg):
    """{name: student id}: 张小明 and 王小芳 (建档立卡, 省外), 李小红 (建档立卡, at school), 赵小军 (省外, not 建档立卡)."""
    SchoolService(ctx).save(SchoolInfo(name="阚疃镇中心学校", county="利辛县", stages=["小学", "初中"], officer="李老师",
                                       headmaster="王校长", phone="0558-8123456"))
    hh = reg.save_household(HouseholdForm(head_name="张大山", township="阚疃镇", village="前进村", group_name="3组",
                                          poverty_status="脱贫户", poverty_exit_year=2019))
    out = {}
    for i, (name, where, school, cats, stage, grade) in enumerate((
            ("张小明", "省外", "昆山市玉山镇第一中心小学", ["建档立卡"], "小学", "五年级"),
            ("王小芳", "省外", "", ["建档立卡"], "初中", "八年级"),
            ("李小红", "", "", ["建档立卡"], "小学", "三年级"),
            ("赵小军", "省外", "上海市某中学", ["农村低保"], "初中", "七年级"))):
        st = reg.save_student(StudentForm(
            household_id=hh.id, name=name, id_number=make_id("341623", dt.date(2009, 1, 1 + i), 30 + i), stage=stage,
            grade=grade, class_name="1班", enrolment="在外就读" if where else "在校", study_location=where,
            study_school=school, categories=cats))
        out[name] = st.id
    return out
