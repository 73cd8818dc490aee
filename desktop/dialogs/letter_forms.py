"""省外就读 forms: a letter's content (filled from the registry for a new one), sending it, the reply
(回执) and a phone follow-up."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QSpinBox

from db.errors import ValidationError
from db.letters.dto import RESULTS, SENT_HOW, LetterDetail, LetterForm, ReplyForm, SendForm
from desktop.context import AppContext
from desktop.dialogs.dropout_forms import place, read_days
from widgets.choice_picker import ChoicePicker
from widgets.combos import choice_combo
from widgets.date_line import DateLine
from widgets.form_base import FormBase

TEXT_FIELDS = (  # (field, label, row, column, span)
    ("to_school", "收函学校", 1, 0, 2), ("to_province", "省", 2, 0, 1), ("to_city", "市", 2, 1, 1),
    ("to_county", "县（区）", 3, 0, 1), ("to_contact", "对方联系人", 3, 1, 1), ("to_address", "地址", 4, 0, 1),
    ("to_phone", "对方电话", 4, 1, 1), ("child_name", "学生姓名", 5, 0, 1), ("child_id_number", "身份证号", 5, 1, 1),
    ("child_stage", "学段", 6, 0, 1), ("child_grade", "就读年级", 6, 1, 1), ("head_name", "户主", 7, 0, 1),
    ("address", "家庭住址", 7, 1, 1), ("poverty_status", "建档立卡类型", 8, 0, 1))


def letter_head(x: LetterDetail) -> str:
    return f"<b>{x.number}</b>　致 {x.form.to_school}　学生 <b>{x.form.child_name}</b>　状态：<b>{x.status}</b>"


class LetterFormDialog(FormBase):
    """A new letter (for `student_id`, or a student chosen here) or an unsent letter's content."""

    def __init__(self, ctx: AppContext, letter: LetterDetail | None = None, parent=None, *,
                 student_id: int | None = None, today: dt.date | None = None):
        super().__init__(f"修改函件 {letter.number}" if letter else "新建省外就读学生资助政策落实函", parent)
        self.ctx, self.letter = ctx, letter
        today = today or dt.date.today()
        f = self.add_field
        if letter is None:
            self.student = ChoicePicker(ctx.letters.find_students, ctx.letters.student_label, title="选择学生",
                                        placeholder="输入学生姓名或身份证号前几位（省外就读的排在前面）")
            f("student_id", "学生", self.student, 0, span=2)
        else:
            place(self, "student_id", "函件", QLabel(letter_head(letter)), 0)
        self.edits: dict[str, QLineEdit] = {}
        for name, label, row, col, span in TEXT_FIELDS:
            self.edits[name] = f(name, label, QLineEdit(), row, col, span=span)
        self.exit_year = f("poverty_exit_year", "脱贫年度", QLineEdit(), 8, 1)
        self.day = f("letter_date", "发函日期", DateLine(today), 9)
        self.term = f("term", "政策学期", QLineEdit(), 9, 1)
        self.term.setPlaceholderText("如 2020秋（函中列出该学期的资助标准）")
        self.request = QPlainTextEdit()
        self.request.setFixedHeight(78)
        f("request", "请求事项", self.request, 10, span=2)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        if letter is not None:
            self._fill(letter.form)
        elif student_id is not None:
            self.student.set_value(student_id)
            self._student_chosen()
        if letter is None:
            self.student.changed.connect(self._student_chosen)
        self.mark_clean()
        self.resize(820, 560)

    def _fill(self, form: LetterForm) -> None:
        self._form = form
        for name, edit in self.edits.items():
            edit.setText(str(getattr(form, name) or ""))
            edit.setCursorPosition(0)
        self.exit_year.setText(str(form.poverty_exit_year or ""))
        self.term.setText(form.term)
        self.request.setPlainText(form.request)
        if form.letter_date:
            self.day.set_day(form.letter_date)

    def _student_chosen(self) -> None:
        sid = self.student.value()
        if sid is not None:
            day = self.day.text()
            self._fill(self.ctx.letters.new_form(sid))
            self.day.setText(day)
        self._update_save()

    def _update_save(self) -> None:
        if hasattr(self, "student"):
            self.save_button.setEnabled(self.student.value() is not None)
        else:
            super()._update_save()

    def submit(self) -> LetterDetail:
        year = self.exit_year.text().strip()
        if year and not year.isdigit():
            raise ValidationError({"poverty_exit_year": "脱贫年度应为年份，如 2019"})
        base = self.letter.form if self.letter else getattr(self, "_form", LetterForm())
        form = LetterForm(id=base.id, student_id=base.student_id if self.letter else self.student.value(),
                          letter_date=read_days({"letter_date": self.day})["letter_date"], term=self.term.text().strip(),
                          poverty_exit_year=int(year) if year else None, request=self.request.toPlainText(),
                          child_gender=base.child_gender,
                          **{name: edit.text() for name, edit in self.edits.items()})
        return self.ctx.letters.save_letter(form)


class SendDialog(FormBase):
    def __init__(self, ctx: AppContext, letter: LetterDetail, parent=None, *, today: dt.date | None = None):
        super().__init__("登记发出", parent)
        self.ctx, self.letter = ctx, letter
        place(self, "letter_id", "函件", QLabel(letter_head(letter)), 0)
        self.how = choice_combo(SENT_HOW, empty=None)
        self.add_field("how", "发送方式", self.how, 1)
        self.tracking = self.add_field("tracking_no", "快递单号", QLineEdit(), 1, 1)
        self.sent_on = self.add_field("sent_on", "发出日期", DateLine(today or dt.date.today()), 2)
        hint = f"不填：发出后 {ctx.letters.reply_days()} 天"
        self.due = self.add_field("reply_due", "回复期限", DateLine(None, placeholder=hint), 2, 1)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.save_button.setEnabled(True)
        self.resize(680, 220)

    def _update_save(self) -> None:
        self.save_button.setEnabled(True)

    def submit(self) -> LetterDetail:
        days = read_days({"sent_on": self.sent_on, "reply_due": self.due})
        return self.ctx.letters.send(SendForm(self.letter.id, self.how.currentData(), days["sent_on"],
                                              self.tracking.text(), days["reply_due"]))


class ReplyDialog(FormBase):
    def __init__(self, ctx: AppContext, letter: LetterDetail, parent=None, *, today: dt.date | None = None):
        super().__init__("登记回复（回执）", parent)
        self.ctx, self.letter = ctx, letter
        f = self.add_field
        place(self, "letter_id", "函件", QLabel(letter_head(letter)), 0)
        self.reply_on = f("reply_on", "回复日期", DateLine(today or dt.date.today()), 1)
        self.result_combo = choice_combo(RESULTS)
        f("result", "落实情况", self.result_combo, 1, 1)
        self.programme = f("programme", "资助项目", QLineEdit(), 2)
        self.term = f("term", "学期", QLineEdit(), 2, 1)
        self.amount = f("amount", "金额（元）", QLineEdit(), 3)
        self.handler = f("handler", "经办人", QLineEdit(), 3, 1)
        self.phone = f("phone", "经办人电话", QLineEdit(), 4)
        self.note = f("note", "说明", QLineEdit(), 5, span=2)
        self.note.setPlaceholderText("无回复：多次电话跟进仍未答复时选择“无回复”结束跟踪")
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.mark_clean()
        self.resize(680, 320)

    def _update_save(self) -> None:
        self.save_button.setEnabled(hasattr(self, "result_combo") and bool(self.result_combo.currentData()))

    def submit(self) -> LetterDetail:
        day = read_days({"reply_on": self.reply_on})["reply_on"]
        return self.ctx.letters.reply(ReplyForm(self.letter.id, day, self.result_combo.currentData(), self.note.text(),
                                                self.programme.text(), self.term.text(), self.amount.text() or None,
                                                self.handler.text(), self.phone.text()))


class CallDialog(FormBase):
    def __init__(self, ctx: AppContext, letter: LetterDetail, parent=None, *, today: dt.date | None = None):
        super().__init__("电话跟进", parent)
        self.ctx, self.letter = ctx, letter
        place(self, "letter_id", "函件", QLabel(letter_head(letter)), 0)
        self.on = self.add_field("on", "跟进日期", DateLine(today or dt.date.today()), 1)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("打给谁、对方怎么说、约定什么时候回复")
        self.note.setFixedHeight(64)
        self.add_field("note", "情况", self.note, 2)
        self.grid.setColumnStretch(1, 1)
        self.mark_clean()
        self.resize(600, 240)

    def submit(self) -> LetterDetail:
        return self.ctx.letters.call(self.letter.id, read_days({"on": self.on})["on"], self.note.toPlainText())



class LetterSettingsDialog(FormBase):
    """The letters' settings: the number prefix (校资函) and the days a school has to reply."""

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__("省外就读函件设置", parent)
        self.ctx = ctx
        self.prefix = self.add_field("prefix", "函号前缀", QLineEdit(ctx.letters.prefix()), 0)
        self.prefix.setPlaceholderText("如 校资函（函号：校资函〔2020〕1号）")
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setSuffix(" 天")
        self.days.setValue(ctx.letters.reply_days())
        self.add_field("reply_days", "回复期限（发出后）", self.days, 1)
        self.grid.setColumnStretch(1, 1)
        self.mark_clean()
        self.resize(440, 170)

    def submit(self) -> bool:
        self.ctx.letters.set_prefix(self.prefix.text())
        self.ctx.letters.set_reply_days(self.days.value())
        return True
