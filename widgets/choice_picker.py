"""Pick one record (a household, …) by searching: a read-only label, a 选择… button and a search
dialog. The records come from a `find(text) -> [choice]` callable whose items have `.id`/`.label`."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from widgets.search_box import SearchBox

Find = Callable[[str], Sequence[Any]]


class ChoiceDialog(QDialog):
    def __init__(self, find: Find, title: str, placeholder: str, parent=None, *, initial: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._find = find
        self.search = SearchBox(placeholder, self)
        self.search.search.connect(self.refresh)
        self.list = QListWidget(self)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.search)
        lay.addWidget(self.list, 1)
        lay.addWidget(buttons)
        self.resize(480, 420)
        self.search.setText(initial)
        self.refresh(initial)

    def refresh(self, text: str) -> None:
        self.list.clear()
        for choice in self._find(text):
            item = QListWidgetItem(choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.search.hasFocus():
            self.list.setFocus()
            self.list.keyPressEvent(event)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.search.hasFocus():
            if self.search.is_pending():
                self.search.flush()
                return
        super().keyPressEvent(event)

    def chosen(self) -> tuple[int, str] | None:
        item = self.list.currentItem()
        return (item.data(Qt.ItemDataRole.UserRole), item.text()) if item else None


class ChoicePicker(QWidget):
    """`value()` -> chosen id or None; `changed` when it changes."""

    changed = Signal()

    def __init__(self, find: Find, label_of: Callable[[int], str], parent=None, *,
                 title: str = "选择", placeholder: str = "输入姓名、村或编号查找", empty: str = "（未选择）"):
        super().__init__(parent)
        self._find, self._label_of = find, label_of
        self._title, self._placeholder, self._empty = title, placeholder, empty
        self._id: int | None = None
        self.display = QLineEdit(self)
        self.display.setReadOnly(True)
        self.display.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.display.setPlaceholderText(empty)
        self.choose_button = QPushButton("选择…", self)
        self.choose_button.clicked.connect(self.choose)
        self.clear_button = QPushButton("清除", self)
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.display, 1)
        lay.addWidget(self.choose_button)
        lay.addWidget(self.clear_button)
        self.setFocusProxy(self.choose_button)

    def value(self) -> int | None:
        return self._id

    def set_value(self, choice_id: int | None, label: str | None = None) -> None:
        old = self._id
        self._id = choice_id
        self.display.setText("" if choice_id is None else (label or self._label_of(choice_id)))
        self.display.setToolTip(self.display.text())
        self.display.setCursorPosition(0)
        if old != choice_id:
            self.changed.emit()

    def choose(self) -> None:
        dlg = ChoiceDialog(self._find, self._title, self._placeholder, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and (c := dlg.chosen()):
            self.set_value(*c)


__all__ = ["ChoiceDialog", "ChoicePicker"]
