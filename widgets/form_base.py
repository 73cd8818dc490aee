"""A dialog form with explicit Save, dirty tracking and every validation problem shown at once.

Subclasses add fields with `add_field(name, label, widget)` and implement `submit()`, which calls the
service and returns the saved value or raises `ValidationError({field: message})`. The base shows each
message in red under its field, keeps Save disabled until something changed, saves on Enter, cancels
on Esc and asks "放弃未保存的修改？" before throwing edits away.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.errors import LedgerError, ValidationError

ERROR_STYLE = "color: #c62828;"


def error_label() -> QLabel:
    """A form's message line: red, wrapping, empty until something is wrong."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def password_edit(placeholder: str = "", min_width: int = 0) -> QLineEdit:
    e = QLineEdit()
    e.setEchoMode(QLineEdit.EchoMode.Password)
    e.setPlaceholderText(placeholder)
    if min_width:
        e.setMinimumWidth(min_width)
    return e


def widget_value(w: QWidget) -> Any:
    if hasattr(w, "value") and not isinstance(w, QSpinBox) and callable(w.value):
        return w.value()
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, QComboBox):
        data = w.currentData()
        return data if data is not None else w.currentText()
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText()
    if isinstance(w, QSpinBox):
        return w.value()
    raise TypeError(f"no value for {type(w).__name__}")


def change_signal(w: QWidget):
    if hasattr(w, "changed"):
        return w.changed
    if isinstance(w, QLineEdit):
        return w.textChanged
    if isinstance(w, QComboBox):
        return w.currentTextChanged
    if isinstance(w, QCheckBox):
        return w.toggled
    if isinstance(w, QPlainTextEdit):
        return w.textChanged
    if isinstance(w, QSpinBox):
        return w.valueChanged
    raise TypeError(f"no change signal for {type(w).__name__}")


class FormBase(QDialog):
    save_text = "保存"

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._labels: dict[str, QLabel] = {}
        self._clean: dict[str, Any] = {}
        self.result_value: Any = None
        self._loading = False
        self._shown_once = False

        self.general_error = QLabel(self)
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.body = QWidget(self)
        self.grid = QGridLayout(self.body)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.save_text)
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.general_error)
        lay.addWidget(self.body)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self._update_save()

    # ---- building -------------------------------------------------------------------------------
    def add_field(self, name: str, label: str, widget: QWidget, row: int, col: int = 0,
                  *, span: int = 1, value_widget: QWidget | None = None) -> QWidget:
        """Put `label` and `widget` at grid (row, col) (each field takes two grid columns and two
        grid rows: the widget, then its error line). `value_widget` holds the value when `widget`
        is only a box around it."""
        lab = QLabel(label, self.body)
        lab.setBuddy(widget)
        lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        err = QLabel(self.body)
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.hide()
        self.grid.addWidget(lab, 2 * row, 2 * col)
        self.grid.addWidget(widget, 2 * row, 2 * col + 1, 1, 2 * span - 1)
        self.grid.addWidget(err, 2 * row + 1, 2 * col + 1, 1, 2 * span - 1)
        self.register(name, value_widget or widget, err, lab)
        return widget

    def register(self, name: str, widget: QWidget, error_label: QLabel | None = None,
                 label: QLabel | None = None) -> None:
        """Track a field placed by the subclass itself."""
        self._fields[name] = widget
        if error_label is not None:
            self._errors[name] = error_label
        if label is not None:
            self._labels[name] = label
        change_signal(widget).connect(self._on_change)

    def field(self, name: str) -> QWidget:
        return self._fields[name]

    def value(self, name: str) -> Any:
        return widget_value(self._fields[name])

    def values(self) -> dict[str, Any]:
        return {n: widget_value(w) for n, w in self._fields.items()}

    # ---- dirty tracking -------------------------------------------------------------------------
    def mark_clean(self) -> None:
        self._clean = self.values()
        self._update_save()

    def is_dirty(self) -> bool:
        return self.values() != self._clean

    def _on_change(self, *_a) -> None:
        if not self._loading:
            self._update_save()
            if self.isVisible():            # a note that wraps to a second line must not be squeezed
                self._grow_to_fit()

    def _update_save(self) -> None:
        self.save_button.setEnabled(bool(self._fields) and self.is_dirty())

    # ---- errors ---------------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for lab in self._errors.values():
            lab.clear()
            lab.hide()
        self.general_error.clear()
        self.general_error.hide()

    def show_errors(self, problems: dict[str, str]) -> None:
        """Show every problem at once: each next to its field, the rest at the top."""
        self.clear_errors()
        loose, first = [], None
        for name, msg in problems.items():
            lab = self._errors.get(self.error_target(name))
            if lab is None:
                loose.append(msg)
                continue
            lab.setText(msg)
            lab.show()
            if first is None:
                first = self._fields.get(self.error_target(name))
        if loose:
            self.general_error.setText("\n".join(loose))
            self.general_error.show()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """Error lines take room: grow the dialog (within the screen) rather than squeeze fields."""
        self.layout().activate()
        want = self.sizeHint().height()
        if want > self.height():
            screen = self.screen().availableGeometry().height() if self.screen() else want
            self.resize(self.width(), min(want, screen - 40))

    def error_text(self, name: str) -> str:
        lab = self._errors.get(name)
        return lab.text() if lab is not None and not lab.isHidden() else ""

    def error_target(self, name: str) -> str:
        """Which field shows the service's problem `name` (override to map)."""
        return name

    # ---- focus ----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        """A form opens with the cursor in its first field (Ctrl+N, then type), not on a button."""
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            focus = self.focusWidget()
            if focus is None or isinstance(focus, QAbstractButton):
                first = next((w for w in self._fields.values() if w.isEnabled() and not w.isHidden()), None)
                if first is not None:
                    first.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- saving and closing ---------------------------------------------------------------------
    def submit(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def try_save(self) -> bool:
        if not self.save_button.isEnabled():
            return False
        try:
            result = self.submit()
        except ValidationError as e:
            self.show_errors(e.problems)
            return False
        except LedgerError as e:
            self.clear_errors()
            self.general_error.setText(str(e))
            self.general_error.show()
            return False
        self.clear_errors()
        self.result_value = result
        self._clean = self.values()
        self.accept()
        return True

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not isinstance(
                self.focusWidget(), (QPlainTextEdit, QAbstractButton)):
            self.try_save()
            event.accept()
            return
        super().keyPressEvent(event)

    def confirm_discard(self) -> bool:
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(self, "未保存的修改", "放弃未保存的修改？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def reject(self) -> None:
        if self.confirm_discard():
            super().reject()


__all__ = ["FormBase", "widget_value", "change_signal"]
