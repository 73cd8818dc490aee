"""Dialogs on disbursement lines: 调整金额 (with the history), 作废, 补发, and 标记已发放 (a date)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db.aid.dto import LineRow
from db.clock import local_text
from db.errors import ValidationError
from db.money import format_yuan
from db.terms import Term, payment_date_doubts
from desktop.context import AppContext
from widgets.date_edit import DateEdit
from widgets.form_base import ERROR_STYLE, FormBase
from widgets.money_field import MoneyField


def line_caption(line: LineRow) -> str:
    return (f"{line.name}（{line.id_number or '无身份证号'}，{line.grade}{line.class_name}）"
            f" · {line.programme} · 当前金额 {format_yuan(line.amount_fen)} 元 · {line.status}")


def money_value(field: MoneyField, name: str = "amount", *, required: bool = True) -> int | None:
    """The fen in a money field, or ValidationError with the Chinese reason."""
    err = field.error()
    if err:
        raise ValidationError({name: err})
    fen = field.value()
    if fen is None and required:
        raise ValidationError({name: "请填写金额"})
    return fen


class AdjustDialog(FormBase):
    """New amount + reason (required); the line's adjustment history below."""

    save_text = "保存调整"

    def __init__(self, ctx: AppContext, line: LineRow, parent=None):
        super().__init__("调整金额", parent)
        self.ctx, self.line = ctx, line
        cap = QLabel(line_caption(line))
        cap.setWordWrap(True)
        self.grid.addWidget(cap, 0, 0, 1, 4)
        self.amount = self.add_field("amount", "新金额（元）", MoneyField(), 1)
        self.reason = self.add_field("reason", "调整原因", QLineEdit(), 2)
        self.reason.setPlaceholderText("必填，如：实际在校天数不足、按县里通知调整")
        self.reason.setMaxLength(200)
        computed = QLabel(f"按标准计算：{format_yuan(line.computed_fen)} 元　　{line.reason}")
        computed.setWordWrap(True)
        computed.setStyleSheet("color: palette(mid);")
        self.grid.addWidget(computed, 6, 1, 1, 3)
        self.history = QTableWidget(0, 5, self.body)
        self.history.setHorizontalHeaderLabels(["时间", "原金额", "新金额", "原因", "操作人"])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setColumnWidth(0, 140)
        self.history.setColumnWidth(3, 220)
        self.history.setMaximumHeight(160)
        self.grid.addWidget(QLabel("调整记录："), 7, 0, 1, 4)
        self.grid.addWidget(self.history, 8, 0, 1, 4)
        for a in ctx.aid.line_history(line.id):
            r = self.history.rowCount()
            self.history.insertRow(r)
            for c, v in enumerate((local_text(a.at), format_yuan(a.old_fen), format_yuan(a.new_fen),
                                   a.reason, a.by)):
                self.history.setItem(r, c, QTableWidgetItem(v))
        if not self.history.rowCount():
            self.history.setRowCount(1)
            self.history.setItem(0, 0, QTableWidgetItem("（没有调整过）"))
        self.amount.set_value(line.amount_fen)
        self.mark_clean()
        self.resize(620, 420)

    def submit(self) -> LineRow:
        problems = {}
        try:
            fen = money_value(self.amount)
        except ValidationError as e:
            problems.update(e.problems)
            fen = None
        if fen is not None and fen == self.line.amount_fen:
            problems["amount"] = "新金额与当前金额相同"
        if not self.reason.text().strip():
            problems["reason"] = "请填写调整原因"
        if problems:
            raise ValidationError(problems)
        return self.ctx.aid.adjust(self.line.id, fen, self.reason.text())


class VoidDialog(FormBase):
    save_text = "作废"

    def __init__(self, ctx: AppContext, line: LineRow, parent=None):
        super().__init__("作废发放记录", parent)
        self.ctx, self.line = ctx, line
        cap = QLabel(line_caption(line) + "\n作废后记录仍保留在台账中，可再“补发”。")
        cap.setWordWrap(True)
        self.grid.addWidget(cap, 0, 0, 1, 4)
        self.reason = self.add_field("reason", "作废原因", QLineEdit(), 1)
        self.reason.setPlaceholderText("必填，如：银行卡号错误退回、学生已转学")
        self.mark_clean()
        self.resize(560, 200)

    def submit(self) -> LineRow:
        if not self.reason.text().strip():
            raise ValidationError({"reason": "请填写作废原因"})
        return self.ctx.aid.void(self.line.id, self.reason.text())


class ReissueDialog(FormBase):
    save_text = "补发"

    def __init__(self, ctx: AppContext, line: LineRow, parent=None):
        super().__init__("补发", parent)
        self.ctx, self.line = ctx, line
        cap = QLabel(line_caption(line) + (f"\n作废原因：{line.void_reason}" if line.void_reason else ""))
        cap.setWordWrap(True)
        self.grid.addWidget(cap, 0, 0, 1, 4)
        self.amount = self.add_field("amount", "补发金额（元）", MoneyField(), 1)
        self.reason = self.add_field("reason", "补发说明", QLineEdit(), 2)
        self.reason.setPlaceholderText("金额与原金额不同时必填")
        self.amount.set_value(line.amount_fen)
        self.mark_clean()
        self._update_save()
        self.save_button.setEnabled(True)      # the defaults are a valid re-issue
        self.resize(560, 240)

    def _update_save(self) -> None:
        self.save_button.setEnabled(True)

    def submit(self) -> LineRow:
        fen = money_value(self.amount)
        if fen != self.line.amount_fen and not self.reason.text().strip():
            raise ValidationError({"reason": "补发金额与原金额不同，请填写说明"})
        return self.ctx.aid.reissue(self.line.id, fen, self.reason.text())


class PayDialog(QDialog):
    """标记已发放: the date, and whether the selected lines or every unpaid line of the term."""

    def __init__(self, term_label: str, selected: int, selected_fen: int, unpaid: int, unpaid_fen: int,
                 parent=None, *, today: dt.date | None = None, term: Term | None = None,
                 deadline: dt.date | None = None):
        super().__init__(parent)
        self.setWindowTitle("标记已发放")
        today = today or dt.date.today()
        self.term, self.deadline = term, deadline
        self.date = DateEdit(today)
        self.date.setMaximumDate(today)
        self.date_error = QLabel()
        self.date_error.setStyleSheet(ERROR_STYLE)
        self.date_error.hide()
        self.only_selected = QRadioButton(f"选中的 {selected:,} 笔（{format_yuan(selected_fen)} 元，仅待发放的）")
        self.all_unpaid = QRadioButton(f"本学期全部待发放的 {unpaid:,} 笔（{format_yuan(unpaid_fen)} 元）")
        group = QButtonGroup(self)
        group.addButton(self.only_selected)
        group.addButton(self.all_unpaid)
        self.only_selected.setEnabled(selected > 0)
        (self.only_selected if selected else self.all_unpaid).setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("标记已发放")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"{term_label}：把以下记录标记为“已发放”，并记下每人当时的银行卡号。"))
        lay.addWidget(self.only_selected)
        lay.addWidget(self.all_unpaid)
        lay.addWidget(QLabel("发放日期："))
        lay.addWidget(self.date)
        lay.addWidget(self.date_error)
        note = QLabel("没有登记银行卡号或金额为 0 的记录不会被标记，完成后会列出。")
        note.setStyleSheet("color: palette(mid);")
        lay.addWidget(note)
        lay.addWidget(buttons)

    def paid_on(self) -> dt.date | None:
        return self.date.value()

    def accept(self) -> None:
        """A date that is no date is refused; a date that looks wrong for the term is confirmed."""
        day = self.paid_on()
        if day is None or self.date.error:
            self.date_error.setText(self.date.error or "请填写发放日期")
            self.date_error.show()
            self.date.setFocus()
            return
        doubts = payment_date_doubts(self.term, day, self.deadline) if self.term else []
        if doubts and QMessageBox.question(
                self, "请核对发放日期", "；\n".join(doubts) + "。\n\n确定按这个日期标记已发放吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            self.date.setFocus()
            return
        super().accept()

    def selected_only(self) -> bool:
        return self.only_selected.isChecked()
