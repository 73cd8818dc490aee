"""The school-year rollover: what it would change, then one guarded transaction after a verified backup;
never twice for a year; the history kept; graduates kept with the date and reason."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from sqlalchemy import func, select

from db import cli
from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.errors import LedgerError, ValidationError
from db.models.core import AuditLog
from db.models.office import Rollover, StudentExit, StudentYear
from db.models.registry import Student
from db.office import yearly
from db.office.rollover import RolloverService
from db.services import Services

AUGUST = dt.date(2021, 8, 25)


@pytest.fixture
def summer(database, sv):
    """The services on 2021-08-25 (the school set up in 2020-2021: `sv` set the roll year)."""
    ctx = ServiceContext(database.session_factory, Actor("李老师"), FixedClock(dt.datetime(2021, 8, 25, 2), AUGUST))
    return Services.build(ctx)


@pytest.fixture
def roll(add):
    return {
        "小班": add("小班甲", stage="学前", grade="小班", cls="1班"),
        "大班": add("大班甲", stage="学前", grade="大班", cls="1班"),
        "三年级": add("三年级甲", grade="三年级", cls="2班"),
        "三年级乙": add("三年级乙", grade="三年级", cls="2班"),
        "六年级": add("六年级甲", grade="六年级", cls="1班"),
        "九年级": add("九年级甲", stage="初中", grade="九年级", cls="3班"),
        "休学": add("休学甲", grade="四年级", cls="1班", enrolment="休学"),
        "外地": add("外地甲", grade="五年级", cls="1班", enrolment="在外就读", study_location="本县外校",
                    study_school="城关小学"),
        "不明": add("不明甲", stage="小学", grade="", cls=""),
    }


def places(sf, ids):
    with sf() as s:
        return {k: (st.stage, st.grade, st.class_name, st.enrolment) for k, i in ids.items()
                for st in [s.get(Student, i)]}


def test_the_steps_of_a_grade():
    run = ["学前", "小学", "初中"]
    assert yearly.step("学前", "大班", run) == yearly.Step("小学", "一年级", False, "学前毕业，升入本校小学")
    assert yearly.step("学前", "大班", ["学前"]).graduate
    assert yearly.step("小学", "六年级", ["小学"]).graduate
    assert yearly.step("初中", "九年级", ["初中", "普通高中"]).graduate       # 中考: a new enrolment
    assert yearly.step("普通高中", "高一", run) == yearly.Step("普通高中", "高二", False, "")
    assert yearly.step("小学", "七年级", run) is None and yearly.step("", "三年级", run) is None


def test_when_a_rollover_may_run():
    assert yearly.refusal(2021, AUGUST, 2020, [], 10) == ""
    assert "6 月起才能结转" in yearly.refusal(2021, dt.date(2021, 3, 1), 2020, [], 10)
    assert "已经结转过" in yearly.refusal(2021, AUGUST, 2021, [2021], 10)
    assert "只能结转到 2021-2022" in yearly.refusal(2022, AUGUST, 2020, [], 10)
    assert yearly.refusal(2021, AUGUST, 2020, [], 0) == "名册中没有需要升级的学生"
    assert yearly.parse_mapping(["三年级2班=3班", " 六年级1班 = 毕业 "]) == {"三年级2班": "3班", "六年级1班": "毕业"}
    with pytest.raises(ValueError):
        yearly.parse_mapping(["三年级2班"])


def test_the_preview_says_what_will_change_and_changes_nothing(summer, roll, sf):
    before = places(sf, roll)
    plan = summer.rollover.preview(2021)
    assert plan.refusal == ""
    moves = {m.source: m.target for m in plan.moves}
    assert moves == {"小班1班": "中班1班", "大班1班": "一年级1班", "三年级2班": "四年级2班", "五年级1班": "六年级1班",
                     "六年级1班": "七年级1班", "九年级3班": "毕业"}
    assert (plan.promoted, plan.graduated) == (6, 1)
    assert {c.key: c.value for c in plan.stay} == {"休学": 1, "年级不明（小学未填年级）": 1}
    assert plan.households == 9
    assert places(sf, roll) == before


def test_the_rollover_moves_everyone_once_keeps_history_and_graduates(summer, roll, sf, tmp_path):
    made = []

    def backup(path, reason):
        made.append((path, reason))
        from db.backup import backup as real
        return real(path, reason)
    result = summer.rollover.run(2021, {"三年级2班": "3班"}, backup=backup)
    after = places(sf, roll)
    assert after["小班"] == ("学前", "中班", "1班", "在校")
    assert after["大班"] == ("小学", "一年级", "1班", "在校")
    assert after["三年级"] == after["三年级乙"] == ("小学", "四年级", "3班", "在校")       # the officer's mapping
    assert after["六年级"] == ("初中", "七年级", "1班", "在校")
    assert after["九年级"] == ("初中", "九年级", "3班", "毕业")                          # kept, never deleted
    assert after["外地"][1] == "六年级" and after["休学"][1] == "四年级" and after["不明"][1] == ""
    with sf() as s:
        history = {st: (g, c, e) for st, g, c, e in s.execute(select(
            StudentYear.student_id, StudentYear.grade, StudentYear.class_name, StudentYear.enrolment)
            .where(StudentYear.school_year == 2020))}
        exit_ = s.scalar(select(StudentExit).where(StudentExit.student_id == roll["九年级"]))
        audit = s.scalar(select(AuditLog).where(AuditLog.action == "rollover"))
    assert len(history) == 9 and history[roll["三年级"]] == ("三年级", "2班", "在校")
    assert exit_.enrolment == "毕业" and exit_.left_on == AUGUST and "初中九年级毕业" in exit_.reason
    assert "升级 6 人，毕业 1 人" in audit.summary and audit.actor == "李老师"
    assert made and made[0][1] == "rollover-2021"
    copy = sqlite3.connect(result.backup_file)           # the verified backup holds the roll as it was
    try:
        assert copy.execute("SELECT grade FROM student WHERE id = ?", (roll["三年级"],)).fetchone() == ("三年级",)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()
    assert summer.rollover.roll_year() == 2021
    assert summer.rollover.history()[0].school_year == 2021


def test_graduates_are_accounted_for_by_the_self_inspection(summer, roll):
    summer.rollover.run(2021)
    r = summer.inspection.run(term="2021秋")
    assert all(g.name != "九年级甲" for g in r.gaps)
    assert r.accounted["已离校（有日期和原因）"] == 1


def test_it_refuses_to_run_twice_for_a_year(summer, roll, sf):
    summer.rollover.run(2021)
    snapshot = places(sf, roll)
    with pytest.raises(LedgerError, match="已经结转过"):
        summer.rollover.run(2021)
    assert places(sf, roll) == snapshot
    with pytest.raises(LedgerError):
        summer.rollover.set_roll_year(2019)


def test_too_early_or_a_bad_year_changes_nothing(sv, roll, sf):
    before = places(sf, roll)
    with pytest.raises(LedgerError, match="6 月起才能结转"):
        sv.rollover.run(2021)                             # it is 2020-11-20
    with pytest.raises(ValidationError):
        sv.rollover.set_roll_year(1999)
    assert places(sf, roll) == before


def test_a_failure_midway_leaves_everything_as_it_was(summer, roll, sf, monkeypatch):
    before = places(sf, roll)

    def broken(self, s, ids, plan, today):
        raise RuntimeError("power cut")
    monkeypatch.setattr(RolloverService, "_graduate", broken)
    with pytest.raises(RuntimeError):
        summer.rollover.run(2021)
    assert places(sf, roll) == before
    with sf() as s:
        assert s.scalar(select(func.count(Rollover.id))) == 0
        assert s.scalar(select(func.count(StudentYear.id))) == 0


def test_a_failed_backup_stops_the_rollover(summer, roll, sf):
    before = places(sf, roll)

    def no_backup(path, reason):
        raise LedgerError("数据库备份校验失败")
    with pytest.raises(LedgerError, match="备份"):
        summer.rollover.run(2021, backup=no_backup)
    assert places(sf, roll) == before


def test_the_command_line(database, sv, roll, sf, capsys):
    db = str(database.path)                  # the roll is 2020-2021's; the real clock is well past June 2021
    assert cli.run(["rollover", "--year", "2021", "--dry-run", "--json", "--db", db]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["refusal"] == "" and plan["promoted"] == 6
    assert {m["from"]: m["to"] for m in plan["moves"]}["九年级3班"] == "毕业"
    assert places(sf, roll)["三年级"][1] == "三年级"                 # a dry run changes nothing
    assert cli.run(["rollover", "--year", "2021", "--map", "三年级2班=5班", "--db", db]) == 0
    assert "已完成学年结转" in capsys.readouterr().out
    assert places(sf, roll)["三年级"][1:3] == ("四年级", "5班")
    assert cli.run(["rollover", "--year", "2021", "--db", db]) == 2
    assert "已经结转过" in capsys.readouterr().err
    assert cli.run(["rollover", "--year", "2022", "--map", "三年级", "--db", db]) == 2
