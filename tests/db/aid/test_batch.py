"""The term batch: plan and refresh, adjustments, pay, void and re-issue, deadlines."""
import datetime as dt

import pytest
from sqlalchemy import select

from db.aid.dto import LineQuery
from db.errors import LedgerError, NotFound, ValidationError
from db.models.aid import Disbursement

PAY_DAY = dt.date(2020, 9, 20)


def line_of(svc, term, sid, programme):
    return next(r for r in svc.lines(term, limit=10_000)
                if r.student_id == sid and r.programme == programme and r.status != "已作废")


def test_plan_creates_lines_with_the_standard_version_and_total(svc, make_student, sf):
    a = make_student(stage="初中", residence="寄宿")
    b = make_student(stage="小学", residence="走读", categories=("农村低保",))
    r = svc.plan("2020秋")
    assert (r.added, r.lines, r.total_fen) == (2, 2, 62500 + 25000)
    assert svc.batch_total("2020秋") == 87500
    with sf() as s:
        d = s.scalar(select(Disbursement).where(Disbursement.student_id == a))
        assert d.standard_id and d.standard_version == 1 and d.computed_fen == d.amount_fen == 62500
    assert {x.student_id for x in svc.lines("2020秋")} == {a, b}


def test_a_standard_change_never_rewrites_paid_lines(svc, make_student, sf):
    paid = make_student(stage="初中", residence="寄宿")
    svc.plan("2020秋")
    svc.pay("2020秋", PAY_DAY)
    pending = make_student(stage="初中", residence="寄宿")
    svc.plan("2020秋")
    std = next(x for x in svc.list_standards() if x.programme == "寄宿生生活补助" and x.stage == "初中"
               and x.from_term == "2011秋")
    std.yearly_fen = 130000
    saved = svc.save_standard(std)
    assert saved.version == 2 and saved.is_default is False
    r = svc.plan("2020秋")
    assert r.updated == 1 and r.kept == 1
    assert line_of(svc, "2020秋", paid, "寄宿生生活补助").amount_fen == 62500
    assert line_of(svc, "2020秋", pending, "寄宿生生活补助").amount_fen == 65000
    with sf() as s:
        versions = dict(s.execute(select(Disbursement.student_id, Disbursement.standard_version)).all())
    assert versions == {paid: 1, pending: 2}


def test_refresh_keeps_manual_adjustments_and_drops_students_who_left(svc, make_student, sf):
    a = make_student(stage="初中", residence="寄宿")
    b = make_student(stage="初中", residence="走读")
    gone = make_student(stage="小学", residence="走读")
    svc.plan("2020秋")
    line = line_of(svc, "2020秋", a, "寄宿生生活补助")
    adj = svc.adjust(line.id, "600.5", "按实际在校月数核减")
    assert adj.amount_fen == 60050 and adj.adjusted and adj.computed_fen == 62500
    from db.models.registry import Student
    with sf.begin() as s:
        s.get(Student, gone).enrolment = "转出"
    r = svc.plan("2020秋")
    assert (r.removed, r.kept, r.added) == (1, 1, 0)
    assert line_of(svc, "2020秋", a, "寄宿生生活补助").amount_fen == 60050
    assert {x.student_id for x in svc.lines("2020秋")} == {a, b}
    hist = svc.line_history(line.id)
    assert [(h.old_fen, h.new_fen, h.reason, h.by) for h in hist] == [(62500, 60050, "按实际在校月数核减", "李老师")]
    assert svc.batch_total("2020秋") == 60050 + 31250
    assert [x.id for x in svc.lines("2020秋", LineQuery(only_adjusted=True))] == [line.id]


@pytest.mark.parametrize("bad", ["12.345", "-5", "abc", -1, ""])
def test_adjustments_refuse_bad_amounts_and_change_nothing(svc, make_student, bad):
    sid = make_student()
    svc.plan("2020秋")
    line = line_of(svc, "2020秋", sid, "非寄宿生生活补助")
    with pytest.raises(ValidationError) as e:
        svc.adjust(line.id, bad, "原因")
    assert "amount" in e.value.problems
    assert line_of(svc, "2020秋", sid, "非寄宿生生活补助").amount_fen == 31250
    assert svc.line_history(line.id) == []
    with pytest.raises(ValidationError):
        svc.adjust(line.id, "100", "  ")


def test_pay_snapshots_the_card_and_skips_what_cannot_be_paid(svc, make_student, sf):
    ok = make_student()
    nocard = make_student(card=False)
    zero = make_student(stage="学前", categories=(), residence=None)      # 幼儿资助, amount set to 0 below
    svc.plan("2020秋")
    svc.adjust(line_of(svc, "2020秋", zero, "家庭经济困难幼儿资助").id, "0", "待核定")
    r = svc.pay("2020秋", PAY_DAY)
    assert r.paid == 1 and r.paid_fen == 31250
    why = {lid: w for lid, _, w in r.skipped}
    assert why == {line_of(svc, "2020秋", nocard, "非寄宿生生活补助").id: "未登记银行卡号",
                   line_of(svc, "2020秋", zero, "家庭经济困难幼儿资助").id: "金额为 0，请先填写金额"}
    line = line_of(svc, "2020秋", ok, "非寄宿生生活补助")
    assert line.status == "已发放" and line.paid_on == PAY_DAY and "*" in line.card_no
    from db.models.registry import Student
    with sf.begin() as s:
        card_then = s.get(Student, ok).bank_card_no
        s.get(Student, ok).bank_card_no = "6228480000000000000"
    with sf() as s:
        assert s.get(Disbursement, line.id).card_no == card_then       # the snapshot stays
    with pytest.raises(LedgerError):
        svc.adjust(line.id, "1", "已发放不能改")
    zline = line_of(svc, "2020秋", zero, "家庭经济困难幼儿资助")
    svc.adjust(zline.id, "400", "核定")
    r2 = svc.pay("2020秋", PAY_DAY, [zline.id])
    assert r2.paid == 1 and r2.paid_fen == 40000
    assert line_of(svc, "2020秋", nocard, "非寄宿生生活补助").status == "待发放"


def test_void_and_reissue_keep_the_history(svc, make_student):
    sid = make_student()
    svc.plan("2020秋")
    svc.pay("2020秋", PAY_DAY)
    old = line_of(svc, "2020秋", sid, "非寄宿生生活补助")
    with pytest.raises(LedgerError):
        svc.reissue(old.id)                                       # only void lines are re-issued
    v = svc.void(old.id, "卡号错误，银行退回")
    assert v.status == "已作废" and v.void_reason == "卡号错误，银行退回"
    assert svc.batch_total("2020秋") == 0
    new = svc.reissue(old.id, "300", "改按 300 元补发")
    assert new.status == "待发放" and new.reissue_of_id == old.id and new.amount_fen == 30000
    assert svc.batch_total("2020秋") == 30000
    with pytest.raises(LedgerError):
        svc.reissue(old.id)                                       # once only
    with pytest.raises(LedgerError):
        svc.void(old.id, "again")
    rows = [r for r in svc.lines("2020秋") if r.student_id == sid]
    assert [(r.status, r.amount_fen) for r in rows] == [("已作废", 31250), ("待发放", 30000)]
    assert svc.line_history(new.id)[0].old_fen == 31250
    r = svc.plan("2020秋")                                        # a refresh adds no third line
    assert r.added == 0 and len([x for x in svc.lines("2020秋") if x.student_id == sid]) == 2
    svc.pay("2020秋", PAY_DAY)
    assert line_of(svc, "2020秋", sid, "非寄宿生生活补助").status == "已发放"


def test_a_voided_line_that_is_not_reissued_is_not_recreated_by_a_refresh(svc, make_student):
    sid = make_student()
    svc.plan("2020秋")
    line = line_of(svc, "2020秋", sid, "非寄宿生生活补助")
    svc.void(line.id, "家长放弃")
    assert svc.plan("2020秋").added == 0
    assert svc.batch_total("2020秋") == 0


def test_deadlines_show_what_is_due_and_late(svc, make_student):
    a = make_student()
    make_student(stage="初中", residence="寄宿")
    svc.plan("2020秋")
    svc.pay("2020秋", PAY_DAY, [line_of(svc, "2020秋", a, "非寄宿生生活补助").id])
    early = {r.term: r for r in svc.deadline_status(dt.date(2020, 9, 1))}["2020年秋季学期"]
    assert (early.state, early.days_left, early.unpaid_lines, early.unpaid_fen, early.paid_fen) == \
        ("待发放", 24, 1, 62500, 31250)
    late = svc.deadline_status(dt.date(2020, 10, 5))
    row = {r.term: r for r in late}["2020年秋季学期"]
    assert row.state == "已逾期" and row.days_left == -10 and row.unpaid_fen == 62500
    svc.set_deadline("秋", "10-10")
    assert {r.term: r for r in svc.deadline_status(dt.date(2020, 10, 5))}["2020年秋季学期"].state == "待发放"
    spring = {r.term: r for r in svc.deadline_status(dt.date(2021, 3, 1))}
    assert spring["2021年春季学期"].state == "未生成批次" and spring["2021年春季学期"].deadline == dt.date(2021, 6, 15)
    svc.pay("2020秋", PAY_DAY)
    assert {r.term: r for r in svc.deadline_status(dt.date(2020, 12, 1))}["2020年秋季学期"].state == "已完成"
    with pytest.raises(ValidationError):
        svc.set_deadline("秋", "9月40日")


def test_lines_without_an_amount_are_not_counted_as_late_money(svc, make_student):
    sid = make_student(stage="学前", residence=None)
    svc.plan("2020秋")
    svc.adjust(line_of(svc, "2020秋", sid, "家庭经济困难幼儿资助").id, "0", "本县标准待定")
    row = {r.term: r for r in svc.deadline_status(dt.date(2020, 12, 1))}["2020年秋季学期"]
    assert (row.state, row.unpaid_lines, row.unpaid_fen, row.no_amount_lines) == ("金额待填写", 1, 0, 1)


def test_missing_batch_and_line_are_clear_errors(svc):
    with pytest.raises(NotFound) as e:
        svc.summary("2020秋")
    assert "aid plan --term 2020秋" in str(e.value)
    with pytest.raises(NotFound):
        svc.void(999, "x")


def test_the_list_filters_and_sorts_in_sql(svc, make_student):
    a = make_student(stage="初中", residence="寄宿", name="张三")
    b = make_student(stage="小学", residence="走读", name="李四")
    svc.plan("2020秋")
    assert [r.student_id for r in svc.lines("2020秋", LineQuery(sort="amount"))] == [b, a]
    assert [r.student_id for r in svc.lines("2020秋", LineQuery(sort="amount", descending=True))] == [a, b]
    assert [r.student_id for r in svc.lines("2020秋", LineQuery(text="李"))] == [b]
    assert svc.count_lines("2020秋", LineQuery(stage="初中")) == 1
    assert svc.count_lines("2020秋", LineQuery(status="已发放")) == 0
    opts = svc.line_filter_options("2020秋")
    assert opts["stage"] == ["小学", "初中"] and opts["programme"] == ["寄宿生生活补助", "非寄宿生生活补助"]


def test_notice_rows_show_no_personal_numbers(svc, make_student):
    make_student(stage="普通高中", categories=("建档立卡",), name="王五")
    svc.plan("2020秋")
    rows = {r.programmes: r for r in svc.notice_rows("2020秋")}
    assert set(rows) == {"普通高中国家助学金", "普通高中免学杂费"}
    row = rows["普通高中国家助学金"]
    assert (row.name, row.tier, row.amount_fen, row.waiver) == ("王五", "最高档", 150000, False)
    assert rows["普通高中免学杂费"].waiver and rows["普通高中免学杂费"].amount_fen == 0
    assert not any(ch.isdigit() for ch in "".join(str(v) for v in (row.name, row.grade, row.programmes)))


def test_a_student_with_payment_lines_cannot_be_deleted(sctx, svc, make_student, sf):
    from db.registry.service import RegistryService
    sid = make_student()
    other = make_student()
    svc.plan("2020秋")
    with pytest.raises(LedgerError) as e:
        RegistryService(sctx).delete_student(sid)
    assert "资助发放记录" in str(e.value)
    assert svc.count_lines("2020秋") == 2
    svc.void(next(r.id for r in svc.lines("2020秋") if r.student_id == other), "转学")
    with pytest.raises(LedgerError):                # void lines are history too
        RegistryService(sctx).delete_student(other)
