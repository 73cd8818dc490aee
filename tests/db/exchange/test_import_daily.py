"""Defects found by using the importer as an aid officer would (issue 10): each test failed before
the fix it names."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.exchange import import_values as iv
from db.exchange.import_write import run_import
from db.exchange.importer import preview_import
from db.exchange.reader import read_table
from db.models.registry import Household, Student, StudentCategory
from db.registry.dto import StudentForm
from db.registry.service import RegistryService
from tests.db.exchange.files import make_id, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[3]
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def households(sf) -> list[tuple]:
    with sf() as s:
        return list(s.execute(select(Household.household_no, Household.head_id_number, Household.phone)
                              .order_by(Household.id)))


# ---- item 5: one full-width digit made a second child ------------------------------------------
def test_one_full_width_digit_is_the_same_child_not_a_second_one(sctx, sf, tmp_path):
    number = make_id(seq=3)
    odd = number[:8] + number[8].translate(FULL) + number[9:]          # 18 characters, one full-width
    assert len(odd) == 18 and odd != number
    p = write_xlsx(tmp_path / "f.xlsx", [["姓名", "身份证号"], ["李明", number], ["李明", odd]])
    pv = preview_import(sctx, p)
    assert [r.id_number for r in pv.new] == [number]
    assert [(d.kind, d.rows) for d in pv.duplicates] == [("same_person", [2, 3])]
    run_import(sctx, pv)
    again = preview_import(sctx, write_xlsx(tmp_path / "g.xlsx", [["姓名", "身份证号"], ["李明", odd]]))
    assert again.new == [] and again.unchanged == 1                     # the child already in the roll
    with sf() as s:
        assert s.scalars(select(Student.id_number)).all() == [number]


# ---- item 3: an old 15-digit ID of a child ------------------------------------------------------
def test_a_childs_fifteen_digit_id_is_refused_with_the_reason(sctx, tmp_path):
    eighteen = make_id(dt.date(2008, 4, 2), seq=4)
    fifteen = eighteen[:6] + eighteen[8:17]                             # "19" gives 1908
    pv = preview_import(sctx, write_xlsx(tmp_path / "c.xlsx", [["姓名", "身份证号"], ["王小", fifteen]]))
    assert pv.rejected == 1 and pv.new == []
    reason = next(p.reason for p in pv.problems if p.field == "id_number")
    assert "1908-04-02" in reason and "18 位" in reason


def test_the_form_refuses_it_too(services):
    eighteen = make_id(dt.date(2008, 4, 2), seq=4)
    with pytest.raises(Exception) as e:
        services.registry.save_student(StudentForm(name="王小", id_number=eighteen[:6] + eighteen[8:17]))
    assert "1908-04-02" in e.value.problems["id_number"]


def test_a_birth_date_no_pupil_has_is_a_warning(sctx, tmp_path):
    old = make_id(dt.date(1970, 1, 5), seq=2)
    pv = preview_import(sctx, write_xlsx(tmp_path / "o.xlsx", [["姓名", "身份证号"], ["王老", old]]))
    assert pv.rejected == 0
    assert any("岁" in p.reason and p.kind == "warning" for p in pv.problems)


# ---- item 6: different families with one head name in one village group -------------------------
HH = ["户编号", "户主姓名", "户主身份证号", "乡镇", "村", "组", "家庭联系电话", "姓名", "身份证号"]


def test_rows_with_their_own_number_and_head_id_stay_two_households(sctx, sf, tmp_path):
    head1, head2 = make_id(dt.date(1980, 1, 1), seq=1), make_id(dt.date(1982, 2, 2), seq=2)
    rows = [HH, ["H001", "张伟", head1, "城关镇", "东村", "1组", "13800000001", "张一", make_id(seq=11)],
            ["H002", "张伟", head2, "城关镇", "东村", "1组", "13800000002", "张二", make_id(seq=12)]]
    pv = preview_import(sctx, write_xlsx(tmp_path / "h.xlsx", rows))
    assert pv.questions == []
    run_import(sctx, pv)
    assert households(sf) == [("H001", head1, "13800000001"), ("H002", head2, "13800000002")]


def test_name_and_place_alone_is_a_question_and_the_answer_decides(sctx, sf, tmp_path):
    head1 = make_id(dt.date(1980, 1, 1), seq=1)
    rows = [HH, ["H001", "张伟", head1, "城关镇", "东村", "1组", "", "张一", make_id(seq=11)],
            ["", "张伟", "", "城关镇", "东村", "1组", "", "张二", make_id(seq=12)]]
    pv = preview_import(sctx, write_xlsx(tmp_path / "q.xlsx", rows))
    [q] = pv.questions
    assert q.kind == "household" and q.rows == [3] and "第 2 行" in q.text and q.answer == "same"
    q.answer = "new"                                                    # the officer: another family
    run_import(sctx, pv)
    with sf() as s:
        assert s.scalar(select(func.count(Household.id))) == 2
        assert s.scalar(select(func.count(func.distinct(Student.household_id)))) == 2


def test_unanswered_the_name_match_joins_the_family(sctx, sf, tmp_path):
    rows = [HH, ["", "张伟", "", "城关镇", "东村", "1组", "", "张一", make_id(seq=11)],
            ["", "李四", "", "城关镇", "东村", "1组", "", "李二", make_id(seq=13)],
            ["", "张伟", "", "城关镇", "东村", "1组", "", "张二", make_id(seq=12)]]
    pv = preview_import(sctx, write_xlsx(tmp_path / "u.xlsx", rows))
    assert [q.rows for q in pv.questions] == [[4]]
    run_import(sctx, pv)
    with sf() as s:
        assert s.scalar(select(func.count(Household.id))) == 2


# ---- item 7: rare characters ------------------------------------------------------------------
@pytest.mark.parametrize("name", ["王𠮷", "李䶮", "阿依古丽·买买提", "𪚥明", "𬌗子"])
def test_rare_characters_are_accepted_and_kept_exactly(sctx, sf, services, tmp_path, name):
    pv = preview_import(sctx, write_xlsx(tmp_path / "r.xlsx", [["姓名", "户主姓名", "身份证号"],
                                                              [name, name + "父", make_id(seq=21)]]))
    assert pv.rejected == 0, [p.reason for p in pv.problems]
    run_import(sctx, pv)
    saved = services.registry.save_student(StudentForm(name=name, id_number=make_id(seq=22)))
    with sf() as s:
        assert s.scalars(select(Student.name).order_by(Student.id)).all() == [name, name]
        assert s.scalar(select(Household.head_name)) == name + "父"
    assert saved.name == name


# ---- item 8: nothing cut silently ---------------------------------------------------------------
def test_long_notes_and_addresses_are_kept_or_warned_with_row_and_column(sctx, sf, tmp_path):
    note = "第一行\n" + "备" * 600 + "\n'引号'"
    address = "城关镇东村" + "路" * 250
    rows = [["姓名", "身份证号", "户主姓名", "家庭住址", "备注"], ["王五", make_id(seq=5), "王大", address, note]]
    pv = preview_import(sctx, write_xlsx(tmp_path / "t.xlsx", rows))
    warned = [(p.row, p.column_letter, p.reason) for p in pv.problems if p.kind == "warning"]
    assert warned == [(2, "D", "家庭住址有 255 个字，超过 200 字，只导入了前 200 个字")]
    run_import(sctx, pv)
    with sf() as s:
        assert s.scalar(select(Student.notes)) == note                  # whole, with its line breaks and quotes
        assert s.scalar(select(Household.address)) == address[:200]


def test_an_undecodable_byte_in_a_csv_names_its_line(sctx, tmp_path):
    p = tmp_path / "bad.csv"
    good = f"姓名,身份证号\n王一,{make_id(seq=1)}\n李二,{make_id(seq=2)}\n".encode()
    p.write_bytes(good + b"\xff\xfe\xfd,1\n")
    with pytest.raises(Exception, match="第 4 行有无法识别的字节"):
        read_table(p)


def test_a_gbk_csv_still_reads(tmp_path):
    p = write_csv(tmp_path / "g.csv", [["姓名", "身份证号"], ["王𠮷", make_id(seq=1)]], "gb18030")
    assert read_table(p).rows[0].values["name"] == "王𠮷"


# ---- item 15: header and value vocabulary ----------------------------------------------------------
def test_county_wordings_of_headers_and_values(sctx, sf, tmp_path):
    rows = [["姓名", "公民身份号码", "贫困类型", "村组（社区）", "所在乡镇（街道）", "家庭人口", "是否留守"],
            ["王一", make_id(seq=1), "建档立卡脱贫户", "东村", "城关镇", 4, "是"],
            ["王二", make_id(seq=2), "特困供养", "东村", "城关镇", 3, "否"],
            ["王三", make_id(seq=3), "低保户", "西村", "城关镇", 5, "否"]]
    pv = preview_import(sctx, write_xlsx(tmp_path / "v.xlsx", rows))
    assert pv.mapping == {0: "name", 1: "id_number", 2: "categories", 3: "village", 4: "township"}
    assert pv.unused_columns == ["家庭人口（F列）", "是否留守（G列）"]
    meanings = {v.value: v.meaning for v in pv.value_meanings}
    assert meanings["建档立卡脱贫户"] == "建档立卡（脱贫户）" and meanings["特困供养"] == "特困供养"
    assert "待您确定" in meanings["低保户"]
    [q] = pv.questions                                                  # 低保 without 城/乡: asked, not guessed
    assert q.kind == "category" and q.rows == [4] and q.answer == ""
    q.answer = "城市低保"
    run_import(sctx, pv)
    with sf() as s:
        cats = dict(s.execute(select(Student.name, StudentCategory.category).join(StudentCategory)).all())
    assert cats == {"王一": "建档立卡", "王二": "特困供养", "王三": "城市低保"}


@pytest.mark.parametrize("header", ["贫困属性", "家庭经济困难类型", "村（居）", "所在村组"])
def test_more_county_headers(header):
    from db.exchange.mapping import field_for
    assert field_for(header) == ("categories" if "困" in header else "village")


def test_import_json_lists_unused_columns(tmp_path):
    p = write_xlsx(tmp_path / "j.xlsx", [["姓名", "身份证号", "家庭人口"], ["王一", make_id(seq=1), 4]])
    r = subprocess.run([sys.executable, "main.py", "import", str(p), "--json", "--dry-run",
                        "--db", str(tmp_path / "j.sqlite3")], cwd=ROOT, capture_output=True, text=True,
                       encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["unused_columns"] == ["家庭人口（C列）"]


def test_di_bao_alone_is_no_longer_guessed_as_rural():
    assert iv.parse_categories("低保") == ([], ["低保"])
    assert iv.split_questions(["低保", "外星人"]) == (["外星人"], ("低保",))


# ---- item 19: a blank row under a merged 乡镇 cell; household changes in updates ------------------
def test_a_blank_row_kept_only_by_a_merged_township_is_one_ignored_row(sctx, tmp_path):
    rows = [["乡镇", "姓名", "身份证号"], ["城关镇", "王一", make_id(seq=1)], ["", "", ""],
            ["", "王二", make_id(seq=2)]]
    pv = preview_import(sctx, write_xlsx(tmp_path / "m.xlsx", rows, merges=["A2:A4"]))
    assert pv.rejected == 0 and len(pv.new) == 2
    assert [(p.row, p.kind) for p in pv.problems] == [(3, "warning")]


def test_updates_show_and_apply_household_changes(sctx, sf, tmp_path):
    number = make_id(seq=1)
    first = [HH, ["H001", "张伟", "", "城关镇", "东村", "1组", "13800000001", "张一", number]]
    run_import(sctx, preview_import(sctx, write_xlsx(tmp_path / "a.xlsx", first)))
    first[1][6], first[1][4] = "13900000009", "西村"
    pv = preview_import(sctx, write_xlsx(tmp_path / "b.xlsx", first))
    [u] = pv.updates
    assert {(c.label, c.old, c.new) for c in u.household_changes} == {("家庭联系电话", "13800000001", "13900000009"),
                                                                      ("村", "东村", "西村")}
    run_import(sctx, pv, apply_updates=True)
    with sf() as s:
        assert s.execute(select(Household.phone, Household.village)).one() == ("13900000009", "西村")


def test_plausible_old_id_in_2020(sf, tmp_path):
    in_2020 = ServiceContext(sf, Actor("李老师"), FixedClock(dt.datetime(2020, 9, 1, 2), dt.date(2020, 9, 1)))
    reg = RegistryService(in_2020)
    eighteen = make_id(dt.date(1996, 7, 1), seq=7)
    assert reg.save_student(StudentForm(name="王老", id_number=eighteen[:6] + eighteen[8:17])).id_number == eighteen
