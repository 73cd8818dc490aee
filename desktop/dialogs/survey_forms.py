"""线上学习排查 forms: a survey round, and one household's check — 一看 (devices, network), 二问三查 per
child, and the problems found with how and when they were solved. Unknown answers stay blank."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)

from db.clock import parse_day
from db.errors import ValidationError
from db.survey.dto import (
    CHILD_QUESTIONS,
    DEVICES,
    FIX_HOW,
    FIX_KINDS,
    NETWORKS,
    PROBLEM_KINDS,
    CheckForm,
    CheckRow,
    ProblemForm,
    RoundForm,
    RoundRow,
)
from desktop.context import AppContext
from widgets.combos import choice_combo, set_combo
from widgets.date_edit import DateEdit
from widgets.form_base import ERROR_STYLE, FormBase
from widgets.simple_table import list_table, tri_combo

PROBLEM_COLUMNS = ["问题", "说明", "解决措施", "方式", "数量", "出资方", "解决日期（未解决留空）"]


class RoundDialog(FormBase):
    def __init__(self, ctx: AppContext, row: RoundRow | None = None, parent=None, *, today: dt.date | None = None):
        super().__init__("编辑排查轮次" if row else "新建排查轮次", parent)
        self.ctx, self.row = ctx, row
        self.name = self.add_field("name", "轮次名称", QLineEdit(row.name if row else ""), 0)
        self.name.setPlaceholderText("如 2020年春季停课不停学排查")
        self.start = self.add_field("start_date", "开始日期", DateEdit(row.start_date if row else today), 1)
        self.end = self.add_field("end_date", "结束日期", DateEdit(row.end_date if row else None, allow_empty=True), 2)
        self.mark_clean()
        self.resize(460, 220)

    def submit(self) -> RoundRow:
        return self.ctx.survey.save_round(RoundForm(self.row.id if self.row else None, self.name.text(),
                                                    self.start.value(), self.end.value()))


class CheckDialog(FormBase):
    """One household in one round."""

    def __init__(self, ctx: AppContext, round_id: int, household_id: int, parent=None, *,
                 today: dt.date | None = None):
        super().__init__("登记线上学习排查（一看二问三查）", parent)
        self.ctx, self.today = ctx, today or dt.date.today()
        self.form: CheckForm = ctx.survey.check_form(round_id, household_id)
        f = self.form
        f_ = self.add_field
        self.grid.addWidget(QLabel("家庭"), 0, 0)
        self.grid.addWidget(QLabel(ctx.registry.household_label(household_id)), 0, 1)
        end = next((r.end_date for r in ctx.survey.rounds() if r.id == round_id), None)
        default = min(self.today, end) if end else self.today        # a new check falls within its round
        self.date = f_("check_date", "排查日期", DateEdit(f.check_date or default), 0, 1)
        self.officer = QComboBox()
        self.officer.addItem("（未指定）", None)
        for o in ctx.aid.officers():
            self.officer.addItem(o.name, o.id)
        self.officer.setCurrentIndex(max(self.officer.findData(f.officer_id), 0))
        f_("officer_id", "排查人（联络员）", self.officer, 1)
        self.way = QComboBox()
        self.way.addItem("明查", False)
        self.way.addItem("暗访", True)
        self.way.setCurrentIndex(1 if f.unannounced else 0)
        f_("unannounced", "方式", self.way, 1, 1)
        self.tri = {}
        for i, (name, label) in enumerate(DEVICES + NETWORKS):
            self.tri[name] = f_(name, ("一看：" if i == 0 else "") + label, tri_combo(getattr(f, name)), 2 + i // 2, i % 2)
        self._children()
        self._problems()
        self.notes = QPlainTextEdit(f.notes)
        self.notes.setFixedHeight(44)
        f_("notes", "备注", self.notes, 8, span=2)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.mark_clean()
        self.resize(980, 700)

    def _update_save(self) -> None:
        self.save_button.setEnabled(True)          # the tables' answers are not tracked fields

    def _children(self) -> None:
        self.kids = list_table(["学生", "年级班级", *(q for _, q in CHILD_QUESTIONS)], [70, 90], self.body)
        self.kids.setRowCount(len(self.form.children))
        self.kid_combos: list[list[QComboBox]] = []
        for r, c in enumerate(self.form.children):
            self.kids.setCellWidget(r, 0, QLabel(c.name))
            self.kids.setCellWidget(r, 1, QLabel(c.grade))
            combos = [tri_combo(getattr(c, name), "是", "否") for name, _ in CHILD_QUESTIONS]
            for i, combo in enumerate(combos):
                self.kids.setCellWidget(r, 2 + i, combo)
                self.kids.setColumnWidth(2 + i, 118)
            self.kid_combos.append(combos)
        self.kids.setFixedHeight(36 + 32 * max(1, len(self.form.children)))
        self.grid.addWidget(QLabel("二问、三查（每名建档立卡学生；不清楚的留“未知”）："), 10, 0, 1, 4)
        self.grid.addWidget(self.kids, 11, 0, 1, 4)

    def _problems(self) -> None:
        self.probs = QTableWidget(0, len(PROBLEM_COLUMNS), self.body)
        self.probs.setHorizontalHeaderLabels(PROBLEM_COLUMNS)
        self.probs.verticalHeader().setVisible(False)
        self.probs.horizontalHeader().setStretchLastSection(True)
        for c, w in enumerate((80, 150, 100, 80, 50, 110)):
            self.probs.setColumnWidth(c, w)
        self.probs.setMinimumHeight(120)
        self.problem_ids: list[int | None] = []
        for p in self.form.problems:
            self.add_problem(p)
        add, remove = QPushButton("添加问题"), QPushButton("删除选中问题")
        add.clicked.connect(lambda: self.add_problem())
        remove.clicked.connect(self.remove_problem)
        head = QHBoxLayout()
        head.addWidget(QLabel("发现的问题及解决情况（解决后填写措施、出资方和日期）："))
        head.addStretch(1)
        head.addWidget(add)
        head.addWidget(remove)
        box = QWidget(self.body)
        box.setLayout(head)
        self.problem_error = QLabel(self.body)
        self.problem_error.setStyleSheet(ERROR_STYLE)
        self.problem_error.hide()
        self._errors["problems"] = self.problem_error
        self.grid.addWidget(box, 12, 0, 1, 4)
        self.grid.addWidget(self.probs, 13, 0, 1, 4)
        self.grid.addWidget(self.problem_error, 14, 0, 1, 4)

    def add_problem(self, p: ProblemForm | None = None) -> int:
        p = p or ProblemForm(None, PROBLEM_KINDS[0])
        r = self.probs.rowCount()
        self.probs.insertRow(r)
        kind = choice_combo(PROBLEM_KINDS, empty=None)
        set_combo(kind, p.kind)
        fix, how = choice_combo(FIX_KINDS, empty=""), choice_combo(FIX_HOW, empty="")
        set_combo(fix, p.fix)
        set_combo(how, p.how)
        qty = QSpinBox()
        qty.setRange(1, 999)
        qty.setValue(p.quantity or 1)
        for c, w in enumerate((kind, QLineEdit(p.note), fix, how, qty, QLineEdit(p.paid_by),
                               QLineEdit(p.solved_on.isoformat() if p.solved_on else ""))):
            self.probs.setCellWidget(r, c, w)
        self.problem_ids.append(p.id)
        return r

    def remove_problem(self) -> None:
        r = self.probs.currentRow()
        if r >= 0:
            self.probs.removeRow(r)
            del self.problem_ids[r]

    def problem(self, r: int) -> ProblemForm:
        w = [self.probs.cellWidget(r, c) for c in range(len(PROBLEM_COLUMNS))]
        day = w[6].text().strip()
        try:
            solved = parse_day(day) if day else None
        except (ValueError, ValidationError):
            raise ValidationError({"problems": f"第 {r + 1} 个问题：解决日期“{day}”不是日期，如 2020-03-05"}) from None
        return ProblemForm(self.problem_ids[r], w[0].currentData(), w[1].text(), w[2].currentData() or "",
                           w[3].currentData() or "", w[4].value(), w[5].text(), solved)

    def submit(self) -> CheckRow:
        f = self.form
        f.check_date, f.officer_id, f.unannounced = self.date.value(), self.officer.currentData(), self.way.currentData()
        for name, combo in self.tri.items():
            setattr(f, name, combo.currentData())
        for child, combos in zip(f.children, self.kid_combos):
            for (name, _), combo in zip(CHILD_QUESTIONS, combos):
                setattr(child, name, combo.currentData())
        f.problems = [self.problem(r) for r in range(self.probs.rowCount())]
        f.notes = self.notes.toPlainText()
        return self.ctx.survey.save_check(f)
