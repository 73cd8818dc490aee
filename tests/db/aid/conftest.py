"""Helpers for the aid tests: students made exactly as a test needs them (straight into the real
database file of fixture `sf`)."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from db.aid.service import AidService
from db.demo import make_card
from db.models.registry import DifficultyAssessment, Household, Student, StudentCategory
from db.validators import id_check_char

_seq = itertools.count(1)


def _id_number(n: int, birth: dt.date) -> str:
    body = f"341623{birth:%Y%m%d}{n % 1000:03d}"
    return body + id_check_char(body)


@pytest.fixture
def svc(sctx, sf):
    return AidService(sctx)


@pytest.fixture
def make_student(sf):
    """make_student(stage="初中", residence="走读", categories=("建档立卡",), level="困难", years=(2020,),
    **fields) -> student id. `level` is recorded as the 认定 of each school year in `years` (None: none)."""
    import random
    rng = random.Random(7)

    def make(stage="初中", grade=None, residence="走读", categories=("建档立卡",), enrolment="在校",
             level="困难", household_id=None, card=True, name=None, years=(2020,), **extra):
        n = next(_seq)
        grades = {"学前": "大班", "小学": "三年级", "初中": "八年级", "普通高中": "高一", "中职": "中职一年级"}
        with sf.begin() as s:
            if household_id is None:
                hh = Household(head_name=f"户主{n}", township="阚疃镇", village="前进村", phone="13912345678")
                s.add(hh)
                s.flush()
                household_id = hh.id
            st = Student(household_id=household_id, name=name or f"学生{n}", gender="男",
                         id_number=_id_number(n, dt.date(2010, 1, 1 + n % 28)), stage=stage,
                         grade=grade if grade is not None else grades.get(stage or "", ""),
                         residence=residence, enrolment=enrolment, difficulty_level=level,
                         bank_card_no=make_card(rng) if card else None, bank_name="中国农业银行",
                         card_holder="家长", **extra)
            s.add(st)
            s.flush()
            for c in categories:
                s.add(StudentCategory(student_id=st.id, category=c))
            for y in years if level else ():
                s.add(DifficultyAssessment(student_id=st.id, school_year=y, level=level, assessed_on=dt.date(y, 9, 10),
                                           reason="测试", assessed_by="李老师", source="手工录入"))
            return st.id
    return make
