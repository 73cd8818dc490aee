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
