"""Waivers (免学费 / 免学杂费 / 免保教费) are 减免, not cash: never in a bank list, never paid, never due
by 6/15 or 9/25; they appear apart from cash in the summary, the family page and the 明白卡."""
import datetime as dt

import pytest

from db.aid.paper import family_cards
from db.docs.kinds import Selection
from db.errors import LedgerError


@pytest.fixture
def batch(svc, make_student):
    cash = make_student(stage="初中", residence="寄宿", name="张三")
    senior = make_student(stage="普通高中", categories=("建档立卡",), level=None, name="王五")
    svc.plan("2020秋")
    waiver = next(r for r in svc.lines("2020秋") if r.programme == "普通高中免学杂费")
    svc.adjust(waiver.id, "850", "核定学杂费")
    return cash, senior, waiver.id


def test_waiver_lines_are_never_paid_nor_in_the_bank_list(svc, batch, tmp_path):
    _cash, senior, waiver = batch
    line = next(r for r in svc.lines("2020秋") if r.id == waiver)
    assert (line.status, line.amount_fen) == ("减免", 85000)
    r = svc.pay("2020秋", dt.date(2020, 9, 20))
    assert r.paid == 2 and r.paid_fen == 62500 + 150000               # the two cash lines only
    r = svc.pay("2020秋", dt.date(2020, 9, 20), [waiver])
    assert r.paid == 0 and r.skipped == [(waiver, "", "减免项目不发放现金")]
    rows, total = svc.bank_list_rows("2020秋")
    assert total == svc.batch_total("2020秋") == 212500
    assert all("免学杂费" not in row[7] for row in rows)
    assert next(r for r in svc.lines("2020秋") if r.id == waiver).status == "减免"


def test_waivers_are_not_due_and_the_counts_agree(svc, make_student, batch):
    make_student(stage="中职", categories=(), level=None, hukou="农业")      # only 中职免学费 (减免, 0)
    svc.plan("2020秋")
    summary = svc.summary("2020秋", with_missing=False)
    row = {r.term: r for r in svc.deadline_status(dt.date(2020, 10, 5))}["2020年秋季学期"]
    pending = summary.status("待发放")
    assert (row.unpaid_lines, row.unpaid_fen) == (pending.lines, pending.amount_fen) == (2, 212500)  # banner == footer
    assert (summary.waiver_lines, summary.waiver_fen) == (2, 85000)
    assert summary.batch_total_fen == 212500 and summary.cash_lines == 2
    svc.pay("2020秋", dt.date(2020, 9, 20))
    row = {r.term: r for r in svc.deadline_status(dt.date(2020, 10, 5))}["2020年秋季学期"]
    assert row.state == "已完成"                                             # the waivers do not keep it open


def test_family_page_and_card_show_waivers_apart(sctx, svc, batch):
    _cash, senior, waiver = batch
    svc.pay("2020秋", dt.date(2020, 9, 20))
    rec = svc.family_record(senior)
    assert rec.paid_total_fen == 150000 and rec.waiver_total_fen == 85000
    [card] = family_cards(sctx, Selection(term="2020秋", student_ids=(senior,)))
    assert [w.programme for w in card.waivers] == ["普通高中免学杂费"]
    assert all("免学杂费" not in c.programme for c in card.lines)


def test_a_void_waiver_is_reissued_as_a_waiver(svc, batch):
    _cash, _senior, waiver = batch
    svc.void(waiver, "重复")
    again = svc.reissue(waiver)
    assert again.status == "减免" and again.amount_fen == 85000
    with pytest.raises(LedgerError):
        svc.adjust(next(r.id for r in svc.lines("2020秋") if r.status == "已作废"), "1", "x")
