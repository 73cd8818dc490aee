"""个性化帮扶 forms: one record (kind, date, who, amount when there is money, a pairing's end) and a
pairing's visit."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from PySide6.QtWidgets import QLineEdit

from db.assistance.dto import KINDS, PAIRING, AssistanceForm, AssistanceRow, PairVisitForm
from db.money import format_yuan
from desktop.context import AppContext
from widgets.choice_picker import ChoicePicker
from widgets.combos import choice_combo, set_combo
from widgets.date_edit import DateEdit
from widgets.form_base import FormBase


def student_picker(ctx: AppContext) -> ChoicePicker:
    def find(text: str):
        return [SimpleNamespace(id=c.student_id, label=c.label) for c in ctx.aid.search_family(text)]

    def label(student_id: int) -> str:
        st = ctx.registry.get_student(student_id)
        return f"{st.name}（{st.grade}{st.class_name}）"
    return ChoicePicker(find, label, title="选择学生", placeholder="输入学生姓名、身份证号前几位或户主姓名")


class AssistanceDialog(FormBase):
    def __init__(self, ctx: AppContext, form: AssistanceForm | None = None, parent=None, *,
                 today: dt.date | None = None, student_id: int | None = None):
        form = form or AssistanceForm(None, student_id, KINDS[0], today or dt.date.today(), "")
        super().__init__("编辑个性化帮扶" if form.id else "新增个性化帮扶", parent)
        self.ctx, self.form = ctx, form
        f = self.add_field
        self.student = f("student_id", "学生", student_picker(ctx), 0, span=2)
        if form.student_id:
            self.student.set_value(form.student_id)
        self.kind = f("kind", "帮扶方式", choice_combo(KINDS, empty=None), 1)
        set_combo(self.kind, form.kind)
        self.who = f("who", "帮扶人/捐助方", QLineEdit(form.who), 1, 1)
        self.date = f("given_on", "日期（结对：开始）", DateEdit(form.given_on), 2)
        self.until = f("until", "结对结束日期", DateEdit(form.until, allow_empty=True), 2, 1)
        amount = "" if form.amount_fen in (None, "") else (
            format_yuan(form.amount_fen).replace(",", "") if isinstance(form.amount_fen, int) else str(form.amount_fen))
        self.amount = f("amount_fen", "金额（元）", QLineEdit(amount), 3)
        self.amount.setPlaceholderText("有资金时填写；物品、关爱等不填")
        self.note = f("note", "说明", QLineEdit(form.note), 3, 1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.mark_clean()
        self.resize(760, 300)

    def _kind_changed(self) -> None:
        pairing = self.kind.currentData() == PAIRING
        self.until.setEnabled(pairing)
        self.who.setPlaceholderText("结对教师姓名" if pairing else "捐助人（单位）或帮扶人")

    def submit(self) -> AssistanceRow:
        return self.ctx.assistance.save(AssistanceForm(
            self.form.id, self.student.value(), self.kind.currentData(), self.date.value(), self.who.text(),
            self.amount.text().strip() or None, self.until.value() if self.until.isEnabled() else None,
            self.note.text()))


class PairVisitDialog(FormBase):
    def __init__(self, ctx: AppContext, item_id: int, parent=None, *, today: dt.date | None = None):
        super().__init__("登记结对帮扶走访", parent)
        self.ctx, self.item_id = ctx, item_id
        self.date = self.add_field("visit_date", "走访日期", DateEdit(today or dt.date.today()), 0)
        self.content = self.add_field("content", "内容", QLineEdit(""), 1)
        self.content.setPlaceholderText("家访、谈心、辅导作业……")
        self.mark_clean()
        self.resize(460, 180)

    def submit(self) -> PairVisitForm:
        return self.ctx.assistance.save_visit(PairVisitForm(None, self.item_id, self.date.value(), self.content.text()))
