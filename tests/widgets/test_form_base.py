from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox

from db.errors import ValidationError
from widgets.check_group import CheckGroup
from widgets.form_base import FormBase


class Form(FormBase):
    def __init__(self):
        super().__init__("测试")
        self.a = self.add_field("a", "甲", QLineEdit(), 0)
        self.b = self.add_field("b", "乙", QLineEdit(), 1)
        self.c = self.add_field("c", "丙", CheckGroup(["x", "y"]), 2)
        self.mark_clean()
        self.saved = []

    def submit(self):
        problems = {k: f"{k} 不对" for k in ("a", "b") if not self.value(k)}
        if problems:
            problems["elsewhere"] = "总的问题"
            raise ValidationError(problems)
        self.saved.append(self.values())
        return "ok"


def test_save_disabled_until_dirty_and_back(qtbot):
    f = Form()
    qtbot.addWidget(f)
    assert not f.save_button.isEnabled()
    f.a.setText("1")
    assert f.save_button.isEnabled()
    f.a.setText("")
    assert not f.save_button.isEnabled()
    f.c.boxes["y"].setChecked(True)
    assert f.save_button.isEnabled()


def test_all_problems_shown_at_once(qtbot):
    f = Form()
    qtbot.addWidget(f)
    f.show()
    f.c.boxes["x"].setChecked(True)
    assert f.try_save() is False
    assert f.error_text("a") == "a 不对" and f.error_text("b") == "b 不对"
    assert f.general_error.text() == "总的问题"
    assert f.isVisible()
    f.a.setText("1")
    f.b.setText("2")
    assert f.try_save() is True
    assert f.error_text("a") == "" and f.result_value == "ok"
    assert f.result() == QDialog.DialogCode.Accepted


def test_enter_saves(qtbot):
    f = Form()
    qtbot.addWidget(f)
    f.show()
    f.a.setText("1")
    f.b.setText("2")
    f.b.setFocus()
    qtbot.keyClick(f.b, Qt.Key.Key_Return)
    assert f.saved and f.result() == QDialog.DialogCode.Accepted


def test_escape_with_changes_asks_first(qtbot, monkeypatch):
    asked = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer[0])
    f = Form()
    qtbot.addWidget(f)
    f.show()
    f.a.setText("changed")
    qtbot.keyClick(f.a, Qt.Key.Key_Escape)
    assert asked == ["放弃未保存的修改？"] and f.isVisible()
    answer[0] = QMessageBox.StandardButton.Yes
    qtbot.keyClick(f.a, Qt.Key.Key_Escape)
    assert not f.isVisible() and f.result() == QDialog.DialogCode.Rejected


def test_escape_without_changes_does_not_ask(qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    f = Form()
    qtbot.addWidget(f)
    f.show()
    qtbot.keyClick(f.a, Qt.Key.Key_Escape)
    assert not f.isVisible()
