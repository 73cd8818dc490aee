"""The record forms of a special-needs file (assessment, placement, plan, 送教上门 visit, exemption),
each written as a list of fields over its dataclass (db.special.dto) instead of a page of widget code.

`RecordForm(title, fields, value, submit)`: FormBase with one widget per Field, filled from `value`;
Save builds a copy of `value` with the typed values and calls `submit(copy)` (a service method), whose
ValidationError shows every problem next to its field. Dates are typed (2020-09-07, 2020年9月7日) and
checked by the service; blank stays blank.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from db.errors import ValidationError
from widgets.combos import NONE_TEXT, choice_combo, set_combo
from widgets.form_base import FormBase

TRI = (("未知", None), ("是", True), ("否", False))


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"                  # text / long / date / choice / tri / int / combo (editable) / pick
    # choice, combo: the values; pick: (label, value) pairs (an empty first choice stands for None)
    choices: Sequence[str] = ()
    wide: bool = False                  # the whole row
    hint: str = ""


def tri_combo() -> QComboBox:
    combo = QComboBox()
    for text, value in TRI:
        combo.addItem(text, value)
    return combo


def make_widget(f: Field) -> QWidget:
    if f.kind == "long":
        w = QPlainTextEdit()
        w.setFixedHeight(46)
        w.setPlaceholderText(f.hint)
        return w
    if f.kind == "choice":
        return choice_combo(f.choices, empty=NONE_TEXT)
    if f.kind == "combo":
        return choice_combo(f.choices, editable=True)
    if f.kind == "tri":
        return tri_combo()
    if f.kind == "pick":
        combo = QComboBox()
        combo.addItem("（无）", None)
        for label, value in f.choices:
            combo.addItem(label, value)
        return combo
    w = QLineEdit()
    w.setPlaceholderText(f.hint or ("如 2020-09-07" if f.kind == "date" else ""))
    return w


def set_widget(w: QWidget, f: Field, value: Any) -> None:
    if f.kind == "long":
        w.setPlainText(value or "")
    elif f.kind in ("choice", "combo"):
        set_combo(w, value or "")
    elif f.kind == "tri":
        w.setCurrentIndex(next(i for i, (_t, v) in enumerate(TRI) if v == value))
    elif f.kind == "pick":
        w.setCurrentIndex(max(0, w.findData(value)) if value is not None else 0)
    elif isinstance(value, dt.date):
        w.setText(f"{value:%Y-%m-%d}")
    else:
        w.setText("" if value is None else str(value))


def read_widget(w: QWidget, f: Field) -> Any:
    if f.kind == "long":
        return w.toPlainText()
    if f.kind == "choice":
        return w.currentData() or ""
    if f.kind == "combo":
        return w.currentText().strip()
    if f.kind in ("tri", "pick"):
        return w.currentData()
    text = w.text().strip()
    if f.kind == "date":
        return text or None
    if f.kind == "int":
        if not text:
            return None
        if not text.isdigit():
            raise ValidationError({f.name: f"{f.label}应填数字"})
        return int(text)
    return text


class RecordForm(FormBase):
    def __init__(self, title: str, fields: Sequence[Field], value, submit: Callable[[Any], Any], parent=None,
                 *, width: int = 760):
        super().__init__(title, parent)
        self.fields, self.value_in, self._submit = list(fields), value, submit
        self.widgets: dict[str, QWidget] = {}
        row, col = 0, 0
        for f in self.fields:
            w = make_widget(f)
            set_widget(w, f, getattr(value, f.name))
            if f.wide or f.kind == "long":
                if col:
                    row, col = row + 1, 0
                self.add_field(f.name, f.label, w, row, 0, span=2)
                row += 1
            else:
                self.add_field(f.name, f.label, w, row, col)
                row, col = (row, 1) if col == 0 else (row + 1, 0)
            self.widgets[f.name] = w
        self.next_row = row + (1 if col else 0)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.mark_clean()
        self.resize(width, self.sizeHint().height())

    def built(self):
        """`value` with what the form says (ValidationError for a number that is not one)."""
        return dataclasses.replace(self.value_in, **{f.name: read_widget(self.widgets[f.name], f) for f in self.fields})

    def submit(self):
        return self._submit(self.built())
