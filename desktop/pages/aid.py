"""资助发放: deadlines, a term's batch (plan, review, adjust, pay, void, re-issue), exports.

The lines list is the student list's pattern: SQL paging on a worker thread (LazyTableModel), a
debounced search, filter boxes, and a token so that only the newest query's result is shown.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from db.aid.dto import BatchSummary, LineQuery, LineRow, LineStatus
from db.changes import Changes
from db.docs.kinds import Selection
from db.errors import NotFound
from db.home import Link
from db.money import format_yuan
from db.terms import parse_term
from desktop.context import AppContext
from desktop.errors import show_error
from desktop.pages.aid_actions import BatchActions
from desktop.pages.aid_common import STATUS_COLORS, DeadlinePanel, LinesModel, TermCombo, recent_terms
from desktop.pages.base import Page
from desktop.printing import print_document, print_menu_button
from widgets.search_box import SearchBox
from widgets.table_model import PAGE_SIZE
from widgets.table_view import LedgerTableView

COLUMNS = [
    ("name", "姓名"), ("id_number", "身份证号"), ("stage", "学段"), ("grade", "年级"), ("class_name", "班级"),
    ("programme", "资助项目"), ("amount", "金额(元)"), ("computed", "标准金额(元)"), ("adjusted", "调整"),
    ("status", "状态"), ("paid_on", "发放日期"), ("card_no", "银行卡号"), ("reason", "计算依据"),
    ("void_reason", "作废原因"), ("reissue", "补发"),
]
SORTABLE = {"name", "grade", "stage", "programme", "amount", "status", "paid_on"}
HIDDEN_BY_DEFAULT = {"computed", "card_no", "void_reason", "reissue"}
WIDTHS = {"name": 72, "id_number": 160, "stage": 72, "grade": 78, "class_name": 50, "programme": 170,
          "amount": 90, "computed": 96, "adjusted": 50, "status": 60, "paid_on": 88, "card_no": 170,
          "reason": 300}
FILTERS = [("programme", "全部项目"), ("stage", "全部学段"), ("status", "全部状态")]
PLACEHOLDER = "姓名 / 拼音首字母 / 身份证号开头"


class AidPage(BatchActions, Page):
    title = "资助发放"
    icon = "aid"
    ledger = "aid"
    settings_key = "aid"

    rowsLoaded = Signal(int)
    countLoaded = Signal(int)
    totalsLoaded = Signal(object)       # BatchSummary or None (no batch yet)
    deadlinesLoaded = Signal(list)
    planned = Signal(object)            # PlanResult
    paid = Signal(object)               # PayResult
    exported = Signal(str, int)         # path, total fen

    def __init__(self, ctx: AppContext, parent=None, *, today: Callable[[], dt.date] | None = None):
        super().__init__(ctx, parent)
        self.today = today or ctx.ctx.clock.today      # the one clock (a test or the demo may fix it)
        self._token = 0
        self._query = LineQuery()
        self.total: int | None = None
        self.summary: BatchSummary | None = None

        self.deadlines = DeadlinePanel(self)
        self.deadlines.termClicked.connect(lambda t: self.term_combo.set_term(t))

        self.term_combo = TermCombo(self, today=self.today())
        self.term_combo.termChanged.connect(lambda _t: self.refresh())
        self.plan_button = QPushButton("生成/刷新本学期名单")
        self.plan_button.setToolTip("按现行资助标准计算每名学生本学期应享受的资助；已调整、已发放、已作废的记录保持不变")
        self.plan_button.clicked.connect(self.plan)
        self.standards_button = QPushButton("资助标准…")
        self.standards_button.clicked.connect(self.open_standards)
        self.missing_button = QPushButton("未享受资助的学生…")
        self.missing_button.clicked.connect(self.open_missing)
        self.export_button = QPushButton("导出银行发放表…")
        self.export_button.clicked.connect(lambda: self.export_bank())

        self.search = SearchBox(PLACEHOLDER, self)
        self.search.setMinimumWidth(220)
        self.search.search.connect(self.search_now)
        self.filters: dict[str, QComboBox] = {}
        frow = QHBoxLayout()
        frow.addWidget(self.search, 1)
        for key, empty in FILTERS:
            combo = QComboBox(self)
            combo.addItem(empty, "")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self.search_now())
            self.filters[key] = combo
            frow.addWidget(combo)
        self._set_options("status", LineStatus.ALL)
        self.only_adjusted = QCheckBox("只看已调整")
        self.only_adjusted.toggled.connect(lambda _c: self.search_now())
        frow.addWidget(self.only_adjusted)
        clear = QPushButton("清除筛选")
        clear.clicked.connect(self.clear_filters)
        frow.addWidget(clear)

        self.model = LinesModel(COLUMNS, sortable=SORTABLE, page_size=PAGE_SIZE, parent=self)
        self.model.sortRequested.connect(self._sort_requested)
        self.view = LedgerTableView(self)
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._header_clicked)
        self.view.copyRequested.connect(self.copy_selected)
        self.view.openRequested.connect(self.adjust_selected)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        for i, (key, _h) in enumerate(COLUMNS):
            self.view.setColumnWidth(i, WIDTHS.get(key, 90))
            self.view.setColumnHidden(i, key in HIDDEN_BY_DEFAULT)

        self.totals_label = QLabel("")
        self.totals_label.setTextFormat(Qt.TextFormat.RichText)
        self.totals_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.totals_label.setWordWrap(True)
        self.count_label = QLabel("")
        self.adjust_button = QPushButton("调整金额…")
        self.pay_button = QPushButton("标记已发放…")
        self.void_button = QPushButton("作废…")
        self.reissue_button = QPushButton("补发…")
        self.adjust_button.clicked.connect(self.adjust_selected)
        self.pay_button.clicked.connect(self.pay)
        self.void_button.clicked.connect(self.void_selected)
        self.reissue_button.clicked.connect(self.reissue_selected)
        top = QHBoxLayout()
        top.addWidget(QLabel("学期："))
        top.addWidget(self.term_combo)
        top.addWidget(self.plan_button)
        top.addSpacing(16)
        for b in (self.adjust_button, self.pay_button, self.void_button, self.reissue_button):
            top.addWidget(b)
        top.addStretch(1)
        self.print_button = print_menu_button(self, [("发放签领表", lambda: self.print_current("sign")),
                                                     ("公示名单", lambda: self.print_current("notice"))])
        self.print_button.setToolTip("打印本学期的发放签领表（按“项目”筛选可只打一个项目）或公示名单")
        for b in (self.standards_button, self.missing_button, self.export_button, self.print_button):
            top.addWidget(b)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addSpacing(12)
        bottom.addWidget(self.totals_label, 1)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addWidget(self.deadlines)
        lay.addLayout(top)
        lay.addLayout(frow)
        lay.addWidget(self.view, 1)
        lay.addLayout(bottom)
        self.setFocusProxy(self.search)
        self._update_buttons()

    # ---- the term -------------------------------------------------------------------------------
    def term(self):
        return self.term_combo.term()

    def start(self) -> None:
        """First load: deadlines (which also tell which terms have a batch), then the list."""
        self.load_deadlines(choose_term=True)

    def load_deadlines(self, *, choose_term: bool = False) -> None:
        aid, today = self.ctx.aid, self.today()
        self.ctx.tasks.query(lambda: aid.deadline_status(today),
                             lambda rows: self._on_deadlines(rows, choose_term), self._error)

    def _on_deadlines(self, rows, choose_term: bool) -> None:
        self.deadlines.set_rows(rows)
        terms = {parse_term(r.term) for r in rows} | set(recent_terms(self.today()))
        self.term_combo.set_terms(terms)
        if choose_term and self.term() is None:
            planned = [r for r in rows if r.state != "未生成批次"]
            pick = (planned or rows)[0].term if rows else recent_terms(self.today())[1].label
            self.term_combo.set_term(pick, emit=False)
            self.refresh()
        self.deadlinesLoaded.emit(rows)

    def refresh(self) -> None:
        """Filter options, totals and the first page for the current term."""
        if self.term() is None:
            return
        term, aid = self.term().short, self.ctx.aid
        self.ctx.tasks.query(lambda: aid.line_filter_options(term), self._apply_options, self._error)
        self.load_totals()
        self.search_now()

    def _apply_options(self, opts: dict[str, list[str]]) -> None:
        self._set_options("programme", opts["programme"])
        self._set_options("stage", opts["stage"])

    def _set_options(self, key: str, values) -> None:
        combo = self.filters[key]
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for v in values:
            combo.addItem(v, v)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def clear_filters(self) -> None:
        for combo in self.filters.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.only_adjusted.blockSignals(True)
        self.only_adjusted.setChecked(False)
        self.only_adjusted.blockSignals(False)
        self.search.clear()
        self.search_now()

    def set_filter(self, key: str, value: str) -> None:
        combo = self.filters[key]
        i = combo.findData(value)
        if i < 0:
            combo.addItem(value, value)
            i = combo.count() - 1
        combo.setCurrentIndex(i)

    # ---- querying -------------------------------------------------------------------------------
    def current_query(self) -> LineQuery:
        q = dataclasses.replace(self._query, text=self.search.text().strip(),
                                only_adjusted=self.only_adjusted.isChecked())
        for key, combo in self.filters.items():
            setattr(q, key, combo.currentData() or "")
        return q

    def search_now(self, *_a) -> int:
        self._token += 1
        token = self._token
        if self.term() is None:
            return token
        q = self._query = self.current_query()
        term, aid = self.term().short, self.ctx.aid
        self.count_label.setText("正在查询……")
        self.ctx.tasks.query(lambda: aid.lines(term, q, 0, PAGE_SIZE),
                             lambda rows: self._on_page(token, term, q, rows), self._error)
        return token

    def _on_page(self, token: int, term: str, q: LineQuery, rows: list[LineRow]) -> None:
        if token != self._token:
            return
        aid = self.ctx.aid
        self.model.reset_source(lambda off, lim: aid.lines(term, q, off, lim), rows)
        self.rowsLoaded.emit(len(rows))
        if len(rows) < PAGE_SIZE:
            self._on_count(token, len(rows))
        else:
            self.ctx.tasks.query(lambda: aid.count_lines(term, q), lambda n: self._on_count(token, n),
                                 self._error)

    def _on_count(self, token: int, n: int) -> None:
        if token != self._token:
            return
        self.total = n
        q = self._query
        filtered = bool(q.text or q.status or q.programme or q.stage or q.only_adjusted)
        self.count_label.setText(f"共 {n:,} 笔" + ("（已筛选）" if filtered else ""))
        self.countLoaded.emit(n)

    def load_totals(self) -> None:
        term, aid = self.term().short, self.ctx.aid
        self.ctx.tasks.query(lambda: self._summary_or_none(aid, term), self._on_totals, self._error)

    @staticmethod
    def _summary_or_none(aid, term):
        try:
            return aid.summary(term, with_missing=False)
        except NotFound:
            return None

    def _on_totals(self, summary: BatchSummary | None) -> None:
        self.summary = summary
        if summary is None:
            self.totals_label.setText(f"<span style='color:#c62828'>{self.term().label}还没有发放名单，"
                                      f"请点“生成/刷新本学期名单”。</span>")
        else:
            parts = [f"<b>现金合计 {format_yuan(summary.batch_total_fen)} 元</b>（{summary.cash_lines:,} 笔，不含作废）"]
            for r in summary.by_status:
                if r.key == LineStatus.WAIVER:
                    continue
                color = STATUS_COLORS.get(r.key, "black")
                parts.append(f"<span style='color:{color}'>{r.key} {r.lines:,} 笔 {format_yuan(r.amount_fen)} 元</span>")
            if summary.waiver_lines:
                parts.append(f"<span style='color:{STATUS_COLORS[LineStatus.WAIVER]}'>另有减免 {summary.waiver_lines:,} 笔 "
                             f"{format_yuan(summary.waiver_fen)} 元（学校不收费，不发现金）</span>")
            self.totals_label.setText("　".join(parts))
        self._update_buttons()
        self.totalsLoaded.emit(summary)

    def _header_clicked(self, column: int, order: Qt.SortOrder) -> None:
        if self.model.is_sortable(column):
            self.model.sort(column, order)

    def _sort_requested(self, key: str, descending: bool) -> None:
        self._query = dataclasses.replace(self._query, sort=key, descending=descending)
        self.search_now()

    def _error(self, exc: BaseException) -> None:
        show_error(self, exc, "查询发放记录")

    def on_changes(self, changes: Changes) -> None:
        if changes.entities & {"student", "household", "aid", "school"}:
            self.load_deadlines()
            self.refresh()

    def _after_change(self) -> None:
        self.changed.emit(Changes(frozenset({"aid"})))     # the window sends it back to on_changes

    # ---- selection ------------------------------------------------------------------------------
    def selected_lines(self) -> list[LineRow]:
        return self.view.selected_items()

    def _current_line(self) -> LineRow | None:
        return self.view.current_item()

    def _update_buttons(self, *_a) -> None:
        line = self._current_line() if self.view.selected_rows() else None
        has_batch = self.summary is not None
        self.adjust_button.setEnabled(line is not None and line.status in (LineStatus.PENDING, LineStatus.WAIVER))
        self.void_button.setEnabled(line is not None and line.status != LineStatus.VOID)
        self.reissue_button.setEnabled(line is not None and line.status == LineStatus.VOID)
        self.pay_button.setEnabled(has_batch)
        self.export_button.setEnabled(has_batch)
        self.print_button.setEnabled(has_batch)

    def main_table(self) -> LedgerTableView:
        return self.view

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def print_current(self, kind_name: str = "sign"):
        """Ctrl+P: the term's signature sheets (of the programme filtered on), or its public notice."""
        term = self.term()
        if term is None or self.summary is None:
            QMessageBox.information(self, "打印", "本学期还没有发放名单，请先生成。")
            return None
        programme = self.filters["programme"].currentData() or "" if kind_name == "sign" else ""
        sel = Selection(term=term.short, all=True, programme=programme)
        return print_document(self, self.ctx, kind_name, sel)

    def open_link(self, link: Link) -> bool:
        """From the home page: a term (term=2020秋), its lines by status, or a dialog (open=missing/standards)."""
        if link.arg("term"):
            self.term_combo.set_term(link.arg("term"))
        if link.arg("status"):
            self.set_filter("status", link.arg("status"))
        if link.arg("open") == "missing":
            self.open_missing(link.arg("kind"))
        elif link.arg("open") == "standards":
            self.open_standards()
        return True

    # ---- remembered layout ----------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue(f"{self.settings_key}/header", self.view.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        super().restore_state(settings)
        state = settings.value(f"{self.settings_key}/header")
        h = self.view.horizontalHeader()
        if state is not None:
            h.blockSignals(True)
            ok = h.restoreState(state)
            h.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            h.blockSignals(False)
            if not ok or h.count() != len(COLUMNS):
                for i, (key, _h) in enumerate(COLUMNS):
                    self.view.setColumnHidden(i, key in HIDDEN_BY_DEFAULT)
