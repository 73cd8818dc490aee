"""控辍保学: the case list (filter by state, stage, 建档立卡, overdue), the chosen case's attempts and
history below it, and the actions: new case, 登记劝返, 认定辍学 / 复学 / 销号, 复学回访, printing."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
)

from db import enums
from db.changes import Changes
from db.docs.kinds import Selection
from db.dropout.dto import ALL_OPEN, CaseDetail, CaseQuery, CaseRow, State
from db.errors import LedgerError
from db.home import Link
from desktop.context import AppContext
from desktop.dialogs.dropout_forms import (
    AttemptDialog,
    CaseFormDialog,
    DropoutSettingsDialog,
    FollowUpDialog,
    MoveDialog,
)
from desktop.errors import show_error
from desktop.pages.base import Page
from desktop.pages.cases_html import STATE_COLORS, case_html
from desktop.printing import print_document, print_menu_button
from widgets.search_box import SearchBox
from widgets.table_model import LazyTableModel
from widgets.table_view import LedgerTableView

COLUMNS = [("name", "姓名"), ("gender", "性别"), ("id_number", "身份证号"), ("grade_class", "年级班级"),
           ("poor", "建档立卡"), ("state", "状态"), ("overdue", "逾期事项"), ("escalation", "应上报"),
           ("next_step", "下一步"), ("next_date", "下一步日期"), ("attempts", "劝返次数"), ("reason", "辍学原因"),
           ("absent_days", "缺课天数"), ("opened_on", "建档日期"), ("stage", "学段"), ("state_since", "状态日期"),
           ("head_name", "户主"), ("village", "村"), ("guardian", "监护人"), ("guardian_phone", "监护人电话"),
           ("head_teacher", "班主任"), ("source", "来源")]
WIDTHS = {"name": 64, "gender": 36, "id_number": 160, "grade_class": 90, "poor": 64, "state": 66, "overdue": 180,
          "escalation": 90, "next_step": 120, "next_date": 84, "attempts": 60, "reason": 100, "absent_days": 58,
          "opened_on": 84}
HIDDEN = {"stage", "state_since", "head_name", "guardian_phone", "source", "guardian", "head_teacher", "village"}
EMPTY = "<p style='color:#616161'>没有个案。点“新建个案”登记疑似辍学的学生。</p>"
STATES = [(ALL_OPEN, "未结案（疑似、辍学、劝返中）"), ("", "全部个案")] + [(s.value, s.value) for s in State]


def recent_months(today: dt.date, n: int = 12) -> list[str]:
    """'2020-11', '2020-10', … newest first."""
    out = []
    for i in range(n):
        y, m = divmod(today.year * 12 + today.month - 1 - i, 12)
        out.append(f"{y}-{m + 1:02d}")
    return out


class CaseModel(LazyTableModel):
    """The case list: states in their colours, 建档立卡 and what is late in red."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            row: CaseRow = self.row_at(index.row())
            key = self.keys[index.column()]
            if key == "state":
                return QColor(STATE_COLORS.get(row.state, "#000000"))
            if key in ("poor", "overdue", "escalation"):
                return QColor("#c62828")
        return super().data(index, role)


class DropoutPage(Page):
    title = "控辍保学"
    icon = "dropout"
    ledger = "dropout"
    settings_key = "dropout"

    rowsLoaded = Signal(int)
    caseShown = Signal(object)          # CaseDetail

    def __init__(self, ctx: AppContext, parent=None, *, today: Callable[[], dt.date] | None = None):
        super().__init__(ctx, parent)
        self.today = today or ctx.ctx.clock.today      # the one clock (a test or the demo may fix it)
        self._token = self._detail_token = 0
        self.rows: list[CaseRow] = []
        self.case: CaseDetail | None = None

        self.search = SearchBox("姓名 / 身份证号 / 村 / 户主", self)
        self.search.setMinimumWidth(220)
        self.search.search.connect(lambda _t: self.load())
        self.new_button = QPushButton("新建个案(&N)…")
        self.new_button.clicked.connect(self.new_item)
        self.attempt_button = QPushButton("登记劝返(&A)…")
        self.attempt_button.clicked.connect(lambda: self.record_attempt())
        self.move_button = QPushButton("变更状态(&S)")
        self.move_menu = QMenu(self.move_button)
        self.move_actions = {
            State.DROPPED: self.move_menu.addAction("认定为辍学…", lambda: self.move_case(State.DROPPED)),
            State.RETURNED: self.move_menu.addAction("登记复学…", lambda: self.move_case(State.RETURNED)),
            State.CLOSED: self.move_menu.addAction("销号…", lambda: self.move_case(State.CLOSED)),
        }
        self.follow_action = self.move_menu.addAction("复学回访…", lambda: self.follow_up())
        self.move_button.setMenu(self.move_menu)
        self.edit_button = QPushButton("修改信息(&E)…")
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.print_button = print_menu_button(self, [
            ("劝返复学通知书（带回执）", lambda: self.print_current("dropout-notice")),
            ("劝返记录表", lambda: self.print_current("dropout-record")),
            ("控辍保学月报表…", lambda: self.print_report())])
        self.settings_button = QPushButton("设置…")
        self.settings_button.setToolTip("上报前劝返次数（默认 2 次）、辍学原因列表")
        self.settings_button.clicked.connect(lambda: self.edit_settings())
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for b in (self.new_button, self.attempt_button, self.move_button, self.edit_button, self.print_button,
                  self.settings_button):
            top.addWidget(b)

        self.state_combo = QComboBox()
        for key, label in STATES:
            self.state_combo.addItem(label, key)
        self.stage_combo = QComboBox()
        self.stage_combo.addItem("全部学段", "")
        for st in enums.values(enums.Stage) + ["未入学"]:
            self.stage_combo.addItem(st, st)
        self.poor_check = QCheckBox("只看建档立卡")
        self.overdue_check = QCheckBox("只看逾期或应上报")
        for w in (self.state_combo, self.stage_combo):
            w.currentIndexChanged.connect(lambda _i: self.load())
        for w in (self.poor_check, self.overdue_check):
            w.toggled.connect(lambda _v: self.load())
        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        frow = QHBoxLayout()
        frow.addWidget(QLabel("筛选："))
        for w in (self.state_combo, self.stage_combo, self.poor_check, self.overdue_check):
            frow.addWidget(w)
        frow.addStretch(1)
        frow.addWidget(self.summary)

        self.model = CaseModel(COLUMNS, parent=self)
        self.view = LedgerTableView(self)
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSortIndicatorShown(False)
        for i, (key, _h) in enumerate(COLUMNS):
            self.view.setColumnWidth(i, WIDTHS.get(key, 80))
            self.view.setColumnHidden(i, key in HIDDEN)
        self.view.openRequested.connect(lambda: self.record_attempt())
        self.view.copyRequested.connect(self.copy_selected)
        self.view.deleteRequested.connect(lambda: self.delete_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([360, 240])
        self.split = split
        self.count_label = QLabel("")
        hint = QLabel("回车或双击：登记劝返；Ctrl+N 新建个案；Ctrl+P 打印选中个案的劝返复学通知书")
        hint.setStyleSheet("color: #555;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(hint)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(top)
        lay.addLayout(frow)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)
        self.setFocusProxy(self.search)
        self._update_buttons()

    # ---- loading --------------------------------------------------------------------------------
    def query(self) -> CaseQuery:
        return CaseQuery(self.search.text().strip(), self.state_combo.currentData(), self.stage_combo.currentData(),
                         self.poor_check.isChecked(), self.overdue_check.isChecked())

    def start(self) -> None:
        self.load()

    def open_link(self, link: Link) -> bool:
        """From the home page: the cases whose next step is late (overdue=1)."""
        if link.arg("overdue"):
            self.state_combo.setCurrentIndex(0)
            self.overdue_check.setChecked(True)
        return True

    def load(self, keep: int | None = None) -> None:
        self._token += 1
        token, q, svc, today = self._token, self.query(), self.ctx.dropout, self.today()
        keep = keep if keep is not None else (self.case.id if self.case else None)
        self.ctx.tasks.query(lambda: (svc.cases(q, today=today), svc.overdue(today)),
                             lambda res: self._loaded(token, *res, keep), lambda exc: show_error(self, exc, "查询"))

    def _loaded(self, token: int, rows: list[CaseRow], overdue, keep: int | None) -> None:
        if token != self._token:
            return
        self.rows = rows
        self.model.reset_source(lambda off, lim: rows[off:off + lim], rows[:200])
        self.model.fetch_all()
        late = len({x.case_id for x in overdue})
        self.summary.setText(f"逾期未办 <b style='color:#c62828'>{late}</b> 案" if late else "没有逾期事项")
        self.count_label.setText(f"共 {len(rows)} 个个案")
        index = next((i for i, r in enumerate(rows) if r.id == keep), 0 if rows else None)
        if index is not None:
            self.view.selectRow(index)
            self._row_changed(index)
        else:
            self._show_case(None)
        self.rowsLoaded.emit(len(rows))

    def _selection_changed(self) -> None:
        rows = self.view.selected_rows()
        if rows:
            self._row_changed(rows[0])

    def _row_changed(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        self._detail_token += 1
        token, case_id, svc = self._detail_token, self.rows[row].id, self.ctx.dropout
        self.ctx.tasks.query(lambda: svc.get_case(case_id),
                             lambda c: self._show_case(c) if token == self._detail_token else None,
                             lambda exc: show_error(self, exc, "查询"))

    def _show_case(self, case: CaseDetail | None) -> None:
        self.case = case
        self.detail.setHtml(case_html(case) if case else EMPTY)
        self._update_buttons()
        self.caseShown.emit(case)

    def _update_buttons(self) -> None:
        c = self.case
        open_ = c is not None and c.is_open
        self.attempt_button.setEnabled(open_)
        self.edit_button.setEnabled(c is not None)
        for state, act in self.move_actions.items():
            act.setEnabled(c is not None and state in c.allowed)
        self.follow_action.setEnabled(c is not None and c.state == State.RETURNED)
        self.move_button.setEnabled(c is not None and (bool(c.allowed) or c.state == State.RETURNED))

    def on_changes(self, changes: Changes) -> None:
        if changes.entities & {"dropout", "student", "household", "county_list"}:
            self.load()

    # ---- actions ----------------------------------------------------------------------------------
    def main_table(self) -> LedgerTableView:
        return self.view

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def _done(self, dlg) -> bool:
        if dlg.exec() and dlg.result_value is not None:
            self.changed.emit(Changes(frozenset({"dropout", "student"}), frozenset({dlg.result_value.id})))
            self.load(keep=dlg.result_value.id)
            return True
        return False

    def new_item(self, county_entry_id: int | None = None) -> bool:
        return self._done(CaseFormDialog(self.ctx, None, self, county_entry_id=county_entry_id, today=self.today()))

    def edit_selected(self) -> bool:
        return self.case is not None and self._done(CaseFormDialog(self.ctx, self.case, self, today=self.today()))

    def record_attempt(self) -> bool:
        if self.case is None or not self.case.is_open:
            return False
        return self._done(AttemptDialog(self.ctx, self.case, self, today=self.today()))

    def move_case(self, to: str) -> bool:
        if self.case is None or to not in self.case.allowed:
            return False
        return self._done(MoveDialog(self.ctx, self.case, to, self, today=self.today()))

    def follow_up(self) -> bool:
        if self.case is None or self.case.state != State.RETURNED:
            return False
        return self._done(FollowUpDialog(self.ctx, self.case, self, today=self.today()))

    def edit_settings(self) -> bool:
        dlg = DropoutSettingsDialog(self.ctx, self)
        if dlg.exec() and dlg.result_value:
            self.changed.emit(Changes(frozenset({"dropout"})))
            self.load()
            return True
        return False

    def delete_selected(self) -> bool:
        """Delete: only a case opened by mistake (no attempt, no move yet), after asking."""
        if self.case is None:
            return False
        answer = QMessageBox.question(self, "删除个案", f"确定删除{self.case.name}的个案吗？只有误建、还没有劝返记录的个案"
                                      "可以删除，学生的在校状态会恢复。", QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            changes = self.ctx.dropout.delete_case(self.case.id)
        except LedgerError as e:
            QMessageBox.warning(self, "无法删除", str(e))
            return False
        self.changed.emit(changes)
        self.load()
        return True

    # ---- printing ---------------------------------------------------------------------------------
    def print_current(self, kind_name: str = "dropout-notice"):
        """Ctrl+P: the selected cases' 劝返复学通知书 (or `kind_name`)."""
        ids = tuple(r.id for r in self.view.selected_items()) or ((self.case.id,) if self.case else ())
        if not ids:
            QMessageBox.information(self, "打印", "请先在列表中选中个案（可按住 Ctrl 多选）。")
            return None
        return print_document(self, self.ctx, kind_name, Selection(record_ids=ids, today=self.today()))

    def print_report(self, month: str | None = None):
        if month is None:
            today = self.today()
            months = recent_months(today)
            month, ok = QInputDialog.getItem(self, "控辍保学月报表", "报告月份：", months, 0, True)
            if not ok:
                return None
        return print_document(self, self.ctx, "dropout-report", Selection(month=month, today=self.today()))

    # ---- remembered layout ------------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue(f"{self.settings_key}/header", self.view.horizontalHeader().saveState())
        settings.setValue(f"{self.settings_key}/split", self.split.saveState())

    def restore_state(self, settings: QSettings) -> None:
        super().restore_state(settings)
        for key, target in (("header", self.view.horizontalHeader()), ("split", self.split)):
            state = settings.value(f"{self.settings_key}/{key}")
            if state is not None:
                target.restoreState(state)

