"""LazyTableModel over an in-memory row source (widgets know no database)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QModelIndex, Qt

from widgets.table_model import LazyTableModel


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    note: str


ROWS = [Row(i, f"name{i:04d}", "tab\there" if i == 3 else "") for i in range(1000)]
COLUMNS = [("id", "编号"), ("name", "姓名"), ("note", "备注")]


class Source:
    def __init__(self, rows):
        self.rows, self.calls = rows, []

    def __call__(self, offset, limit):
        self.calls.append((offset, limit))
        return self.rows[offset:offset + limit]


@pytest.fixture
def model(qtbot):
    return LazyTableModel(COLUMNS, Source(ROWS), sortable={"name"}, page_size=100)


def test_passes_qt_model_tester(qtmodeltester, model):
    qtmodeltester.check(model)


def test_passes_model_tester_when_empty_and_after_reset(qtmodeltester):
    m = LazyTableModel(COLUMNS, sortable={"name"})
    qtmodeltester.check(m)
    m.reset_source(Source(ROWS[:5]))
    qtmodeltester.check(m)


def test_loads_one_page_then_more_on_demand(model):
    assert model.rowCount() == 100
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 200
    model.fetch_all()
    assert model.rowCount() == 1000
    assert not model.canFetchMore()
    assert model.data(model.index(999, 1)) == "name0999"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) is ROWS[0]


def test_short_first_page_means_nothing_more(qtbot):
    m = LazyTableModel(COLUMNS, Source(ROWS[:42]), page_size=100)
    assert m.rowCount() == 42 and not m.canFetchMore()


def test_reset_with_prefetched_page_does_not_call_fetch(model):
    src = Source(ROWS)
    model.reset_source(src, ROWS[:100])
    assert src.calls == []
    assert model.rowCount() == 100 and model.canFetchMore()
    model.fetchMore()
    assert src.calls == [(100, 100)]


def test_no_children_and_bad_indexes(model):
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
    assert model.data(model.createIndex(5000, 0)) is None
    assert model.headerData(1, Qt.Orientation.Horizontal) == "姓名"


def test_sort_asks_the_owner_only_for_sortable_columns(qtbot, model):
    got = []
    model.sortRequested.connect(lambda k, d: got.append((k, d)))
    model.sort(0, Qt.SortOrder.AscendingOrder)          # "id" is not sortable here
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert got == [("name", True)]
    assert model.is_sortable(1) and not model.is_sortable(0)


def test_tsv_has_header_line_and_no_stray_tabs(model):
    text = model.to_tsv([2, 3], [1, 2])
    lines = text.split("\r\n")
    assert lines[0] == "姓名\t备注"
    assert lines[1] == "name0002\t"
    assert lines[2] == "name0003\ttab here"
