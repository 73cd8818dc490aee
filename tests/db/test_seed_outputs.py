"""The four seed ledgers end to end on the demonstration school (issue 17): `demo` fills them, the
command line reports them, the workbook has their sheets, the printed forms say what they should and
no more."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from db.demo import fill_demo
from db.docs.kinds import Selection, kind
from db.docs.render import render_batch
from db.exchange.workbook import export_workbook
from db.models.assistance import Assistance
from db.models.employment import Graduate
from db.models.nutrition import NutritionPupil
from db.models.survey import SurveyCheck
from tests.db.docs.conftest import pdf_text

ROOT = Path(__file__).resolve().parents[2]
ID_RUN = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def demo(sctx, database):
    fill_demo(sctx, 600, ledgers=True)
    return database


def cli(db, *args):
    r = subprocess.run([sys.executable, "main.py", *args, "--db", str(db.path)], cwd=ROOT, capture_output=True,
                       text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_demo_fills_every_seed_ledger(demo, sf):
    with sf() as s:
        counts = [s.scalar(select(func.count()).select_from(m)) for m in (SurveyCheck, NutritionPupil, Graduate, Assistance)]
    assert all(n > 0 for n in counts), counts


def test_the_command_line_reports_each_ledger(demo, services):
    rep = json.loads(cli(demo, "survey", "report", "--json"))
    assert rep["surveyed"] == services.survey.report().surveyed > 0
    assert rep["fixes"]["电视机"] >= 0 and "failing_rows" in rep
    nut = json.loads(cli(demo, "nutrition", "report", "--term", "2020秋", "--json"))
    assert nut["total_fen"] == sum(m["meal_days"] * m["pupils"] * m["daily_fen"] for m in nut["months"])
    assert nut["daily_fen"] == 400
    emp = json.loads(cli(demo, "employment", "report", "--year", "2020", "--json"))
    assert emp["graduates"] == len(json.loads(cli(demo, "employment", "list", "--year", "2020", "--json")))
    assert emp["employed"] <= emp["want_job"]
    ass = json.loads(cli(demo, "assistance", "report", "--year", "2020", "--json"))
    assert ass["items"] > 0 and ass["without"]
    listed = cli(demo, "survey", "list", "--status", "待整改")
    assert listed.count("\n") == services.survey.report().failing
    assert not ID_RUN.search(listed)


def test_the_workbook_has_their_sheets(demo, sctx, tmp_path):
    out = tmp_path / "报送.xlsx"
    export_workbook(sctx, out, term="2020秋")
    wb = openpyxl.load_workbook(out, read_only=True)
    assert {"线上学习排查", "营养改善计划", "中职毕业生就业", "个性化帮扶"} <= set(wb.sheetnames)
    first = next(wb["营养改善计划"].iter_rows(min_row=1, max_row=1, values_only=True))[0]
    assert "不发放现金" in first


@pytest.mark.parametrize(("name", "sel", "words"), [
    ("survey", Selection(all=True), ("线上学习排查表", "一看", "二问、三查", "达标要求")),
    ("nutrition", Selection(term="2020秋", month="2020-10", all=True), ("资金使用公示", "2020年10月", "不发放现金")),
    ("employment", Selection(all=True), ("就业帮扶登记表", "就业指导记录", "就业意向")),
    ("assistance", Selection(all=True), ("个性化帮扶记录表", "不属于国家资助资金")),
])
def test_each_printed_form(demo, sctx, tmp_path, name, sel, words):
    out = tmp_path / f"{name}.pdf"
    result = render_batch(kind(name).sections(sctx, sel), out)
    text = pdf_text(out, 1, 2)
    assert result.pages >= 1
    for w in words:
        assert w in re.sub(r"\s+", "", text), w
    assert not ID_RUN.search(text)                   # numbers masked, the 公示 shows none at all


def test_the_nutrition_notice_names_only_name_grade_and_class(demo, sctx, tmp_path, sf):
    out = tmp_path / "公示.pdf"
    render_batch(kind("nutrition").sections(sctx, Selection(term="2020秋", month="2020-09", all=True)), out)
    text = pdf_text(out)
    assert not re.search(r"1[3-9]\d{9}|\d{4}-\d{2}-\d{2}|6228\d+|[^农]村|建档立卡|低保", text)
    with sf() as s:
        some = s.scalars(select(NutritionPupil.name).limit(5)).all()
    assert all(n in re.sub(r"\s+", "", text) for n in some)
