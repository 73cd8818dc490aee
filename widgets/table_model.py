"""A lazy table model over a row source (Anki's browser model is the pattern).

The model never knows where rows come from: it gets a `fetch(offset, limit)` callable returning row
dataclasses, and asks for the next page only when the view scrolls near the end (canFetchMore /
fetchMore). Sorting is not done here: clicking a header emits `sortRequested(key, descending)` and
the owner re-queries in SQL, then calls `reset_source`.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

Fetch = Callable[[int, int], Sequence[Any]]
PAGE_SIZE = 200


class LazyTableModel(QAbstractTableModel):
    sortRequested = Signal(str, bool)       # column key, descending

    def __init__(self, columns: Sequence[tuple[str, str]], fetch: Fetch | None = None, *,
                 sortable: Collection[str] = (), page_size: int = PAGE_SIZE, parent=None):
        super().__init__(parent)
        self._keys = [k for k, _ in columns]
        self._headers = [h for _, h in columns]
        self._sortable = frozenset(sortable)
        self._page = page_size
        self._fetch: Fetch | None = None
        self._rows: list[Any] = []
        self._exhausted = True
        self.sort_key = ""
        self.sort_descending = False
        if fetch is not None:
            self.reset_source(fetch)

    # ---- the source -----------------------------------------------------------------------------
    def reset_source(self, fetch: Fetch | None, first_page: Sequence[Any] | None = None) -> None:
        """Start over on a new source. `first_page`, when given, was already fetched (e.g. on a
        worker thread) and stands for fetch(0, page_size)."""
        self.beginResetModel()
        self._fetch = fetch
        if fetch is None:
            self._rows, self._exhausted = [], True
        else:
            rows = list(first_page) if first_page is not None else list(fetch(0, self._page))
            self._rows = rows
            self._exhausted = len(rows) < self._page
        self.endResetModel()

    def clear(self) -> None:
        self.reset_source(None)

    @property
    def keys(self) -> list[str]:
        return list(self._keys)

    @property
    def headers(self) -> list[str]:
        return list(self._headers)

    def source(self) -> tuple[Fetch | None, list[str], list[str]]:
        """The row source now shown, with the column headers and keys (to export every row)."""
        return self._fetch, self.headers, self.keys

    def header(self, column: int) -> str:
        return self._headers[column]

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def loaded_rows(self) -> list[Any]:
        return list(self._rows)

    def replace_row(self, row: int, value: Any) -> None:
        self._rows[row] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._keys) - 1))

    # ---- Qt model API ---------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._keys):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = getattr(self._rows[index.row()], self._keys[index.column()], "")
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.UserRole:
            return self._rows[index.row()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 1) if 0 <= section < len(self._rows) else None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._fetch is not None and not self._exhausted

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        more = list(self._fetch(len(self._rows), self._page))
        self._exhausted = len(more) < self._page
        if more:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def fetch_all(self, limit: int = 1_000_000) -> None:
        """Load every remaining row (for 'select all' + copy); stops at `limit` rows."""
        while self.canFetchMore() and len(self._rows) < limit:
            self.fetchMore()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._keys):
            return
        key = self._keys[column]
        if key not in self._sortable:
            return
        self.sort_key = key
        self.sort_descending = order == Qt.SortOrder.DescendingOrder
        self.sortRequested.emit(key, self.sort_descending)

    def is_sortable(self, column: int) -> bool:
        return 0 <= column < len(self._keys) and self._keys[column] in self._sortable

    # ---- copying --------------------------------------------------------------------------------
    def to_tsv(self, rows: Sequence[int], columns: Sequence[int]) -> str:
        """Tab-separated text with a header line, as Excel and WPS paste it."""
        def clean(v: Any) -> str:
            return ("" if v is None else str(v)).replace("\t", " ").replace("\r", " ").replace("\n", " ")
        lines = ["\t".join(self._headers[c] for c in columns)]
        for r in rows:
            row = self._rows[r]
            lines.append("\t".join(clean(getattr(row, self._keys[c], "")) for c in columns))
        return "\r\n".join(lines) + "\r\n"
