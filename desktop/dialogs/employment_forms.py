"""中职毕业生就业 forms: the graduates to register (from the roll), one graduate's record, a guidance."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from db.employment.dto import GUIDANCE_KINDS, INTENTIONS, PLACES, PROOFS, STATUSES, GraduateForm, GuidanceForm
from desktop.context import AppContext
from widgets.combos import choice_combo, set_combo
from widgets.date_edit import DateEdit
from widgets.form_base import FormBase


class CandidatesDialog(QDialog):
    """Tick the registered-poor 中职 students of the final year (or graduated) to register as graduates."""

    def __init__(self, ctx: AppContext, year: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle("登记中职毕业生")
        self.ctx = ctx
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.setPrefix("毕业年份：")
        self.list = QListWidget()
        for c in ctx.employment.candidates(year):
            item = QListWidgetItem(f"{c.name}　{c.grade}　{c.major or '（未填专业）'}　{c.enrolment}")
            item.setData(Qt.ItemDataRole.UserRole, c.student_id)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登记")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("建档立卡家庭的中职三年级（或已毕业）学生，尚未登记的：" if self.list.count()
                             else "没有尚未登记的建档立卡中职三年级或已毕业学生。"))
        lay.addWidget(self.year)
        lay.addWidget(self.list, 1)
        lay.addWidget(buttons)
        self.resize(480, 420)

    def chosen(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


class GraduateDialog(FormBase):
    def __init__(self, ctx: AppContext, form: GraduateForm, parent=None):
        super().__init__(f"就业情况：{form.name}", parent)
        self.ctx, self.form = ctx, form
        f = self.add_field
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(form.grad_year or dt.date.today().year)
        f("grad_year", "毕业年份", self.year, 0)
        self.school = f("school", "毕业学校", QLineEdit(form.school), 0, 1)
        self.major = f("major", "专业", QLineEdit(form.major), 1)
        self.intention = f("intention", "就业意向", choice_combo(INTENTIONS, empty=None), 1, 1)
        set_combo(self.intention, form.intention)
        self.state = f("status", "目前去向", choice_combo(STATUSES, empty=None), 2)
        set_combo(self.state, form.status)
        self.place = f("place", "就业地点", choice_combo(PLACES, empty=""), 2, 1)
        set_combo(self.place, form.place)
        self.employer = f("employer", "就业单位", QLineEdit(form.employer), 3)
        self.job = f("job", "岗位", QLineEdit(form.job), 3, 1)
        self.start = f("start_date", "入职日期", DateEdit(form.start_date, allow_empty=True), 4)
        self.contract = f("contract", "就业证明", choice_combo(PROOFS, empty=""), 4, 1)
        set_combo(self.contract, form.contract)
        self.reason = f("reason", "未就业原因", QLineEdit(form.reason), 5, span=2)
        self.next = f("next_action", "下一步措施", QLineEdit(form.next_action), 6, span=2)
        self.notes = QPlainTextEdit(form.notes)
        self.notes.setFixedHeight(48)
        f("notes", "备注", self.notes, 7, span=2)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.mark_clean()
        self.resize(760, 420)

    def submit(self) -> GraduateForm:
        g = self.form
        return self.ctx.employment.save(GraduateForm(
            g.id, g.student_id, self.year.value(), self.school.text(), self.major.text(), self.intention.currentData(),
            self.state.currentData(), self.employer.text(), self.place.currentData() or "", self.job.text(),
            self.start.value(), self.contract.currentData() or "", self.reason.text(), self.next.text(),
            self.notes.toPlainText(), g.name))


class GuidanceDialog(FormBase):
    def __init__(self, ctx: AppContext, graduate_id: int, parent=None, *, today: dt.date | None = None):
        super().__init__("登记就业指导", parent)
        self.ctx, self.graduate_id = ctx, graduate_id
        self.date = self.add_field("given_on", "日期", DateEdit(today or dt.date.today()), 0)
        self.kind = self.add_field("kind", "方式", choice_combo(GUIDANCE_KINDS, empty=None), 1)
        self.by = self.add_field("by", "指导人", QLineEdit(""), 2)
        self.content = self.add_field("content", "内容", QLineEdit(""), 3)
        self.content.setPlaceholderText("如 推荐县经济开发区企业岗位 2 个")
        self.mark_clean()
        self.resize(460, 240)

    def submit(self) -> GuidanceForm:
        return self.ctx.employment.save_guidance(GuidanceForm(None, self.graduate_id, self.date.value(),
                                                              self.kind.currentData(), self.by.text(),
                                                              self.content.text()))
