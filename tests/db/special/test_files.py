"""A file per child: a student on the roll, a child from the county's list, or one typed by hand;
the certificate checked against the child; one file per child; the list and its filters."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.errors import LedgerError, ValidationError
from db.models.core import AuditLog
from db.models.exchange import CountyList, CountyListEntry
from db.models.registry import Student
from db.special.dto import AssessmentForm, FileQuery, HomeVisitForm, PlacementForm
from tests.db.special.conftest import HAND_ID, new_child


def test_a_students_file_takes_name_and_id_from_the_roll(svc, student, file_id, sf):
    sid, idn = student
    f = svc.get_file(file_id)
    with sf() as s:
        st = s.get(Student, sid)
    assert (f.student_id, f.name, f.id_number, f.birth_date) == (sid, st.name, idn, st.birth_date)
    assert f.placement == "待安置" and f.card_no == idn + "52" and f.source == f"{st.grade}{st.class_name}"
    f.name, f.id_number = "别的名字", HAND_ID          # ignored: the roll decides
    assert svc.save_file(f).name == st.name


def test_the_certificate_must_fit_the_child_and_says_which_part_does_not(svc, student):
    sid, idn = student
    form = svc.draft_file(f"s:{sid}")
    form.category, form.grade, form.card_no = "肢体", "二级", idn + "53"
    with pytest.raises(ValidationError) as e:
        svc.save_file(form)
    msg = e.value.problems["card_no"]
    assert "第 19 位残疾类别代码为 5（智力），与所填类别“肢体”" in msg and "第 20 位" in msg
    form.card_no = HAND_ID + "42"
    with pytest.raises(ValidationError, match="前 18 位"):
        svc.save_file(form)


def test_every_problem_of_a_hand_typed_child_at_once(svc):
    with pytest.raises(ValidationError) as e:
        svc.save_file(new_child(name="", id_number="341623201305070010", category="", guardian_phone="12",
                                closed_on="2020-10-01"))
    assert set(e.value.problems) == {"name", "id_number", "category", "guardian_phone", "closed_reason"}


def test_one_file_per_child(svc, student, file_id):
    with pytest.raises(ValidationError, match="已有档案"):
        form = svc.draft_file(f"s:{student[0]}")
        form.category = "智力"
        svc.save_file(form)
    svc.save_file(new_child())
    with pytest.raises(ValidationError, match="田小禾已有档案"):
        svc.save_file(new_child(name="田小禾二"))
    assert all(c.id != f"s:{student[0]}" for c in svc.find_children(svc.get_file(file_id).name[:1]))


def test_a_child_from_the_county_list_not_at_school(svc, sf, fctx):
    with fctx.write() as s:
        cl = CountyList(kind="建档立卡学龄人口", source_file="推送.xlsx", list_date=dt.date(2020, 9, 1))
        s.add(cl)
        s.flush()
        s.add(CountyListEntry(list_id=cl.id, source_row=3, id_number=HAND_ID, name="田小禾", head_name="田大山",
                              township="阚疃镇", village="前进村", categories="建档立卡"))
    found = svc.find_children("田小")
    assert [c.label for c in found] == [f"田小禾（{HAND_ID[:6]}********{HAND_ID[-4:]}，前进村，建档立卡学龄人口，未在本校）"]
    form = svc.draft_file(found[0].id)
    assert (form.gender, form.birth_date, form.registered_poor) == ("男", dt.date(2013, 5, 7), True)
    form.category = "多重"
    saved = svc.save_file(form)
    assert saved.source == "县名单：建档立卡学龄人口（2020-09-01）" and saved.county_entry_id
    assert svc.find_children("田小") == []


def test_a_deleted_student_leaves_the_file_with_its_own_copy(svc, student, file_id, sf, services):
    services.registry.delete_student(student[0])
    f = svc.get_file(file_id)
    assert f.student_id is None and f.id_number == student[1] and f.source == "未入学"


def test_list_filters(svc, file_id):
    hand = svc.save_file(new_child()).id
    svc.save_placement(PlacementForm(file_id=hand, placement="送教上门", since="2020-09-01", decided_by="县教育局"))
    svc.save_assessment(AssessmentForm(file_id=file_id, assessed_on="2020-09-01", conclusion="随班就读",
                                       recommended="普通学校随班就读", next_review="2020-12-01"))
    assert {r.id for r in svc.list_files()} == {file_id, hand}
    assert [r.id for r in svc.list_files(FileQuery(category="多重"))] == [hand]
    assert [r.id for r in svc.list_files(FileQuery(placement="送教上门"))] == [hand]
    assert [r.id for r in svc.list_files(FileQuery(review_due=True))] == [file_id]       # due 2020-12-01
    assert [r.id for r in svc.list_files(FileQuery(visit_due=True))] == [hand]           # never visited
    assert [r.id for r in svc.list_files(FileQuery(text=HAND_ID[:10]))] == [hand]
    row = next(r for r in svc.list_files() if r.id == hand)
    assert row.id_number == f"{HAND_ID[:6]}********{HAND_ID[-4:]}" and "送教上门已逾期" in row.alerts
    svc.save_home_visit(HomeVisitForm(file_id=hand, visit_date="2020-11-19", teacher1="张", teacher2="李", content="认知"))
    assert svc.list_files(FileQuery(visit_due=True)) == []


def test_closed_files_leave_the_list_and_the_counts(svc, file_id):
    f = svc.get_file(file_id)
    f.closed_on, f.closed_reason = "2020-11-01", "迁出本地"
    svc.save_file(f)
    assert svc.list_files() == [] and svc.file_counts() == {}
    assert [r.closed for r in svc.list_files(FileQuery(include_closed=True))] == [True]


def test_changes_are_audited_with_numbers_masked(svc, file_id, sf, student):
    f = svc.get_file(file_id)
    f.guardian_phone = "13912345678"
    svc.save_file(f)
    with sf() as s:
        log = list(s.scalars(select(AuditLog).where(AuditLog.entity == "special_file")))
    assert [x.action for x in log] == ["create", "update"] and log[1].actor == "李老师"
    assert student[1] not in log[1].after and "13912345678" not in log[1].after and "139****5678" in log[1].after


def test_a_file_with_attachments_is_closed_not_deleted(svc, file_id):
    from tests.db.special.conftest import jpeg
    svc.add_attachment(file_id, jpeg(100, 100), name="a.jpg", kind="照片")
    with pytest.raises(LedgerError, match="有附件"):
        svc.delete_file(file_id)
    other = svc.save_file(new_child()).id
    svc.delete_file(other)
    assert [r.id for r in svc.list_files()] == [file_id]


def test_visit_settings(svc):
    assert (svc.visit_settings().every_days, svc.visit_settings().minutes) == (7, 60)
    svc.set_visit_settings(14, 90)
    assert (svc.visit_settings().every_days, svc.visit_settings().minutes) == (14, 90)
    with pytest.raises(ValidationError) as e:
        svc.set_visit_settings(0, 5)
    assert set(e.value.problems) == {"every_days", "minutes"}
