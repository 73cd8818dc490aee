"""Guard for the PySide6 6.12.0 bug: item-adding calls leak references to None on Python 3.11,
and the interpreter aborts (none_dealloc) after enough calls. Fails on 6.12.0, passes on 6.11.x."""
from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtWidgets import QComboBox, QListWidget, QTableWidget, QTableWidgetItem

CALLS = 10_000
MARGIN = 100


def _none_refs() -> int:
    return sys.getrefcount(None)


@pytest.fixture(autouse=True)
def quiet_gc():
    """Garbage from earlier tests, freed mid-loop, would also lower the count: collect it first
    and keep the collector out of the measured loop."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_combo_add_item_keeps_none_refcount(qtbot):
    combo = QComboBox()
    qtbot.addWidget(combo)
    before = _none_refs()
    for i in range(CALLS):
        combo.addItem(str(i))
    combo.clear()
    assert before - _none_refs() < MARGIN


def test_table_set_item_keeps_none_refcount(qtbot):
    table = QTableWidget(100, 100)
    qtbot.addWidget(table)
    before = _none_refs()
    for i in range(CALLS):
        table.setItem(i % 100, (i // 100) % 100, QTableWidgetItem(str(i)))
    table.clear()
    assert before - _none_refs() < MARGIN


def test_list_add_item_keeps_none_refcount(qtbot):
    lw = QListWidget()
    qtbot.addWidget(lw)
    before = _none_refs()
    for i in range(CALLS):
        lw.addItem(str(i))
    lw.clear()
    assert before - _none_refs() < MARGIN
