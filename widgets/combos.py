"""Choice boxes whose items carry their stored value as data (forms and filters)."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox

NONE_TEXT = "（未选择）"


def choice_combo(values, *, empty: str | None = NONE_TEXT, editable: bool = False) -> QComboBox:
    """Non-editable: items carry their value as data ('' for the empty choice).
    Editable: plain items, the value is the text."""
    combo = QComboBox()
    combo.setEditable(editable)
    if editable:
        combo.addItems(list(values))
        combo.setCurrentIndex(-1)
        combo.setEditText("")
    else:
        if empty is not None:
            combo.addItem(empty, "")
        for v in values:
            combo.addItem(v, v)
    return combo


def set_combo(combo: QComboBox, value: str) -> None:
    value = value or ""
    if combo.isEditable():
        combo.setEditText(value)
        return
    i = combo.findData(value)
    if i < 0 and value:
        combo.addItem(value, value)        # an old value no longer in the list: keep it visible
        i = combo.count() - 1
    combo.setCurrentIndex(max(i, 0))
