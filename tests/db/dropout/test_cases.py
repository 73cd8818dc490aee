"""Dropout cases on a real database: opening (students and children from the county's list), every move
allowed or refused through the service, the registry following the case, the audit trail."""
from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from sqlalchemy import select

from db.dropout.dto import CaseForm, CaseQuery, Move, State
from db.errors import LedgerError, ValidationError
from db.models.core import AuditLog
from db.models.dropout import DropoutCase, DropoutTransition
from db.models.exchange import CountyList, CountyListEntry
from tests.db.dropout.conftest import attempt, case_in, make_id, open_case

D = dt.date
ALLOWED = {(State.SUSPECTED, State.DROPPED), (State.SUSPECTED, State.RETURNED), (State.SUSPECTED, State.CLOSED),
           (State.DROPPED, State.PERSUADING), (State.DROPPED, State.CLOSED), (State.PERSUADING, State.RETURNED),
           (State.PERSUADING, State.CLOSED)}


def audit_rows(sf, entity="dropout_case"):
    with sf() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id)))


def test_opening_a_student_case_marks_the_student_dropped_out(svc, reg, school, sf):
    c = open_case(svc, school["张小明"])
    assert (c.state, c.source, c.name, c.stage, c.grade, c.class_name) == (State.SUSPECTED, "本校学生", "张小明", "初中",
                                                                           "七年级", "2班")
    assert c.registered_poor and c.head_name == "张大山" and c.village == "前进村"
    assert c.form.guardian_name == "张大山" and c.form.guardian_phone == "13912345678"    # from the household
    assert c.id_number.startswith("341623") and "*" in c.id_number                        # masked in the dto
    assert reg.get_student(school["张小明"]).enrolment == "辍学"
    [t] = c.transitions
    assert (t.from_state, t.to_state, t.on, t.by) == ("", State.SUSPECTED, D(2020, 9, 20), "李老师")
    [created] = audit_rows(sf)
    assert created.action == "create" and created.actor == "李老师"
    assert make_id("341623", D(2007, 3, 1), 11) not in created.after + created.summary      # no full ID in the log
    [moved] = [a for a in audit_rows(sf, "student") if "在校状态" in a.summary]
    assert json.loads(moved.before)["enrolment"] == "在校" and json.loads(moved.after)["enrolment"] == "辍学"


def test_who_cannot_have_a_case(svc, school):
    with pytest.raises(ValidationError, match="义务教育年龄"):
        open_case(svc, school["王大壮"])
    with pytest.raises(ValidationError, match="毕业"):
        open_case(svc, school["赵毕业"])
    with pytest.raises(ValidationError, match="学生"):
        svc.open_case(CaseForm(state=State.SUSPECTED, opened_on=D(2020, 9, 20), last_at_school=D(2020, 9, 1)))
    with pytest.raises(ValidationError) as e:
        open_case(svc, school["李小红"], last=D(2020, 9, 15), guardian_phone="12345", reason="不想上")
    assert set(e.value.problems) == {"last_at_school", "guardian_phone", "reason"}      # every problem at once


def test_one_open_case_per_child(svc, school):
    c = open_case(svc, school["李小红"])
    with pytest.raises(ValidationError, match="已有未结束的个案"):
        open_case(svc, school["李小红"], opened=D(2020, 10, 1))
    svc.move(c.id, Move(State.RETURNED, D(2020, 10, 8), return_class="三年级2班"))
    again = open_case(svc, school["李小红"], opened=D(2020, 11, 10), last=D(2020, 10, 30))
    assert again.id != c.id and [x.id for x in svc.cases_for_student(school["李小红"])] == [again.id, c.id]


@pytest.mark.parametrize("frm,to", list(itertools.product(State, State)))
def test_every_move_through_the_service(svc, reg, school, sf, frm, to):
    c = case_in(svc, school["张小明"], frm)
    before = len(audit_rows(sf))
    move = Move(to, D(2020, 11, 10), return_class="七年级2班", close_reason="转学", close_school="县城二中",
                close_evidence="在读证明")
    if (frm, to) not in ALLOWED or to == State.PERSUADING and frm == State.DROPPED:
        # 辍学 → 劝返中 is allowed by the rules, but only by recording an attempt (this case has none)
        with pytest.raises(ValidationError):
            svc.move(c.id, move)
        assert svc.get_case(c.id).state == frm
        assert len(audit_rows(sf)) == before                  # nothing written
        return
    after = svc.move(c.id, move)
    assert after.state == to and after.state_since == D(2020, 11, 10)
    assert after.transitions[-1].from_state == frm and after.transitions[-1].to_state == to
    assert audit_rows(sf)[-1].action == "transition" and f"{frm} → {to}" in audit_rows(sf)[-1].summary
    assert reg.get_student(school["张小明"]).enrolment == {State.RETURNED: "在校", State.CLOSED: "转出"}.get(to, "辍学")


def test_the_first_attempt_on_a_dropped_out_case_starts_persuasion(svc, school, sf):
    c = case_in(svc, school["张小明"], State.DROPPED)
    c = attempt(svc, c.id, D(2020, 10, 8), next_step="再次家访", next_date=D(2020, 10, 15))
    assert c.state == State.PERSUADING and c.state_since == D(2020, 10, 8)
    assert [(t.from_state, t.to_state) for t in c.transitions][-1] == (State.DROPPED, State.PERSUADING)
    assert c.attempts[0].seq == 1 and c.attempts[0].people == "刘老师（班主任，138****5678）"
    c = attempt(svc, c.id, D(2020, 10, 15))
    assert c.state == State.PERSUADING and [a.seq for a in c.attempts] == [1, 2]
    assert c.escalation == "应上报乡镇"
    svc.set_escalate_after(3)
    assert svc.get_case(c.id).escalation == ""
    actions = [a.action for a in audit_rows(sf, "dropout_attempt")]
    assert actions == ["create", "create"]


def test_attempts_are_checked(svc, school):
    c = case_in(svc, school["张小明"], State.DROPPED)
    with pytest.raises(ValidationError) as e:
        svc.record_attempt(attempt_form(c.id, on=D(2020, 9, 1), level="省厅", people=[], result="?"))
    assert set(e.value.problems) == {"on", "level", "people", "result"}
    done = case_in(svc, school["李小红"], State.RETURNED)
    with pytest.raises(ValidationError, match="不能再登记劝返"):
        attempt(svc, done.id, D(2020, 10, 1))


def attempt_form(case_id, **kw):
    from db.dropout.dto import AttemptForm, Person
    base = dict(on=D(2020, 10, 8), level="学校", method="家访", people=[Person("刘老师")], result="拒绝返校")
    return AttemptForm(case_id, **{**base, **kw})


def test_close_reasons_move_the_registry(svc, reg, school):
    c = case_in(svc, school["张小明"], State.PERSUADING)
    with pytest.raises(ValidationError) as e:
        svc.move(c.id, Move(State.CLOSED, D(2020, 11, 1), close_reason="在外就读", close_location="月球"))
    assert set(e.value.problems) == {"close_school", "close_evidence", "close_location"}
    svc.move(c.id, Move(State.CLOSED, D(2020, 11, 1), close_reason="在外就读", close_school="昆山市某小学",
                        close_location="省外", close_evidence="在读证明"))
    st = reg.get_student(school["张小明"])
    assert (st.enrolment, st.study_location, st.study_school) == ("在外就读", "省外", "昆山市某小学")
    c = case_in(svc, school["李小红"], State.SUSPECTED)
    svc.move(c.id, Move(State.CLOSED, D(2020, 10, 1), close_reason="送教上门", special_ref="特教档案 2020-07"))
    assert reg.get_student(school["李小红"]).enrolment == "在校"
    assert svc.get_case(c.id).special_ref == "特教档案 2020-07"


def test_follow_up_a_month_after_returning(svc, school):
    c = case_in(svc, school["张小明"], State.RETURNED)
    with pytest.raises(ValidationError):
        svc.record_follow_up(c.id, D(2020, 9, 1), "")
    c = svc.record_follow_up(c.id, D(2020, 10, 26), "按时到校")
    assert (c.follow_up_on, c.follow_up_note) == (D(2020, 10, 26), "按时到校")
    other = case_in(svc, school["李小红"], State.PERSUADING)
    with pytest.raises(ValidationError, match="已复学"):
        svc.record_follow_up(other.id, D(2020, 10, 26), "?")


def test_editing_a_case_keeps_its_child_and_state(svc, school):
    c = open_case(svc, school["李小红"])
    form = c.form
    form.guardian_name, form.guardian_phone = "李奶奶", "0558-8123456"
    form.head_teacher, form.registered_poor = "周老师", True
    form.state = State.RETURNED                                    # ignored: states change only by moves
    c = svc.save_case(form)
    assert (c.form.guardian_name, c.form.guardian_phone, c.form.head_teacher, c.registered_poor, c.state) == (
        "李奶奶", "0558-8123456", "周老师", True, State.SUSPECTED)
    form.last_at_school = D(2020, 12, 1)
    with pytest.raises(ValidationError, match="晚于建档日期"):
        svc.save_case(form)


def test_a_case_opened_by_mistake_can_be_deleted_until_work_starts(svc, reg, school, sf):
    c = open_case(svc, school["李小红"])
    svc.delete_case(c.id)
    assert reg.get_student(school["李小红"]).enrolment == "在校"
    assert audit_rows(sf)[-1].action == "delete" and audit_rows(sf)[-1].before
    c = case_in(svc, school["张小明"], State.PERSUADING)
    with pytest.raises(LedgerError, match="不能删除"):
        svc.delete_case(c.id)


def test_a_child_from_the_county_list_who_is_at_no_school(svc, sf, school):
    child_id = make_id("341623", D(2010, 6, 1), 22)     # even: a girl
    with sf.begin() as s:
        cl = CountyList(kind="建档立卡学龄人口", source_file="推送.xlsx", list_date=D(2020, 9, 1))
        s.add(cl)
        s.flush()
        s.add(CountyListEntry(list_id=cl.id, source_row=3, id_number=child_id, name="孙小花", head_name="孙大",
                              township="阚疃镇", village="王庄村", categories=""))
        s.flush()
        entry_id = s.scalar(select(CountyListEntry.id))
    assert "孙小花" in svc.county_entry_label(entry_id)
    c = svc.open_case(CaseForm(county_entry_id=entry_id, state=State.DROPPED, opened_on=D(2020, 9, 25)))
    assert (c.source, c.name, c.stage, c.gender, c.registered_poor, c.head_name) == ("推送名单", "孙小花", "小学", "女",
                                                                                   True, "孙大")
    with sf() as s:
        row = s.get(DropoutCase, c.id)
        assert row.id_number == child_id and row.student_id is None and row.county_entry_id == entry_id
    with pytest.raises(ValidationError, match="已有未结束的个案"):
        svc.open_case(CaseForm(county_entry_id=entry_id, state=State.DROPPED, opened_on=D(2020, 9, 26)))


def test_the_list_filters_and_masks(svc, school):
    a = case_in(svc, school["张小明"], State.PERSUADING)
    case_in(svc, school["李小红"], State.RETURNED)
    assert [r.id for r in svc.cases()] == [a.id]                                 # open cases by default
    assert len(svc.cases(CaseQuery(state=""))) == 2
    assert [r.name for r in svc.cases(CaseQuery(state="", poor_only=True))] == ["张小明"]
    assert [r.name for r in svc.cases(CaseQuery(state="", text="小红"))] == ["李小红"]
    assert [r.name for r in svc.cases(CaseQuery(state="", stage="小学"))] == ["李小红"]
    row = svc.cases()[0]
    assert "*" in row.id_number and "*" in row.guardian_phone and row.poor == "建档立卡"
    assert svc.cases(CaseQuery(overdue_only=True)) == []                         # nothing late on 2020-11-20 …
    attempt(svc, a.id, D(2020, 11, 1), next_step="再次家访", next_date=D(2020, 11, 10))
    [late] = svc.cases(CaseQuery(overdue_only=True))                             # … until a next step passes
    assert "劝返下一步（逾期 10 天）" in late.overdue


def test_overdue_for_the_home_page(svc, school):
    a = case_in(svc, school["张小明"], State.PERSUADING)
    attempt(svc, a.id, D(2020, 10, 20), next_step="再次家访", next_date=D(2020, 11, 1))
    case_in(svc, school["李小红"], State.RETURNED)                               # returned 2020-09-25, no follow-up
    items = svc.overdue()
    assert [(x.name, x.kind, x.days_late) for x in items] == [
        ("张小明", "应上报", 31), ("李小红", "复学回访", 26), ("张小明", "劝返下一步", 19)]
    assert svc.overdue(D(2020, 10, 1)) == []


def test_transitions_are_the_history_of_every_case(svc, school, sf):
    c = case_in(svc, school["张小明"], State.PERSUADING)
    svc.move(c.id, Move(State.RETURNED, D(2020, 10, 20), return_class="七年级1班"))
    with sf() as s:
        rows = s.scalars(select(DropoutTransition).order_by(DropoutTransition.id))
        steps = [(t.from_state, t.to_state, t.on) for t in rows]
    assert steps == [("", State.SUSPECTED, D(2020, 9, 20)), (State.SUSPECTED, State.DROPPED, D(2020, 10, 5)),
                     (State.DROPPED, State.PERSUADING, D(2020, 10, 6)), (State.PERSUADING, State.RETURNED, D(2020, 10, 20))]


def test_settings(svc):
    assert svc.escalate_after() == 2 and "外出务工" in svc.reasons()
    with pytest.raises(ValidationError):
        svc.set_escalate_after(0)
    svc.set_reasons(["厌学", "其他"])
    assert svc.reasons() == ["厌学", "其他"]
    with pytest.raises(ValidationError):
        svc.set_reasons(["厌学", "厌学"])
