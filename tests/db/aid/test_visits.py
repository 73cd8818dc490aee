"""Liaison officers, verification visits, households not visited, the family record."""
import datetime as dt

import pytest

from db.aid.dto import OfficerForm, VisitForm
from db.errors import LedgerError, NotFound, ValidationError

PAY_DAY = dt.date(2020, 9, 20)


def test_officer_crud_and_assignment(svc, make_student, sf):
    o = svc.save_officer(OfficerForm(name=" 张老师 ", phone="139 1234 5678", unit="本校"))
    assert (o.name, o.phone) == ("张老师", "13912345678")
    with pytest.raises(ValidationError) as e:
        svc.save_officer(OfficerForm(name="", phone="123"))
    assert set(e.value.problems) == {"name", "phone"}
    o.unit = "中心校"
    assert svc.save_officer(o).unit == "中心校"
    sid = make_student()
    from db.models.registry import Household, Student
    with sf() as s:
        hid = s.get(Student, sid).household_id
    assert svc.assign_officer([hid], o.id) == 1
    svc.delete_officer(o.id)
    assert svc.officers() == []
    with sf() as s:
        assert s.get(Household, hid).liaison_officer_id is None


def _paid_household(svc, make_student, sf):
    o = svc.save_officer(OfficerForm(name="王老师"))
    a = make_student(stage="初中", residence="寄宿")
    from db.models.registry import Student
    with sf() as s:
        hid = s.get(Student, a).household_id
    b = make_student(stage="小学", residence="走读", household_id=hid)
    svc.assign_officer([hid], o.id)
    svc.plan("2020秋")
    svc.pay("2020秋", PAY_DAY)
    lines = {r.student_id: r for r in svc.lines("2020秋")}
    return o, hid, a, b, lines


def test_a_visit_confirms_payments_and_unknown_stays_blank(svc, make_student, sf):
    o, hid, a, b, lines = _paid_household(svc, make_student, sf)
    groups = svc.households_not_visited("2020秋")
    assert [(g.officer, [h.id for h in g.households]) for g in groups] == [("王老师", [hid])]
    assert groups[0].households[0].paid_fen == 62500 + 25000
    v = svc.save_visit(VisitForm(household_id=hid, visit_date=dt.date(2020, 10, 8), purpose="走访核实",
                                 told="告知本学期寄宿生生活补助 625 元", received={lines[a].id: "是", lines[b].id: None}),
                       today=dt.date(2020, 10, 9))
    assert v.term == "2020年秋季学期" and v.statement_filed is None and v.officer == "王老师"
    assert dict(v.received) == {lines[a].id: "是", lines[b].id: None}
    status = {r.student_id: r.status for r in svc.lines("2020秋")}
    assert status == {a: "已核实", b: "已发放"}
    assert svc.households_not_visited("2020秋") == []


def test_a_payment_not_received_asks_for_follow_up(svc, make_student, sf):
    o, hid, a, b, lines = _paid_household(svc, make_student, sf)
    v = svc.save_visit(VisitForm(household_id=hid, visit_date=dt.date(2020, 10, 8), statement_filed=False,
                                 received={lines[a].id: "否"}), today=dt.date(2020, 10, 9))
    assert v.follow_up is True and v.statement_filed is False
    assert {r.student_id: r.status for r in svc.lines("2020秋")}[a] == "已发放"


def test_visit_validation(svc, make_student, sf):
    o, hid, a, b, lines = _paid_household(svc, make_student, sf)
    other = make_student()
    with pytest.raises(ValidationError) as e:
        svc.save_visit(VisitForm(household_id=None, visit_date=None, purpose="闲聊"))
    assert set(e.value.problems) == {"household_id", "visit_date", "purpose"}
    with pytest.raises(ValidationError):
        svc.save_visit(VisitForm(household_id=hid, visit_date=dt.date(2030, 1, 1)), today=dt.date(2020, 10, 1))
    svc.plan("2020秋")
    other_line = next(r for r in svc.lines("2020秋") if r.student_id == other)
    with pytest.raises(ValidationError) as e:     # a line of another family
        svc.save_visit(VisitForm(household_id=hid, visit_date=dt.date(2020, 10, 1),
                                 received={other_line.id: "是"}), today=dt.date(2020, 10, 2))
    assert "不属于该家庭" in e.value.problems["received"]
    with pytest.raises(ValidationError):
        svc.save_visit(VisitForm(household_id=hid, visit_date=dt.date(2020, 10, 1),
                                 received={lines[a].id: "也许"}), today=dt.date(2020, 10, 2))


def test_family_record_on_one_page(svc, make_student, sf):
    o, hid, a, b, lines = _paid_household(svc, make_student, sf)
    svc.save_visit(VisitForm(household_id=hid, visit_date=dt.date(2020, 10, 8), received={lines[a].id: "是"}),
                   today=dt.date(2020, 10, 9))
    rec = svc.family_record(a, today=dt.date(2020, 11, 1))
    assert rec.child.id == a and [c.id for c in rec.siblings] == [b]
    assert "*" in rec.child.id_number and rec.child.categories == ["建档立卡"]
    assert rec.officer == "王老师" and rec.head_name.startswith("户主")
    assert {(p.student, p.status) for p in rec.payments} == {(rec.child.name, "已核实"), (rec.siblings[0].name, "已发放")}
    assert rec.paid_total_fen == 62500 + 25000
    assert {e.programme for e in rec.entitlements["2020年秋季学期"]} == {"寄宿生生活补助"}   # no meals: not a pilot
    assert len(rec.visits) == 1 and rec.visits[0].received == [(lines[a].id, "是")]
    by_name = svc.family_record(rec.child.name)
    assert by_name.child.id == a
    from db.models.registry import Student
    with sf() as s:
        idn = s.get(Student, b).id_number
    assert svc.family_record(idn).child.id == b
    with pytest.raises(NotFound):
        svc.family_record("没有这个人")
    with pytest.raises(LedgerError):
        svc.family_record("学生")          # matches several children


def test_editing_a_visit_can_take_back_a_confirmation(svc, make_student, sf):
    o, hid, a, b, lines = _paid_household(svc, make_student, sf)
    form = VisitForm(household_id=hid, visit_date=dt.date(2020, 10, 8), received={lines[a].id: "是"})
    v = svc.save_visit(form, today=dt.date(2020, 10, 9))
    assert {r.student_id: r.status for r in svc.lines("2020秋")}[a] == "已核实"
    form.id, form.received = v.id, {lines[a].id: None}
    svc.save_visit(form, today=dt.date(2020, 10, 9))
    assert {r.student_id: r.status for r in svc.lines("2020秋")}[a] == "已发放"
    assert len(svc.visits(hid)) == 1
