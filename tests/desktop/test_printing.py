"""Printing from the pages: a background build opens the preview; Ctrl+P prints what the page shows;
cancel leaves no file."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from db.docs.kinds import Selection
from desktop.main_window import MainWindow
from desktop.printing import print_document, printouts_dir
from widgets.pdf_preview import PdfPreview


def previews() -> list[PdfPreview]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreview) and w.isVisible()]


@pytest.fixture(autouse=True)
def close_previews():
    yield
    for w in previews():
        w.close()


def _wait_preview(qtbot, before: int = 0) -> PdfPreview:
    qtbot.waitUntil(lambda: len(previews()) > before, timeout=30000)
    w = previews()[-1]
    qtbot.waitUntil(lambda: w.pages_shown, timeout=10000)
    return w


def test_print_document_builds_in_the_background_and_opens_the_preview(paid_ctx, qtbot, settings):
    win = MainWindow(paid_ctx, settings)
    qtbot.addWidget(win)
    print_document(win, paid_ctx, "notice", Selection(term="2020秋", all=True))
    w = _wait_preview(qtbot)
    assert w.page_count() >= 1 and w.path.endswith(".pdf")
    assert str(printouts_dir(paid_ctx)) in w.path


def test_cancel_leaves_no_file(paid_ctx, qtbot, settings):
    win = MainWindow(paid_ctx, settings)
    qtbot.addWidget(win)
    folder = printouts_dir(paid_ctx)
    task = print_document(win, paid_ctx, "cover", Selection(all=True))
    task.cancel()
    paid_ctx.tasks.wait()
    qtbot.waitUntil(lambda: task.finished, timeout=30000)
    assert list(folder.iterdir()) == []
    assert "已取消" in win.statusBar().currentMessage()
    assert previews() == []


@pytest.mark.parametrize("page_cls,kind_word", [("AidPage", "发放签领表"), ("FamilyPage", "查询记录"),
                                                ("StudentsPage", "档案"), ("VisitsPage", "走访")])
def test_ctrl_p_prints_what_the_page_shows(paid_ctx, qtbot, settings, page_cls, kind_word):
    win = MainWindow(paid_ctx, settings)
    qtbot.addWidget(win)
    win.show()
    win.start()
    win.nav.setCurrentRow(win.index_of(page_cls))
    page = win.current_page()
    if page_cls == "AidPage":
        qtbot.waitUntil(lambda: page.summary is not None, timeout=20000)
    elif page_cls == "FamilyPage":
        page.today = lambda: dt.date(2020, 10, 8)
        page.find("王")
        qtbot.waitUntil(lambda: page.record is not None, timeout=20000)
    elif page_cls == "StudentsPage":
        qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=20000)
        page.view.selectRow(0)
    else:
        qtbot.waitUntil(lambda: bool(page.groups), timeout=20000)
    assert win.print_action.shortcut().toString() == "Ctrl+P"
    win.print_action.trigger()
    w = _wait_preview(qtbot)
    from tests.db.docs.conftest import pdf_text
    assert kind_word in pdf_text(w.path, 1, 1).replace(" ", "")


def test_a_page_without_printing_says_so(paid_ctx, qtbot, settings):
    from desktop.pages.exchange import ExchangePage
    win = MainWindow(paid_ctx, settings)
    qtbot.addWidget(win)
    win.nav.setCurrentRow(win.index_of(ExchangePage))
    assert win.print_current() is False
    assert "没有可打印" in win.statusBar().currentMessage()
