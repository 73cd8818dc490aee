"""`main.py dropout …`, `main.py letters …` and their print kinds, in process: a case from 疑似辍学 to
复学 and a letter from made to answered, JSON with masked numbers, errors in Chinese with status 2."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from db.cli import run
from db.context import ServiceContext
from db.demo import fill_demo
from db.dropout.dto import CaseQuery
from db.dropout.service import DropoutService
from tests.db.docs.conftest import pdf_text

TODAY = dt.date.today()
FULL_ID = re.compile(r"\d{17}[\dX]")


def day(days_ago: int) -> str:
    return f"{TODAY - dt.timedelta(days=days_ago):%Y-%m-%d}"


@pytest.fixture
def demo(database):
    fill_demo(ServiceContext(database.session_factory), 300, ledgers=True)
    return ["--db", str(database.path)]


def out_json(capsys):
    return json.loads(capsys.readouterr().out)


def a_pupil(database) -> int:
    svc = DropoutService(ServiceContext(database.session_factory))
    taken = {r.student_id for r in svc.cases(CaseQuery(state=""))}
    return next(c.id for c in svc.find_children("") if "在校" in c.label and c.id not in taken
                and any(f"，{g}年级" in c.label for g in "一二三四五六"))


def test_a_case_from_the_command_line(demo, database, capsys, tmp_path):
    sid = a_pupil(database)
    assert run(["dropout", "open", "--student", str(sid), "--date", day(40), "--last-day", day(50),
                "--reason", "外出务工", "--head-teacher", "刘老师", *demo]) == 0
    case_id = int(re.search(r"已建立个案 (\d+)", capsys.readouterr().out).group(1))
    assert run(["dropout", "move", str(case_id), "--to", "辍学", "--date", day(5), *demo]) == 0
    assert run(["dropout", "attempt", str(case_id), "--date", day(4), "--person", "刘老师/班主任/13912345678",
                "--person", "陈主任/村委会主任", "--result", "拒绝返校", "--next-step", "再次家访",
                "--next-date", day(1), *demo]) == 0
    assert "第 1 次劝返" in capsys.readouterr().out
    assert run(["dropout", "list", "--overdue", "--json", *demo]) == 0
    [row] = [r for r in out_json(capsys) if r["id"] == case_id]
    assert row["state"] == "劝返中" and "劝返下一步" in row["overdue"] and "*" in row["id_number"]
    assert run(["dropout", "show", str(case_id), "--json", *demo]) == 0
    shown = out_json(capsys)
    assert shown["attempts"][0]["people"] == "刘老师（班主任，139****5678）；陈主任（村委会主任）"
    assert run(["print", "dropout-notice", "--id", str(case_id), "--out", str(tmp_path / "n.pdf"), *demo]) == 0
    assert "劝返复学通知书" in pdf_text(tmp_path / "n.pdf").replace(" ", "")
    assert run(["dropout", "move", str(case_id), "--to", "复学", "--date", day(0), "--class", "三年级1班", *demo]) == 0
    assert "复学" in capsys.readouterr().out
    assert run(["dropout", "report", "--month", f"{TODAY:%Y-%m}", "--json", *demo]) == 0
    report = out_json(capsys)
    assert report["total"]["returned"]["total"] >= 1 and not FULL_ID.search(json.dumps(report["by_stage"]))
    assert run(["dropout", "overdue", "--json", *demo]) == 0
    assert all(item["case_id"] != case_id for item in out_json(capsys))


def test_refusals_exit_2_in_chinese(demo, database, capsys, tmp_path):
    sid = a_pupil(database)
    cases = [(["dropout", "open", "--student", str(sid), "--last-day", day(3)], "未超过 7 天"),
             (["dropout", "move", "999", "--to", "复学", "--date", day(0)], "找不到编号为 999"),
             (["dropout", "report", "--month", "2020-13"], "月份"),
             (["dropout", "attempt", "1", "--date", "明天", "--result", "拒绝返校"], "不是有效日期"),
             (["letters", "send", "1", "--how", "邮寄", "--date", day(0)], "单号"),
             (["print", "dropout-report", "--student", "1", "--out", str(tmp_path / "x.pdf")], "不能按学生打印")]
    for argv, message in cases:
        assert run([*argv, *demo]) == 2, argv
        assert message in capsys.readouterr().err, argv


def test_letters_from_the_command_line(demo, capsys, tmp_path):
    assert run(["letters", "due", "--json", *demo]) == 0
    due = out_json(capsys)
    assert due and all("*" in d["id_number"] for d in due)
    assert run(["letters", "make", "--all-due", "--date", day(0), *demo]) == 0
    made = re.findall(r"校资函〔\d{4}〕\d+号", capsys.readouterr().out)
    assert len(made) == sum(1 for d in due if d["study_school"])
    assert run(["letters", "list", "--status", "待发出", "--json", *demo]) == 0
    unsent = out_json(capsys)
    letter_id = unsent[0]["id"]
    assert run(["print", "letter", "--all", "--out", str(tmp_path / "l.pdf"), *demo]) == 0
    assert f"{len(unsent)} 份" in capsys.readouterr().out
    assert FULL_ID.search(pdf_text(tmp_path / "l.pdf"))                     # the letter itself: in full
    assert run(["letters", "send", str(letter_id), "--how", "邮寄", "--tracking", "1180123456789",
                "--date", day(0), *demo]) == 0
    assert run(["letters", "call", str(letter_id), "--date", day(0), "--note", "已电话确认收到", *demo]) == 0
    assert run(["letters", "reply", str(letter_id), "--date", day(0), "--result", "已落实", "--amount", "625",
                "--programme", "生活补助", *demo]) == 0
    capsys.readouterr()
    assert run(["letters", "list", "--json", *demo]) == 0
    [row] = [r for r in out_json(capsys) if r["id"] == letter_id]
    assert row["status"] == "已落实" and "625.00 元" in row["reply"] and row["calls"] == 1
    assert run(["letters", "overdue", "--json", *demo]) == 0
    assert all(r["id"] != letter_id for r in out_json(capsys))
