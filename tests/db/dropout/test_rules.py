"""The dropout rules without a database: every move between the five states allowed or refused, the
thresholds of days and ages, the evidence each 销号 reason needs, escalation and what is late."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from db.dropout import rules
from db.dropout.dto import CLOSE_REASONS, Move, State
from db.dropout.rules import CaseClock, CaseFacts

D = dt.date
TODAY = D(2020, 11, 20)
S, DR, P, R, C = State.SUSPECTED, State.DROPPED, State.PERSUADING, State.RETURNED, State.CLOSED
# written out here, not read from rules.ALLOWED: the states and moves
EXPECTED = {(S, DR), (S, R), (S, C), (DR, P), (DR, C), (P, R), (P, C)}


def facts(state, **kw) -> CaseFacts:
    base = dict(opened_on=D(2020, 9, 10), state_since=D(2020, 9, 10), last_at_school=D(2020, 9, 1), attempts=1,
                birth_date=D(2008, 5, 1))
    return CaseFacts(state, **{**base, **kw})


def complete(to) -> Move:
    """A move with everything any target could ask for (死亡 needs only its evidence)."""
    return Move(to, D(2020, 10, 20), return_class="七年级1班", close_reason="死亡", close_evidence="死亡证明")


@pytest.mark.parametrize("frm,to", list(itertools.product(State, State)))
def test_every_move_is_allowed_or_refused(frm, to):
    problems = rules.check_move(facts(frm), complete(to), TODAY)
    if (frm, to) in EXPECTED:
        assert problems == {}
        assert to in rules.allowed_moves(frm)
    else:
        assert set(problems) == {"to"} and problems["to"]
        assert to not in rules.allowed_moves(frm)


def test_refusals_say_why_in_chinese():
    assert "须先登记劝返" in rules.check_move(facts(DR), complete(R), TODAY)["to"]
    assert "新建个案" in rules.check_move(facts(R), complete(S), TODAY)["to"]
    assert "新建个案" in rules.check_move(facts(C), complete(DR), TODAY)["to"]
    assert "已是" in rules.check_move(facts(P), complete(P), TODAY)["to"]
    assert "劝返中" in rules.check_move(facts(S), complete(P), TODAY)["to"]
    assert "未知状态" in rules.check_move(facts(S), complete("失踪"), TODAY)["to"]


def test_persuading_needs_an_attempt_and_dropped_needs_more_than_30_days():
    assert "劝返" in rules.check_move(facts(DR, attempts=0), complete(P), TODAY)["to"]
    last = D(2020, 9, 1)
    assert "30" in rules.check_move(facts(S, last_at_school=last), Move(DR, last + dt.timedelta(days=30)), TODAY)["to"]
    assert rules.check_move(facts(S, last_at_school=last), Move(DR, last + dt.timedelta(days=31)), TODAY) == {}
    # no last day: the days typed at opening count, plus the days since
    f = facts(S, last_at_school=None, absent_days=10, opened_on=D(2020, 9, 10))
    assert rules.check_move(f, Move(DR, D(2020, 9, 30)), TODAY)          # 10 + 20 = 30: not yet
    assert rules.check_move(f, Move(DR, D(2020, 10, 1)), TODAY) == {}
    assert "最后到校日期" in rules.check_move(facts(S, last_at_school=None), Move(DR, D(2020, 11, 1)), TODAY)["to"]


def test_a_move_is_dated_between_the_last_change_and_today():
    f = facts(P, state_since=D(2020, 10, 1))
    assert "早于" in rules.check_move(f, Move(R, D(2020, 9, 30), return_class="七年级1班"), TODAY)["on"]
    assert "晚于今天" in rules.check_move(f, Move(R, TODAY + dt.timedelta(days=1), return_class="七年级1班"),
                                        TODAY)["on"]
    assert rules.check_move(f, Move(R, TODAY, return_class="七年级1班"), TODAY) == {}
    assert "年级班级" in rules.check_move(f, Move(R, TODAY, return_class=" "), TODAY)["return_class"]


NEEDS = {"转学": {"close_school", "close_evidence"}, "在外就读": {"close_school", "close_location", "close_evidence"},
         "送教上门": {"special_ref"}, "特教学校": {"close_school", "special_ref"},
         "延缓入学": {"close_evidence", "approved_by", "approved_on"},
         "休学": {"close_evidence", "approved_by", "approved_on"},
         "免于学习": {"close_evidence", "approved_by", "approved_on"}, "超龄": set(), "死亡": {"close_evidence"},
         "出国": {"close_evidence"}}


@pytest.mark.parametrize("reason", CLOSE_REASONS)
def test_each_close_reason_asks_for_its_evidence(reason):
    f = facts(P, birth_date=D(2003, 1, 1))                   # 17: old enough for 超龄
    bare = rules.check_move(f, Move(C, D(2020, 10, 20), close_reason=reason), TODAY)
    assert set(bare) == NEEDS[reason]
    assert all(reason in msg for msg in bare.values())
    full = Move(C, D(2020, 10, 20), close_reason=reason, close_school="某校", close_location="省外",
                close_evidence="证明材料", approved_by="县教育局", approved_on=D(2020, 10, 18), special_ref="特教-3")
    assert rules.check_move(f, full, TODAY) == {}


def test_close_needs_a_known_reason_and_over_age_needs_16():
    assert "销号原因" in rules.check_move(facts(P), Move(C, D(2020, 10, 20)), TODAY)["close_reason"]
    young = facts(P, birth_date=D(2004, 10, 21))            # 15 on 2020-10-20, 16 the next day
    assert "未满 16" in rules.check_move(young, Move(C, D(2020, 10, 20), close_reason="超龄"), TODAY)["close_reason"]
    assert rules.check_move(young, Move(C, D(2020, 10, 21), close_reason="超龄"), TODAY) == {}
    assert "出生日期" in rules.check_move(facts(P, birth_date=None), Move(C, D(2020, 10, 21), close_reason="超龄"),
                                       TODAY)["close_reason"]
    late = Move(C, D(2020, 10, 20), close_reason="休学", close_evidence="申请", approved_by="镇政府",
                approved_on=TODAY + dt.timedelta(days=1))
    assert "approved_on" in rules.check_move(facts(P), late, TODAY)


def test_opening_thresholds():
    def opening(state, last=None, days=None, county=False, opened=None):
        opened = opened or D(2020, 10, 1)
        return rules.check_opening(state=state, opened_on=opened, today=TODAY, last_at_school=last, absent_days=days,
                                   from_county_list=county)
    assert "last_at_school" in opening(S, last=D(2020, 9, 24))               # 7 days: not yet
    assert opening(S, last=D(2020, 9, 23)) == {}                              # 8 days
    assert "absent_days" in opening(DR, days=30)
    assert opening(DR, days=31) == {}
    assert "last_at_school" in opening(S)                                     # nothing known
    assert opening(DR, county=True) == {}                                     # never came: 失学
    assert "last_at_school" in opening(S, county=True)
    assert "state" in opening(P, last=D(2020, 8, 1))
    assert "opened_on" in opening(S, last=D(2020, 8, 1), opened=TODAY + dt.timedelta(days=1))
    assert "last_at_school" in opening(S, last=D(2020, 10, 2))


def test_who_can_have_a_case():
    on = D(2020, 10, 1)
    def who(enrolment, stage, birth):
        return rules.check_who(is_student=True, enrolment=enrolment, stage=stage, birth=birth, on=on)
    assert "毕业" in who("毕业", "初中", D(2006, 1, 1))["student_id"]
    assert "转出" in who("转出", "小学", D(2012, 1, 1))["student_id"]
    # a 16-year-old still in 初中 may; a 17-year-old in 中职 may not
    assert rules.check_who(is_student=True, enrolment="在校", stage="初中", birth=D(2004, 1, 1), on=on) == {}
    assert "义务教育年龄" in rules.check_who(is_student=True, enrolment="在校", stage="中职", birth=D(2003, 1, 1),
                                       on=on)["student_id"]
    # a child on the county's list: 6 to 15 on 31 August
    assert rules.check_who(is_student=False, enrolment="", stage="", birth=D(2014, 8, 31), on=on) == {}
    assert "5 周岁" in rules.check_who(is_student=False, enrolment="", stage="", birth=D(2014, 9, 1),
                                      on=on)["county_entry_id"]
    assert rules.check_who(is_student=False, enrolment="", stage="", birth=D(2004, 9, 1), on=on) == {}
    assert "16 周岁" in rules.check_who(is_student=False, enrolment="", stage="", birth=D(2004, 8, 31),
                                       on=on)["county_entry_id"]
    assert rules.school_year_cutoff(D(2021, 3, 1)) == D(2020, 8, 31)
    assert rules.stage_for_age(11) == "小学" and rules.stage_for_age(12) == "初中"


def test_the_registry_follows_the_case():
    for state in (S, DR, P):
        assert rules.enrolment_after(state) == "辍学"
    assert rules.enrolment_after(R) == "在校"
    expected = {"转学": "转出", "在外就读": "在外就读", "送教上门": "在校", "特教学校": "转出", "延缓入学": "休学",
                "休学": "休学", "免于学习": "休学", "超龄": "转出", "死亡": "转出", "出国": "转出"}
    assert {r: rules.enrolment_after(C, r) for r in CLOSE_REASONS} == expected


@pytest.mark.parametrize("attempts,state,want", [
    ([], DR, ""),
    ([("学校", "拒绝返校")], P, ""),
    ([("学校", "拒绝返校"), ("学校", "犹豫观望")], P, rules.ESCALATE_TOWNSHIP),
    ([("学校", "拒绝返校"), ("学校", "同意返校")], P, ""),                    # the last one worked
    ([("学校", "拒绝返校"), ("学校", "拒绝返校"), ("乡镇政府", "拒绝返校")], P, ""),
    ([("学校", "拒绝返校")] * 2 + [("乡镇政府", "拒绝返校")] * 2, P, rules.ESCALATE_COUNTY),
    ([("学校", "拒绝返校")] * 2 + [("乡镇政府", "拒绝返校")] * 2 + [("县教育局", "拒绝返校")], P, ""),
    ([("学校", "拒绝返校")] * 3, S, ""),                                    # only dropped-out cases escalate
    ([("学校", "拒绝返校")] * 3, R, ""),
])
def test_escalation(attempts, state, want):
    assert rules.escalation(attempts, 2, state) == want


def test_escalation_threshold_is_a_setting():
    two = [("学校", "拒绝返校")] * 2
    assert rules.escalation(two, 3, P) == ""
    assert rules.escalation(two + [("学校", "未见到学生或家长")], 3, P) == rules.ESCALATE_TOWNSHIP


def clock(state, **kw) -> CaseClock:
    base = dict(opened_on=D(2020, 9, 10), last_at_school=D(2020, 9, 1), absent_days=None, returned_on=None,
                follow_up_on=None, next_step="", next_date=None, escalation="", last_attempt_on=None)
    return CaseClock(state, **{**base, **kw})


def test_late_steps():
    assert rules.late_steps(clock(P, next_date=D(2020, 11, 19), next_step="再次家访"), TODAY) == [
        ("劝返下一步", D(2020, 11, 19), "再次家访")]
    assert rules.late_steps(clock(P, next_date=TODAY), TODAY) == []                    # due today: not late yet
    assert rules.late_steps(clock(C, next_date=D(2020, 10, 1)), TODAY) == []            # a closed case asks nothing
    [(kind, due, _t)] = rules.late_steps(clock(S, last_at_school=D(2020, 10, 10)), TODAY)
    assert kind == "应认定辍学" and due == D(2020, 11, 10)                             # day 31 of absence
    assert rules.late_steps(clock(S, last_at_school=D(2020, 10, 21)), TODAY) == []     # 30 days
    assert rules.late_steps(clock(R, returned_on=D(2020, 10, 19)), TODAY)[0][:2] == ("复学回访", D(2020, 11, 19))
    assert rules.late_steps(clock(R, returned_on=D(2020, 10, 20)), TODAY) == []
    assert rules.late_steps(clock(R, returned_on=D(2020, 9, 1), follow_up_on=D(2020, 10, 5)), TODAY) == []
    assert rules.late_steps(clock(P, escalation="应上报乡镇", last_attempt_on=D(2020, 11, 1)), TODAY)[0][0] == "应上报"


def test_month_of_a_case_from_its_transitions():
    steps = [(S, D(2020, 9, 20)), (DR, D(2020, 10, 12)), (P, D(2020, 10, 13)), (R, D(2020, 11, 2))]
    assert rules.month_changes(steps, D(2020, 9, 20), D(2020, 9, 1)) == (S, {"new"})
    assert rules.month_changes(steps, D(2020, 9, 20), D(2020, 10, 1)) == (P, set())
    assert rules.month_changes(steps, D(2020, 9, 20), D(2020, 11, 1)) == (R, {"returned"})
    assert rules.month_changes(steps, D(2020, 9, 20), D(2020, 8, 1)) == (None, set())
    assert rules.add_months(D(2020, 1, 31), 1) == D(2020, 2, 29)
