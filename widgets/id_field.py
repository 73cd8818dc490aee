"""ID-number entry: normalises what people type and shows the birth date and gender it encodes."""
from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from db.validators import IdInfo, IdNumberError, excel_damage, normalize_id_text, parse_id_number, parse_student_id

OK_STYLE = "color: #1b5e20;"
ERROR_STYLE = "color: #c62828;"
_ID_CHARS = re.compile(r"[0-9]*X?", re.ASCII)

__all__ = ["IdField", "normalize_id_text"]


class IdField(QWidget):
    """A line edit plus a note: '2012-03-05 出生 · 男', or the reason the number is wrong.

    `changed` fires on every edit; `text()` is the normalised number.
    """

    changed = Signal()

    def __init__(self, parent=None, *, show_note: bool = True, pupil: bool = False):
        super().__init__(parent)
        self._parse = parse_student_id if pupil else parse_id_number
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("18 位身份证号")
        # room for spaces pasted along with the number; anything may be typed or pasted, and the note
        # says what is wrong with it (a pasted 3.41623E+17 gets the importer's explanation)
        self.edit.setMaxLength(30)
        mono = QFont(self.edit.font())
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        mono.setFamilies(["Consolas", "DejaVu Sans Mono", *mono.families()])
        self.edit.setFont(mono)
        self.note = QLabel(self)
        self.note.setVisible(show_note)
        self.note.setWordWrap(True)             # the long explanations (Excel, 15 digits) are read whole
        self.note.setMinimumHeight(self.note.fontMetrics().height())     # no jump when a note appears
        lay = QVBoxLayout(self)                 # the note under the number: room for a whole sentence
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(self.edit)
        lay.addWidget(self.note)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._on_text)
        self.edit.editingFinished.connect(self._normalise)
        self._info: IdInfo | None = None
        self._error = ""

    # ---- value ----------------------------------------------------------------------------------
    def text(self) -> str:
        return normalize_id_text(self.edit.text())

    def setText(self, text: str) -> None:
        self.edit.setText(text or "")
        self._on_text(self.edit.text())

    def value(self) -> str:
        return self.text()

    def set_value(self, text: str) -> None:
        self.setText(text)

    @property
    def info(self) -> IdInfo | None:
        return self._info

    @property
    def error(self) -> str:
        return self._error

    def clear_note(self) -> None:
        """Hide the note until the next edit (when the form shows the same problem below)."""
        self.note.clear()

    # ---- behaviour ------------------------------------------------------------------------------
    def _normalise(self) -> None:
        info = self._info
        norm = info.number if info else normalize_id_text(self.edit.text())
        if norm != self.edit.text():
            self.edit.setText(norm)

    def _on_text(self, raw: str) -> None:
        text = normalize_id_text(raw)
        self._info, self._error = None, ""
        if not text:
            self._show("", "")
        elif not _ID_CHARS.fullmatch(text):
            self._error = excel_damage(text) or "身份证号只能由数字组成（最后一位可以是 X）"
            self._show(self._error, ERROR_STYLE)
        elif len(text) < 15 or 15 < len(text) < 18:
            self._show(f"已输入 {len(text)} 位", "color: #555;")
        else:
            try:
                self._info = self._parse(text)
            except IdNumberError as e:
                self._error = str(e)
                self._show(self._error, ERROR_STYLE)
            else:
                extra = "（由 15 位转换）" if self._info.converted_from_15 else ""
                self._show(f"{self._info.birth_date:%Y-%m-%d} 出生 · {self._info.gender.value}{extra}", OK_STYLE)
        self.changed.emit()

    def _show(self, text: str, style: str) -> None:
        self.note.setStyleSheet(style)
        self.note.setText(text)
        self.note.setToolTip(text)
        fm = self.note.fontMetrics()            # room for every line of a long explanation
        width = max(self.note.width(), self.edit.width(), 200)
        lines = max(1, -(-fm.horizontalAdvance(text) // (width - 8)))
        self.note.setMinimumHeight(lines * fm.lineSpacing())
