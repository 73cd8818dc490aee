"""公示名单 (xlsx and PDF): only 姓名 学校 年级 班级 资助项目 档次 金额, for students with a live line in
the term; never a category or a personal number; a period of at least 5 working days counted with the
official holidays and 调休."""
from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from sqlalchemy import select

from db.aid.notice import HEADERS
from db.aid.workdays import working_days
from db.cli import run
from db.demo import fill_demo
from db.docs.kinds import Selection
from db.errors import LedgerError, ValidationError
from db.models.core import Setting
from db.models.registry import Household, School, Student
from tests.db.docs.conftest import pdf_text

START, END = dt.date(2020, 9, 7), dt.date(2020, 9, 11)
CATEGORIES = ("建档立卡", "孤儿", "残疾", "低保", "特困", "监测", "事实无人抚养", "烈士", "优抚", "其他困难")


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


@pytest.fixture
def school(sf):
    with sf.begin() as s:
        s.add(School(name="阚疃镇中心学校", county="利辛县", phone="0558-8812345"))
        s.add(Setting(key="school.county_hotline", value="0558-8800000"))


def test_2020_national_day_and_its_working_sunday():
    """2020: 1–8 October off; Sunday 27 September and Saturday 10 October worked."""
    assert working_days(dt.date(2020, 9, 25), dt.date(2020, 10, 9)).days == 6     # 25, 27, 28, 29, 30 Sept, 9 Oct
    assert working_days(dt.date(2020, 9, 26), dt.date(2020, 9, 27)).days == 1
    assert working_days(START, END).days == 5 and working_days(START, END).exact


def test_only_public_columns_and_only_students_with_a_live_line(svc, make_student, school, tmp_path):
    paid = make_student(stage="初中", residence="寄宿", categories=("建档立卡", "孤儿"), name="张小明",
                        class_name="2班", level=None)
    nothing = make_student(stage="初中", residence="走读", categories=("残疾人子女",), level="不困难", name="李四")
    senior = make_student(stage="普通高中", categories=("建档立卡",), level=None, name="王五", class_name="1班")
    svc.plan("2020秋")
    out = tmp_path / "公示.xlsx"
    r = svc.export_notice(out, start=START, end=END, term="2020秋")
    assert (r.students, r.lines, r.working_days) == (2, 3, 5)
    ws = openpyxl.load_workbook(out)["公示名单"]
    assert ws["A1"].value == "阚疃镇中心学校2020年秋季学期学生资助公示名单"
    assert ws["A2"].value == "公示时间：2020年9月7日至2020年9月11日（5个工作日）"
    assert [c.value for c in ws[3]] == HEADERS == ["姓名", "学校", "年级", "班级", "资助项目", "档次", "金额(元)"]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] in ("张小明", "王五", "李四")]
    assert ("张小明", "阚疃镇中心学校", "八年级", "2班", "寄宿生生活补助", None, 625) in rows
    assert ("王五", "阚疃镇中心学校", "高一", "1班", "普通高中国家助学金", "最高档", 1500) in rows
    assert ("王五", "阚疃镇中心学校", "高一", "1班", "普通高中免学杂费", None, "减免") in rows   # never 0.00
    assert not any(r[0] == "李四" for r in rows)
    text = "\n".join(all_cells(out))
    assert not any(c in text for c in CATEGORIES)
    assert "0558-8812345" in text and "0558-8800000" in text and "（盖章）" in text and "年　　月　　日" in text
    assert ws.freeze_panes == "A4"
    assert {paid, senior} and nothing


def test_no_personal_numbers_full_or_partial(sctx, sf, svc, tmp_path):
    fill_demo(sctx, 200)
    svc.plan("2020秋")
    out = tmp_path / "公示.xlsx"
    svc.export_notice(out, start=START, end=END)
    cells = all_cells(out)
    assert len(cells) > 200
    windows = set()
    for secret in secrets(sf):
        plain = re.sub(r"\D", "", secret)
        windows |= {plain[i:i + 6] for i in range(len(plain) - 5)}
    assert len(windows) > 1000
    found = [(c, w) for c in cells for run in re.findall(r"\d{6,}", c) for w in windows if w in run]
    assert not found
    text = "\n".join(cells)
    assert "前进村" not in text and not any(c in text for c in CATEGORIES)


def test_notice_period_rules(svc, make_student, school, tmp_path):
    make_student()
    svc.plan("2020秋")
    with pytest.raises(ValidationError, match="5 个工作日"):
        svc.export_notice(tmp_path / "a.xlsx", start=START, end=dt.date(2020, 9, 10))
    with pytest.raises(ValidationError, match="只有 3 个工作日"):       # 9/28–10/8: the holiday does not count
        svc.export_notice(tmp_path / "a.xlsx", start=dt.date(2020, 9, 28), end=dt.date(2020, 10, 8))
    r = svc.export_notice(tmp_path / "b.xlsx", start=dt.date(2020, 9, 27), end=dt.date(2020, 10, 9))
    assert r.working_days == 5                                        # the working Sunday counts
    with pytest.raises(ValidationError, match="不能早于"):
        svc.export_notice(tmp_path / "a.xlsx", start=END, end=START)
    with pytest.raises(ValidationError):
        svc.export_notice(tmp_path / "a.xlsx", start="下周一", end=END)
    with pytest.raises(LedgerError, match="还没有发放批次"):
        svc.export_notice(tmp_path / "a.xlsx", start=START, end=END, term="2021春")
    assert not (tmp_path / "a.xlsx").exists()


def test_the_pdf_shows_the_same_and_refuses_a_short_period(sctx, svc, make_student, school, tmp_path):
    from db.aid.paper import notice_sections
    from db.docs.render import render_batch
    make_student(stage="初中", residence="寄宿", categories=("建档立卡", "孤儿"), name="张小明", level=None)
    make_student(stage="普通高中", categories=("建档立卡",), level=None, name="王五")
    svc.plan("2020秋")
    sel = Selection(term="2020秋", all=True, start=dt.date(2020, 9, 25), end=dt.date(2020, 10, 9))
    out = tmp_path / "公示.pdf"
    render_batch(notice_sections(sctx, sel), out)
    text = pdf_text(out)
    for word in ("姓名", "学校", "年级", "班级", "资助项目", "档次", "金额", "张小明", "最高档", "减免",
                 "6个工作日", "0558-8812345", "0558-8800000", "阚疃镇中心学校"):
        assert word in text, word
    assert not any(c in text for c in CATEGORIES)
    with pytest.raises(ValidationError, match="5 个工作日"):
        notice_sections(sctx, Selection(term="2020秋", all=True, start=dt.date(2020, 9, 28),
                                        end=dt.date(2020, 10, 8)))


def test_cli(sctx, svc, make_student, school, database, tmp_path, capsys):
    make_student()
    svc.plan("2020秋")
    database.dispose()
    out = tmp_path / "n.xlsx"
    assert run(["export", "notice", str(out), "--start", "2020-09-07", "--end", "2020-09-11",
                "--db", str(database.path)]) == 0
    assert "1 名学生" in capsys.readouterr().out and out.exists()
    assert run(["export", "notice", str(out), "--start", "2020-09-28", "--end", "2020-10-08",
                "--db", str(database.path)]) == 2
