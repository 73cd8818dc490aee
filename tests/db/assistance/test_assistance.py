import datetime as dt

import pytest
from sqlalchemy import select

from db.assistance.dto import AssistanceForm, PairVisitForm
from db.docs.kinds import Selection, kind
from db.docs.render import render_batch
from db.errors import ValidationError
from db.models.assistance import Assistance
from tests.db.docs.conftest import pdf_text


@pytest.fixture
def kids(town):
    hh = town.household("韩红明")
    return {"a": town.student("韩秋雪", hh, stage="小学", level="特别困难"),
            "b": town.student("韩皓晨", hh, stage="初中", residence="走读"),
            "c": town.student("韩军乐", hh, stage="初中", level="困难"),          # the year's 认定 says 困难
            "d": town.student("赵非贫", None, stage="小学", categories=("农村低保",), level="特别困难")}


def test_money_in_yuan_text_is_stored_as_fen(services, kids, sf):
    row = services.assistance.save(AssistanceForm(None, kids["a"], "爱心助学", dt.date(2020, 10, 8), "亳州市慈善总会",
                                                  "500.50", note="秋季助学金"))
    assert row.amount_fen == 50050
    with sf() as s:
        assert s.scalar(select(Assistance.amount_fen)) == 50050
    none = services.assistance.save(AssistanceForm(None, kids["a"], "心理关爱", dt.date(2020, 10, 9), "心理辅导室", ""))
    assert none.amount_fen is None


def test_each_kind_says_what_it_needs(services, kids):
    with pytest.raises(ValidationError) as e:
        services.assistance.save(AssistanceForm(None, kids["a"], "结对帮扶", dt.date(2020, 9, 1), " ",
                                                until=dt.date(2020, 8, 1)))
    assert set(e.value.problems) == {"who", "until"}
    assert "教师" in e.value.problems["who"]
    with pytest.raises(ValidationError) as e:
        services.assistance.save(AssistanceForm(None, kids["a"], "社会捐助", dt.date(2099, 1, 1), "爱心协会", "-5"))
    assert "amount_fen" in e.value.problems
    with pytest.raises(ValidationError) as e:
        services.assistance.save(AssistanceForm(None, kids["a"], "社会捐助", dt.date(2020, 9, 1), "爱心协会"))
    assert set(e.value.problems) == {"amount_fen"}


def test_a_pairing_has_a_period_and_its_visits(services, kids):
    pair = services.assistance.save(AssistanceForm(None, kids["b"], "结对帮扶", dt.date(2020, 9, 1), "张丽老师",
                                                   until=dt.date(2021, 7, 10)))
    services.assistance.save_visit(PairVisitForm(None, pair.id, dt.date(2020, 10, 1), "家访，辅导作业"))
    with pytest.raises(ValidationError, match="结对期间"):
        services.assistance.save_visit(PairVisitForm(None, pair.id, dt.date(2021, 8, 1), "假期"))
    assert services.assistance.items([kids["b"]])[0].visits == 1
    assert [r.name for r in services.assistance.items(school_year=2020)] == ["韩皓晨"]
    assert services.assistance.items(school_year=2021) == []     # ended 2021-07-10, before 2021-09


def test_the_report_lists_the_poorest_children_with_none(services, kids):
    services.assistance.save(AssistanceForm(None, kids["b"], "临时救助", dt.date(2020, 11, 2), "镇民政办", 80000))
    rep = services.assistance.report(2020)
    assert [c.name for c in rep.without] == ["韩秋雪"]        # 韩皓晨 has some; 韩军乐 is 困难; 赵 not 建档立卡
    assert rep.money_fen == 80000 and rep.by_kind == {"临时救助": 1}
    assert [c.name for c in services.assistance.without_assistance(2021)] == ["韩秋雪", "韩皓晨", "韩军乐"]


def test_kept_apart_from_the_aid_money_and_shown_on_the_card(services, kids, sctx, tmp_path):
    services.aid.plan("2020秋")
    total = services.aid.batch_total("2020秋")
    services.assistance.save(AssistanceForm(None, kids["b"], "爱心助学", dt.date(2020, 10, 8), "亳州市慈善总会", 100000))
    services.aid.plan("2020秋")
    assert services.aid.batch_total("2020秋") == total
    assert all(ln.programme != "爱心助学" for ln in services.aid.lines("2020秋", None, 0, 100))
    out = tmp_path / "card.pdf"
    render_batch(kind("card").sections(sctx, Selection(term="2020秋", student_ids=(kids["b"],))), out)
    text = pdf_text(out).replace(" ", "")
    assert "个性化帮扶" in text and "亳州市慈善总会" in text and "1,000.00" in text
