"""控辍保学 forms: a case (new for a student or a child on the county's list, or its details), one
persuasion attempt, a move (认定辍学 / 复学 / 销号 with the evidence its reason needs) and the follow-up a
month after 复学. Every form saves on Enter and shows every problem at once (FormBase)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
)

from db import enums
from db.dropout import rules
from db.dropout.dto import (
    CLOSE_REASONS,
    COUNTY,
    LEVELS,
    METHODS,
    OPENING_STATES,
    RESULTS,
    AttemptForm,
    CaseDetail,
    CaseForm,
    Move,
    Person,
    State,
)
from db.errors import ValidationError
from desktop.context import AppContext
from widgets.choice_picker import ChoicePicker
from widgets.combos import choice_combo, set_combo
from widgets.date_line import DateLine
from widgets.form_base import ERROR_STYLE, FormBase

POOR_STYLE = "QCheckBox { color: #c62828; font-weight: bold; }"


def read_days(fields: dict[str, DateLine]) -> dict:
    """{name: date | None} of the date fields; ValidationError naming every one that is not a date."""
    out, problems = {}, {}
    for name, line in fields.items():
        try:
            out[name] = line.day()
        except ValueError as e:
            problems[name] = str(e)
    if problems:
        raise ValidationError(problems)
    return out


def place(form: FormBase, name: str, label: str, widget, row: int) -> None:
    """A read-only line across the form (the case or child it is about), with a line for the service's
    problems named `name` under it."""
    lab = QLabel(label, form.body)
    lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    err = QLabel(form.body)
    err.setStyleSheet(ERROR_STYLE)
    err.setWordWrap(True)
    err.hide()
    form.grid.addWidget(lab, 2 * row, 0)
    form.grid.addWidget(widget, 2 * row, 1, 1, 3)
    form.grid.addWidget(err, 2 * row + 1, 1, 1, 3)
    form._errors[name] = err


def header_text(c: CaseDetail) -> str:
    poor = "　<b style='color:#c62828'>建档立卡</b>" if c.registered_poor else ""
    esc = f"　<b style='color:#c62828'>{c.escalation}</b>" if c.escalation else ""
    return (f"<b>{c.name}</b>（{c.gender}，{c.stage}{c.grade}{c.class_name}）{poor}　当前状态：<b>{c.state}</b>"
            f"（{c.state_since:%Y-%m-%d} 起）　已劝返 {len(c.attempts)} 次{esc}")


class CaseFormDialog(FormBase):
    """A new case (for a student chosen here, or the county list's `county_entry_id`) or an existing
    case's details (`case`)."""

    def __init__(self, ctx: AppContext, case: CaseDetail | None = None, parent=None, *,
                 county_entry_id: int | None = None, today: dt.date | None = None):
        super().__init__("修改个案信息" if case else "新建控辍保学个案", parent)
        self.ctx, self.case, self.entry_id = ctx, case, county_entry_id
        self.today = today or dt.date.today()
        form = case.form if case else CaseForm(opened_on=self.today)
        f = self.add_field
        if case is not None:
            place(self, "child", "学生", QLabel(header_text(case)), 0)
        elif county_entry_id is not None:
            place(self, "child", "孩子", QLabel(ctx.dropout.county_entry_label(county_entry_id)), 0)
        else:
            self.child = ChoicePicker(ctx.dropout.find_children, ctx.dropout.child_label, title="选择学生",
                                      placeholder="输入学生姓名或身份证号前几位")
            f("student_id", "学生", self.child, 0, span=2)
        self.state = choice_combo([s.value for s in OPENING_STATES], empty=None)
        set_combo(self.state, form.state)
        self.state.setEnabled(case is None)
        f("state", "建档时状态", self.state, 1)
        self.opened = f("opened_on", "建档日期", DateLine(form.opened_on), 1, 1)
        self.opened.setEnabled(case is None)
        self.last_day = f("last_at_school", "最后到校日期", DateLine(form.last_at_school), 2)
        self.days = f("absent_days", "缺课天数", QLineEdit("" if form.absent_days is None else str(form.absent_days)), 2, 1)
        self.days.setPlaceholderText("不知道最后到校日期时填写")
        self.reason = choice_combo(ctx.dropout.reasons())
        set_combo(self.reason, form.reason)
        f("reason", "辍学原因", self.reason, 3)
        self.poor = QCheckBox("建档立卡家庭学生")
        self.poor.setStyleSheet(POOR_STYLE)
        self.poor.setChecked(bool(case.registered_poor) if case else False)
        self.poor.setToolTip("新建时按学生的资助对象类别（或推送名单）自动判断；如有出入可在此更正")
        self._poor_touched = False
        self.poor.toggled.connect(lambda _v: setattr(self, "_poor_touched", True))
        f("registered_poor", "", self.poor, 3, 1)
        self.reason_note = f("reason_note", "原因说明", QLineEdit(form.reason_note), 4, span=2)
        self.guardian = f("guardian_name", "监护人", QLineEdit(form.guardian_name), 5)
        self.guardian.setPlaceholderText("不填则为户主")
        self.phone = f("guardian_phone", "监护人电话", QLineEdit(form.guardian_phone), 5, 1)
        self.teacher = f("head_teacher", "班主任", QLineEdit(form.head_teacher), 6)
        self.liaison = f("liaison", "联络员", QLineEdit(form.liaison), 6, 1)
        self.liaison.setPlaceholderText("不填则为家庭的教育扶贫联络员")
        self.notes = QPlainTextEdit(form.notes)
        self.notes.setFixedHeight(48)
        f("notes", "备注", self.notes, 7, span=2)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.mark_clean()
        self.resize(760, 460)

    def error_target(self, name: str) -> str:
        return "child" if name == "county_entry_id" and self.entry_id is not None else name

    def _update_save(self) -> None:
        if hasattr(self, "child"):
            self.save_button.setEnabled(self.child.value() is not None)
        else:
            super()._update_save()

    def submit(self) -> CaseDetail:
        days = read_days({"opened_on": self.opened, "last_at_school": self.last_day})
        text = self.days.text().strip()
        if text and not text.isdigit():
            raise ValidationError({"absent_days": "缺课天数应为整数"})
        base = self.case.form if self.case else CaseForm()
        form = CaseForm(
            id=base.id, student_id=self.child.value() if hasattr(self, "child") else base.student_id,
            county_entry_id=self.entry_id if self.case is None else base.county_entry_id,
            state=self.state.currentData(), opened_on=days["opened_on"], guardian_name=self.guardian.text(),
            guardian_phone=self.phone.text(), head_teacher=self.teacher.text(), liaison=self.liaison.text(),
            last_at_school=days["last_at_school"], absent_days=int(text) if text else None,
            reason=self.reason.currentData(), reason_note=self.reason_note.text(),
            registered_poor=self.poor.isChecked() if (self._poor_touched or self.case) else None,
            notes=self.notes.toPlainText())
        return self.ctx.dropout.save_case(form) if self.case else self.ctx.dropout.open_case(form)


class PeopleTable(QTableWidget):
    """Who went on an attempt: name, role, phone, one row each (three rows to fill by keyboard)."""
    changed = Signal()

    def __init__(self, rows: int = 3, parent=None):
        super().__init__(rows, 3, parent)
        self.setHorizontalHeaderLabels(["姓名", "职务（班主任、村干部……）", "电话"])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.setColumnWidth(0, 110)
        self.setColumnWidth(1, 220)
        self.setFixedHeight(self.horizontalHeader().height() + rows * self.verticalHeader().defaultSectionSize() + 4)
        self.setTabKeyNavigation(True)
        self.cellChanged.connect(lambda *_a: self.changed.emit())

    def set_people(self, people: list[Person]) -> None:
        for r, p in enumerate(people[:self.rowCount()]):
            for c, v in enumerate((p.name, p.role, p.phone)):
                self.setItem(r, c, QTableWidgetItem(v))

    def value(self) -> list[Person]:
        def text(r, c):
            it = self.item(r, c)
            return it.text().strip() if it else ""
        return [Person(text(r, 0), text(r, 1), text(r, 2)) for r in range(self.rowCount())
                if any(text(r, c) for c in range(3))]


class AttemptDialog(FormBase):
    """One persuasion attempt on a case; the level is preset to where the case should be reported."""

    def __init__(self, ctx: AppContext, case: CaseDetail, parent=None, *, today: dt.date | None = None):
        super().__init__(f"登记劝返（第 {len(case.attempts) + 1} 次）", parent)
        self.ctx, self.case = ctx, case
        today = today or dt.date.today()
        f = self.add_field
        head = QLabel(header_text(case))
        head.setWordWrap(True)
        place(self, "case_id", "个案", head, 0)
        self.on = f("on", "劝返日期", DateLine(today), 1)
        self.level = choice_combo(LEVELS, empty=None)
        if case.escalation:
            set_combo(self.level, COUNTY if "县" in case.escalation else LEVELS[1])
        elif case.attempts:
            set_combo(self.level, case.attempts[-1].level)
        f("level", "层级", self.level, 1, 1)
        self.method = choice_combo(METHODS, empty=None)
        f("method", "方式", self.method, 2)
        self.result_combo = choice_combo(RESULTS)
        f("result", "结果", self.result_combo, 2, 1)
        self.people = PeopleTable()
        if case.form.head_teacher:
            self.people.set_people([Person(case.form.head_teacher, "班主任")])
        f("people", "劝返人员", self.people, 3, span=2)
        self.note = f("result_note", "情况", QLineEdit(), 4, span=2)
        self.note.setPlaceholderText("见到了谁、家长和孩子怎么说、有什么困难")
        self.next_step = f("next_step", "下一步", QLineEdit(), 5)
        self.next_date = f("next_date", "下一步日期", DateLine(None), 5, 1)
        self.deadline = f("deadline", "限期复学日期", DateLine(None, placeholder="县教育局书面通知限期复学时填写"), 6)
        self.level.currentIndexChanged.connect(self._level_changed)
        self._level_changed()
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.mark_clean()
        self.resize(780, 470)

    def _level_changed(self, *_a) -> None:
        self.deadline.setEnabled(self.level.currentData() == COUNTY)

    def _update_save(self) -> None:
        self.save_button.setEnabled(hasattr(self, "result_combo") and bool(self.result_combo.currentData()))

    def submit(self) -> CaseDetail:
        days = read_days({"on": self.on, "next_date": self.next_date, "deadline": self.deadline})
        form = AttemptForm(self.case.id, days["on"], self.level.currentData(), self.method.currentData(),
                           self.people.value(), self.result_combo.currentData(), self.note.text(), self.next_step.text(),
                           days["next_date"], days["deadline"] if self.deadline.isEnabled() else None)
        return self.ctx.dropout.record_attempt(form)


class MoveDialog(FormBase):
    """认定辍学, 登记复学 or 销号: the date, and what the move needs."""

    TITLES = {State.DROPPED: "认定为辍学", State.RETURNED: "登记复学", State.CLOSED: "销号"}

    def __init__(self, ctx: AppContext, case: CaseDetail, to: str, parent=None, *, today: dt.date | None = None):
        super().__init__(self.TITLES.get(to, to), parent)
        self.ctx, self.case, self.to = ctx, case, to
        today = today or dt.date.today()
        f = self.add_field
        head = QLabel(header_text(case))
        head.setWordWrap(True)
        place(self, "to", "个案", head, 0)
        self.on = f("on", {State.RETURNED: "复学日期", State.CLOSED: "销号日期"}.get(to, "认定日期"), DateLine(today), 1)
        self.fields: dict[str, QLineEdit | QComboBox | DateLine] = {}
        if to == State.RETURNED:
            now = QLineEdit(f"{case.grade}{case.class_name}")
            self.fields["return_class"] = f("return_class", "复学年级班级", now, 1, 1)
        if to == State.CLOSED:
            self._close_fields()
        self.note = f("note", "说明", QLineEdit(), 8, span=2)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.mark_clean()
        self._update_save()
        self.resize(760, 380 if to == State.CLOSED else 260)

    def _close_fields(self) -> None:
        f = self.add_field
        self.reason = choice_combo(CLOSE_REASONS, empty="（请选择）")
        f("close_reason", "销号原因", self.reason, 1, 1)
        self.fields["close_school"] = f("close_school", "学校", QLineEdit(), 2)
        self.fields["close_location"] = f("close_location", "就读地", choice_combo(enums.values(enums.StudyLocation)), 2, 1)
        self.fields["close_evidence"] = f("close_evidence", "证明材料", QLineEdit(), 3, span=2)
        self.fields["approved_by"] = f("approved_by", "批准机关", QLineEdit(), 4)
        self.fields["approved_on"] = f("approved_on", "批准日期", DateLine(None), 4, 1)
        self.fields["special_ref"] = f("special_ref", "特教档案", QLineEdit(), 5, span=2)
        self.fields["special_ref"].setPlaceholderText("特殊教育“一人一案”档案编号或学生编号")
        self.needs = QLabel()
        self.needs.setWordWrap(True)
        self.needs.setStyleSheet("color: #1a237e;")
        self.grid.addWidget(self.needs, 14, 1, 1, 3)
        self.reason.currentIndexChanged.connect(self._reason_changed)
        self._reason_changed()

    def _reason_changed(self, *_a) -> None:
        needed = dict(rules.CLOSE_NEEDS.get(self.reason.currentData(), ()))
        for name, w in self.fields.items():
            w.setEnabled(name in needed)
            w.setToolTip(needed.get(name, ""))
            if isinstance(w, QLineEdit) and name in needed:
                w.setPlaceholderText(needed[name])
        self.needs.setText("须填写：" + "、".join(needed.values()) if needed else
                           ("超龄：孩子须年满 16 周岁" if self.reason.currentData() == "超龄" else ""))

    def _update_save(self) -> None:
        ok = getattr(self, "to", None) != State.CLOSED or (hasattr(self, "reason") and bool(self.reason.currentData()))
        self.save_button.setEnabled(ok)

    def submit(self) -> CaseDetail:
        dates = {"on": self.on}
        if "approved_on" in self.fields and self.fields["approved_on"].isEnabled():
            dates["approved_on"] = self.fields["approved_on"]
        days = read_days(dates)
        m = Move(self.to, days["on"], self.note.text())
        for name, w in self.fields.items():
            if name == "approved_on" or not w.isEnabled():
                continue
            setattr(m, name, w.currentData() if isinstance(w, QComboBox) else w.text())
        m.approved_on = days.get("approved_on")
        if self.to == State.CLOSED:
            m.close_reason = self.reason.currentData()
        return self.ctx.dropout.move(self.case.id, m)


class FollowUpDialog(FormBase):
    """The note a month after 复学."""

    def __init__(self, ctx: AppContext, case: CaseDetail, parent=None, *, today: dt.date | None = None):
        super().__init__("复学回访", parent)
        self.ctx, self.case = ctx, case
        head = QLabel(header_text(case) + (f"<br>{case.returned_on:%Y-%m-%d} 复学，就读{case.return_class}"
                                           if case.returned_on else ""))
        head.setTextFormat(Qt.TextFormat.RichText)
        place(self, "case_id", "个案", head, 0)
        self.on = self.add_field("on", "回访日期", DateLine(today or dt.date.today()), 1)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("是否按时到校、学习和家庭情况、需要的帮助")
        self.note.setFixedHeight(70)
        self.add_field("note", "回访情况", self.note, 2)
        self.grid.setColumnStretch(1, 1)
        self.mark_clean()
        self.resize(620, 280)

    def submit(self) -> CaseDetail:
        return self.ctx.dropout.record_follow_up(self.case.id, read_days({"on": self.on})["on"], self.note.toPlainText())


class DropoutSettingsDialog(FormBase):
    """The ledger's settings: after how many failed school attempts a case is reported to the township
    (and as many township attempts to the county), and the list of reasons."""

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__("控辍保学设置", parent)
        self.ctx = ctx
        self.after = QSpinBox()
        self.after.setRange(1, 10)
        self.after.setValue(ctx.dropout.escalate_after())
        self.add_field("escalate_after", "劝返几次未果后上报", self.after, 0)
        self.reasons = QPlainTextEdit("\n".join(ctx.dropout.reasons()))
        self.reasons.setFixedHeight(180)
        self.add_field("reasons", "辍学原因（每行一个）", self.reasons, 1)
        self.grid.setColumnStretch(1, 1)
        self.mark_clean()
        self.resize(460, 330)

    def submit(self) -> bool:
        self.ctx.dropout.set_escalate_after(self.after.value())
        self.ctx.dropout.set_reasons(self.reasons.toPlainText().splitlines())
        return True
