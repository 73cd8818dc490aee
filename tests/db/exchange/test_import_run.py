"""The import as a whole: duplicates, conflicts, updates on agreement, one transaction, cancel,
households, the audit log, 导出问题行 and remembered mappings."""
from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest
from sqlalchemy import func, select

from db.demo import GIVEN, SURNAMES, fill_demo
from db.errors import LedgerError
from db.exchange import import_write as importer_mod
from db.exchange.import_problems import REASON_HEADER, export_problem_rows
from db.exchange.import_write import run_import
from db.exchange.importer import preview_import
from db.exchange.reader import Cancelled
from db.models.core import AuditLog, Setting
from db.models.registry import Household, Student, StudentCategory
from db.pinyin import PinyinCache, pinyin_keys
from tests.db.exchange.files import HEAD, bad_check, make_id, student_row, write_xlsx


def counts(sf) -> tuple[int, int, int, int]:
    with sf() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in
                     (Student, Household, StudentCategory, AuditLog))


def roster(tmp_path, n=6, name="r.xlsx", **kw):
    return write_xlsx(tmp_path / name, [HEAD] + [student_row(i) for i in range(1, n + 1)], **kw)


def test_clean_import_writes_students_households_categories_and_audit(sctx, sf, tmp_path):
    pv = preview_import(sctx, roster(tmp_path))
    assert (pv.rows_read, pv.importable, pv.rejected) == (6, 6, 0)
    result = run_import(sctx, pv)
    assert result.imported == 6 and result.households_created == 6
    with sf() as s:
        st = s.scalars(select(Student).order_by(Student.id)).first()
        assert st.name == student_row(1)[4] and st.id_number == student_row(1)[6]
        assert st.stage == "小学" and st.grade == "四年级" and st.gender == "男"
        assert (st.name_pinyin, st.name_initials) == pinyin_keys(st.name)
        assert st.household.head_name == student_row(1)[3] and st.household.village == "前进村"
        assert st.household.poverty_status is None
        assert [c.category for c in st.categories] == ["建档立卡"]
        log = s.scalars(select(AuditLog)).one()
        assert log.action == "import" and "r.xlsx" in log.summary and "新增 6 人" in log.summary


def test_same_person_twice_is_imported_once_and_reported(sctx, sf, tmp_path):
    rows = [HEAD, student_row(1), student_row(2), student_row(1)]
    pv = preview_import(sctx, write_xlsx(tmp_path / "d.xlsx", rows))
    assert pv.importable == 2 and pv.rejected == 0
    (dup,) = pv.duplicates
    assert (dup.kind, dup.rows, dup.id_number) == ("same_person", [2, 4], student_row(1)[6])
    assert any(p.kind == "same_person" and p.row == 4 for p in pv.problems)
    run_import(sctx, pv)
    assert counts(sf)[0] == 2


def test_same_id_different_name_is_a_conflict_and_both_rows_are_held_back(sctx, sf, tmp_path):
    other = student_row(3, number=student_row(1)[6])
    rows = [HEAD, student_row(1), student_row(2), other]
    pv = preview_import(sctx, write_xlsx(tmp_path / "c.xlsx", rows))
    (dup,) = pv.duplicates
    assert dup.kind == "conflict" and dup.rows == [2, 4]
    assert pv.rejected_rows == [2, 4] and pv.importable == 1
    assert all("姓名不同" in p.reason for p in pv.problems if p.kind == "conflict")
    run_import(sctx, pv)
    with sf() as s:
        assert s.scalars(select(Student.name)).all() == [student_row(2)[4]]


def test_existing_student_is_updated_only_when_agreed(sctx, sf, tmp_path):
    run_import(sctx, preview_import(sctx, roster(tmp_path, 3)))
    rows = [HEAD] + [student_row(i) for i in range(1, 4)]
    rows[1][8] = "五年级"                                   # row 2: grade changed
    rows[2][9] = "建档立卡、农村低保"                        # row 3: a category added
    rows.append(student_row(4))                             # a new one
    p = write_xlsx(tmp_path / "u.xlsx", rows)
    pv = preview_import(sctx, p)
    assert len(pv.new) == 1 and pv.unchanged == 1
    changes = {u.row: [(c.field, c.old, c.new) for c in u.changes] for u in pv.updates}
    assert changes == {2: [("grade", "四年级", "五年级")], 3: [("categories", "建档立卡", "农村低保、建档立卡")]}
    before = counts(sf)
    result = run_import(sctx, pv)                             # default: not agreed
    assert result.updated == 0 and result.imported == 1
    with sf() as s:
        assert s.scalar(select(Student.grade).where(Student.id_number == student_row(1)[6])) == "四年级"
    assert counts(sf)[0] == before[0] + 1
    # agreed for one student only (by ID number)
    pv = preview_import(sctx, p)
    result = run_import(sctx, pv, apply_updates={student_row(1)[6]})
    assert result.updated == 1 and result.imported == 0
    with sf() as s:
        assert s.scalar(select(Student.grade).where(Student.id_number == student_row(1)[6])) == "五年级"
        sid = s.scalar(select(Student.id).where(Student.id_number == student_row(2)[6]))
        assert s.scalars(select(StudentCategory.category).where(StudentCategory.student_id == sid)).all() \
            == ["建档立卡"]
    result = run_import(sctx, preview_import(sctx, p), apply_updates=True)
    with sf() as s:
        assert sorted(s.scalars(select(StudentCategory.category).where(StudentCategory.student_id == sid))) \
            == ["农村低保", "建档立卡"]


def test_all_or_nothing_when_a_failure_happens_midway(sctx, sf, tmp_path, monkeypatch):
    fill_demo(sctx, 20)
    before = counts(sf)
    monkeypatch.setattr(importer_mod, "CHUNK", 3)
    pv = preview_import(sctx, roster(tmp_path, 10))
    calls = []

    def progress(done, total):
        calls.append(done)
        if done >= 6:                                       # households and two chunks are written
            raise RuntimeError("USB stick pulled")
    with pytest.raises(RuntimeError):
        run_import(sctx, pv, progress=progress)
    assert calls and calls[-1] == 6
    assert counts(sf) == before
    # and the same preview still imports completely afterwards
    run_import(sctx, pv)
    assert counts(sf)[0] == before[0] + 10


def test_cancel_during_run_rolls_back(sctx, sf, tmp_path, monkeypatch):
    monkeypatch.setattr(importer_mod, "CHUNK", 2)
    pv = preview_import(sctx, roster(tmp_path, 7))
    seen = []

    def cancelled():
        seen.append(1)
        return len(seen) > 2
    with pytest.raises(Cancelled):
        run_import(sctx, pv, cancelled=cancelled)
    assert counts(sf) == (0, 0, 0, 0)


def indexes(sf) -> list[tuple[str, str]]:
    with sf() as s:
        return s.connection().exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all()


def test_bulk_import_rebuilds_the_indexes_it_drops_and_a_cancel_keeps_them(sctx, sf, tmp_path, monkeypatch):
    monkeypatch.setattr(importer_mod, "BULK_MIN_ROWS", 1)     # 7 rows into an empty table: bulk
    monkeypatch.setattr(importer_mod, "CHUNK", 2)
    before = indexes(sf)
    assert any(name == "ix_student_name_pinyin" for name, _ in before)
    pv = preview_import(sctx, roster(tmp_path, 7))
    seen = []
    with pytest.raises(Cancelled):
        run_import(sctx, pv, cancelled=lambda: seen.append(1) or len(seen) > 2)
    assert indexes(sf) == before and counts(sf) == (0, 0, 0, 0)
    run_import(sctx, pv)
    assert indexes(sf) == before and counts(sf)[0] == 7
    with sf() as s:                                         # the rebuilt unique/name indexes are in use
        assert s.scalar(select(func.count()).select_from(Student).where(Student.name_pinyin != "")) == 7
        assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_a_small_import_into_a_big_table_keeps_its_indexes(sctx, sf, tmp_path, monkeypatch):
    fill_demo(sctx, 30)
    monkeypatch.setattr(importer_mod, "BULK_MIN_ROWS", 1)
    dropped = []
    real = importer_mod._drop_indexes_for_bulk
    monkeypatch.setattr(importer_mod, "_drop_indexes_for_bulk", lambda c, n: dropped.extend(real(c, n)) or [])
    run_import(sctx, preview_import(sctx, roster(tmp_path, 7)))
    assert dropped == []                                    # 7 new rows < 30 in the table


def test_cancel_during_preview(sctx, sf, tmp_path):
    with pytest.raises(Cancelled, match="已取消"):
        preview_import(sctx, roster(tmp_path, 3), cancelled=lambda: True)


def test_database_changed_after_preview_is_refused(sctx, sf, tmp_path):
    p = roster(tmp_path, 3)
    pv = preview_import(sctx, p)
    run_import(sctx, preview_import(sctx, p))
    with pytest.raises(LedgerError, match="重新预览"):
        run_import(sctx, pv)
    assert counts(sf)[0] == 3


def test_households_matched_by_number_then_head_id_then_head_and_place(sctx, sf, tmp_path):
    head = ["户编号", "户主姓名", "户主身份证号", "村", "组", "姓名", "身份证号"]
    hid = make_id(dt.date(1980, 1, 1), seq=40)
    rows = [head,
            ["H001", "张大山", None, "前进村", "3组", "张一", make_id(seq=1)],
            ["H001", "张大山", None, "前进村", "3组", "张二", make_id(seq=2)],     # same 户编号
            [None, "李大海", hid, "前进村", "1组", "李一", make_id(seq=3)],
            [None, "李大海", hid, "胜利村", "1组", "李二", make_id(seq=4)],        # same head ID
            [None, "王大河", None, "前进村", "2组", "王一", make_id(seq=5)],
            [None, "王大河", None, "前进村", "2组", "王二", make_id(seq=6)],       # same head + place
            [None, "王大河", None, "胜利村", "2组", "王三", make_id(seq=7)],       # another place
            [None, None, None, None, None, "赵一", make_id(seq=8)]]                # no household
    pv = preview_import(sctx, write_xlsx(tmp_path / "h.xlsx", rows))
    result = run_import(sctx, pv)
    assert result.imported == 8 and result.households_created == 4
    with sf() as s:
        by_name = dict(s.execute(select(Student.name, Student.household_id)).all())
    assert by_name["张一"] == by_name["张二"] and by_name["李一"] == by_name["李二"]
    assert by_name["王一"] == by_name["王二"] != by_name["王三"] and by_name["赵一"] is None
    # a second file with the same 户编号 joins the existing household
    rows2 = [head, ["H001", "张大山", None, "前进村", "3组", "张三", make_id(seq=9)]]
    run_import(sctx, preview_import(sctx, write_xlsx(tmp_path / "h2.xlsx", rows2)))
    with sf() as s:
        assert s.scalar(select(Student.household_id).where(Student.name == "张三")) == by_name["张一"]
        assert s.scalar(select(func.count(Household.id))) == 4


def test_export_problem_rows_ready_to_fix_and_import_again(sctx, sf, tmp_path):
    rows = [HEAD] + [student_row(i) for i in range(1, 6)]
    rows[2][6] = bad_check(rows[2][6])
    rows[4][6] = 341623201004040075                       # a number: digits lost
    p = write_xlsx(tmp_path / "p.xlsx", rows, title="名单", text_ids=True)
    wb = openpyxl.load_workbook(p)
    wb.active["G6"].number_format = "0"
    wb.save(p)
    pv = preview_import(sctx, p)
    assert pv.rejected_rows == [4, 6]
    out = tmp_path / "问题行.xlsx"
    assert export_problem_rows(pv, out) == 2
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:7] == HEAD[:7] and header[-1] == REASON_HEADER
    ids = [ws.cell(r, 7) for r in (2, 3)]
    assert all(c.data_type == "s" and c.number_format == "@" for c in ids)
    assert ids[0].value == rows[2][6] and ids[1].value == "3.41623E+17"
    assert "校验位" in ws.cell(2, len(header)).value and "数字" in ws.cell(3, len(header)).value
    assert not list(tmp_path.glob(".~*"))                 # no temp file left behind
    # fixed and imported again: the extra columns are ignored
    ws.cell(2, 7).value = student_row(2)[6]
    ws.cell(3, 7).value = student_row(4)[6]
    ws.parent.save(tmp_path / "fixed.xlsx")
    pv2 = preview_import(sctx, tmp_path / "fixed.xlsx")
    assert pv2.rejected == 0 and pv2.importable == 2


def test_export_refuses_a_file_changed_since_preview(sctx, sf, tmp_path):
    rows = [HEAD, student_row(1), student_row(2, number=bad_check(student_row(2)[6]))]
    p = write_xlsx(tmp_path / "x.xlsx", rows)
    pv = preview_import(sctx, p)
    write_xlsx(p, rows + [student_row(3)])
    with pytest.raises(LedgerError, match="修改"):
        export_problem_rows(pv, tmp_path / "out.xlsx")


def test_user_mapping_is_remembered_for_this_kind_of_file(sctx, sf, tmp_path):
    p = write_xlsx(tmp_path / "k.xlsx", [["姓名", "身份证号", "村"], ["张三", make_id(seq=1), "前进村"]])
    mapping = {0: "name", 1: "id_number", 2: "group_name"}             # the user says 村 is 组 here
    run_import(sctx, preview_import(sctx, p, mapping=mapping))
    with sf() as s:
        assert s.scalar(select(func.count(Setting.key)).where(Setting.key.like("import_mapping:%"))) == 1
    p2 = write_xlsx(tmp_path / "k2.xlsx", [["姓名", "身份证号", "村"], ["李四", make_id(seq=2), "胜利村"]])
    assert preview_import(sctx, p2).mapping == mapping                   # the same layout: remembered
    p3 = write_xlsx(tmp_path / "k3.xlsx", [["村", "身份证号", "姓名"], ["胜利村", make_id(seq=3), "王五"]])
    pv = preview_import(sctx, p3)                   # another layout (other order): guessed afresh
    assert pv.mapping == {0: "village", 1: "id_number", 2: "name"}


def test_a_remembered_mapping_keeps_two_name_columns_of_a_two_row_header_apart(sctx, sf, tmp_path):
    """户主信息/学生信息 over two 姓名 columns: the second import maps them as the first did (it used to
    map both to the student: “被选了不止一次”)."""
    rows = [["户主信息", "", "学生信息", "", ""], ["姓名", "身份证号", "姓名", "身份证号", "备注"],
            ["张大山", make_id(dt.date(1980, 1, 1), seq=5), "张小明", make_id(seq=1), "甲"]]
    merged = ["A1:B1", "C1:E1"]
    p = write_xlsx(tmp_path / "two.xlsx", rows, merges=merged)
    first = preview_import(sctx, p)
    assert first.mapping == {0: "head_name", 1: "head_id_number", 2: "name", 3: "id_number", 4: "notes"}
    user = dict(first.mapping)
    del user[4]                                                          # the user leaves 备注 out
    run_import(sctx, preview_import(sctx, p, mapping=user))
    rows[2] = ["李大山", make_id(dt.date(1981, 1, 1), seq=6), "李小明", make_id(seq=2), "乙"]
    again = preview_import(sctx, write_xlsx(tmp_path / "two2.xlsx", rows, merges=merged))
    assert again.mapping == user
    assert again.unused_columns == ["备注（E列）"]


def test_no_name_or_id_column_is_refused(sctx, sf, tmp_path):
    p = write_xlsx(tmp_path / "n.xlsx", [["村", "组", "户主姓名"], ["前进村", "1组", "张三"]])
    with pytest.raises(LedgerError, match="姓名"):
        preview_import(sctx, p)


def test_pinyin_cache_agrees_with_pinyin_keys():
    rng = random.Random(3)
    cache = PinyinCache()
    names = ["单田芳", "曾国藩", "解小东", "长孙无忌", "欧阳修", "重阳", "朴长乐", "阿卜杜·热合曼", "Anna"]
    names += [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(3000)]
    wrong = [n for n in names if cache(n) != pinyin_keys(n)]
    assert not wrong


def test_preview_reports_progress_and_skipped_total_row(sctx, sf, tmp_path, monkeypatch):
    rows = [HEAD] + [student_row(i) for i in range(1, 4)] + [["合计", None, None, None, "3人"]]
    calls = []
    pv = preview_import(sctx, write_xlsx(tmp_path / "t.xlsx", rows), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (3, 3)
    (skip,) = [p for p in pv.problems if p.row == 5]
    assert skip.kind == "warning" and "合计" in skip.reason and "跳过" in skip.reason


def test_child_without_id_but_with_an_l_student_number(sctx, sf, tmp_path):
    rows = [["姓名", "身份证号", "学籍号"], ["阿明", None, "L" + "1" * 18], ["阿亮", None, None],
            ["阿光", None, "L" + "2" * 18], ["阿华", None, "L" + "1" * 18]]
    pv = preview_import(sctx, write_xlsx(tmp_path / "l.xlsx", rows))
    assert [r.student_no for r in pv.new] == ["L" + "2" * 18]
    assert pv.rejected_rows == [2, 3, 5]                    # 2 and 5: one 学籍号, two names
    assert any("L 或 J" in p.reason for p in pv.problems if p.row == 3)
    assert [(d.kind, d.rows) for d in pv.duplicates] == [("conflict", [2, 5])]
    run_import(sctx, pv)
    with sf() as s:
        assert s.scalars(select(Student.name).where(Student.id_number.is_(None))).all() == ["阿光"]


def test_household_phone_notes_and_liaison_officer_come_in_with_the_household(sctx, sf, tmp_path):
    from db.models.registry import LiaisonOfficer
    with sf.begin() as s:
        s.add(LiaisonOfficer(name="李书记", phone="13900000000", unit="村委会"))
    rows = [HEAD + ["家庭联系电话", "帮扶联系人", "家庭备注"],
            student_row(1) + ["13812345678", "李书记", "母亲外出务工"],
            student_row(2) + ["12345", "张 干部", ""],
            student_row(3) + ["", "张干部", ""]]
    pv = preview_import(sctx, write_xlsx(tmp_path / "h.xlsx", rows))
    assert [(p.row, p.column) for p in pv.problems] == [(3, "家庭联系电话")]
    assert "未导入家庭联系电话" in pv.problems[0].reason
    run_import(sctx, pv)
    with sf() as s:
        officers = dict(s.execute(select(LiaisonOfficer.name, LiaisonOfficer.id)).all())
        assert sorted(officers) == ["张干部", "李书记"]           # the known one reused, one new
        got = {h.head_name: (h.phone, h.notes, h.liaison_officer_id) for h in s.scalars(select(Household))}
    assert got[student_row(1)[3]] == ("13812345678", "母亲外出务工", officers["李书记"])
    assert got[student_row(2)[3]] == ("", "", officers["张干部"])
    assert got[student_row(3)[3]][2] == officers["张干部"]
