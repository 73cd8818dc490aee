"""The 控辍保学 and 省外就读 sheets of the submission workbook, and migration 0008 on an existing database."""
from __future__ import annotations

import datetime as dt
import sqlite3

import openpyxl
from alembic import command

from db.context import ServiceContext
from db.demo import fill_demo
from db.dropout.dto import COUNT_COLUMNS
from db.dropout.service import DropoutService
from db.engine import alembic_config, make_engine, open_database
from db.exchange.workbook import export_workbook
from db.letters.service import LettersService


def test_the_sheets_in_the_submission_workbook(sctx, tmp_path):
    export_workbook(sctx, tmp_path / "empty.xlsx")
    assert not {"控辍保学", "省外就读"} & set(openpyxl.load_workbook(tmp_path / "empty.xlsx").sheetnames)
    fill_demo(sctx, 300, ledgers=True)
    today = dt.date(2020, 12, 18)
    result = export_workbook(sctx, tmp_path / "w.xlsx", today=today)
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert {"控辍保学", "省外就读"} <= set(wb.sheetnames)
    report = DropoutService(sctx).month_report(today)
    ws = wb["控辍保学"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    total = next(r for r in rows if r[0] == "合计")
    assert total[1:13] == [n for key, _t in COUNT_COLUMNS for n in report.total.get(key)]
    head = next(i for i, r in enumerate(rows) if r[:4] == ["序号", "姓名", "性别", "身份证号"])
    ids = [ws.cell(row=head + 2 + i, column=4) for i in range(len(report.cases))]
    assert ids and all(c.data_type == "s" and c.number_format == "@" and len(c.value) == 18 for c in ids)
    letters = wb["省外就读"]
    lrows = [[c.value for c in r] for r in letters.iter_rows(min_row=3)]
    numbers = [r[1] for r in lrows if r[1] and str(r[1]).startswith("校资函")]
    assert len(numbers) == len(LettersService(sctx).letters())
    assert any(r[21] == "已落实" and r[24] == 625 for r in lrows)
    assert "控辍保学" in [s.name for s in result.sheets]


def test_migration_0008_on_an_existing_database(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0004")
    with engine.begin() as c:
        c.exec_driver_sql("INSERT INTO school(name, county, township, stages, code, officer, headmaster, phone)"
                          " VALUES ('老学校', '', '', '小学', '', '', '', '')")
    engine.dispose()
    db = open_database(path)
    try:
        assert db.backup_path is not None                      # a verified copy before the upgrade
        con = sqlite3.connect(path)
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"dropout_case", "dropout_attempt", "dropout_transition", "letter", "letter_call"} <= tables
        assert con.execute("SELECT name FROM school").fetchone()[0] == "老学校"
        con.close()
        ctx = ServiceContext(db.session_factory)
        assert DropoutService(ctx).cases() == [] and LettersService(ctx).due() == []
    finally:
        db.dispose()
