"""A small real school for the office tests: a fixed clock (2020-11-20), every service on one context,
and helpers that put students and a county list straight into the real database file."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.models.exchange import CountyList, CountyListEntry
from db.models.registry import DifficultyAssessment, Household, Student, StudentCategory
from db.registry.dto import SchoolInfo
from db.services import Services
from db.validators import id_check_char

TODAY = dt.date(2020, 11, 20)
_seq = itertools.count(1)


def make_id(birth: dt.date, seq: int, region: str = "341623") -> str:
    body = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return body + id_check_char(body)


@pytest.fixture
def octx(database):
    return ServiceContext(database.session_factory, Actor("李老师"), FixedClock(dt.datetime(2020, 11, 20, 2), TODAY))


@pytest.fixture
def sv(octx):
    sv = Services.build(octx)
    sv.school.save(SchoolInfo(name="阚疃镇中心学校", county="利辛县", township="阚疃镇", stages=["学前", "小学", "初中"],
                              officer="李老师", headmaster="王校长", phone="0558-8123456"))
    sv.rollover.set_roll_year(2020)          # the roll's grades are 2020-2021's (the demo and first start say so too)
    return sv


@pytest.fixture
def add(sf):
    """add(name, stage="小学", grade="三年级", cls="2班", enrolment="在校", cats=("建档立卡",), level=None, **fields)
    -> student id. `level`: the 2020 认定; `household`: an id, else a new household (head 户主N)."""
    def make(name, stage="小学", grade="三年级", cls="2班", enrolment="在校", cats=("建档立卡",), level=None,
             household=None, birth=None, card="", **fields):
        n = next(_seq)
        birth = birth or dt.date(2012, 1, 1 + n % 28)
        with sf.begin() as s:
            if household is None:
                hh = Household(head_name=f"户主{n}", township="阚疃镇", village="前进村",
                               head_id_number=make_id(dt.date(1980, 1, 1 + n % 28), n))
                s.add(hh)
                s.flush()
                household = hh.id
            st = Student(household_id=household, name=name, gender="男", id_number=fields.pop("id_number", None)
                         or make_id(birth, n), birth_date=birth, stage=stage, grade=grade, class_name=cls,
                         residence="走读", enrolment=enrolment, bank_card_no=card or None, **fields)
            s.add(st)
            s.flush()
            for c in cats:
                s.add(StudentCategory(student_id=st.id, category=c))
            if level:
                s.add(DifficultyAssessment(student_id=st.id, school_year=2020, level=level, assessed_on=dt.date(2020, 9, 10),
                                           reason="测试", assessed_by="李老师"))
            return st.id
    return make


@pytest.fixture
def county_list(sf):
    """county_list([(id_number, name), …]) -> [entry ids]: a 建档立卡 list dated 2020-09-01."""
    def make(children):
        with sf.begin() as s:
            cl = CountyList(kind="建档立卡学龄人口", source_file="推送名单.xlsx", list_date=dt.date(2020, 9, 1))
            s.add(cl)
            s.flush()
            out = []
            for row, (number, name) in enumerate(children, 3):
                e = CountyListEntry(list_id=cl.id, source_row=row, id_number=number, name=name, categories="建档立卡")
                s.add(e)
                s.flush()
                out.append(e.id)
            return out
    return make
