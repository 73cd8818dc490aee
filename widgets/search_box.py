"""A search line edit that waits until the user stops typing (git-cola's debounce)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit

DEBOUNCE_MS = 200


class SearchBox(QLineEdit):
    """Emits `search(text)` DEBOUNCE_MS after the last keystroke; Enter searches at once, Esc clears."""

    search = Signal(str)

    def __init__(self, placeholder: str = "", parent=None, *, delay_ms: int = DEBOUNCE_MS):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._fire)
        self.textEdited.connect(lambda _t: self._timer.start())
        # the clear button changes the text without textEdited
        self.textChanged.connect(lambda t: self._timer.start() if not t else None)
        self._last: str | None = None

    def _fire(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        if text != self._last:
            self._last = text
            self.search.emit(text)

    def flush(self) -> None:
        """Search now, without waiting for the debounce."""
        self._last = None
        self._fire()

    def is_pending(self) -> bool:
        return self._timer.isActive()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.flush()
            event.accept()
            return
        super().keyPressEvent(event)
