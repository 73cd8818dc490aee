"""Small read-only tables filled from plain rows, a 有/无/未知 chooser that keeps "unknown" blank, and a
row of widgets — the pieces the seed-ledger pages (线上学习排查, 营养改善计划, 中职毕业生就业, 个性化帮扶) share."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

UNKNOWN = "未知"
ROW_ROLE = Qt.ItemDataRole.UserRole


def tri_combo(value: bool | None = None, yes: str = "有", no: str = "无") -> QComboBox:
    """有 / 无 / 未知 — 未知 is saved as blank (None), never as 无 or 否."""
    combo = QComboBox()
    for text, data in ((UNKNOWN, None), (yes, True), (no, False)):
        combo.addItem(text, data)
    combo.setCurrentIndex({None: 0, True: 1, False: 2}[value])
    return combo


def list_table(headers: Sequence[str], widths: Sequence[int] = (), parent=None) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(list(headers))
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for c, w in enumerate(widths):
        t.setColumnWidth(c, w)
    return t


def fill(table: QTableWidget, rows: Sequence[Sequence], keys: Sequence = (), *, right: Sequence[int] = (),
         colors: dict[int, str] | None = None) -> None:
    """Rows of plain values (None shows blank); `keys[i]` is kept on row i's first cell."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            item = QTableWidgetItem("" if v is None else str(v))
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if colors and r in colors:
                item.setForeground(Qt.GlobalColor.darkRed if colors[r] == "red" else Qt.GlobalColor.darkGreen)
            if c == 0 and r < len(keys):
                item.setData(ROW_ROLE, keys[r])
            table.setItem(r, c, item)


def selected_key(table: QTableWidget):
    r = table.currentRow()
    item = table.item(r, 0) if r >= 0 else None
    return item.data(ROW_ROLE) if item is not None else None


def bar(*widgets: QWidget | str | None) -> QHBoxLayout:
    """A row of widgets; a str is a label, None a stretch."""
    lay = QHBoxLayout()
    for w in widgets:
        if w is None:
            lay.addStretch(1)
        elif isinstance(w, str):
            lay.addWidget(QLabel(w))
        else:
            lay.addWidget(w)
    return lay
