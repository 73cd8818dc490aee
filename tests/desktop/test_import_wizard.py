"""The import wizard on a real database and real xlsx files written here."""
from __future__ import annotations

import threading

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QPushButton
from sqlalchemy import func, select

from db.exchange.reader import Cancelled
from db.models.registry import Student, StudentCategory
from desktop.dialogs.import_wizard import ImportWizard
from tests.db.exchange.files import HEAD, bad_check, make_id, student_row, write_xlsx


def messy_file(tmp_path, head=HEAD, name="四年级名单.xlsx"):
    """A title row, the header, three good rows and one row with a wrong check character (row 6)."""
    rows = [head] + [student_row(i) for i in (1, 2, 3)]
    rows.append(student_row(4, number=bad_check(make_id(seq=4))))
    return write_xlsx(tmp_path / name, rows, title="阚疃镇中心学校2020年秋季学期建档立卡学生名单")


def open_wizard(qtbot, ctx, path) -> ImportWizard:
    wiz = ImportWizard(ctx, path)
    qtbot.addWidget(wiz)
    qtbot.waitUntil(lambda: wiz.table is not None and wiz.task.finished)
    return wiz


def preview(qtbot, wiz):
    with qtbot.waitSignal(wiz.previewReady) as blocker:
        wiz.next_button.click()
    return blocker.args[0]


def do_import(qtbot, wiz):
    with qtbot.waitSignal(wiz.importFinished) as blocker:
        wiz.import_button.click()
    return blocker.args[0]


def count(sf, model=Student):
    with sf() as s:
        return s.scalar(select(func.count()).select_from(model))


def column_of(wiz, header: str) -> int:
    return wiz.table.headers.index(header)


def test_mapping_step_shows_header_row_and_guessed_fields(qtbot, empty_ctx, tmp_path):
    wiz = open_wizard(qtbot, empty_ctx, messy_file(tmp_path))
    assert wiz.stack.currentIndex() == 0
    assert "第 <b>2</b> 行" in wiz.header_label.text()
    assert wiz.mapping_table.rowCount() == len(HEAD)
    assert wiz.combos[column_of(wiz, "姓名")].currentData() == "name"
    assert wiz.combos[column_of(wiz, "身份证号")].currentData() == "id_number"
    assert wiz.combos[column_of(wiz, "序号")].currentText() == "不导入"
    sample = wiz.mapping_table.item(column_of(wiz, "身份证号"), 3).text()
    assert "*" in sample and len(sample) == 18          # the example ID is masked
    assert wiz.next_button.isEnabled()


def test_preview_counts_problem_row_and_import(qtbot, empty_ctx, tmp_path, no_modal_boxes):
    sf = empty_ctx.database.session_factory
    wiz = open_wizard(qtbot, empty_ctx, messy_file(tmp_path))
    changes = []
    wiz.changed.connect(changes.append)
    p = preview(qtbot, wiz)
    assert (p.rows_read, p.importable, p.rejected) == (4, 3, 1)
    assert wiz.stack.currentIndex() == 1
    text = wiz.counts_label.text()
    assert "读取 <b>4</b> 行" in text and ">3</b> 人" in text and ">1</b> 行" in text
    rows = [[wiz.problem_table.item(r, c).text() for c in range(6)] for r in range(wiz.problem_table.rowCount())]
    bad = [r for r in rows if r[4] == "拒绝"]
    assert len(bad) == 1
    sheet, row, col, _value, _kind, reason = bad[0]
    assert (sheet, row) == ("名单", "6") and col.startswith("身份证号（G列")
    assert "校验" in reason
    assert count(sf) == 0                                  # preview writes nothing
    result = do_import(qtbot, wiz)
    assert (result.imported, result.rejected) == (3, 1)
    assert count(sf) == 3
    assert changes and "student" in changes[0].entities and len(changes[0].ids) == 3
    assert "新增 3 人" in wiz.result_label.text()
    assert not wiz.import_button.isEnabled()               # no second import of the same preview
    assert any("导入完成" in m or "新增 3 人" in m for m in no_modal_boxes)


def test_cancel_leaves_the_database_unchanged(qtbot, empty_ctx, tmp_path, no_modal_boxes):
    sf = empty_ctx.database.session_factory
    wiz = open_wizard(qtbot, empty_ctx, messy_file(tmp_path))
    preview(qtbot, wiz)
    gate = threading.Event()
    empty_ctx.tasks.write_pool.start(lambda: gate.wait(30))     # hold the one write thread
    with qtbot.waitSignal(wiz.importFinished) as blocker:
        wiz.import_button.click()
        cancel = wiz.task.dialog.findChild(QPushButton)
        assert cancel.text() == "取消"
        cancel.click()                                    # the 取消 button of the progress dialog
        gate.set()
    assert isinstance(blocker.args[0], Cancelled)
    assert count(sf) == 0
    assert "已取消" in wiz.result_label.text()
    assert wiz.import_button.isEnabled()                  # can still import after all


def test_changing_a_mapping_combo_changes_the_preview(qtbot, empty_ctx, tmp_path):
    sf = empty_ctx.database.session_factory
    head = [("学生证件" if h == "身份证号" else h) for h in HEAD]     # not a known header
    path = messy_file(tmp_path, head)
    wiz = open_wizard(qtbot, empty_ctx, path)
    id_col = column_of(wiz, "学生证件")
    assert wiz.combos[id_col].currentText() == "不导入"
    assert not wiz.next_button.isEnabled()
    assert "身份证号" in wiz.mapping_hint.text()
    wiz.set_field(id_col, "id_number")
    assert wiz.next_button.isEnabled()
    p1 = preview(qtbot, wiz)
    assert (p1.importable, p1.rejected) == (3, 1)
    assert p1.mapping[column_of(wiz, "资助对象类别")] == "categories"
    wiz.back_button.click()
    wiz.set_field(column_of(wiz, "资助对象类别"), "")
    p2 = preview(qtbot, wiz)
    assert "categories" not in p2.mapping.values()
    do_import(qtbot, wiz)
    assert count(sf) == 3 and count(sf, StudentCategory) == 0
    # the mapping used once is remembered for this kind of file
    again = open_wizard(qtbot, empty_ctx, path)
    assert again.combos[id_col].currentData() == "id_number"
    assert again.combos[column_of(again, "资助对象类别")].currentText() == "不导入"


def test_existing_students_updated_only_when_agreed(qtbot, empty_ctx, tmp_path):
    sf = empty_ctx.database.session_factory
    first = [HEAD] + [student_row(i) for i in (1, 2)]
    wiz = open_wizard(qtbot, empty_ctx, write_xlsx(tmp_path / "a.xlsx", first))
    preview(qtbot, wiz)
    do_import(qtbot, wiz)
    assert count(sf) == 2
    second = [HEAD] + [r[:8] + ["五年级"] + r[9:] for r in (student_row(1), student_row(2))]
    wiz = open_wizard(qtbot, empty_ctx, write_xlsx(tmp_path / "b.xlsx", second))
    p = preview(qtbot, wiz)
    assert len(p.updates) == 2 and not p.new
    assert wiz.tabs.currentIndex() == 2
    t = wiz.update_table
    assert "年级：四年级 → 五年级" in t.item(0, 4).text()
    assert "*" in t.item(0, 3).text()
    wiz.set_agreed(1)
    do_import(qtbot, wiz)
    with sf() as s:
        grades = dict(s.execute(select(Student.id_number, Student.grade)).all())
    assert grades[p.updates[1].id_number] == "五年级"
    assert grades[p.updates[0].id_number] == "四年级"      # not agreed: left as it was


def test_agree_all_checks_every_update(qtbot, empty_ctx, tmp_path):
    first = [HEAD] + [student_row(i) for i in (1, 2)]
    wiz = open_wizard(qtbot, empty_ctx, write_xlsx(tmp_path / "a.xlsx", first))
    preview(qtbot, wiz)
    do_import(qtbot, wiz)
    second = [HEAD] + [r[:8] + ["五年级"] + r[9:] for r in (student_row(1), student_row(2))]
    wiz = open_wizard(qtbot, empty_ctx, write_xlsx(tmp_path / "b.xlsx", second))
    p = preview(qtbot, wiz)
    assert wiz.agreed_updates() == set()
    wiz.agree_all.setChecked(True)
    assert wiz.agreed_updates() == {u.student_id for u in p.updates}


def test_export_problem_rows(qtbot, empty_ctx, tmp_path, monkeypatch, no_modal_boxes):
    wiz = open_wizard(qtbot, empty_ctx, messy_file(tmp_path))
    preview(qtbot, wiz)
    out = tmp_path / "问题行.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    wiz.problems_button.click()
    qtbot.waitUntil(lambda: wiz.task.finished)
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1] == "问题说明" and len(rows) == 2
    assert rows[1][-2] == 6 and "校验" in rows[1][-1]
    assert any("已导出 1 行" in m for m in no_modal_boxes)


def test_a_broken_file_is_refused_with_a_message(qtbot, empty_ctx, tmp_path, no_modal_boxes):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"not a zip at all")
    wiz = ImportWizard(empty_ctx, bad)
    qtbot.addWidget(wiz)
    qtbot.waitUntil(lambda: bool(no_modal_boxes))
    assert "坏文件.xlsx" in no_modal_boxes[0]
    assert wiz.result() == 0 and not wiz.isVisible()


@pytest.mark.parametrize("fld, value, shown", [
    ("id_number", "341623201005030011", "341623********0011"),
    ("id_number", 3.41623201005e17, "3.41623201005e+17"),
    ("name", "张三", "张三"),
])
def test_shown_value_masks_numbers(fld, value, shown):
    from desktop.dialogs.import_wizard import shown_value
    assert shown_value(fld, value) == shown


def test_hidden_columns_are_marked_in_the_mapping(qtbot, empty_ctx, tmp_path):
    rows = [HEAD] + [student_row(i) for i in (1, 2)]
    wiz = open_wizard(qtbot, empty_ctx, write_xlsx(tmp_path / "h.xlsx", rows, hidden_cols=["B"]))
    assert wiz.mapping_table.item(1, 1).text() == "乡镇（隐藏列）"
    assert wiz.mapping_table.item(2, 1).text() == "村"


def test_closing_during_an_import_cancels_it_and_closes_after(qtbot, empty_ctx, tmp_path):
    sf = empty_ctx.database.session_factory
    wiz = open_wizard(qtbot, empty_ctx, messy_file(tmp_path))
    wiz.show()
    preview(qtbot, wiz)
    gate = threading.Event()
    empty_ctx.tasks.write_pool.start(lambda: gate.wait(30))
    wiz.import_button.click()
    wiz.reject()                                          # Esc / the window's close button
    assert wiz.isVisible() and wiz.busy()                 # waits for the task's end
    with qtbot.waitSignal(wiz.rejected):
        gate.set()
    assert not wiz.isVisible()
    assert count(sf) == 0


def test_long_lists_are_cut_and_agree_all_covers_the_rest(qtbot, empty_ctx, tmp_path, monkeypatch):
    import desktop.dialogs.import_preview as mod
    first = [HEAD] + [student_row(i) for i in (1, 2, 3)]
    wiz = open_wizard(qtbot, empty_ctx, write_xlsx(tmp_path / "a.xlsx", first))
    preview(qtbot, wiz)
    do_import(qtbot, wiz)
    monkeypatch.setattr(mod, "SHOW_LIMIT", 1)
    second = [HEAD] + [r[:8] + ["五年级"] + r[9:] for r in (student_row(1), student_row(2), student_row(3))]
    second.append(student_row(4, number=bad_check(make_id(seq=4))))
    second.append(student_row(5, number=bad_check(make_id(seq=5))))
    wiz = open_wizard(qtbot, empty_ctx, write_xlsx(tmp_path / "b.xlsx", second))
    p = preview(qtbot, wiz)
    assert len(p.problems) == 2 and wiz.problem_table.rowCount() == 1
    assert "只列出前 1 条" in wiz.result_label.text()
    assert len(p.updates) == 3 and wiz.update_table.rowCount() == 1
    assert wiz.agreed_updates() == set()
    wiz.agree_all.setChecked(True)
    wiz.set_agreed(0, False)
    assert wiz.agreed_updates() == {u.student_id for u in p.updates[1:]}


def test_the_wizard_asks_which_school_year_the_levels_belong_to(qtbot, empty_ctx, tmp_path, no_modal_boxes):
    """Issue 9: a list with 认定等级 → the school year is asked (default from the title: 2020年秋季学期)."""
    from db.models.registry import DifficultyAssessment
    sf = empty_ctx.database.session_factory
    wiz = open_wizard(qtbot, empty_ctx, messy_file(tmp_path))
    preview(qtbot, wiz)
    assert wiz.school_year_box.isHidden()                  # no 认定等级 column: nothing to ask
    head = HEAD + ["认定等级"]
    rows = [head] + [student_row(i) + ["困难"] for i in (1, 2)]
    wiz = open_wizard(qtbot, empty_ctx, write_xlsx(tmp_path / "b.xlsx", rows,
                                                   title="利辛县2020年秋季学期家庭经济困难学生名单"))
    preview(qtbot, wiz)
    assert not wiz.school_year_box.isHidden() and wiz.school_year.value() == 2020
    assert "表格标题" in wiz.school_year_note.text() and wiz.school_year.suffix() == "-2021 学年"
    wiz.school_year.setValue(2019)                         # the officer says otherwise
    result = do_import(qtbot, wiz)
    assert (result.assessments, result.school_year) == (2, 2019)
    with sf() as s:
        assert set(s.scalars(select(DifficultyAssessment.school_year))) == {2019}
    assert "2019-2020 学年认定 2 人" in wiz.result_label.text()


def test_questions_unused_columns_and_meanings_are_shown_and_answered(qtbot, empty_ctx, tmp_path):
    """issue 10 items 6, 15, 19: 低保 without 城/乡 and a family known only by name and place are asked
    in the preview; the columns left out and what each category value was taken to mean are listed."""
    rows = [["户主姓名", "乡镇", "村组（社区）", "姓名", "身份证号", "贫困类型", "家庭人口"],
            ["张伟", "城关镇", "东村", "张一", make_id(seq=1), "低保户", 4],
            ["张伟", "城关镇", "东村", "张二", make_id(seq=2), "建档立卡脱贫户", 4],
            ["李四", "城关镇", "东村", "李一", make_id(seq=3), "特困供养", 3],
            ["张伟", "城关镇", "东村", "张三", make_id(seq=4), "建档立卡", 4]]
    wiz = open_wizard(qtbot, empty_ctx, write_xlsx(tmp_path / "q.xlsx", rows))
    p = preview(qtbot, wiz)
    assert [q.kind for q in p.questions] == ["household", "category"]
    assert wiz.tabs.currentIndex() == 3 and wiz.question_table.rowCount() == 2
    assert "家庭人口（G列）" in wiz.columns_label.text()
    assert {wiz.meaning_table.item(r, 1).text() for r in range(wiz.meaning_table.rowCount())} == \
        {"低保户", "建档立卡脱贫户", "特困供养", "建档立卡"}
    wiz.answer(0, "new")                                          # row 5 is another 张伟's family
    wiz.answer(1, "农村低保")
    do_import(qtbot, wiz)
    with empty_ctx.database.session_factory() as s:
        from db.models.registry import Household, StudentCategory
        assert s.query(Household).count() == 3
        assert "农村低保" in {c.category for c in s.query(StudentCategory)}
