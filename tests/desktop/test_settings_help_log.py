"""设置 (edited after first start, one audited save, errors beside their fields), 学年结转 from it (preview,
mapping, run once), F1 help at each page's section, and the read-only operation log."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtWidgets import QAbstractItemView

from db.clock import FixedClock
from desktop.dialogs.help import HelpDialog, anchors, guide_html, sections
from desktop.dialogs.rollover import RolloverDialog
from desktop.main_window import MainWindow
from desktop.pages import PAGES
from desktop.pages.oplog import OpLogPage
from desktop.pages.settings import SettingsPage
from tests.desktop.conftest import settle


@pytest.fixture
def window(qtbot, ctx, settings):
    w = MainWindow(ctx, settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.start()
    yield w
    settle(ctx)


def settings_page(qtbot, window) -> SettingsPage:
    page = window.page_of(SettingsPage)
    window.nav.setCurrentRow(window.index_of(SettingsPage))
    qtbot.waitUntil(lambda: page.fields["name"].text() != "", timeout=10_000)
    return page


def test_the_school_details_are_edited_after_first_start(qtbot, window, ctx):
    page = settings_page(qtbot, window)
    assert not page.save_button.isEnabled()
    page.fields["name"].setText("阚疃镇第二中心学校")
    page.fields["officer"].setText("周老师")
    page.fields["reply_days"].setValue(21)
    page.fields["county_hotline"].setText("0558-8800000")
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(page.saved):
        assert page.save()
    assert ctx.school.get().name == "阚疃镇第二中心学校" and window.school_label.text() == "阚疃镇第二中心学校"
    assert ctx.letters.reply_days() == 21 and ctx.config.get().county_hotline == "0558-8800000"
    assert ctx.ctx.actor.name == "周老师"                      # later changes are recorded under the new name
    assert ctx.oplog.entries()[0].action == "settings"


def test_bad_settings_are_shown_beside_their_fields(qtbot, window, ctx):
    page = settings_page(qtbot, window)
    page.fields["phone"].setText("12345")
    page.fields["stages"].set_value([])
    assert not page.save()
    assert page.errors["phone"].isVisibleTo(page) and "电话号码" in page.errors["phone"].text()
    assert "学段" in page.errors["stages"].text()
    assert ctx.school.get().stages                            # nothing saved


def test_the_rollover_is_previewed_then_run_once(qtbot, window, ctx, sf, monkeypatch):
    from desktop.dialogs.assessment_gaps import AssessmentGapsDialog
    opened = []
    monkeypatch.setattr(AssessmentGapsDialog, "exec", lambda dlg: opened.append(dlg.year.value()))
    ctx.ctx.clock = FixedClock(dt.datetime(2021, 8, 25, 2), dt.date(2021, 8, 25))
    dlg = RolloverDialog(ctx, window)
    qtbot.addWidget(dlg)
    plan = dlg.plan
    assert plan.school_year == 2021 and not plan.refusal and dlg.run_button.isEnabled()
    rows = {dlg.table.item(r, 0).text(): r for r in range(dlg.table.rowCount())}
    source = next(s for s in rows if s.startswith("三年级"))
    dlg.table.item(rows[source], 3).setText("9班")
    with qtbot.waitSignal(dlg.previewed):
        dlg.preview_button.click()
    assert dlg.mapping() == {source: "9班"}
    assert dlg.table.item(rows[source], 3).text() == "9班"     # the change survives the new preview
    from sqlalchemy import select

    from db.models.registry import Student
    with sf() as s:
        moved = list(s.scalars(select(Student.id).where(Student.grade == "三年级", Student.class_name == source[3:],
                                                        Student.enrolment == "在校")))
    with qtbot.waitSignal(dlg.rolled, timeout=60_000):
        assert dlg.run()
    assert ctx.rollover.history()[0].school_year == 2021
    assert opened == [2021]                                   # the new year's 认定 round, offered at once
    with sf() as s:
        assert {(st.grade, st.class_name) for st in s.scalars(select(Student).where(Student.id.in_(moved)))} == {
            ("四年级", "9班")}
    again = RolloverDialog(ctx, window)
    qtbot.addWidget(again)
    assert again.plan.school_year == 2022 and not again.run_button.isEnabled() and "6 月起" in again.refusal.text()


def test_f1_opens_the_guide_at_each_pages_section(qtbot, window):
    html = guide_html()
    names = anchors(html)
    for cls in (ref.load() for ref in PAGES):
        assert (cls.help_topic or cls.settings_key) in names, cls.__name__
    assert {"calendar", "import", "backup", "rollover"} <= names
    assert [t for _a, t in sections(html)][0] == "一学年的工作日历"
    for text in ("9 月 25 日", "6 月 15 日", "5 个工作日", "认定"):
        assert text in html
    window.nav.setCurrentRow(window.index_of(SettingsPage))
    window.help_action.trigger()
    dlg = window.findChild(HelpDialog)
    assert dlg.isVisible() and dlg.topic == "settings"
    assert dlg.contents.currentItem().text() == "设置"
    window.nav.setCurrentRow(0)
    window.help_action.trigger()
    assert window.findChild(HelpDialog) is dlg and dlg.topic == "home"
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助(&H)")
    assert [a.text() for a in menu.actions() if a.text()] == ["使用说明", "学年工作日历", "导入县里的名单", "备份与恢复",
                                                              "操作日志", "关于"]


def test_the_operation_log_is_read_only_filtered_and_exported_masked(qtbot, window, ctx, tmp_path, sf):
    from db.models.registry import Student
    with sf() as s:
        st = s.get(Student, 1)
    form = ctx.registry.get_student(st.id)
    form.phone = "13912345678"
    ctx.registry.save_student(form)
    page = window.page_of(OpLogPage)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.nav.setCurrentRow(window.index_of(OpLogPage))
    assert page.view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert page.total == ctx.oplog.count()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.search.setText(st.name)
        page.search.flush()
    assert 0 < page.total < ctx.oplog.count()
    assert all(st.name in page.model.row_at(i).summary for i in range(page.model.rowCount()))
    page.view.selectRow(0)
    assert "修改前" in page.detail.toPlainText()
    out = tmp_path / "日志.xlsx"
    page.export_log(str(out))
    qtbot.waitUntil(lambda: ctx.tasks.pending() == 0, timeout=20_000)
    text = "".join(str(c.value or "") for row in openpyxl.load_workbook(out).active.iter_rows() for c in row)
    assert st.name in text and "13912345678" not in text and "139****5678" in text
