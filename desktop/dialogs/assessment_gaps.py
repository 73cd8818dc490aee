"""本学年认定情况: the students the officer must still assess for a school year — 认定信息不全 (低保, 特困,
孤儿, 残疾 without a level: out of the batch until assessed), 未认定 (a category, no 认定), and records
that lack 认定时间 or 认定原因 (imported or migrated). Double-click a student to record the 认定."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout

from db.registry.dto import AssessmentGap
from db.terms import school_year_of
from desktop.context import AppContext
from desktop.dialogs.assessments import AssessmentsDialog
from desktop.errors import show_error
from widgets.table_model import LazyTableModel
from widgets.table_view import LedgerTableView

COLUMNS = [("state", "情况"), ("name", "姓名"), ("grade", "年级"), ("class_name", "班级"), ("categories", "资助对象类别"),
           ("detail", "说明")]
STATES = ("认定信息不全", "未认定", "认定记录不完整")


class AssessmentGapsDialog(QDialog):
    loaded = Signal(int)
    changed = Signal(int)            # a student whose 认定 was recorded here

    def __init__(self, ctx: AppContext, school_year: int | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("学年认定情况")
        self.ctx = ctx
        self.all: list[AssessmentGap] = []
        self.shown: list[AssessmentGap] = []
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(school_year or school_year_of(ctx.ctx.clock.today()))
        self.year.setSuffix(" 学年")
        self.year.valueChanged.connect(lambda _y: self.reload())
        self.state = QComboBox()
        self.state.addItem("全部", "")
        for s in STATES:
            self.state.addItem(s, s)
        self.state.currentIndexChanged.connect(lambda _i: self._show())
        self.summary = QLabel("正在查询……")
        self.summary.setWordWrap(True)
        self.model = LazyTableModel(COLUMNS, parent=self)
        self.view = LedgerTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)
        for i, w in enumerate((110, 80, 80, 60, 180)):
            self.view.setColumnWidth(i, w)
        self.view.openRequested.connect(self.open_selected)
        top = QHBoxLayout()
        top.addWidget(QLabel("认定学年："))
        top.addWidget(self.year)
        top.addWidget(QLabel("显示："))
        top.addWidget(self.state)
        top.addStretch(1)
        top.addWidget(QLabel("双击学生录入认定"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.view, 1)
        lay.addWidget(buttons)
        self.resize(960, 560)
        self.reload()

    def reload(self) -> None:
        year, reg = self.year.value(), self.ctx.registry
        self.ctx.tasks.query(lambda: reg.assessment_gaps(year), self._on_loaded, lambda e: show_error(self, e, "查询"))

    def _on_loaded(self, rows: list[AssessmentGap]) -> None:
        self.all = rows
        n = {s: sum(1 for r in rows if r.state == s) for s in STATES}
        y = self.year.value()
        self.summary.setText(f"{y}-{y + 1} 学年：认定信息不全 <b style='color:#c62828'>{n['认定信息不全']:,}</b> 人"
                             f"（认定前不纳入发放），未认定 <b>{n['未认定']:,}</b> 人，"
                             f"认定记录缺认定时间或原因 <b>{n['认定记录不完整']:,}</b> 人。"
                             if rows else f"{y}-{y + 1} 学年：在校的困难学生都已认定，记录完整。")
        self._show()
        self.loaded.emit(len(rows))

    def _show(self) -> None:
        state = self.state.currentData()
        self.shown = [r for r in self.all if not state or r.state == state]
        rows = self.shown
        self.model.reset_source(lambda off, lim: rows[off:off + lim])

    def open_selected(self, *_a) -> bool:
        gap = self.view.current_item()
        if gap is None:
            return False
        dlg = AssessmentsDialog(self.ctx, gap.student_id, gap.name, self)
        dlg.year.setValue(self.year.value())
        dlg.changed.connect(self.changed.emit)
        dlg.exec()
        self.reload()
        return True
