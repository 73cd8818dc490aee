"""Messy cells: what real files bring in each column, and what the importer makes of it."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import select

from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.exchange import import_values as iv
from db.exchange.import_write import run_import
from db.exchange.importer import preview_import
from db.models.registry import Student
from tests.db.exchange.files import bad_check, make_id, write_xlsx

HEAD = ["姓名", "性别", "身份证号", "出生日期", "学段", "年级"]


def one(sctx, tmp_path, row, head=HEAD, **kw):
    p = write_xlsx(tmp_path / "one.xlsx", [head, row], **kw)
    return preview_import(sctx, p)


def reasons(preview, field=None, kind=None):
    return [p.reason for p in preview.problems if (field is None or p.field == field)
            and (kind is None or p.kind == kind)]


def test_spaces_tabs_breaks_apostrophe_fullwidth_and_lower_x(sctx, sf, tmp_path):
    number = make_id(dt.date(2011, 3, 9), seq=9)
    while not number.endswith("X"):                      # find one whose check char is X
        number = make_id(dt.date(2011, 3, 9), seq=int(number[14:17]) + 1)
    full = number[:17].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    cases = [f" {number[:6]} {number[6:]}\t", f"'{number}", f"{number[:9]}\n{number[9:]}", full,
             number.lower()]
    rows = [["王一", None, c] for c in cases]
    p = write_xlsx(tmp_path / "m.xlsx", [["姓名 ", "性别", "身份证\n号码"]] + rows)
    pv = preview_import(sctx, p)
    assert pv.rejected == 0, [x.reason for x in pv.problems]
    assert [r.student["id_number"] for r in pv.new] == [number]     # five spellings of one child
    assert [(d.kind, d.rows) for d in pv.duplicates] == [("same_person", [2, 3, 4, 5, 6])]
    rows = [[" 王\t小明 ", "男 ", f" {number} "]]
    pv = one(sctx, tmp_path, rows[0], head=["姓名", "性别", "身份证号"])
    assert pv.new[0].student["name"] == "王小明"


@pytest.mark.parametrize("raw", ["2010-05-03", "2010.05.03", "2010/5/3", "20100503", "2010年5月3日",
                                 dt.datetime(2010, 5, 3), 40301, "2010-05-03 00:00:00"])
def test_each_date_form(raw):
    assert iv.parse_date(raw) == dt.date(2010, 5, 3)


def test_dates_in_a_real_file(sctx, sf, tmp_path):
    number = make_id(dt.date(2010, 5, 3), seq=1)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "出生日期"])
    for i, d in enumerate(["2010.05.03", "2010/5/3", "20100503", "2010年5月3日", dt.date(2010, 5, 3)]):
        ws.append([f"李{'一二三四五'[i]}", make_id(dt.date(2010, 5, 3), seq=i + 1), d])
        ws.cell(ws.max_row, 2).number_format = "@"
    ws.cell(ws.max_row, 3).number_format = "yyyy-mm-dd"
    wb.save(tmp_path / "d.xlsx")
    pv = preview_import(sctx, tmp_path / "d.xlsx")
    assert not pv.problems, [p.reason for p in pv.problems]
    assert {r.student["birth_date"] for r in pv.new} == {dt.date(2010, 5, 3)}
    assert number in {r.student["id_number"] for r in pv.new}


def test_bad_date_is_a_warning():
    with pytest.raises(ValueError, match="不是可识别的日期"):
        iv.parse_date("五月三日")
    with pytest.raises(ValueError, match="不是有效日期"):
        iv.parse_date("2010-02-30")


def test_gender_as_1_and_2(sctx, sf, tmp_path):
    girl = make_id(male=False, seq=2)
    p = write_xlsx(tmp_path / "g.xlsx", [["姓名", "性别", "身份证号"], ["张男", 1, make_id(seq=1)],
                                         ["张女", "2", girl], ["张三", "女", make_id(seq=3)]])
    pv = preview_import(sctx, p)
    assert [r.student["gender"] for r in pv.new] == ["男", "女", "男"]
    assert reasons(pv, "gender") == ["性别与身份证号不一致，以身份证号为准（男）"]   # only row 4


def test_id_stored_as_a_number_is_rejected_never_repaired(sctx, sf, tmp_path):
    number = make_id(seq=5)
    pv = one(sctx, tmp_path, ["王五", "男", int(number)], text_ids=False)
    assert pv.rejected == 1 and pv.importable == 0
    (problem,) = [p for p in pv.problems if p.kind == "rejected"]
    assert "存成了数字" in problem.reason and "无法恢复" in problem.reason
    assert problem.row == 2 and problem.column == "身份证号" and problem.column_letter == "C"
    assert problem.sheet == "名单"


def test_id_shown_as_scientific_text_is_rejected(sctx, sf, tmp_path):
    pv = one(sctx, tmp_path, ["王五", "男", "3.41623E+17"])
    assert pv.rejected == 1
    assert "科学计数法" in reasons(pv, "id_number", "rejected")[0]


def test_bad_check_character_is_rejected(sctx, sf, tmp_path):
    pv = one(sctx, tmp_path, ["王五", "男", bad_check(make_id(seq=5))])
    assert pv.rejected == 1 and "校验位错误" in reasons(pv, "id_number")[0]


def test_fifteen_digit_id_is_converted_and_flagged(sf, tmp_path):
    eighteen = make_id(dt.date(1995, 7, 1), seq=7)
    fifteen = eighteen[:6] + eighteen[8:17]
    in_2020 = ServiceContext(sf, Actor("李老师"), FixedClock(dt.datetime(2020, 9, 1, 2), dt.date(2020, 9, 1)))
    pv = one(in_2020, tmp_path, ["王老", "", fifteen])      # 25 in 2020: a 中职 pupil can be
    assert pv.rejected == 0 and pv.new[0].student["id_number"] == eighteen
    assert "15 位" in reasons(pv, "id_number", "warning")[0]


def test_birth_date_and_gender_disagreeing_with_id_warn_and_the_id_wins(sctx, sf, tmp_path):
    number = make_id(dt.date(2010, 5, 3), male=True, seq=3)
    pv = one(sctx, tmp_path, ["王五", "女", number, "2011-01-01", "小学", "4年级"])
    st = pv.new[0].student
    assert st["gender"] == "男" and st["birth_date"] == dt.date(2010, 5, 3)
    assert st["grade"] == "四年级" and st["stage"] == "小学"
    warned = reasons(pv, kind="warning")
    assert any("出生日期与身份证号不一致" in w for w in warned)
    assert any("性别与身份证号不一致" in w for w in warned)
    run_import(sctx, pv)
    with sf() as s:
        assert s.scalar(select(Student.gender)) == "男"


def test_doubtful_optional_values_are_left_out_with_a_warning(sctx, sf, tmp_path):
    head = ["姓名", "身份证号", "联系电话", "银行卡号", "资助对象类别", "寄宿/走读"]
    pv = one(sctx, tmp_path, ["王五", make_id(), "12345", 6228480000000000000.0, "残疾、外星人", "住宿舍"],
             head=head, text_ids=False)
    st = pv.new[0].student
    assert pv.rejected == 0
    assert "phone" not in st and "bank_card_no" not in st and "residence" not in st
    assert pv.new[0].categories == ["残疾学生"]
    kinds = {p.field for p in pv.problems if p.kind == "warning"}
    assert kinds == {"phone", "bank_card_no", "categories", "residence"}


@pytest.mark.parametrize("raw,expected", [("初一", ("七年级", "初中")), ("4", ("四年级", "小学")),
                                          ("小学四年级", ("四年级", "小学")), ("高二", ("高二", "普通高中"))])
def test_grade_forms(raw, expected):
    assert iv.parse_grade(raw) == expected


def test_stage_and_grade_disagreeing():
    with pytest.raises(ValueError, match="初中没有"):
        iv.parse_grade("四年级", "初中")


def test_checking_a_list_column_by_column_matches_checking_each_row_alone(tmp_path):
    """The importer checks rows in batches with shared caches; every row must come out exactly as
    it would on its own (values, household, categories and the problems in the same order)."""
    from db.exchange.import_rows import RowChecker, validate
    from db.exchange.reader import open_table
    head = ["序号", "乡镇", "村", "户主姓名", "姓名", "性别", "身份证号", "学段", "年级", "资助对象类别",
            "出生日期", "联系电话", "银行卡号", "户主身份证号", "学籍号"]
    twin = make_id(dt.date(2011, 2, 3), True, seq=5)
    rows = [head]
    for i in range(1, 40):
        number = make_id(dt.date(2010, 1 + i % 12, 1 + i % 27), i % 2 == 1, seq=i)
        rows.append([i, "阚疃镇" if i % 3 else " 阚疃镇\t", "前进村", "王大" if i % 4 else "王 大",
                     f"李{'一二三四五'[i % 5]}",
                     ("男", "女", "1", 2, "x")[i % 5], number if i % 7 else bad_check(number),
                     "小学", (4, "4", "四年级", "初一", "九年级")[i % 5], ("建档立卡、低保", "脱贫户", "外星人", "")[i % 4],
                     (dt.datetime(2010, 1, 1), "2010.5.3", 20100503, "不详")[i % 4],
                     ("13912345678", "1391234567", 13912345678.0, "")[i % 4],
                     ("6228480402564890018", "6228480402564890011", "62284804", "")[i % 4],
                     (twin, bad_check(twin), 1.0, "")[i % 4], ("G" + number, "L123", "", "g" + number)[i % 4]])
    path = write_xlsx(tmp_path / "mix.xlsx", rows, merges=["B2:B4"])
    table, stream = open_table(path)
    checker = RowChecker(set(table.mapping.values()))      # caches shared across the batches
    batched = [r for numbers, cols in stream.batches(7) for r in checker.check(numbers, cols)]
    table, stream = open_table(path)
    alone = [validate(src) for src in stream]
    assert len(batched) == len(alone) == 39

    def view(r):
        return r.row, r.data, r.hdata, r.categories, [(i.field, i.value, i.reason, i.fatal) for i in r.issues]
    assert [view(r) for r in batched] == [view(r) for r in alone]
    assert sum(len(r.issues) for r in alone) > 39                # the list really is messy
