"""走访核实 forms: a verification visit (with each payment received 是/否/未知) and a liaison officer."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
)

from db.aid.dto import VISIT_PURPOSES, LineStatus, OfficerForm, PaymentRow, VisitForm, VisitRow
from db.errors import ValidationError
from db.money import format_yuan
from db.terms import parse_term
from desktop.context import AppContext
from widgets.choice_picker import ChoicePicker
from widgets.date_edit import DateEdit
from widgets.form_base import ERROR_STYLE, FormBase

UNKNOWN = "未知"
ANSWERS = (UNKNOWN, "是", "否")          # 未知 is saved as blank (None), never as 否


def tri_combo() -> QComboBox:
    combo = QComboBox()
    for a in ANSWERS:
        combo.addItem(a, None if a == UNKNOWN else a)
    return combo


class VisitFormDialog(FormBase):
    """A visit to one household. `payments` lists the household's paid lines of the term."""

    def __init__(self, ctx: AppContext, household_id: int | None = None, term: str = "", parent=None, *,
                 today: dt.date | None = None):
        super().__init__("登记走访", parent)
        self.ctx = ctx
        self.today = today or dt.date.today()
        self.payments: list[PaymentRow] = []
        self.answers: list[QComboBox] = []
        f = self.add_field
        reg = ctx.registry
        self.household = ChoicePicker(reg.find_households, reg.household_label, title="选择家庭",
                                      placeholder="输入户主姓名、村或户编号查找")
        f("household_id", "家庭", self.household, 0, span=2)
        self.date = f("visit_date", "走访日期", DateEdit(self.today), 1)
        self.date.setMaximumDate(self.today)
        self.officer = QComboBox()
        self.officer.addItem("（家庭的联络员）", None)
        for o in ctx.aid.officers():
            self.officer.addItem(f"{o.name}（{o.unit}）" if o.unit else o.name, o.id)
        f("officer_id", "走访人", self.officer, 1, 1)
        self.purpose = QComboBox()
        for p in VISIT_PURPOSES:
            self.purpose.addItem(p, p)
        f("purpose", "走访目的", self.purpose, 2)
        self.term = f("term", "核实学期", QLineEdit(term), 2, 1)
        self.term.setPlaceholderText("如 2020秋；不核实发放可不填")
        self.told = QPlainTextEdit()
        self.told.setPlaceholderText("向家庭宣传、告知了什么（资助政策、申请方式……）")
        self.told.setFixedHeight(52)
        f("told", "宣传告知", self.told, 3, span=2)

        self.table = QTableWidget(0, 5, self.body)
        self.table.setHorizontalHeaderLabels(["学生", "资助项目", "金额(元)", "状态", "家庭是否收到"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        self.payments_label = QLabel("本学期发放（逐笔核实；不清楚的留“未知”）：")
        received_error = QLabel(self.body)
        received_error.setStyleSheet(ERROR_STYLE)
        received_error.setWordWrap(True)
        received_error.hide()
        self._errors["received"] = received_error
        self.grid.addWidget(self.payments_label, 8, 0, 1, 4)
        self.grid.addWidget(self.table, 9, 0, 1, 4)
        self.grid.addWidget(received_error, 10, 0, 1, 4)

        self.statement = tri_combo()
        f("statement_filed", "银行流水已打印存档", self.statement, 6)
        self.follow_up = QCheckBox("需要跟进")
        f("follow_up", "", self.follow_up, 6, 1)
        self.remarks = f("family_remarks", "家庭意见", QLineEdit(), 7)
        self.follow_note = f("follow_up_note", "跟进事项", QLineEdit(), 7, 1)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.household.changed.connect(self.load_payments)
        self.term.editingFinished.connect(self.load_payments)
        if household_id is not None:
            self.household.set_value(household_id)
        self.mark_clean()
        self.resize(900, 640)

    def _update_save(self) -> None:
        self.save_button.setEnabled(hasattr(self, "household") and self.household.value() is not None)

    def load_payments(self) -> None:
        """The household's paid lines of the term (void and unpaid lines cannot be confirmed)."""
        self.table.setRowCount(0)
        self.payments, self.answers = [], []
        hid = self.household.value()
        self._update_save()
        if hid is None:
            return
        try:
            label = parse_term(self.term.text()).label if self.term.text().strip() else ""
        except ValidationError as e:
            self.show_errors(e.problems)
            return
        hh = self.ctx.registry.get_household(hid)
        if hh.liaison_officer_id is not None and self.officer.currentData() is None:
            self.officer.setCurrentIndex(max(self.officer.findData(hh.liaison_officer_id), 0))
        if not hh.children or not label:
            self.payments_label.setText("本学期发放：" + ("该家庭没有学生" if not hh.children else "请先填写核实学期"))
            return
        rec = self.ctx.aid.family_record(hh.children[0][0], today=self.today)
        self.payments = [p for p in rec.payments if p.term == label
                         and p.status in (LineStatus.PAID, LineStatus.VERIFIED)]
        self.payments_label.setText(f"{label} 已发放 {len(self.payments)} 笔（逐笔核实；不清楚的留“未知”）："
                                    if self.payments else f"{label} 该家庭没有已发放的记录")
        self.table.setRowCount(len(self.payments))
        for r, p in enumerate(self.payments):
            for c, v in enumerate((p.student, p.programme, format_yuan(p.amount_fen), p.status)):
                item = QTableWidgetItem(v)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
            combo = tri_combo()
            if p.status == LineStatus.VERIFIED:
                combo.setCurrentIndex(combo.findData("是"))
            self.table.setCellWidget(r, 4, combo)
            self.answers.append(combo)

    def set_received(self, row: int, answer: str | None) -> None:
        combo = self.answers[row]
        combo.setCurrentIndex(combo.findData(answer) if answer else 0)

    def submit(self) -> VisitRow:
        received = {p.line_id: combo.currentData() for p, combo in zip(self.payments, self.answers)}
        form = VisitForm(household_id=self.household.value(), officer_id=self.officer.currentData(),
                         visit_date=self.date.value(), term=self.term.text().strip(),
                         purpose=self.purpose.currentData(), told=self.told.toPlainText(),
                         statement_filed={None: None, "是": True, "否": False}[self.statement.currentData()],
                         family_remarks=self.remarks.text(), follow_up=self.follow_up.isChecked(),
                         follow_up_note=self.follow_note.text(), received=received)
        return self.ctx.aid.save_visit(form, today=self.today)


class OfficerFormDialog(FormBase):
    def __init__(self, ctx: AppContext, officer: OfficerForm | None = None, parent=None):
        super().__init__("编辑联络员" if officer and officer.id else "新增联络员", parent)
        self.ctx = ctx
        self.officer = officer or OfficerForm()
        self.name = self.add_field("name", "姓名", QLineEdit(self.officer.name), 0)
        self.phone = self.add_field("phone", "联系电话", QLineEdit(self.officer.phone), 1)
        self.unit = self.add_field("unit", "单位", QLineEdit(self.officer.unit), 2)
        self.unit.setPlaceholderText("如 本校、阚疃镇政府、村委会")
        self.mark_clean()
        self.resize(420, 220)

    def submit(self) -> OfficerForm:
        return self.ctx.aid.save_officer(OfficerForm(self.officer.id, self.name.text(), self.phone.text(),
                                                     self.unit.text()))
