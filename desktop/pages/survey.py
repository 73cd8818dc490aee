"""线上学习排查 (一看二问三查): a round's registered-poor households with their state, the report in the
seed's own form, and the per-household check. Households that failed stay listed (待整改) until fixed."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QPushButton, QVBoxLayout

from db.changes import Changes
from db.docs.kinds import Selection
from db.survey import rules
from db.survey.dto import CheckRow, SurveyReport
from desktop.context import AppContext
from desktop.dialogs.survey_forms import CheckDialog, RoundDialog
from desktop.errors import show_error
from desktop.pages.base import Page
from desktop.printing import print_document
from widgets.simple_table import bar, fill, list_table, selected_key

HEADERS = ["户主", "乡镇 村", "建档立卡学生", "联络员", "排查日期", "方式", "可用设备", "状态", "问题及解决"]
STATES = ("", rules.FAILING, rules.NOT_CHECKED, rules.PASSED, rules.FIXED)


class SurveyPage(Page):
    title = "线上学习排查"
    icon = "survey"
    ledger = "survey"
    settings_key = "survey"

    loaded = Signal(object)          # SurveyReport

    def __init__(self, ctx: AppContext, parent=None, *, today: Callable[[], dt.date] | None = None):
        super().__init__(ctx, parent)
        self.today = today or ctx.ctx.clock.today      # the one clock (a test or the demo may fix it)
        self.rows: list[CheckRow] = []
        self.round_combo = QComboBox()
        self.round_combo.setMinimumContentsLength(16)
        self.round_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.status_combo = QComboBox()
        for s in STATES:
            self.status_combo.addItem(s or "全部", s)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.show_rows())
        new_round = QPushButton("新建轮次…")
        new_round.clicked.connect(lambda: self.new_round())
        self.check_button = QPushButton("登记排查…")
        self.check_button.setToolTip("为选中的家庭登记或修改本轮的一看二问三查（双击也可）")
        self.check_button.clicked.connect(lambda: self.edit_check())
        self.print_button = QPushButton("打印排查表")
        self.print_button.setToolTip("选中家庭（未选中时为列表中全部家庭）的线上学习排查表；未排查的为空白表")
        self.print_button.clicked.connect(lambda: self.print_current())
        self.table = list_table(HEADERS, [80, 140, 150, 70, 90, 50, 130, 60], self)
        self.table.doubleClicked.connect(lambda _i: self.edit_check())
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(bar("轮次：", self.round_combo, new_round, "状态：", self.status_combo, None,
                          self.check_button, self.print_button))
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)

    def start(self) -> None:
        self.load_rounds()

    def round_id(self) -> int | None:
        return self.round_combo.currentData()

    def load_rounds(self, select: int | None = None) -> None:
        try:
            rounds = self.ctx.survey.rounds()
        except Exception as e:
            show_error(self, e, "查询")
            return
        keep = select or self.round_id()
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for r in rounds:
            self.round_combo.addItem(f"{r.name}（已排查 {r.checked} 户）", r.id)
        i = self.round_combo.findData(keep)
        self.round_combo.setCurrentIndex(i if i >= 0 else 0)
        self.round_combo.blockSignals(False)
        if not rounds:
            self.summary.setText("还没有排查轮次。点“新建轮次…”，如“2020年春季停课不停学排查”，再逐户登记一看二问三查。")
            self.table.setRowCount(0)
            return
        self.load()

    def load(self) -> None:
        rid, svc = self.round_id(), self.ctx.survey
        if rid is None:
            return
        self.ctx.tasks.query(lambda: (svc.households(rid), svc.report(rid)), lambda r: self._on_loaded(*r),
                             lambda e: show_error(self, e, "查询"))

    def _on_loaded(self, rows: list[CheckRow], rep: SurveyReport) -> None:
        self.rows = rows
        problems = "，".join(f"{k} {v}" for k, v in rep.problems.items()) or "无"
        self.summary.setText(
            f"<b>{rep.round}</b>：应排查建档立卡家庭 {rep.population} 户，已排查 {rep.surveyed} 户"
            f"（暗访 {rep.unannounced} 户），"
            f"未排查 {rep.not_surveyed} 户；达标 {rep.passed} 户，已整改 {rep.fixed} 户，"
            f"<span style='color:#c62828'><b>待整改 {rep.failing} 户</b></span>。<br>发现问题：{problems}；"
            f"解决：{rep.fixes_text()}；未解决问题 {rep.open_problems} 个。")
        self.show_rows()
        self.loaded.emit(rep)

    def show_rows(self) -> None:
        want = self.status_combo.currentData()
        order = {rules.FAILING: 0, rules.NOT_CHECKED: 1}          # what needs doing first
        rows = sorted((r for r in self.rows if not want or r.status == want), key=lambda r: order.get(r.status, 2))
        colors = {i: "red" for i, r in enumerate(rows) if r.status == rules.FAILING}
        fill(self.table, [[r.head_name, r.village, r.children, r.officer, r.check_date,
                           ("暗访" if r.unannounced else "明查") if r.check_id else "", r.devices, r.status, r.problems]
                          for r in rows], [r.household_id for r in rows], colors=colors)

    def main_table(self):
        return None

    def on_changes(self, changes: Changes) -> None:
        if changes.entities & {"survey", "student", "household"}:
            self.load_rounds()

    # ---- actions --------------------------------------------------------------------------------
    def new_round(self) -> bool:
        dlg = RoundDialog(self.ctx, None, self, today=self.today())
        if dlg.exec() and dlg.result_value is not None:
            self.load_rounds(dlg.result_value.id)
            self.changed.emit(Changes(frozenset({"survey"})))
            return True
        return False

    def new_item(self) -> bool:
        return self.edit_check()

    def edit_check(self, household_id: int | None = None) -> bool:
        household_id = household_id or selected_key(self.table)
        if self.round_id() is None or household_id is None:
            QMessageBox.information(self, "登记排查", "请先选择轮次，并在列表中选中一户。")
            return False
        try:
            dlg = CheckDialog(self.ctx, self.round_id(), household_id, self, today=self.today())
        except Exception as e:
            show_error(self, e, "登记排查")
            return False
        if dlg.exec() and dlg.result_value is not None:
            self.changed.emit(Changes(frozenset({"survey"}), frozenset({household_id})))
            return True
        return False

    def print_current(self):
        if self.round_id() is None:
            return False
        rows = self.table.selectionModel().selectedRows()
        ids = [self.table.item(i.row(), 0).data(Qt.ItemDataRole.UserRole) for i in rows] or \
              [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(self.table.rowCount())]
        if not ids:
            QMessageBox.information(self, "打印", "列表中没有家庭。")
            return None
        name = self.round_combo.currentText().rsplit("（", 1)[0]
        return print_document(self, self.ctx, "survey", Selection(household_ids=tuple(ids), round=name,
                                                                  today=self.today()))
