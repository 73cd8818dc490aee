from __future__ import annotations

from desktop.dialogs.first_run import FirstRunDialog


def test_first_run_saves_the_school(qtbot, empty_ctx):
    assert empty_ctx.school.get() is None
    dlg = FirstRunDialog(empty_ctx)
    qtbot.addWidget(dlg)
    dlg.name.setText("阚疃镇中心学校")
    dlg.county.setText("利辛县")
    dlg.township.setText("阚疃镇")
    assert not dlg.try_save()                    # no stage chosen yet
    assert dlg.error_text("stages")
    dlg.stages.set_value(["小学", "初中"])
    dlg.demo.setChecked(True)
    assert dlg.try_save()
    info = empty_ctx.school.get()
    assert info.name == "阚疃镇中心学校" and info.stages == ["小学", "初中"] and info.county == "利辛县"
    assert dlg.load_demo


def test_first_run_flow_loads_demo_data_in_the_background(qtbot, empty_ctx, settings, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from desktop.app import first_run
    from desktop.main_window import MainWindow
    from desktop.pages.students import StudentsPage

    def fake_exec(dlg):
        dlg.name.setText("演示学校")
        dlg.stages.set_value(["小学"])
        dlg.demo.setChecked(True)
        return QDialog.DialogCode.Accepted if dlg.try_save() else QDialog.DialogCode.Rejected
    monkeypatch.setattr(FirstRunDialog, "exec", fake_exec)
    w = MainWindow(empty_ctx, settings)
    qtbot.addWidget(w)
    page = w.page_of(StudentsPage)
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        w.start()
    assert page.total == 0 and w.school_label.text() == "（未设置学校）"
    first_run(w)
    assert w.school_label.text() == "演示学校"
    qtbot.waitUntil(lambda: page.total == 300, timeout=30_000)
    assert page.model.rowCount() == 200


def test_first_run_says_where_to_change_it_and_lets_the_demo_size_be_chosen(qtbot, empty_ctx):
    from PySide6.QtWidgets import QLabel
    dlg = FirstRunDialog(empty_ctx)
    qtbot.addWidget(dlg)
    assert any("以后可以在“设置”中修改" in lab.text() for lab in dlg.findChildren(QLabel))
    assert not dlg.demo_size.isEnabled()
    dlg.demo.setChecked(True)
    assert dlg.demo_size.isEnabled()
    dlg.demo_size.setValue(1200)
    assert dlg.demo_students == 1200
