"""名单交换 page: reconciliation with a pushed list, follow-ups, exports, drops."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from db.models.registry import Household, School, Student, StudentCategory
from desktop.pages.exchange import ExchangePage
from desktop.pages.exchange_export import NoticeOptions, WorkbookOptions
from tests.db.exchange.files import HEAD, make_id, student_row, write_xlsx

IDS = {k: make_id(dt.date(2010, 1 + i, 2 + i), i % 2 == 0, seq=10 + i) for i, k in enumerate("ABCDE")}


def build_roll(sf):
    """A: on the list, same; B: on the list, other name; C: needy, not on the list; D, E: only on the list."""
    with sf.begin() as s:
        s.add(School(name="阚疃镇中心学校", officer="李老师"))
        h = Household(head_name="张大山", township="阚疃镇", village="前进村")
        s.add(h)
        s.flush()
        for key, name in (("A", "张小明"), ("B", "张小红"), ("C", "王五")):
            st = Student(household_id=h.id, name=name, id_number=IDS[key], stage="小学", grade="四年级",
                         class_name="1", enrolment="在校")
            s.add(st)
            s.flush()
            s.add(StudentCategory(student_id=st.id, category="建档立卡"))


def pushed_list(tmp_path):
    head = ["序号", "姓名", "身份证号", "户主姓名", "乡镇", "村"]
    rows = [head, [1, "张小明", IDS["A"], "张大山", "阚疃镇", "前进村"],
            [2, "张晓红", IDS["B"], "张大山", "阚疃镇", "前进村"],
            [3, "刘一", IDS["D"], "刘大", "阚疃镇", "后湖村"],
            [4, "陈二", IDS["E"], "陈大", "阚疃镇", "后湖村"]]
    return write_xlsx(tmp_path / "建档立卡学龄人口.xlsx", rows, title="2020年建档立卡学龄人口名单")


@pytest.fixture
def page(qtbot, empty_ctx):
    build_roll(empty_ctx.database.session_factory)
    p = ExchangePage(empty_ctx)
    qtbot.addWidget(p)
    p.resize(1234, 700)
    return p


def import_pushed(qtbot, page, tmp_path):
    with qtbot.waitSignal(page.recon.loaded, timeout=10000) as blocker:
        page.recon.start_import(str(pushed_list(tmp_path)), dt.date(2020, 9, 1), "建档立卡学龄人口")
    return blocker.args[0]


def test_pushed_list_groups_with_counts(qtbot, page, tmp_path, no_modal_boxes):
    rec = import_pushed(qtbot, page, tmp_path)
    assert rec.counts == {"matched": 1, "not_at_school": 2, "not_on_list": 1, "different": 1}
    assert any("已导入 4 人" in m for m in no_modal_boxes)
    r = page.recon
    assert [r.tabs.tabText(i) for i in range(4)] == [
        "名单内且在本校（1）", "名单内但不在本校（2）", "本校困难学生未在名单（1）", "信息不一致（1）"]
    assert "2020-09-01" in r.list_combo.currentText() and "4 人" in r.list_combo.currentText()
    ids = [r.cell("not_at_school", i, "id") for i in range(2)]
    assert ids == [IDS["D"][:6] + "********" + IDS["D"][-4:], IDS["E"][:6] + "********" + IDS["E"][-4:]]
    assert "姓名不同" in r.cell("different", 0, "differences")
    assert r.cell("not_on_list", 0, "name") == "王五"
    assert r.cell("not_at_school", 0, "follow_up") == "待核实"


def test_follow_up_is_saved(qtbot, page, tmp_path):
    import_pushed(qtbot, page, tmp_path)
    r = page.recon
    assert r.follow_box.isHidden()                         # only for the not-at-school group
    r.select_row("not_at_school", 1)
    assert not r.follow_box.isHidden() and r.save_button.isEnabled()
    assert "陈二" in r.who_label.text()
    r.status_combo.setCurrentText("在外地就读")
    r.note_edit.setText("在江苏昆山某小学就读，已电话核实")
    with qtbot.waitSignal(r.loaded):
        r.save_button.click()
    rec = page.ctx.reconcile.compare(r.current_list_id())
    line = next(x for x in rec.not_at_school if x.name == "陈二")
    assert (line.follow_up, line.follow_up_note) == ("在外地就读", "在江苏昆山某小学就读，已电话核实")
    assert r.cell("not_at_school", 1, "follow_up") == "在外地就读"
    assert r.selected_line().name == "陈二"                 # the selection stays on the child


def test_lists_load_when_the_page_starts(qtbot, page, tmp_path):
    page.ctx.reconcile.import_pushed_list(pushed_list(tmp_path), list_date=dt.date(2020, 9, 1))
    with qtbot.waitSignal(page.recon.loaded):
        page.start()
    assert page.recon.list_combo.count() == 1


def test_export_reconciliation(qtbot, page, tmp_path, monkeypatch):
    import_pushed(qtbot, page, tmp_path)
    out = tmp_path / "核对结果.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out.with_suffix("")), ""))
    page.recon.export_button.click()
    qtbot.waitUntil(lambda: out.exists() and page.ctx.tasks.pending() == 0)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "汇总" and "名单内但不在本校" in wb.sheetnames
    ws = wb["名单内但不在本校"]
    assert ws.cell(2, 3).value == IDS["D"]                # the county gets the full number, as text


def test_export_workbook_writes_a_real_file(qtbot, page, tmp_path, monkeypatch, no_modal_boxes):
    out = tmp_path / "报送.xlsx"
    seen = {}

    def accept(dlg):
        seen["filled_by"] = dlg.filled_by_edit.text()
        dlg.term_edit.setText("2020秋")
        return 1
    monkeypatch.setattr(WorkbookOptions, "exec", accept)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    task = page.export_workbook()
    qtbot.waitUntil(lambda: task.finished)
    assert seen["filled_by"] == "李老师"                    # the school's officer by default
    wb = openpyxl.load_workbook(out, read_only=True)
    assert "学生名册" in wb.sheetnames
    cells = {c for r in wb["学生名册"].iter_rows(values_only=True) for c in r}
    assert {"张小明", "张小红", "王五", IDS["A"]} <= cells
    assert any("学生 3 人" in m for m in no_modal_boxes)


def test_export_workbook_bad_term_is_refused(qtbot, page, tmp_path, monkeypatch, no_modal_boxes):
    monkeypatch.setattr(WorkbookOptions, "exec", lambda dlg: dlg.term_edit.setText("明年") or 1)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("asked for a file"))
    assert page.export_workbook() is None
    assert "无法识别学期" in no_modal_boxes[0]


def plan_with_boarders(ctx):
    """The three 建档立卡 children as boarders (特别困难 without an assessment), one line each in 2020秋;
    one of them left the school before the notice (a student without a live line is not listed)."""
    from sqlalchemy import text
    with ctx.database.session_factory.begin() as s:
        s.execute(text("UPDATE student SET residence = '寄宿'"))
        s.execute(text("UPDATE student SET enrolment = '转出' WHERE name = '张小红'"))
    ctx.aid.plan("2020秋")


def test_export_notice_list(qtbot, page, tmp_path, monkeypatch, no_modal_boxes):
    out = tmp_path / "公示.xlsx"
    plan_with_boarders(page.ctx)

    def accept(dlg):
        dlg.term_edit.setText("2020秋")
        dlg.start_edit.setDate(dt.date(2020, 9, 7))
        dlg.end_edit.setDate(dt.date(2020, 9, 13))
        return 1
    monkeypatch.setattr(NoticeOptions, "exec", accept)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    task = page.export_notice()
    qtbot.waitUntil(lambda: task.finished)
    ws = openpyxl.load_workbook(out).active
    values = [c for r in ws.iter_rows(values_only=True) for c in r if c]
    assert "张小明" in values and "王五" in values and "张小红" not in values
    assert not any(isinstance(v, str) and IDS["A"] in v for v in values)      # no ID numbers
    assert any("共 2 人" in m and "5 个工作日" in m for m in no_modal_boxes)


def test_notice_too_short_is_explained(qtbot, page, tmp_path, monkeypatch, no_modal_boxes):
    out = tmp_path / "公示.xlsx"
    plan_with_boarders(page.ctx)

    def accept(dlg):
        dlg.term_edit.setText("2020秋")
        dlg.start_edit.setDate(dt.date(2020, 9, 7))
        dlg.end_edit.setDate(dt.date(2020, 9, 8))
        return 1
    monkeypatch.setattr(NoticeOptions, "exec", accept)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    task = page.export_notice()
    qtbot.waitUntil(lambda: task.finished)
    assert not out.exists()
    assert "5 个工作日" in no_modal_boxes[-1]


def drop(page, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    page.dropEvent(ev)
    return ev


def test_dropping_a_list_opens_the_wizard(qtbot, page, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", [HEAD, student_row(1)])
    opened = []
    page.wizardOpened.connect(opened.append)
    drop(page, path)
    assert opened and opened[0].path == path
    qtbot.waitUntil(lambda: opened[0].table is not None)
    assert opened[0].isVisible()
    opened[0].reject()


def test_open_file_refuses_other_files(qtbot, page, tmp_path, no_modal_boxes):
    doc = tmp_path / "说明.docx"
    doc.write_bytes(b"x")
    opened = []
    page.wizardOpened.connect(opened.append)
    page.open_file(doc)
    drop(page, doc)
    assert not opened
    assert "不是表格文件" in no_modal_boxes[0] and len(no_modal_boxes) == 1


def test_wizard_import_reaches_the_page_signal(qtbot, page, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", [HEAD, student_row(1), student_row(2)])
    changes = []
    page.changed.connect(changes.append)
    page.open_file(path)
    wiz = page.wizard
    qtbot.waitUntil(lambda: wiz.table is not None and wiz.task.finished)
    with qtbot.waitSignal(wiz.previewReady):
        wiz.next_button.click()
    with qtbot.waitSignal(wiz.importFinished):
        wiz.import_button.click()
    assert changes and "student" in changes[0].entities
    wiz.reject()


def test_delete_list_after_asking(qtbot, page, tmp_path, monkeypatch, no_modal_boxes):
    import_pushed(qtbot, page, tmp_path)
    r = page.recon
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    r.delete_button.click()
    assert len(page.ctx.reconcile.lists()) == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    r.delete_button.click()
    assert page.ctx.reconcile.lists() == []
    qtbot.waitUntil(lambda: r.list_combo.count() == 0 and r.tables["matched"].rowCount() == 0)
    assert not r.delete_button.isEnabled() and r.rec is None


def test_a_sheet_without_a_header_keeps_the_good_one(qtbot, empty_ctx, tmp_path, no_modal_boxes):
    from desktop.dialogs.import_wizard import ImportWizard
    path = write_xlsx(tmp_path / "两个表.xlsx", [HEAD, student_row(1)], first_sheet=[["填表说明：身份证号请设为文本格式"]])
    wiz = ImportWizard(empty_ctx, path)
    qtbot.addWidget(wiz)
    qtbot.waitUntil(lambda: wiz.table is not None and wiz.task.finished)
    assert wiz.sheet_combo.isEnabled() and wiz.sheet_combo.currentText() == "名单"
    assert [wiz.sheet_combo.itemText(i) for i in range(2)] == ["填表说明", "名单"]
    wiz.load_table("填表说明")
    qtbot.waitUntil(lambda: bool(no_modal_boxes))
    assert "找不到表头" in no_modal_boxes[0]
    assert wiz.sheet_combo.currentText() == "名单" and wiz.table.sheet == "名单"


def test_pushed_list_dialog_asks_for_file_date_and_kind(qtbot, page, tmp_path, monkeypatch, no_modal_boxes):
    from desktop.pages.exchange_recon import PushedListDialog
    dlg = PushedListDialog(None, str(tmp_path / "没有这个文件.xlsx"))
    qtbot.addWidget(dlg)
    dlg._accept()
    assert dlg.result() == 0 and "请选择名单文件" in no_modal_boxes[-1]
    path = pushed_list(tmp_path)

    def accept(d):
        d.file_edit.setText(str(path))
        d.date_edit.setDate(dt.date(2020, 9, 1))
        d.kind_combo.setCurrentText("脱贫家庭学龄人口")
        return 1
    monkeypatch.setattr(PushedListDialog, "exec", accept)
    with qtbot.waitSignal(page.recon.loaded):
        page.recon.import_button.click()
    (ls,) = page.ctx.reconcile.lists()
    assert (ls.kind, ls.list_date, ls.entries) == ("脱贫家庭学龄人口", dt.date(2020, 9, 1), 4)


def test_export_workbook_into_the_county_template(qtbot, page, tmp_path, monkeypatch, no_modal_boxes):
    from tests.db.exchange.test_workbook_template import make_template
    tpl = tmp_path / "县模板.xlsx"
    make_template(tpl)
    out = tmp_path / "报送.xlsx"
    monkeypatch.setattr(WorkbookOptions, "exec", lambda dlg: dlg.template_edit.setText(str(tpl)) or 1)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    task = page.export_workbook()
    qtbot.waitUntil(lambda: task.finished)
    ws = openpyxl.load_workbook(out)["附表1"]
    assert ws["A1"].value.startswith("利辛县")                 # the template's title row kept
    names = {ws.cell(r, 2).value for r in range(4, 8)}
    assert {"张小明", "张小红", "王五"} <= names
    assert "县里专用编码" in no_modal_boxes[-1]               # headers it could not fill are named
