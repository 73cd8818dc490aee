"""A date typed as text (2020-09-07, 2020/9/7, 2020年9月7日, 20200907), which may be left blank: faster
to key in than a calendar and honest about "unknown" (a QDateEdit always holds some date)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit

from db.clock import parse_day


class DateLine(QLineEdit):
    def __init__(self, day: dt.date | None = None, parent=None, *, placeholder: str = "如 2020-09-07"):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setMaxLength(12)
        self.set_day(day)

    def set_day(self, day: dt.date | None) -> None:
        self.setText(f"{day:%Y-%m-%d}" if day else "")

    def day(self) -> dt.date | None:
        """The date typed, None when blank; ValueError (Chinese) when it is not a date."""
        text = self.text().strip()
        return parse_day(text) if text else None
