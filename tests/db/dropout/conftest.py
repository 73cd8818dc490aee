"""A small real school for the dropout tests: a few students and households written through the
registry service, a fixed clock (2020-11-20) and the dropout service on the same context."""
from __future__ import annotations

import datetime as dt

import pytest

from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.dropout.dto import AttemptForm, CaseForm, Move, Person, State
from db.dropout.service import DropoutService
from db.registry.dto import HouseholdForm, StudentForm
from db.registry.service import RegistryService
from db.validators import id_check_char

TODAY = dt.date(2020, 11, 20)


def make_id(region: str, birth: dt.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


@pytest.fixture
def ctx(database):
    return ServiceContext(database.session_factory, Actor("李老师"), FixedClock(dt.datetime(2020, 11, 20, 2), TODAY))


@pytest.fixture
def reg(ctx):
    return RegistryService(ctx)


@pytest.fixture
def svc(ctx):
    return DropoutService(ctx)


@pytest.fixture
def school(reg):
    """{name: student id}: 张小明 (初中, 建档立卡), 李小红 (小学), 王大壮 (中职, 17), 赵毕业 (毕业)."""
    hh = reg.save_household(HouseholdForm(head_name="张大山", township="阚疃镇", village="前进村", group_name="3组",
                                          phone="13912345678", poverty_status="脱贫户", poverty_exit_year=2019))
    hh2 = reg.save_household(HouseholdForm(head_name="李四", township="阚疃镇", village="胜利村"))
    out = {}
    for name, birth, stage, grade, enrolment, cats, household in (
            ("张小明", dt.date(2007, 3, 1), "初中", "七年级", "在校", ["建档立卡"], hh.id),
            ("李小红", dt.date(2011, 5, 2), "小学", "三年级", "在校", [], hh2.id),
            ("王大壮", dt.date(2003, 2, 3), "中职", "中职一年级", "在校", [], hh2.id),
            ("赵毕业", dt.date(2005, 1, 4), "初中", "九年级", "毕业", [], hh2.id)):
        number = make_id("341623", birth, len(out) + 11)
        st = reg.save_student(StudentForm(household_id=household, name=name, id_number=number, stage=stage, grade=grade,
                                          class_name="2班", enrolment=enrolment, categories=cats))
        out[name] = st.id
    return out


def open_case(svc, student_id, state=State.SUSPECTED, opened=dt.date(2020, 9, 20), last=dt.date(2020, 9, 10), **kw):
    kw.setdefault("reason", "厌学/学习困难")
    return svc.open_case(CaseForm(student_id=student_id, state=state, opened_on=opened, last_at_school=last, **kw))


def attempt(svc, case_id, on, result="拒绝返校", level="学校", **kw):
    return svc.record_attempt(AttemptForm(case_id, on, level, "家访", [Person("刘老师", "班主任", "13812345678")],
                                          result, **kw))


def case_in(svc, student_id, state):
    """A case of the student brought to `state` through the service (the way an officer would)."""
    c = open_case(svc, student_id, last=dt.date(2020, 9, 1))
    if state in (State.DROPPED, State.PERSUADING):
        c = svc.move(c.id, Move(State.DROPPED, dt.date(2020, 10, 5)))
    if state == State.PERSUADING:
        c = attempt(svc, c.id, dt.date(2020, 10, 6))
    if state == State.RETURNED:
        c = svc.move(c.id, Move(State.RETURNED, dt.date(2020, 9, 25), return_class="七年级2班"))
    if state == State.CLOSED:
        c = svc.move(c.id, Move(State.CLOSED, dt.date(2020, 9, 25), close_reason="死亡", close_evidence="户籍注销证明"))
    assert c.state == state
    return c
