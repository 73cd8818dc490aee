"""登记离校情况: when and why a student 转出 / 毕业 / 休学 (转出 also the receiving school) — what the
self-inspection needs to count the child as accounted for. Opened from the 自查 page."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit

from desktop.context import AppContext
from widgets.date_edit import DateEdit
from widgets.form_base import FormBase


class ExitDialog(FormBase):
    def __init__(self, ctx: AppContext, student_id: int, name: str, enrolment: str, parent=None):
        super().__init__(f"登记离校情况：{name}", parent)
        self.ctx, self.student_id = ctx, student_id
        note = QLabel(f"{name}的学籍状态为“{enrolment}”。自查要求写明日期和原因" +
                      ("，转出的还要写明转入学校。" if enrolment == "转出" else "。"))
        note.setWordWrap(True)
        self.grid.addWidget(note, 0, 0, 1, 2)
        self.left_on = self.add_field("left_on", "日期 *", DateEdit(ctx.ctx.clock.today()), 1)
        self.reason = self.add_field("reason", "原因 *", QLineEdit(), 2)
        self.reason.setPlaceholderText("如 随父母迁居外地、因病休学一年")
        self.to_school = self.add_field("to_school", "转入学校", QLineEdit(), 3)
        self.to_school.setPlaceholderText("如 利辛县城关第一小学")
        self.grid.setColumnStretch(1, 1)
        self.resize(520, self.sizeHint().height())
        self.mark_clean()

    def submit(self):
        self.ctx.inspection.record_exit(self.student_id, self.left_on.value(), self.reason.text(), self.to_school.text())
        return self.student_id
