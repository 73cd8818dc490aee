"""家庭查询 on a real database: search by name or ID, the record shows the child's payments and visits."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from db.aid.dto import LineQuery, VisitForm
from db.money import format_yuan
from desktop.pages.family import FamilyPage, record_html

FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def page(qtbot, paid_ctx):
    p = FamilyPage(paid_ctx, today=lambda: dt.date(2020, 10, 10))
    qtbot.addWidget(p)
    return p


def lookup(qtbot, page, text):
    with qtbot.waitSignals([page.choicesLoaded, page.recordLoaded], timeout=20_000):
        page.search.setText(text)
        page.search.flush()
    return page.record


def paid_line(ctx):
    return next(r for r in ctx.aid.lines("2020秋", LineQuery(status="已发放"), 0, 1000)
                if len(ctx.aid.search_family(r.name)) == 1)


def test_search_by_name_shows_the_payments(qtbot, page, paid_ctx):
    line = paid_line(paid_ctx)
    rec = lookup(qtbot, page, line.name)
    assert rec.child.id == line.student_id
    text = page.browser.toPlainText()
    assert f"学生资助情况 —— {line.name}" in text
    assert line.programme in text and format_yuan(line.amount_fen) in text
    assert "已发放" in text and "2020-09-20" in text
    assert f"累计已发放（现金）：{format_yuan(rec.paid_total_fen)} 元" in text
    assert not FULL_ID.search(text)            # ID and card numbers are masked here
    assert page.choices.count() == 1 and "找到 1 名学生" in page.hint.text()


def test_search_by_id_prefix_and_nothing_found(qtbot, page, paid_ctx):
    line = paid_line(paid_ctx)
    full = paid_ctx.registry.get_student(line.student_id).id_number
    rec = lookup(qtbot, page, full)
    assert rec.child.id == line.student_id
    with qtbot.waitSignal(page.choicesLoaded, timeout=10_000):
        page.search.setText("查无此人")
        page.search.flush()
    assert page.choices.count() == 0 and "没有找到" in page.hint.text()


def test_record_shows_visits_and_verified_status(qtbot, page, paid_ctx):
    line = paid_line(paid_ctx)
    hh = paid_ctx.registry.get_student(line.student_id).household_id
    paid_ctx.aid.save_visit(VisitForm(household_id=hh, visit_date=dt.date(2020, 10, 1), term="2020秋",
                                      told="宣传资助政策", received={line.id: "是"}, statement_filed=True),
                            today=dt.date(2020, 10, 10))
    lookup(qtbot, page, line.name)
    text = page.browser.toPlainText()
    assert "2020-10-01" in text and "宣传资助政策" in text and "已核实" in text
    assert f"{line.programme}：是" in text


def test_record_html_is_self_contained(paid_ctx):
    line = paid_line(paid_ctx)
    rec = paid_ctx.aid.family_record(line.student_id, today=dt.date(2020, 10, 10))
    page = record_html(rec, today=dt.date(2020, 10, 10), school="阚疃镇中心学校")
    assert page.startswith("<html>") and "<style>" in page and "阚疃镇中心学校" in page
    assert "http" not in page and "<img" not in page
