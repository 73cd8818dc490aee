"""A table view for LazyTableModel: Ctrl+C, Enter and Delete become signals the page handles."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


class LedgerTableView(QTableView):
    copyRequested = Signal()
    openRequested = Signal()
    deleteRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        h = self.horizontalHeader()
        h.setSectionsClickable(True)
        h.setSectionsMovable(True)
        h.setSortIndicatorShown(True)
        h.setHighlightSections(False)
        h.setStretchLastSection(True)
        h.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.doubleClicked.connect(lambda _i: self.openRequested.emit())

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.openRequested.emit()
        elif event.key() == Qt.Key.Key_Delete:
            self.deleteRequested.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def selected_rows(self) -> list[int]:
        sm = self.selectionModel()
        return sorted({i.row() for i in sm.selectedRows()}) if sm else []

    def selected_items(self) -> list:
        """The row objects of the selected rows (the model must have `row_at`)."""
        return [self.model().row_at(r) for r in self.selected_rows()]

    def current_item(self):
        """The first selected row object, else the one under the cursor, else None."""
        rows = self.selected_rows()
        if not rows:
            cur = self.currentIndex()
            rows = [cur.row()] if cur.isValid() else []
        return self.model().row_at(rows[0]) if rows else None

    def copy_selected(self) -> tuple[str, int]:
        """Copy the selected rows, visible columns in view order, as tab-separated text with a header
        line (what Excel and WPS paste as cells). Returns (text, number of rows)."""
        rows = self.selected_rows()
        if not rows:
            return "", 0
        text = self.model().to_tsv(rows, self.visible_columns())
        QGuiApplication.clipboard().setText(text)
        return text, len(rows)

    def visible_columns(self) -> list[int]:
        """Logical column numbers in the order the user sees them."""
        h = self.horizontalHeader()
        return [h.logicalIndex(v) for v in range(h.count()) if not h.isSectionHidden(h.logicalIndex(v))]
