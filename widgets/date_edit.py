"""One date field for every form and dialog: typing a full date sets the full date.

Qt's QDateEdit edits one section at a time, so selecting its text and typing `2020-09-20` kept the
current year (issue 10: 1,523 payments were dated 2026). `DateEdit` is a line edit that reads what
was typed as a whole (2020-09-20, 2020/9/20, 2020.9.20, 2020年9月20日, 20200920), says in red when it
is not a date or out of range, and has a calendar button for those who prefer to click.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

from db.clock import parse_day

ERROR_STYLE = "QLineEdit { color: #c62828; }"


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, QDate):
        return value.toPython() if value.isValid() else None
    return value


class DateEdit(QWidget):
    """`value()` is a datetime.date or None (empty or not a date: see `error`); `date()`/`setDate()`
    take and give QDate like QDateEdit. `changed` fires on every edit, `dateChanged(QDate)` when the
    date itself changes."""

    changed = Signal()
    dateChanged = Signal(QDate)

    def __init__(self, value: dt.date | QDate | None = None, parent=None, *, allow_empty: bool = False,
                 placeholder: str = "如 2020-09-07"):
        super().__init__(parent)
        self._allow_empty = allow_empty
        self._min: dt.date | None = None
        self._max: dt.date | None = None
        self._last: dt.date | None = None
        self._error = ""
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setMaxLength(20)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("2020-09-07") + 24)
        self.button = QToolButton(self)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setToolTip("从日历中选择")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self._pop_calendar)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._on_text)
        self.edit.editingFinished.connect(self._normalise)
        self.set_value(_as_date(value))

    # ---- value ----------------------------------------------------------------------------------
    def value(self) -> dt.date | None:
        """The date typed (even when out of range: `error` says so), None when it is no date."""
        return self._last

    def set_value(self, value: dt.date | QDate | None) -> None:
        d = _as_date(value)
        self.edit.setText(d.isoformat() if d else "")

    def date(self) -> QDate:
        d = self.value()
        return QDate(d.year, d.month, d.day) if d else QDate()

    def setDate(self, value: dt.date | QDate) -> None:
        self.set_value(value)

    def text(self) -> str:
        return self.edit.text()

    @property
    def error(self) -> str:
        return self._error

    def setMaximumDate(self, value: dt.date | QDate) -> None:
        self._max = _as_date(value)
        self._on_text(self.edit.text())

    def setMinimumDate(self, value: dt.date | QDate) -> None:
        self._min = _as_date(value)
        self._on_text(self.edit.text())

    # ---- behaviour ------------------------------------------------------------------------------
    def _check(self, text: str) -> tuple[dt.date | None, str]:
        if not text.strip():
            return None, "" if self._allow_empty else "请填写日期"
        try:
            d = parse_day(text)
        except ValueError as e:
            return None, str(e)
        if self._min and d < self._min:
            return d, f"日期不能早于 {self._min:%Y-%m-%d}"
        if self._max and d > self._max:
            return d, f"日期不能晚于 {self._max:%Y-%m-%d}"
        return d, ""

    def _on_text(self, text: str) -> None:
        d, self._error = self._check(text)
        self.edit.setStyleSheet(ERROR_STYLE if self._error and text.strip() else "")
        self.edit.setToolTip(self._error)
        if d != self._last:
            self._last = d
            self.dateChanged.emit(self.date())
        self.changed.emit()

    def _normalise(self) -> None:
        d = self.value()
        if d is not None and self.edit.text() != d.isoformat():
            self.edit.setText(d.isoformat())

    def _pop_calendar(self) -> None:
        menu = QMenu(self)
        cal = QCalendarWidget(menu)
        cal.setGridVisible(True)
        if self._min:
            cal.setMinimumDate(QDate(self._min.year, self._min.month, self._min.day))
        if self._max:
            cal.setMaximumDate(QDate(self._max.year, self._max.month, self._max.day))
        if self.value():
            cal.setSelectedDate(self.date())
        act = QWidgetAction(menu)
        act.setDefaultWidget(cal)
        menu.addAction(act)
        cal.clicked.connect(lambda qd: (self.set_value(qd), menu.close()))
        menu.exec(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
