"""学生名册 on a real database with 300 demonstration students."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from db.pinyin import pinyin_keys
from desktop.pages.students import COLUMNS, StudentsPage
from widgets.table_model import PAGE_SIZE

FULL_ID = re.compile(r"\d{17}[\dX]")


def col(key: str) -> int:
    return [k for k, _ in COLUMNS].index(key)


@pytest.fixture
def page(qtbot, ctx):
    p = StudentsPage(ctx)
    qtbot.addWidget(p)
    p.changed.connect(p.on_changes)          # what the main window does
    with qtbot.waitSignal(p.countLoaded, timeout=10_000):
        p.start()
    return p


def search(qtbot, page, text):
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.search.setText(text)
        page.search_now()
    return page.model.loaded_rows()


def test_first_page_and_count(page):
    assert page.total == 300
    assert page.count_label.text() == "共 300 人"
    assert page.model.rowCount() == PAGE_SIZE and page.model.canFetchMore()
    page.model.fetch_all()
    assert page.model.rowCount() == 300


def test_search_by_name(qtbot, page, ctx):
    target = page.model.row_at(5).name
    rows = search(qtbot, page, target)
    assert rows and all(target in r.name or target in r.head_name for r in rows)
    assert any(r.name == target for r in rows)
    assert page.total == len(rows) and "已筛选" in page.count_label.text()


def test_search_by_id_prefix(qtbot, page, ctx):
    row = page.model.row_at(7)
    full = ctx.registry.get_student(row.id).id_number
    rows = search(qtbot, page, full[:14])
    assert row.id in {r.id for r in rows}
    assert all(ctx.registry.get_student(r.id).id_number.startswith(full[:14]) for r in rows)
    assert len(rows) < 300


def test_search_by_pinyin_initials(qtbot, page):
    name = page.model.row_at(11).name
    initials = pinyin_keys(name)[1]
    rows = search(qtbot, page, initials)
    assert name in {r.name for r in rows}
    assert all(pinyin_keys(r.name)[1].startswith(initials) or pinyin_keys(r.name)[0].startswith(initials)
               for r in rows)


def test_filters(qtbot, page):
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.set_filter("stage", "小学")
    rows = page.model.loaded_rows()
    assert rows and all(r.stage == "小学" for r in rows) and page.total < 300
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.set_filter("category", "建档立卡")
    assert all("建档立卡" in r.categories and r.stage == "小学" for r in page.model.loaded_rows())
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.clear_filters()
    assert page.total == 300


def test_filter_options_loaded_from_the_database(qtbot, page):
    qtbot.waitUntil(lambda: page.filters["village"].count() > 1, timeout=10_000)
    assert page.filters["grade"].findData("一年级") > 0


def test_header_click_sorts_in_sql(qtbot, page):
    header = page.view.horizontalHeader()
    with qtbot.waitSignal(page.rowsLoaded, timeout=10_000):
        header.setSortIndicator(col("class_name"), Qt.SortOrder.DescendingOrder)
    assert page._query.sort == "class_name" and page._query.descending
    classes = [r.class_name for r in page.model.loaded_rows()]
    assert classes == sorted(classes, reverse=True) and classes[0] == "6班"
    # a column SQL cannot sort puts the indicator back and runs no query
    header.setSortIndicator(col("categories"), Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == col("class_name")


def test_no_full_id_card_or_phone_in_any_cell(page):
    page.model.fetch_all()
    m = page.model
    for r in range(m.rowCount()):
        for c in range(m.columnCount()):
            assert not FULL_ID.search(m.data(m.index(r, c)) or "")
    assert "*" in m.data(m.index(0, col("id_number")))
    assert "*" in m.data(m.index(0, col("bank_card_no")))


def test_ctrl_c_copies_tsv_with_header(qtbot, page):
    page.view.selectRow(0)
    page.view.selectionModel().select(page.model.index(1, 0), page.view.selectionModel().SelectionFlag.Select
                                       | page.view.selectionModel().SelectionFlag.Rows)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().rstrip("\r\n").split("\r\n")
    assert len(lines) == 3
    headers = lines[0].split("\t")
    assert headers[0] == "姓名" and "身份证号" in headers and "银行卡号" not in headers   # hidden column
    first = lines[1].split("\t")
    assert first[0] == page.model.row_at(0).name
    assert not FULL_ID.search(QGuiApplication.clipboard().text())


def test_late_results_are_dropped(qtbot, page):
    before = page.model.loaded_rows()
    stale = page._token
    page._token += 1                      # as if the user had typed again
    page._on_page(stale, page._query, [])
    assert page.model.loaded_rows() == before


def test_delete_asks_then_deletes(qtbot, page, ctx, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    row = page.model.row_at(0)
    page.view.selectRow(0)
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        page.delete_selected()
    assert row.name in asked[0] and row.id_number in asked[0] and "*" in asked[0]
    assert page.total == 299
    assert row.id not in {r.id for r in page.model.loaded_rows()}


def test_delete_refused_keeps_the_student(qtbot, page, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    page.view.selectRow(0)
    page.delete_selected()
    assert page.total == 300


def test_enter_opens_the_form_and_saving_refreshes(qtbot, page, monkeypatch):
    from desktop.dialogs.student_form import StudentFormDialog
    opened = []

    def fake_exec(dlg):
        opened.append(dlg.name.text())
        dlg.class_name.setText("7班")
        return int(dlg.try_save())
    monkeypatch.setattr(StudentFormDialog, "exec", fake_exec)
    row = page.model.row_at(0)
    page.view.selectRow(0)
    page.view.setFocus()
    with qtbot.waitSignal(page.countLoaded, timeout=10_000):
        qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert opened == [row.name]
    assert next(r for r in page.model.loaded_rows() if r.id == row.id).class_name == "7班"
