from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from db.registry.dto import StudentQuery
from db.validators import id_check_char, luhn_ok
from desktop.dialogs.student_form import StudentFormDialog
from widgets.combos import set_combo

BODY = "34162320120305123"
VALID_ID = BODY + id_check_char(BODY)
WRONG_ID = BODY + ("0" if VALID_ID[-1] != "0" else "1")


def bad_luhn_card() -> str:
    body = "622848000000000000"
    return next(body + d for d in "0123456789" if not luhn_ok(body + d))


@pytest.fixture
def form(qtbot, ctx):
    dlg = StudentFormDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def fill_valid(dlg):
    dlg.name.setText("张小明")
    dlg.id_number.setText(VALID_ID)
    set_combo(dlg.stage, "小学")
    set_combo(dlg.grade, "三年级")
    dlg.class_name.setText("2班")


def test_save_disabled_until_something_changes(form):
    assert not form.save_button.isEnabled()
    form.name.setText("张")
    assert form.save_button.isEnabled()


def test_all_errors_at_once(form):
    form.name.setText("")
    form.id_number.setText(WRONG_ID)
    form.phone.setText("12345")
    assert form.try_save() is False
    assert form.error_text("name") == "请填写姓名"
    assert "校验位" in form.error_text("id_number")
    assert "电话号码" in form.error_text("phone")
    assert form.isVisible()


def test_id_fills_gender_and_birth_date(form):
    form.id_number.setText(VALID_ID)
    assert form.gender.currentData() == "男"
    assert form.birth_date.text() == "2012-03-05"


def test_grade_follows_stage(form):
    set_combo(form.stage, "初中")
    grades = [form.grade.itemData(i) for i in range(form.grade.count())]
    assert grades == ["", "七年级", "八年级", "九年级"]
    set_combo(form.enrolment, "在外就读")
    assert form.study_location.isEnabled() and form.study_school.isEnabled()
    set_combo(form.enrolment, "在校")
    assert not form.study_location.isEnabled()


def test_valid_save_creates_the_student(form, ctx):
    fill_valid(form)
    form.categories.set_value(["建档立卡", "残疾学生"])
    assert form.try_save() is True
    assert form.result() == QDialog.DialogCode.Accepted
    saved = ctx.registry.get_student(form.result_value.id)
    assert saved.id_number == VALID_ID and saved.grade == "三年级" and saved.gender == "男"
    assert sorted(saved.categories) == sorted(["建档立卡", "残疾学生"])
    assert ctx.registry.count(StudentQuery(text=VALID_ID)) == 1


def test_enter_saves(qtbot, form, ctx):
    fill_valid(form)
    form.class_name.setFocus()
    qtbot.keyClick(form.class_name, Qt.Key.Key_Return)
    assert form.result() == QDialog.DialogCode.Accepted
    assert ctx.registry.count(StudentQuery(text=VALID_ID)) == 1


def test_escape_with_unsaved_changes_prompts(qtbot, form, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    form.name.setText("李")
    qtbot.keyClick(form.name, Qt.Key.Key_Escape)
    assert asked == ["放弃未保存的修改？"] and form.isVisible()


def test_duplicate_id_names_the_existing_student(qtbot, ctx):
    row = ctx.registry.page(StudentQuery(), 0, 1)[0]
    existing = ctx.registry.get_student(row.id)
    dlg = StudentFormDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.name.setText("王重复")
    dlg.id_number.setText(existing.id_number)
    assert dlg.try_save() is False
    assert existing.name in dlg.error_text("id_number")


def test_luhn_failure_asks_for_the_card_twice(form, ctx):
    fill_valid(form)
    card = bad_luhn_card()
    form.card.setText(card)
    form.bank_name.setEditText("农村信用合作社")
    form.card_holder.setText("张大山")
    assert form.confirm_visible()
    assert form.try_save() is False
    assert "再次输入" in form.error_text("bank_card_no")
    form.card_confirm.setText(card)
    assert form.try_save() is True
    assert ctx.registry.get_student(form.result_value.id).bank_card_no == card


def test_editing_shows_full_id_and_saves_changes(qtbot, ctx):
    row = ctx.registry.page(StudentQuery(), 0, 1)[0]
    dlg = StudentFormDialog(ctx, row.id)
    qtbot.addWidget(dlg)
    assert "*" in row.id_number and "*" not in dlg.id_number.text() and len(dlg.id_number.text()) == 18
    assert not dlg.save_button.isEnabled()
    dlg.class_name.setText("9班")
    assert dlg.try_save()
    assert ctx.registry.get_student(row.id).class_name == "9班"


def test_tab_order_follows_the_form(qtbot, form):
    form.activateWindow()
    form.name.setFocus()
    qtbot.waitUntil(form.name.hasFocus, timeout=2000)
    seen = []
    for _ in range(5):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
        seen.append(form.focusWidget())
    assert seen == [form.gender, form.ethnicity, form.id_number.edit, form.birth_date.edit, form.student_no]


def test_assessment_history_from_the_student_form(qtbot, ctx, monkeypatch):
    """Issue 9: the 认定 is a record per school year, edited in its own dialog; the form shows the latest."""
    import datetime as dt

    from desktop.dialogs.assessments import AssessmentsDialog
    new = StudentFormDialog(ctx)
    qtbot.addWidget(new)
    assert not new.assess_button.isEnabled() and new.difficulty.isReadOnly()
    sid = ctx.registry.page(StudentQuery(), 0, 1)[0].id
    dlg = StudentFormDialog(ctx, sid)
    qtbot.addWidget(dlg)
    assert dlg.assess_button.isEnabled()
    seen = []

    def fill(history):
        seen.append(history)
        history.start_new()
        history.year.setValue(2021)
        set_combo(history.level, "一般困难")
        history.assessed_on.setText("2021-09-12")
        history.reason.setText("")
        assert history.save() is False and "认定原因" in history.error.text()
        history.reason.setText("母亲务工收入低")
        assert history.save() and history.table.rowCount() == 2
        history.assessed_on.setText("2021-13-01")
        assert history.save() is False and "2020-09-10" in history.error.text()
        return 0
    monkeypatch.setattr(AssessmentsDialog, "exec", fill)
    dlg.open_assessments()
    assert seen and dlg.difficulty.text() == "一般困难"
    rows = ctx.registry.assessments(sid)
    assert [(r.school_year, r.level, r.assessed_on) for r in rows][0] == (2021, "一般困难", dt.date(2021, 9, 12))
    set_combo(dlg.hukou, "农业")
    dlg.notes.setText("改")
    assert dlg.try_save()
    assert ctx.registry.get_student(sid).hukou == "农业"
    assert ctx.registry.get_student(sid).difficulty_level == "一般困难"     # the form does not overwrite it
