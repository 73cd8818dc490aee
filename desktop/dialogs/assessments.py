"""困难认定: one student's 家庭经济困难认定, a record per school year (困难程度, 认定时间, 认定原因 —
mandatory in the national template — and who assessed). The assessment of a term's school year
decides the needs-based aid of that term."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db import enums
from db.errors import LedgerError, ValidationError
from db.registry.dto import AssessmentForm, AssessmentRow
from db.terms import school_year_of
from desktop.context import AppContext
from desktop.errors import show_error
from widgets.combos import choice_combo, set_combo

HEADERS = ["学年", "困难程度", "认定时间", "认定原因", "认定人", "来源", "待补充"]


class AssessmentsDialog(QDialog):
    changed = Signal(int)            # the student id

    def __init__(self, ctx: AppContext, student_id: int, name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"困难认定 —— {name}")
        self.ctx, self.student_id = ctx, student_id
        self.rows: list[AssessmentRow] = []
        self.editing: int | None = None
        today = ctx.ctx.clock.today()
        note = QLabel("每学年（秋季学期开始）认定一次。<b>认定为困难的学生才能享受按困难资助的项目</b>；"
                      "建档立卡学生视同特别困难。困难程度、认定时间、认定原因为必填项。")
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for c, w in enumerate((90, 80, 96, 220, 70, 80)):
            self.table.setColumnWidth(c, w)
        self.table.itemSelectionChanged.connect(self._pick)
        self.year = QSpinBox()
        self.year.setRange(2000, today.year + 1)
        self.year.setValue(school_year_of(today))
        self.year.setSuffix(" 学年")
        self.level = choice_combo(enums.values(enums.DifficultyLevel))
        self.assessed_on = QLineEdit(today.isoformat())
        self.assessed_on.setPlaceholderText("2020-09-10")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：父亲重病，家庭收入低")
        self.by = QLineEdit(ctx.ctx.actor.name)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.new_button = QPushButton("新增一条")
        self.save_button = QPushButton("保存")
        self.delete_button = QPushButton("删除所选…")
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete_selected)
        g = QGridLayout()
        for i, (label, w) in enumerate((("认定学年", self.year), ("困难程度", self.level), ("认定时间", self.assessed_on),
                                        ("认定人", self.by))):
            g.addWidget(QLabel(label), 0, 2 * i, Qt.AlignmentFlag.AlignRight)
            g.addWidget(w, 0, 2 * i + 1)
        g.addWidget(QLabel("认定原因"), 1, 0, Qt.AlignmentFlag.AlignRight)
        g.addWidget(self.reason, 1, 1, 1, 7)
        g.addWidget(self.error, 2, 0, 1, 8)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        for b in (self.new_button, self.save_button, self.delete_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addLayout(g)
        lay.addWidget(buttons)
        self.resize(860, 420)
        self.reload()

    def reload(self) -> None:
        self.rows = self.ctx.registry.assessments(self.student_id)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            values = [f"{r.school_year}-{r.school_year + 1}", r.level,
                      r.assessed_on.isoformat() if r.assessed_on else "", r.reason, r.assessed_by, r.source, r.missing]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                self.table.setItem(i, c, item)
        self.delete_button.setEnabled(bool(self.rows))

    def _pick(self) -> None:
        i = self.table.currentRow()
        if not 0 <= i < len(self.rows):
            return
        r = self.rows[i]
        self.editing = r.id
        self.year.setValue(r.school_year)
        set_combo(self.level, r.level)
        self.assessed_on.setText(r.assessed_on.isoformat() if r.assessed_on else "")
        self.reason.setText(r.reason)
        self.by.setText(r.assessed_by)
        self.error.clear()

    def start_new(self) -> None:
        self.table.clearSelection()
        self.editing = None
        self.year.setValue(school_year_of(self.ctx.ctx.clock.today()))
        self.reason.clear()
        self.error.clear()

    def form(self) -> AssessmentForm:
        text = self.assessed_on.text().strip()
        try:
            day = dt.date.fromisoformat(text) if text else None
        except ValueError:
            raise ValidationError({"assessed_on": "认定时间应写成 2020-09-10 的格式"}) from None
        return AssessmentForm(self.editing, self.student_id, self.year.value(), self.level.currentData() or "",
                              day, self.reason.text(), self.by.text())

    def save(self) -> bool:
        try:
            saved = self.ctx.registry.save_assessment(self.form())
        except ValidationError as e:
            self.error.setText("；".join(e.problems.values()))
            return False
        except LedgerError as e:
            show_error(self, e, "保存认定")
            return False
        self.editing = saved.id
        self.error.clear()
        self.reload()
        self.changed.emit(self.student_id)
        return True

    def delete_selected(self) -> bool:
        i = self.table.currentRow()
        if not 0 <= i < len(self.rows):
            return False
        self.ctx.registry.delete_assessment(self.rows[i].id)
        self.start_new()
        self.reload()
        self.changed.emit(self.student_id)
        return True
