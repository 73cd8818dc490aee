from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from db.changes import Changes
from desktop.main_window import MainWindow
from desktop.pages import PAGES
from desktop.pages.home import HomePage
from desktop.pages.students import COLUMNS, StudentsPage


@pytest.fixture
def window(qtbot, ctx, settings):
    w = MainWindow(ctx, settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.start()
    with qtbot.waitSignal(w.page_of(StudentsPage).countLoaded, timeout=10_000):
        w.nav.setCurrentRow(w.index_of(StudentsPage))
    return w


def test_fits_1366_by_768(window):
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768
    assert window.width() <= 1366 and window.height() <= 768


def test_pages_navigation_and_status_bar(window, ctx):
    assert PAGES[0].load() is HomePage and window.nav.item(0).text() == "工作台"     # shown at start
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [p.title for p in PAGES]
    assert window.school_label.text() == ctx.school.get().name
    assert window.path_label.text() == str(ctx.database.path)


def test_other_pages_are_built_when_first_shown(window):
    assert [type(p) for p in window.pages] == [HomePage, StudentsPage]
    window.nav.setCurrentRow(len(PAGES) - 1)
    last = window.current_page()
    assert type(last) is PAGES[-1].load() and window.pages[-1] is last
    assert window.stack.count() == len(PAGES) and window.stack.currentIndex() == len(PAGES) - 1
    window.nav.setCurrentRow(0)
    window.nav.setCurrentRow(len(PAGES) - 1)
    assert window.current_page() is last                       # built once


def test_menus_and_shortcuts(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "视图(&V)", "帮助(&H)"]
    shortcuts = {a.text(): a.shortcut() for m in window.menuBar().actions() for a in m.menu().actions()}
    assert shortcuts["新建…"] == QKeySequence(QKeySequence.StandardKey.New)
    assert shortcuts["导出当前列表…"] == QKeySequence("Ctrl+E")
    assert shortcuts["退出"] == QKeySequence("Ctrl+Q")
    assert shortcuts["查找"] == QKeySequence(QKeySequence.StandardKey.Find)
    assert "列设置…" in shortcuts and "关于" in shortcuts


def test_find_focuses_the_search_box(qtbot, window):
    window.activateWindow()
    page = window.page_of(StudentsPage)
    page.view.setFocus()
    window._page_call("focus_search", "")
    assert page.search.hasFocus() or window.focusWidget() is page.search


def test_changes_are_broadcast_to_pages(qtbot, window, ctx):
    got = []
    window.changed.connect(got.append)
    page = window.page_of(StudentsPage)
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.changed.emit(Changes(frozenset({"student"})))
    assert got and "student" in got[0].entities


def test_geometry_and_columns_remembered(qtbot, ctx, settings, window):
    page = window.page_of(StudentsPage)
    name_col = [k for k, _ in COLUMNS].index("township")
    page.view.setColumnHidden(name_col, True)
    page.view.setColumnWidth(0, 123)
    window.resize(760, 560)            # the offscreen screen is 800x600: stay inside it
    saved_size = window.size()
    window.close()                       # saves
    again = MainWindow(ctx, settings)
    qtbot.addWidget(again)
    p2 = again.page_of(StudentsPage)
    assert p2.view.isColumnHidden(name_col)
    assert p2.view.columnWidth(0) == 123
    # (the offscreen screen is 800 px wide, so only the height survives unclamped)
    assert again.size().height() == saved_size.height() == 560


def test_a_list_dropped_on_the_window_opens_the_import_wizard(window, qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from desktop.pages.exchange import ExchangePage
    from tests.desktop.test_exchange_page import HEAD, student_row, write_xlsx
    path = write_xlsx(tmp_path / "名单.xlsx", [HEAD, student_row(1)])
    assert not any(isinstance(p, ExchangePage) for p in window.pages)    # built when first needed
    page = window.page_of(ExchangePage)
    opened = []
    page.wizardOpened.connect(opened.append)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    window.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))
    assert window.current_page() is page
    assert opened and opened[0].path == path
    qtbot.waitUntil(lambda: opened[0].table is not None)
    opened[0].reject()


def test_export_view_writes_every_row_of_the_filtered_list_masked(qtbot, window, tmp_path):
    """导出当前列表 (Ctrl+E): all rows the list shows now (not only those loaded), numbers masked."""
    import openpyxl
    page = window.page_of(StudentsPage)
    page.start()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    out = tmp_path / "名册.xlsx"
    assert page.export_view(str(out)) is True
    qtbot.waitUntil(lambda: window.ctx.tasks.pending() == 0, timeout=20000)
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and len(rows) - 1 == window.ctx.registry.count(page._query)
    text = "\n".join("\t".join(str(v or "") for v in r) for r in rows)
    import re
    assert not re.search(r"\d{17}[\dX]", text) and "*" in text


def test_a_page_without_a_list_says_so(window):
    from desktop.pages.family import FamilyPage
    window.nav.setCurrentRow(window.index_of(FamilyPage))
    assert window._page_call("export_view", "本页没有可导出的列表") is False
    assert window.statusBar().currentMessage() == "本页没有可导出的列表"


def test_every_navigation_title_fits_without_a_scroll_bar(window):
    fm = window.nav.fontMetrics()
    room = window.nav.width() - window.nav.iconSize().width() - 30      # icon, gap, margins, spacing
    assert all(fm.horizontalAdvance(window.nav.item(i).text()) < room for i in range(window.nav.count()))
    assert window.nav.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
