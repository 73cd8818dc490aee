"""The home page's data: every registered ledger's items (what is due and late, with the link that
fixes it) and the figures, which agree with `aid summary` to the fen."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select

from db import cli
from db.dropout.dto import CaseForm
from db.home import DUE, LATE, HomeItem, Link
from db.ledgers import LEDGERS, contributions
from db.models.registry import Student
from db.office.home import resolve, sort_items
from tests.db.office.conftest import make_id


def page_keys() -> set[str]:
    from desktop.pages import PAGES  # every link names a page of the window
    return {p.settings_key for p in PAGES}


@pytest.fixture
def busy(sv, add, county_list, sf):
    """A school with something due in every ledger on 2020-11-20."""
    a = add("甲有资助", card="6228480000000000018")
    add("乙低保", cats=("农村低保",))
    add("丙省外", enrolment="在外就读", study_location="省外")
    dropped = add("丁辍学", stage="初中", grade="七年级", birth=dt.date(2008, 3, 1))
    with sf() as s:
        number = s.get(Student, a).id_number
    county_list([(number, "甲有资助"), (make_id(dt.date(2011, 5, 5), 901), "庚外地")])
    sv.aid.plan("2020秋")
    sv.aid.pay("2020秋", dt.date(2020, 9, 20), line_ids=[sv.aid.lines("2020秋")[0].id])
    sv.dropout.open_case(CaseForm(student_id=dropped, state="疑似辍学", opened_on=dt.date(2020, 10, 1),
                                  last_at_school=dt.date(2020, 9, 20), reason="厌学/学习困难"))
    return sv


def by_title(items: list[HomeItem]) -> dict[str, HomeItem]:
    return {x.title: x for x in items}


def test_every_ledger_says_what_is_due_and_each_item_opens_a_page(busy):
    report = busy.home.items()
    items = by_title(report.items)
    assert report.problems == []
    assert items["资助发放已逾期"].level == LATE and "已超过截止日（9 月 25 日）56 天" in items["资助发放已逾期"].detail
    assert items["资助发放已逾期"].link == Link.to("aid", term="2020秋", status="待发放")
    assert items["已发放未走访核实"].link.page == "visits" and items["已发放未走访核实"].count == 1
    assert items["认定信息不全"].count == 1 and items["认定信息不全"].link.arg("assess") == "2020"
    assert items["名单内学生去向待核实"].count == 1
    assert items["省外就读学生待发函"].count == 1
    assert items["控辍保学下一步已逾期"].level == LATE and items["控辍保学下一步已逾期"].link.arg("overdue") == "1"
    assert all(x.link is None or x.link.page in page_keys() for x in report.items)
    levels = [x.level for x in report.items]
    assert levels == sorted(levels, key=lambda lv: {LATE: 0, DUE: 1}.get(lv, 2))   # late first


def test_a_quiet_school_has_nothing_due(sv):
    items = sv.home.items().items
    assert [x.title for x in items if x.level != "info"] == []
    assert [x.title for x in items] == ["尚未导入县里推送的名单"]


def test_a_broken_ledger_is_named_and_the_others_still_show(busy, monkeypatch):
    import db.letters.home as lh

    def boom(_sv, _today):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(lh, "home_items", boom)
    report = busy.home.items()
    assert report.problems == ["省外就读：读取待办时出错（详见日志）"]
    assert "资助发放已逾期" in by_title(report.items)


def test_every_registered_contribution_is_a_callable():
    names = {ledger.name for ledger in LEDGERS}
    for attr in ("home", "accounts"):
        for name, target in contributions(attr):
            assert name in names and callable(resolve(target))
    with pytest.raises(ValueError):
        contributions("nothing")


def test_items_sort_late_first_then_by_date():
    a = HomeItem("x", "a", "", level=DUE, due=dt.date(2020, 1, 1))
    b = HomeItem("x", "b", "", level=LATE, due=dt.date(2020, 5, 1))
    c = HomeItem("x", "c", "", level=LATE, due=dt.date(2020, 2, 1))
    assert [x.title for x in sort_items([a, b, c])] == ["c", "b", "a"]


def test_the_figures_agree_with_aid_summary_to_the_fen(database, sv, add, capsys):
    for i in range(7):
        add(f"学生{i}", stage=("小学", "初中")[i % 2], grade=("三年级", "八年级")[i % 2], card="6228480000000000018")
    add("中职生", stage="中职", grade="中职一年级", hukou="农业", card="6228480000000000018")
    fee = next(r for r in sv.aid.list_standards() if r.programme == "中职免学费")
    sv.aid.save_standard(dataclasses.replace(fee, yearly_fen=240_001))          # an odd fen: 1,200.00 and 1,200.01
    sv.aid.plan("2020秋")
    lines = sv.aid.lines("2020秋")
    sv.aid.adjust(lines[0].id, "333.33", "按县里通知补差")
    sv.aid.void(lines[1].id, "重复")
    sv.aid.plan("2021春")
    fig = sv.home.figures()
    assert cli.run(["aid", "summary", "--term", "2020秋", "--json", "--db", str(database.path)]) == 0
    summary = json.loads(capsys.readouterr().out)
    autumn = [m for m in fig.money if m.term == "2020年秋季学期"]
    assert {m.programme: m.cash_fen + m.waiver_fen for m in autumn} == {
        r["key"]: r["amount"]["fen"] for r in summary["by_programme"]}
    term_totals = {t: (cash, waiver) for t, cash, waiver in fig.terms()}
    assert term_totals["2020年秋季学期"] == (summary["total"]["fen"], summary["waivers"]["amount"]["fen"])
    assert sum(m.cash_fen for m in autumn) % 100 == 33            # the adjusted line's odd fen is there
    assert {m.term for m in fig.money} == {"2020年秋季学期", "2021年春季学期"}
    assert term_totals["2020年秋季学期"][1] > 0                   # 减免 apart from cash
    assert fig.students == 8 and {c.key: c.value for c in fig.by_stage} == {"小学": 4, "初中": 3, "中职": 1}
    assert {c.key: c.value for c in fig.by_category} == {"建档立卡": 8}


def test_the_home_pages_counts_of_assessments_are_those_of_assessment_gaps(sv, add, sf):
    from collections import Counter

    from db.models.registry import DifficultyAssessment
    from db.registry.home import gap_counts
    add("低保", cats=("农村低保",))
    add("孤儿", cats=("孤儿", "其他困难"))
    add("其他", cats=("其他困难",))
    add("建档", cats=("建档立卡", "农村低保"))                 # counts as 特别困难: nothing to do
    add("转出", cats=("农村低保",), enrolment="转出")          # not in school: not listed
    add("不全", cats=("其他困难",), level="困难")
    with sf.begin() as s:
        a = s.scalars(select(DifficultyAssessment)).first()
        a.reason, a.assessed_on = "  ", None
    with sf() as s:
        counts = gap_counts(s, 2020)
    assert counts == dict(Counter(g.state for g in sv.registry.assessment_gaps(2020)))
    assert counts == {"认定信息不全": 2, "未认定": 1, "认定记录不完整": 1}
