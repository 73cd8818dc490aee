"""Yuan text in, integer fen out. All parsing is db.money's; this only guards the keyboard."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit

from db.money import format_yuan, parse_yuan


class MoneyField(QLineEdit):
    """`value()` -> int fen or None when empty; `error()` -> the Chinese reason the text is not an
    amount. Negative amounts and a third decimal cannot be typed."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(r"^[0-9,，]{0,13}(\.[0-9]{0,2})?$", self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("0.00")
        self.textChanged.connect(lambda _t: self.changed.emit())
        self.editingFinished.connect(self._reformat)

    def value(self) -> int | None:
        if not self.text().strip():
            return None
        try:
            return parse_yuan(self.text())
        except ValueError:
            return None

    def set_value(self, fen: int | None) -> None:
        if fen is not None and fen < 0:
            raise ValueError("金额不能为负数")
        self.setText("" if fen is None else format_yuan(fen).replace(",", ""))

    def error(self) -> str:
        if not self.text().strip():
            return ""
        try:
            parse_yuan(self.text())
        except ValueError as e:
            return str(e)
        return ""

    def _reformat(self) -> None:
        fen = self.value()
        if fen is not None:
            self.set_value(fen)
