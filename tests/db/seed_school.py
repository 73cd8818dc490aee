"""A small school made exactly as the seed-ledger tests need it (straight into the real database file
of fixture `sf`): `town.household(...)`, `town.student(...)`."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from db.models.registry import DifficultyAssessment, Household, LiaisonOfficer, School, Student, StudentCategory
from db.validators import id_check_char

GRADES = {"学前": "大班", "小学": "三年级", "初中": "八年级", "普通高中": "高一", "中职": "中职三年级"}


class Town:
    def __init__(self, sf):
        self.sf = sf
        self.seq = itertools.count(1)
        with sf.begin() as s:
            s.add(School(name="阚疃镇中心学校", county="利辛县", township="阚疃镇", stages="小学,初中",
                         phone="0558-1234567"))
            o = LiaisonOfficer(name="周联络", phone="13912345678", unit="本校")
            s.add(o)
            s.flush()
            self.officer_id = o.id

    def household(self, head="王大山", poverty="脱贫户", village="前进村") -> int:
        n = next(self.seq)
        with self.sf.begin() as s:
            hh = Household(household_no=f"34162300{n:06d}", head_name=head, township="阚疃镇", village=village,
                           group_name="3组", phone="13800001234", poverty_status=poverty,
                           liaison_officer_id=self.officer_id)
            s.add(hh)
            s.flush()
            return hh.id

    def student(self, name: str, household_id: int | None = None, *, stage="小学", grade=None, enrolment="在校",
                categories=("建档立卡",), level: str | None = None, year=2020, **extra) -> int:
        n = next(self.seq)
        birth = dt.date(2010, 1, 1) + dt.timedelta(days=n)
        body = f"341623{birth:%Y%m%d}{n % 1000:03d}"
        with self.sf.begin() as s:
            st = Student(name=name, household_id=household_id, gender="男", id_number=body + id_check_char(body),
                         birth_date=birth, stage=stage, grade=grade or GRADES[stage], class_name="2班",
                         enrolment=enrolment, **extra)
            s.add(st)
            s.flush()
            for c in categories:
                s.add(StudentCategory(student_id=st.id, category=c))
            if level:
                s.add(DifficultyAssessment(student_id=st.id, school_year=year, level=level))
            return st.id

    def stages(self, text: str) -> None:
        with self.sf.begin() as s:
            s.query(School).update({"stages": text})


@pytest.fixture
def town(sf):
    return Town(sf)
