"""The aid officer's daily use at the keyboard (issue 10): each test failed before its fix."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QFileDialog, QMessageBox, QWidget

from db.aid.dto import LineQuery, VisitForm
from db.errors import ValidationError
from db.registry.dto import StudentQuery
from db.terms import parse_term
from db.validators import id_check_char
from desktop.dialogs.aid_line import PayDialog
from desktop.dialogs.household_form import HouseholdFormDialog
from desktop.dialogs.student_form import StudentFormDialog
from desktop.dialogs.visit_form import VisitFormDialog
from desktop.pages.exchange_export import NoticeOptions, export_notice_action
from desktop.pages.exchange_recon import ReconcilePanel
from desktop.pages.students import StudentsPage
from tests.db.exchange.files import make_id, write_xlsx
from widgets.date_edit import DateEdit
from widgets.id_field import IdField

BODY = "34162320120305123"
VALID_ID = BODY + id_check_char(BODY)


def select_all_and_type(widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(widget, text)


# ---- item 1: a typed date is the whole date ----------------------------------------------------
def test_typing_a_full_date_over_the_selection_sets_the_year_too(qtbot):
    w = DateEdit(dt.date(2026, 11, 30))
    qtbot.addWidget(w)
    w.show()
    select_all_and_type(w.edit, "2020-09-20")
    assert w.value() == dt.date(2020, 9, 20) and w.date() == QDate(2020, 9, 20)
    select_all_and_type(w.edit, "2020.9.21")
    assert w.value() == dt.date(2020, 9, 21)
    select_all_and_type(w.edit, "2020-02-30")
    assert w.value() is None and "不是有效日期" in w.error


@pytest.mark.parametrize("make", ["pay", "visit", "notice", "student"])
def test_every_date_field_is_the_one_date_widget(qtbot, ctx, make):
    dlg = {"pay": lambda: PayDialog("2020年秋季学期", 0, 0, 3, 300, today=dt.date(2026, 11, 30)),
           "visit": lambda: VisitFormDialog(ctx, today=dt.date(2026, 11, 30)),
           "notice": lambda: NoticeOptions(today=dt.date(2026, 11, 30)),
           "student": lambda: StudentFormDialog(ctx)}[make]()
    qtbot.addWidget(dlg)
    dates = dlg.findChildren(DateEdit)
    assert dates and not [w for w in dlg.findChildren(QWidget) if type(w).__name__ == "QDateEdit"]


def test_pay_dialog_stores_the_typed_year_and_asks_about_another_year(qtbot, monkeypatch):
    term = parse_term("2020秋")
    dlg = PayDialog(term.label, 0, 0, 3, 300, today=dt.date(2026, 11, 30), term=term, deadline=term.deadline())
    qtbot.addWidget(dlg)
    dlg.show()
    select_all_and_type(dlg.date.edit, "2020-09-20")
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted and dlg.paid_on() == dt.date(2020, 9, 20)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    again = PayDialog(term.label, 0, 0, 3, 300, today=dt.date(2026, 11, 30), term=term, deadline=term.deadline())
    qtbot.addWidget(again)
    again.show()
    select_all_and_type(again.date.edit, "2021-03-02")
    again.accept()
    assert again.result() != QDialog.DialogCode.Accepted
    assert "不在2020年秋季学期所在的 2020 年" in asked[0]
    select_all_and_type(again.date.edit, "2020-10-08")
    again.accept()
    assert "晚于本学期的发放截止日 2020-09-25" in asked[1]


def test_a_visit_cannot_verify_a_payment_made_after_it(paid_ctx):
    line = next(ln for ln in paid_ctx.aid.lines("2020秋", LineQuery(), 0, 1000)
                if ln.status == "已发放" and paid_ctx.registry.get_student(ln.student_id).household_id)
    hid = paid_ctx.registry.get_student(line.student_id).household_id
    form = VisitForm(household_id=hid, visit_date=dt.date(2020, 9, 10), purpose="走访核实", term="2020秋",
                     received={line.id: "是"})
    with pytest.raises(ValidationError) as e:
        paid_ctx.aid.save_visit(form, today=dt.date(2020, 12, 1))
    assert "早于所核实的发放日期 2020-09-20" in e.value.problems["visit_date"]


def test_a_pupils_age_is_asked_before_saving(qtbot, ctx, monkeypatch):
    dlg = StudentFormDialog(ctx)
    qtbot.addWidget(dlg)
    old = make_id(dt.date(1990, 1, 1), seq=3)
    dlg.name.setText("王老")
    dlg.id_number.setText(old)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert dlg.try_save() is False
    assert "岁" in dlg.error_text("id_number")


# ---- item 4: the ID field ----------------------------------------------------------------------
def test_pasting_excels_number_gets_the_importers_explanation(qtbot):
    w = IdField(pupil=True)
    qtbot.addWidget(w)
    w.show()
    QApplication.clipboard().setText("3.41623E+17")
    w.edit.setFocus()
    QTest.keyClick(w.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert w.edit.text() == "3.41623E+17"
    assert "科学计数法" in w.error and "Excel" in w.error
    w.edit.clear()
    QTest.keyClicks(w.edit, "3.41623E+17")
    assert "科学计数法" in w.error and "位" not in w.note.text().split("，")[0][-3:]


def test_a_wrong_check_character_undoes_the_fifteen_digit_reading(qtbot, ctx):
    dlg = StudentFormDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    wrong = VALID_ID[:17] + ("0" if VALID_ID[-1] != "0" else "1")
    dlg.id_number.edit.setFocus()
    QTest.keyClicks(dlg.id_number.edit, wrong)
    assert dlg.id_number.info is None and "校验位" in dlg.id_number.error
    assert dlg.birth_date.text() == "" and dlg.gender.currentData() == ""


# ---- items 9 and 10: 学籍号 saved; focus; fixed lists ----------------------------------------------
def test_ctrl_n_then_typing_writes_the_name_and_the_student_no_is_saved(qtbot, ctx):
    dlg = StudentFormDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.focusWidget() is dlg.name
    dlg.name.setText("张小明")
    dlg.id_number.setText(VALID_ID)
    assert dlg.try_save()
    saved = ctx.registry.get_student(dlg.result_value.id)
    assert saved.student_no == "G" + VALID_ID


@pytest.mark.parametrize("form", ["student", "household"])
def test_forms_open_with_the_cursor_in_the_first_field(qtbot, ctx, form):
    dlg = StudentFormDialog(ctx) if form == "student" else HouseholdFormDialog(ctx, None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    first = next(iter(dlg._fields.values()))
    assert dlg.focusWidget() in (first, getattr(first, "edit", None))


def test_fixed_lists_are_not_free_text(qtbot, ctx):
    dlg = StudentFormDialog(ctx)
    qtbot.addWidget(dlg)
    for combo in (dlg.ethnicity, dlg.stage, dlg.grade, dlg.gender, dlg.relation, dlg.holder_relation):
        assert isinstance(combo, QComboBox) and not combo.isEditable()


# ---- item 12: export dialogs --------------------------------------------------------------------
def test_notice_period_is_checked_before_the_file_dialog(qtbot):
    dlg = NoticeOptions(today=dt.date(2020, 9, 7))
    qtbot.addWidget(dlg)
    dlg.term_edit.setText("2020秋")
    dlg.start_edit.set_value(dt.date(2020, 9, 7))
    dlg.end_edit.set_value(dt.date(2020, 9, 9))                     # 3 working days
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted and "不少于 5 个工作日" in dlg.error.text()
    dlg.end_edit.set_value(dt.date(2020, 9, 11))
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted


def test_export_remembers_term_and_folder_and_opens_in_documents(qtbot, paid_ctx, settings, tmp_path, monkeypatch):
    page = StudentsPage(paid_ctx)
    qtbot.addWidget(page)
    page.restore_state(settings)
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    opened = []

    def save_dialog(parent, title, start, filt):
        opened.append(start)
        return str(tmp_path / "out" / "公示.xlsx"), filt
    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    terms = []

    def run_dialog(self):
        terms.append(self.term_edit.text())
        self.term_edit.setText("2020秋")
        self.start_edit.set_value(dt.date(2020, 9, 7))
        self.end_edit.set_value(dt.date(2020, 9, 11))
        return 1
    monkeypatch.setattr(NoticeOptions, "exec", run_dialog)
    export_notice_action(paid_ctx, page)
    paid_ctx.tasks.wait()
    export_notice_action(paid_ctx, page)
    paid_ctx.tasks.wait()
    assert opened[0].startswith(str(home / "Documents")) and opened[1].startswith(str(tmp_path / "out"))
    assert terms[1] == "2020秋"


# ---- item 13: selection after saving; deleting a student with payments; reconcile double-click -----
def test_the_saved_student_stays_selected(qtbot, ctx, monkeypatch):
    page = StudentsPage(ctx)
    qtbot.addWidget(page)
    page.start()
    ctx.tasks.wait()

    def save_and_accept(dlg):
        dlg.name.setText("张𠮷")
        dlg.id_number.setText(VALID_ID)
        return dlg.try_save()
    monkeypatch.setattr(StudentFormDialog, "exec", save_and_accept)
    page.changed.connect(page.on_changes)
    page.new_item()
    qtbot.waitUntil(lambda: page.selected_rows() != [], timeout=5000)
    assert [r.name for r in page.selected_rows()] == ["张𠮷"]


def test_deleting_a_student_with_payments_says_so_before_asking(qtbot, paid_ctx, monkeypatch, no_modal_boxes):
    page = StudentsPage(paid_ctx)
    qtbot.addWidget(page)
    paid = next(r for r in paid_ctx.registry.page(StudentQuery(), 0, 300) if paid_ctx.registry.deletion_blocker(r.id))
    monkeypatch.setattr(page, "_current_row", lambda: paid)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    page.delete_selected()
    assert asked == [] and any("发放记录" in t and "不能删除" in t for t in no_modal_boxes)


def test_reconcile_tables_open_the_student_on_double_click(qtbot, ctx, tmp_path, monkeypatch):
    st = ctx.registry.page(StudentQuery(), 0, 1)[0]
    full = ctx.registry.get_student(st.id)
    path = write_xlsx(tmp_path / "p.xlsx", [["姓名", "身份证号"], [full.name, full.id_number]])
    ctx.reconcile.import_pushed_list(path, list_date="2020-09-01")
    panel = ReconcilePanel(ctx)
    qtbot.addWidget(panel)
    panel.refresh_lists()
    qtbot.waitUntil(lambda: panel.rec is not None, timeout=5000)
    group = next(g for g in ("matched", "different") if getattr(panel.rec, g))
    opened = []
    monkeypatch.setattr(StudentFormDialog, "exec", lambda dlg: opened.append(dlg._id) or 0)
    t = panel.tables[group]
    t.itemDoubleClicked.emit(t.item(0, 0))
    assert opened == [st.id]
    assert "全部类别" not in panel.summary.text() and "建档立卡" in panel.summary.text()


# ---- item 14: a fresh database raises no alarm ------------------------------------------------------
def test_a_fresh_database_shows_no_late_term(empty_ctx):
    assert empty_ctx.aid.deadline_status(dt.date(2026, 11, 30)) == []
