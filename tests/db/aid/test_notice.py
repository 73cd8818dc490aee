"""公示名单: only name, school, grade, class, tier and amount; no personal numbers anywhere."""
from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from sqlalchemy import select

from db.aid.notice import HEADERS, export_notice_list
from db.cli import run
from db.demo import fill_demo
from db.errors import ValidationError
from db.models.registry import Household, Student
from tests.db.exchange.test_workbook import add_people

START, END = dt.date(2020, 9, 7), dt.date(2020, 9, 11)


def all_cells(path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [c.value.date().isoformat() if isinstance(c.value, dt.datetime) else str(c.value)
            for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def secrets(sf) -> set[str]:
    with sf() as s:
        out = set()
        for r in s.execute(select(Student.id_number, Student.phone, Student.bank_card_no, Student.student_no,
                                  Household.head_id_number, Household.phone, Household.address)
                           .outerjoin(Household, Student.household_id == Household.id)):
            out |= {v for v in r if v}
        return out


def test_only_public_columns_and_the_dates(sctx, sf, tmp_path):
    add_people(sf)
    out = tmp_path / "公示.xlsx"
    r = export_notice_list(sctx, out, start=START, end=END, term="2020秋")
    assert r.students == 2 and r.with_amount == 0
    ws = openpyxl.load_workbook(out)["公示名单"]
    assert "公示名单" in ws["A1"].value and "阚疃镇中心学校" in ws["A1"].value
    assert ws["A2"].value == "公示时间：2020年9月7日至2020年9月11日"
    assert ws["B3"].value == dt.datetime(2020, 9, 7) and ws["D3"].value == dt.datetime(2020, 9, 11)
    assert [c.value for c in ws[4]] == HEADERS == ["姓名", "学校", "年级", "班级", "认定等级", "金额(元)"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, max_row=6, values_only=True)}
    assert rows["张小明"][1:5] == ("阚疃镇中心学校", "四年级", "2", "特别困难")   # never the categories
    assert rows["张小明"][5] is None                       # amounts arrive with the aid module
    assert ws.freeze_panes == "A5"


def test_no_personal_numbers_full_or_partial(sctx, sf, tmp_path):
    add_people(sf)
    fill_demo(sctx, 200)
    out = tmp_path / "公示.xlsx"
    export_notice_list(sctx, out, start=START, end=END)
    cells = all_cells(out)
    text = "\n".join(cells)
    assert len(cells) > 200
    windows = set()
    for secret in secrets(sf):
        plain = re.sub(r"\D", "", secret)
        windows |= {plain[i:i + 6] for i in range(len(plain) - 5)}
    assert len(windows) > 1000
    found = [(c, w) for c in cells for run in re.findall(r"\d{6,}", c) for w in windows if w in run]
    assert not found
    assert "2010-05-03" not in text and "前进村" not in text and "3组" not in text


def test_amount_hook(sctx, sf, tmp_path):
    add_people(sf)
    with sf() as s:
        sid = s.scalar(select(Student.id).where(Student.name == "张小明"))
    out = tmp_path / "公示.xlsx"
    r = export_notice_list(sctx, out, start=START, end=END, amounts=lambda ids: {sid: 50000})
    assert r.with_amount == 1
    ws = openpyxl.load_workbook(out)["公示名单"]
    cell = next(row[5] for row in ws.iter_rows(min_row=5) if row[0].value == "张小明")
    assert cell.value == 500 and cell.number_format == "0.00"


def test_notice_period_rules(sctx, sf, tmp_path):
    add_people(sf)
    with pytest.raises(ValidationError, match="5 个工作日"):
        export_notice_list(sctx, tmp_path / "a.xlsx", start=START, end=dt.date(2020, 9, 10))
    with pytest.raises(ValidationError, match="不能早于"):
        export_notice_list(sctx, tmp_path / "a.xlsx", start=END, end=START)
    with pytest.raises(ValidationError):
        export_notice_list(sctx, tmp_path / "a.xlsx", start="下周一", end=END)
    assert not (tmp_path / "a.xlsx").exists()


def test_cli(sf, database, tmp_path, capsys):
    add_people(sf)
    database.dispose()
    out = tmp_path / "n.xlsx"
    assert run(["export", "notice", str(out), "--start", "2020-09-07", "--end", "2020-09-11",
                "--db", str(database.path)]) == 0
    assert "2 名学生" in capsys.readouterr().out and out.exists()
    assert run(["export", "workbook", str(tmp_path / "w.xlsx"), "--term", "2020秋", "--filled-by", "李老师",
                "--db", str(database.path)]) == 0
    assert "学生名册：2 行" in capsys.readouterr().out
    assert run(["export", "workbook", str(tmp_path / "w.xlsx"), "--term", "乱写", "--db", str(database.path)]) == 2


def test_amounts_come_from_the_terms_aid_batch(sctx, sf, tmp_path):
    from db.aid.service import AidService
    from db.models.aid import Disbursement
    fill_demo(sctx, 80)
    AidService(sctx).plan("2020秋")
    out = tmp_path / "公示.xlsx"
    r = export_notice_list(sctx, out, start=START, end=END, term="2020秋")
    assert r.with_amount > 0
    ws = openpyxl.load_workbook(out)["公示名单"]
    shown = sum(row[5] for row in ws.iter_rows(min_row=5, values_only=True) if row[5] is not None)
    with sf() as s:
        want: dict[int, int] = {}
        for sid, fen, status in s.execute(select(Disbursement.student_id, Disbursement.amount_fen,
                                                 Disbursement.status)):
            if status != "已作废":
                want[sid] = want.get(sid, 0) + fen
    from db.aid.notice import notice_rows
    listed = {row[0] for row in notice_rows(sctx)}
    assert round(shown * 100) == sum(f for sid, f in want.items() if sid in listed)
    r2 = export_notice_list(sctx, tmp_path / "b.xlsx", start=START, end=END, term="2021春")
    assert r2.with_amount == 0                               # no batch for that term: blank amounts
