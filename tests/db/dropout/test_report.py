"""The monthly report (学校一月一报告): counts by stage from each case's history, 建档立卡 among them, 销号 by
reason; a past month reads the same after later changes; a month without cases is still a report."""
from __future__ import annotations

import datetime as dt

import pytest

from db.dropout.dto import Move, State
from db.dropout.report import parse_month
from db.errors import ValidationError
from tests.db.dropout.conftest import attempt, open_case

D = dt.date


@pytest.fixture
def history(svc, school):
    """张小明 (初中, 建档立卡): 疑似 9-20, 辍学 10-5, 劝返中 10-6, 复学 11-3.
    李小红 (小学): 疑似 10-12, 销号 转学 10-20."""
    a = open_case(svc, school["张小明"], last=D(2020, 9, 1))
    svc.move(a.id, Move(State.DROPPED, D(2020, 10, 5)))
    attempt(svc, a.id, D(2020, 10, 6))
    svc.move(a.id, Move(State.RETURNED, D(2020, 11, 3), return_class="七年级2班"))
    b = open_case(svc, school["李小红"], opened=D(2020, 10, 12), last=D(2020, 10, 1))
    svc.move(b.id, Move(State.CLOSED, D(2020, 10, 20), close_reason="转学", close_school="县城二小",
                        close_evidence="在读证明"))
    return a, b


def counts(report, stage):
    return next(r for r in report.rows if r.stage == stage).counts


def test_september_october_november(svc, history):
    sep = svc.month_report("2020-09")
    assert counts(sep, "初中") == {"new": (1, 1), State.SUSPECTED: (1, 1)}
    assert counts(sep, "小学") == {}                                      # listed all the same (零报告 row)
    oct_ = svc.month_report("2020年10月")
    assert counts(oct_, "初中") == {State.PERSUADING: (1, 1)}
    assert counts(oct_, "小学") == {"new": (1, 0), "closed": (1, 0)}
    assert oct_.closed_by_reason == [("转学", 1, 0)]
    assert [(c.name, c.state, c.change) for c in oct_.cases] == [("李小红", State.CLOSED, "本月销号（转学）"),
                                                                ("张小明", State.PERSUADING, "")]
    nov = svc.month_report(D(2020, 11, 15))
    assert counts(nov, "初中") == {"returned": (1, 1)}
    assert nov.total.get("returned") == (1, 1) and nov.total.get(State.PERSUADING) == (0, 0)
    assert [c.name for c in nov.cases] == ["张小明"]                       # 李小红 closed last month: gone


def test_a_month_without_cases_is_a_zero_report(svc):
    r = svc.month_report("2020-10")
    assert [row.stage for row in r.rows] == ["小学", "初中"] and r.cases == [] and r.closed_by_reason == []
    assert all(v == (0, 0) for v in r.total.counts.values()) and len(r.total.counts) == 6


def test_months_are_parsed_strictly():
    assert parse_month("2020-1") == D(2020, 1, 1) and parse_month("2020/12") == D(2020, 12, 1)
    for bad in ("2020-13", "10月", "", "2020-10-01x"):
        with pytest.raises(ValidationError, match="月份"):
            parse_month(bad)
