"""Letters to out-of-province schools on a real database: who needs one, numbering per year, the
content fixed once sent, tracking (sent, reply due, reply, phone calls), what is late, masking."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from db.clock import FixedClock
from db.errors import LedgerError, ValidationError
from db.letters import rules
from db.letters.dto import LetterQuery, ReplyForm, SendForm
from db.letters.service import LettersService
from db.models.core import AuditLog
from db.models.letters import Letter
from tests.db.dropout.conftest import make_id

D = dt.date


def letter_for(svc, student_id, day=None, **kw):
    form = svc.new_form(student_id)
    form.letter_date = day or D(2020, 10, 9)
    for k, v in kw.items():
        setattr(form, k, v)
    return svc.save_letter(form)


def test_who_needs_a_letter(svc, kids):
    assert [d.name for d in svc.due()] == ["王小芳", "张小明"]            # 建档立卡 and 省外 only
    x = letter_for(svc, kids["张小明"])
    assert [d.name for d in svc.due()] == ["王小芳"]
    svc.send(SendForm(x.id, "当面送达", D(2020, 10, 10)))
    svc.reply(ReplyForm(x.id, D(2020, 10, 20), "不在该校", "学生已转走"))
    [due] = [d for d in svc.due() if d.name == "张小明"]                  # back on the list, to the right school
    assert due.last_letter == f"{x.number}（不在该校）" and "*" in due.id_number
    assert rules.OUT_OF_PROVINCE == "省外"


def test_a_new_letter_is_filled_from_the_registry(svc, kids):
    form = svc.new_form(kids["张小明"])
    assert (form.child_name, form.child_stage, form.child_grade, form.head_name) == ("张小明", "小学", "五年级", "张大山")
    assert form.child_id_number == make_id("341623", D(2009, 1, 1), 30)     # in full: official correspondence
    assert (form.address, form.poverty_status, form.poverty_exit_year) == ("阚疃镇 前进村 3组", "脱贫户", 2019)
    assert form.to_school == "昆山市玉山镇第一中心小学" and "阚疃镇中心学校" in form.request
    assert form.term == "2020秋" and form.letter_date == D(2020, 11, 20)


def test_numbers_run_per_year_with_the_prefix_setting(ctx, svc, kids):
    a = letter_for(svc, kids["张小明"], D(2020, 3, 1))
    b = letter_for(svc, kids["王小芳"], D(2020, 10, 9), to_school="宁波市某小学")
    svc.set_prefix("利教资函")
    c = letter_for(svc, kids["赵小军"], D(2020, 11, 1))
    assert [a.number, b.number, c.number] == ["校资函〔2020〕1号", "校资函〔2020〕2号", "利教资函〔2020〕3号"]
    ctx.clock = FixedClock(dt.datetime(2021, 3, 1, 2), D(2021, 3, 1))
    d = letter_for(LettersService(ctx), kids["张小明"], D(2021, 3, 1))
    assert d.number == "利教资函〔2021〕1号"
    with pytest.raises(ValidationError):
        svc.set_prefix("校资函〔")


def test_content_is_checked_and_fixed_once_sent(svc, kids):
    with pytest.raises(ValidationError) as e:
        letter_for(svc, kids["王小芳"], D(2020, 12, 1), to_phone="123", child_id_number="341623200901011234")
    assert set(e.value.problems) == {"to_school", "letter_date", "to_phone", "child_id_number"}
    x = letter_for(svc, kids["张小明"])
    form = x.form
    form.child_grade = "六年级"
    assert svc.save_letter(form).form.child_grade == "六年级"              # editable until sent
    form.letter_date = D(2019, 12, 30)
    with pytest.raises(ValidationError, match="另一年"):
        svc.save_letter(form)
    form.letter_date = D(2020, 10, 9)
    svc.send(SendForm(x.id, "邮寄", D(2020, 10, 10), "1180123456789"))
    with pytest.raises(LedgerError, match="已发出"):
        svc.save_letter(form)


def test_sending_replies_and_calls(ctx, svc, kids, sf):
    x = letter_for(svc, kids["张小明"])
    with pytest.raises(ValidationError) as e:
        svc.send(SendForm(x.id, "邮寄", D(2020, 10, 8)))
    assert set(e.value.problems) == {"tracking_no", "sent_on"}
    with pytest.raises(ValidationError, match="请先登记函件的发出"):
        svc.reply(ReplyForm(x.id, D(2020, 10, 20), "已落实"))
    with pytest.raises(ValidationError):
        svc.call(x.id, D(2020, 10, 20), "打电话")
    x = svc.send(SendForm(x.id, "邮寄", D(2020, 10, 10), "1180123456789"))
    assert (x.status, x.reply_due) == ("逾期未复", D(2020, 11, 9))           # 30 days; today is 2020-11-20
    x = svc.call(x.id, D(2020, 11, 12), "王老师说已转资助办")
    assert [c.note for c in x.calls] == ["王老师说已转资助办"] and x.calls[0].by == "李老师"
    [late] = svc.overdue()
    assert (late.number, late.days_late, late.calls) == (x.number, "11", 1)
    x = svc.reply(ReplyForm(x.id, D(2020, 11, 18), "已落实", "回执已收到", "家庭经济困难学生生活补助", "2020秋", "625.5",
                            "王老师", "0512-57771234"))
    assert (x.status, x.reply_amount_fen, x.reply_phone) == ("已落实", 62550, "051******1234")
    assert svc.overdue() == []
    with sf() as s:
        log = [a.summary for a in s.scalars(select(AuditLog).where(AuditLog.entity.in_(("letter", "letter_call")))
                                            .order_by(AuditLog.id))]
        assert len(log) == 4 and "已邮寄发出" in log[1] and "已落实" in log[3]
        assert all(make_id("341623", D(2009, 1, 1), 30) not in a.after
                   for a in s.scalars(select(AuditLog).where(AuditLog.entity == "letter")))


def test_reply_days_is_a_setting(svc, kids):
    svc.set_reply_days(45)
    x = letter_for(svc, kids["张小明"])
    x = svc.send(SendForm(x.id, "电子邮件", D(2020, 10, 10)))
    assert x.reply_due == D(2020, 11, 24) and x.status == "待回复"
    y = letter_for(svc, kids["王小芳"], to_school="宁波市某中学")
    assert svc.send(SendForm(y.id, "传真", D(2020, 10, 10), reply_due=D(2020, 10, 20))).reply_due == D(2020, 10, 20)
    with pytest.raises(ValidationError):
        svc.set_reply_days(0)


def test_make_for_every_student_who_needs_one(svc, kids):
    r = svc.make_for_due(D(2020, 11, 2))
    assert [x.form.child_name for x in r.made] == ["张小明"]
    assert r.skipped == [("王小芳", "学生信息中没有填写就读学校，请逐个新建函件")]
    assert svc.make_for_due().made == []                                  # nobody needs a second one


def test_void_and_the_list(svc, kids):
    a = letter_for(svc, kids["张小明"])
    b = letter_for(svc, kids["王小芳"], to_school="宁波市某中学")
    svc.void_letter(b.id, "学校名称写错")
    with pytest.raises(LedgerError, match="已作废"):
        svc.void_letter(b.id, "again")
    rows = svc.letters()
    assert [(r.number, r.status) for r in rows] == [(b.number, "已作废"), (a.number, "待发出")]
    assert all("*" in r.child_id_number for r in rows)
    assert [r.id for r in svc.letters(LetterQuery(status="待发出"))] == [a.id]
    assert [r.id for r in svc.letters(LetterQuery(text="宁波"))] == [b.id]
    assert [x.number for x in svc.letters_for_student(kids["张小明"])] == [a.number]
    assert "王小芳" in [d.name for d in svc.due()]                          # a void letter does not count


def test_policies_come_from_the_aid_standards(svc):
    lines = svc.policies("小学", "2020秋")
    assert "寄宿生生活补助（寄宿生）：1000 元/年" in lines and "非寄宿生生活补助（非寄宿生）：500 元/年" in lines
    assert any("1250" in x for x in svc.policies("小学", "2024秋"))
    senior = svc.policies("普通高中", "2020秋")
    assert any("最高档" in x for x in senior) and any("免" in x for x in senior)


def test_status_rules():
    f = rules.LetterFacts
    assert rules.status(f(False, D(2020, 10, 1), None, None, ""), D(2020, 11, 1)) == "待发出"
    assert rules.status(f(False, D(2020, 10, 1), D(2020, 10, 2), D(2020, 11, 1), ""), D(2020, 11, 1)) == "待回复"
    assert rules.status(f(False, D(2020, 10, 1), D(2020, 10, 2), D(2020, 11, 1), ""), D(2020, 11, 2)) == "逾期未复"
    assert rules.status(f(False, D(2020, 10, 1), D(2020, 10, 2), D(2020, 11, 1), "无回复"), D(2020, 12, 2)) == "无回复"
    assert rules.status(f(True, D(2020, 10, 1), D(2020, 10, 2), None, "已落实"), D(2020, 12, 2)) == "已作废"
    assert rules.needs_letter([]) and not rules.needs_letter([f(False, D(2020, 10, 1), None, None, "未落实")])
    assert rules.needs_letter([f(True, D(2020, 10, 1), None, None, ""), f(False, D(2020, 10, 1), None, None, "不在该校")])


def test_the_letter_row_in_the_database_keeps_the_full_id(svc, kids, sf):
    x = letter_for(svc, kids["张小明"])
    with sf() as s:
        row = s.get(Letter, x.id)
        assert row.child_id_number == make_id("341623", D(2009, 1, 1), 30)
        audit = s.scalar(select(AuditLog).where(AuditLog.entity == "letter"))
        assert json.loads(audit.after)["child_id_number"].count("*") == 8
