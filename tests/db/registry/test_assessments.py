"""认定 history: one record per student and school year, complete as the national template wants it;
the list of students still 未认定 / 认定信息不全; the student's level mirrors the latest year."""
import datetime as dt

import pytest
from sqlalchemy import select

from db.errors import ValidationError
from db.models.core import AuditLog
from db.models.registry import Student, StudentCategory
from db.registry.dto import AssessmentForm
from db.registry.service import RegistryService


def student(sf, name, cats=(), enrolment="在校"):
    with sf.begin() as s:
        st = Student(name=name, stage="初中", grade="八年级", class_name="1班", enrolment=enrolment)
        s.add(st)
        s.flush()
        s.add_all([StudentCategory(student_id=st.id, category=c) for c in cats])
        return st.id


def test_history_per_school_year_and_the_latest_level_shows(sctx, sf):
    reg = RegistryService(sctx)
    sid = student(sf, "张三", ("其他困难",))
    reg.save_assessment(AssessmentForm(student_id=sid, school_year=2019, level="困难",
                                       assessed_on=dt.date(2019, 9, 12), reason="父亲重病"))
    a = reg.save_assessment(AssessmentForm(student_id=sid, school_year=2020, level="特别困难",
                                           assessed_on=dt.date(2020, 9, 10), reason="家庭突发变故"))
    assert a.assessed_by == "李老师" and a.source == "手工录入" and a.missing == ""
    assert [(x.school_year, x.level) for x in reg.assessments(sid)] == [(2020, "特别困难"), (2019, "困难")]
    assert reg.get_student(sid).difficulty_level == "特别困难"
    with pytest.raises(ValidationError, match="2020学年已有认定记录"):
        reg.save_assessment(AssessmentForm(student_id=sid, school_year=2020, level="困难",
                                           assessed_on=dt.date(2020, 9, 10), reason="x"))
    reg.delete_assessment(a.id)
    assert reg.get_student(sid).difficulty_level == "困难"
    with sf() as s:
        assert s.scalars(select(AuditLog.entity).where(AuditLog.entity == "difficulty_assessment")).all()


def test_level_date_and_reason_are_mandatory(sctx, sf):
    reg = RegistryService(sctx)
    sid = student(sf, "李四")
    with pytest.raises(ValidationError) as e:
        reg.save_assessment(AssessmentForm(student_id=sid, school_year=2020, level="很穷", reason=" "))
    assert set(e.value.problems) == {"level", "assessed_on", "reason"}
    assert reg.assessments(sid) == []


def test_the_list_of_students_to_assess(sctx, sf):
    reg = RegistryService(sctx)
    unassessed = student(sf, "王五", ("残疾人子女",))
    presumed = student(sf, "赵六", ("农村低保",))
    poor = student(sf, "钱七", ("建档立卡",))                 # counts as 特别困难 without one
    done = student(sf, "孙八", ("农村低保",))
    imported = student(sf, "周九", ("孤儿",))
    left = student(sf, "吴十", ("孤儿",), enrolment="转出")
    plain = student(sf, "郑一")
    reg.save_assessment(AssessmentForm(student_id=done, school_year=2020, level="困难",
                                       assessed_on=dt.date(2020, 9, 10), reason="低保户"))
    from db.registry.assessments import record_levels
    with sf.begin() as s:
        record_levels(s, {imported: "特别困难"}, 2020, "名单导入")
    gaps = {g.student_id: g for g in reg.assessment_gaps(2020)}
    assert set(gaps) == {unassessed, presumed, imported}
    assert gaps[presumed].state == "认定信息不全" and "农村低保" in gaps[presumed].detail
    assert gaps[unassessed].state == "未认定"
    assert gaps[imported].state == "认定记录不完整" and "缺认定时间、认定原因" in gaps[imported].detail
    assert [g.student_id for g in reg.assessment_gaps(2020)][0] == presumed      # 认定信息不全 first
    assert {poor, done, left, plain}.isdisjoint(gaps)
    assert reg.get_student(imported).difficulty_level == "特别困难"


def test_new_registry_fields_round_trip(sctx, sf):
    reg = RegistryService(sctx)
    from db.registry.dto import HouseholdForm, StudentForm
    hh = reg.save_household(HouseholdForm(head_name="张大山", helper_cadre="刘干部", monitored_type="边缘易致贫户"))
    assert (hh.helper_cadre, hh.monitored_type, hh.liaison_officer_id) == ("刘干部", "边缘易致贫户", None)
    f = StudentForm(name="张小明", student_no="L201005030001234567", stage="中职", grade="中职一年级", hukou="农业",
                    major="现代农艺技术", agri_major=True, enrolment="在外就读", study_location="市内县外",
                    difficulty_level="特别困难")
    saved = reg.save_student(f)
    assert (saved.hukou, saved.major, saved.agri_major, saved.study_location) == ("农业", "现代农艺技术", True, "市内县外")
    assert saved.difficulty_level == ""              # not the form's to set: it mirrors the 认定 history
    with pytest.raises(ValidationError) as e:
        reg.save_student(StudentForm(name="李", student_no="L201005030001234568", stage="小学", hukou="城里", major="农学"))
    assert {"hukou", "major"} <= set(e.value.problems)
    with pytest.raises(ValidationError) as e:
        reg.save_household(HouseholdForm(head_name="王", poverty_status="脱贫户", poverty_exit_year=2013))
    assert "2014" in e.value.problems["poverty_exit_year"]
