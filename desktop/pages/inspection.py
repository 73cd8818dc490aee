"""自查 ("对象无遗漏"): every child on the county's latest list and every needy student on the roll,
accounted for or listed with what is missing, and the other checks (visits, cards, duplicates, heads,
ages). A gap opens where it is fixed (double-click or 去处理); the report prints for the school's file.
The same result as `main.py check`."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from db.changes import Changes
from db.docs.kinds import Selection
from db.home import Link
from db.office.dto import GAP_RULES, MISSED, CheckResult, Gap
from desktop.context import AppContext
from desktop.dialogs.exit_form import ExitDialog
from desktop.errors import show_error
from desktop.pages.aid_common import TermCombo, recent_terms
from desktop.pages.base import Page
from desktop.printing import print_document
from widgets.table_model import LazyTableModel
from widgets.table_view import LedgerTableView

COLUMNS = [("rule", "检查项"), ("kind", "情况"), ("name", "姓名"), ("id_number", "身份证号"), ("where", "班级/位置"),
           ("missing", "缺少什么")]
WIDTHS = (84, 110, 110, 172, 110)
LEFT_KINDS = ("离校信息不全",)
# the finer kind of a 对象无遗漏 gap -> the page (and what to show there) that fixes it
KIND_PAGES = {"认定信息不全": "assess", "未认定": "assess", "省外未发函": "letters-due", "函件未发出": "letters",
              "去向未核实": "exchange", "去向说明缺失": "exchange", "缺控辍保学个案": "dropout", "应资助未列入": "aid"}


def fix_link(g: Gap, term: str, year: int) -> Link | None:
    """Where a gap is fixed (None: on this page, or nowhere to go)."""
    target = KIND_PAGES.get(g.kind) if g.rule == MISSED else None
    if target == "assess":
        return Link.to("students", assess=year, state=g.kind)
    if target == "letters-due":
        return Link.to("letters", tab="due")
    if target == "letters":
        return Link.to("letters", status="待发出")
    if target == "exchange":
        return Link.to("exchange", group="not_at_school")
    if target == "dropout":
        return Link.to("dropout")
    if target == "aid":
        return Link.to("aid", term=term)
    if g.rule == "走访核实":
        return Link.to("visits", term=term)
    return Link.to("students", student=g.student_id) if g.student_id else None


class InspectionPage(Page):
    title = "自查"
    icon = "check"
    ledger = "office"
    settings_key = "inspection"

    checked = Signal(object)            # CheckResult

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.result: CheckResult | None = None
        self._stale = True
        today = ctx.ctx.clock.today()
        self.term_combo = TermCombo(self, today=today)
        self.term_combo.set_terms(recent_terms(today))
        self.term_combo.set_term(recent_terms(today)[1], emit=False)
        self.term_combo.termChanged.connect(lambda _t: self.run_check())
        self.run_button = QPushButton("重新自查")
        self.run_button.clicked.connect(self.run_check)
        self.print_button = QPushButton("打印自查报告")
        self.print_button.clicked.connect(lambda: self.print_current())
        self.fix_button = QPushButton("去处理…")
        self.fix_button.clicked.connect(self.fix_selected)
        self.rule_combo = QComboBox()
        self.rule_combo.addItem("全部问题", "")
        for r in GAP_RULES:
            self.rule_combo.addItem(r, r)
        self.rule_combo.currentIndexChanged.connect(lambda _i: self._show())
        top = QHBoxLayout()
        top.addWidget(QLabel("学期："))
        top.addWidget(self.term_combo)
        top.addWidget(self.run_button)
        top.addSpacing(12)
        top.addWidget(QLabel("显示："))
        top.addWidget(self.rule_combo)
        top.addStretch(1)
        top.addWidget(self.fix_button)
        top.addWidget(self.print_button)

        self.summary = QLabel("尚未自查。")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.model = LazyTableModel(COLUMNS, parent=self)
        self.view = LedgerTableView(self)
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSortIndicatorShown(False)
        for i, w in enumerate(WIDTHS):
            self.view.setColumnWidth(i, w)
        self.view.openRequested.connect(self.fix_selected)
        self.view.copyRequested.connect(self.copy_selected)
        hint = QLabel("双击或按回车：到能解决这个问题的地方处理；处理完回到本页点“重新自查”。")
        hint.setStyleSheet("color: #555;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.view, 1)
        lay.addWidget(hint)

    # ---- running ----------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.run_check()

    def on_changes(self, changes: Changes) -> None:
        self._stale = True
        if self.isVisible():
            self.run_check()

    def run_check(self) -> None:
        term = self.term_combo.term()
        if term is None:
            return
        self._stale = False
        self.summary.setText("正在自查……")
        svc, short = self.ctx.inspection, term.short
        self.ctx.tasks.run(lambda progress, cancelled: svc.run(term=short, progress=progress, cancelled=cancelled),
                           parent=self, title="正在逐人自查……", write=False, on_done=self._on_result,
                           on_error=lambda e: show_error(self, e, "自查"))

    def _on_result(self, r: CheckResult) -> None:
        self.result = r
        counts = r.counts()
        others = "；".join(f"{k} {n} 项" for k, n in counts.items() if k != MISSED)
        color = "#c62828" if r.missed else "#2e7d32"
        text = (f"{r.as_of:%Y-%m-%d} 自查，{r.term}；名单：{r.list_name or '尚未导入'}。<br>"
                f"核对 <b>{r.children}</b> 人（名单内 {r.on_list} 人，名册上的困难学生 {r.on_roll} 人）：已落实 "
                f"<b>{r.accounted_total}</b> 人，<span style='color:{color}'>未落实 <b>{r.missed}</b> 人</span>"
                + (f"；其他问题：{others}" if others else "") + "。")
        if r.notes:
            text += "<br>" + "<br>".join(f"说明：{n}" for n in r.notes)
        self.summary.setText(text)
        self._show()
        self.checked.emit(r)

    def _show(self) -> None:
        rule = self.rule_combo.currentData()
        rows = [g for g in (self.result.gaps if self.result else []) if not rule or g.rule == rule]
        self.model.reset_source(lambda offset, limit: rows[offset:offset + limit])

    def shown_gaps(self) -> list[Gap]:
        self.model.fetch_all()
        return self.model.loaded_rows()

    # ---- fixing -----------------------------------------------------------------------------------
    def fix_selected(self) -> None:
        g = self.view.current_item()
        if g is None or self.result is None:
            self.status("请先在列表中选中一项")
            return
        if g.kind in LEFT_KINDS and g.student_id:
            enrolment = g.missing.split("，")[0].removeprefix("学籍状态为")
            dlg = ExitDialog(self.ctx, g.student_id, g.name, enrolment, self)
            if dlg.exec():
                self.changed.emit(Changes(frozenset({"student"}), frozenset({g.student_id})))
            return
        term = self.term_combo.term()
        link = fix_link(g, term.short, term.start_year)
        if link is None:
            self.status("这一项需要到对应台账中处理")
            return
        self._stale = True
        self.linkRequested.emit(link)

    def main_table(self) -> LedgerTableView:
        return self.view

    def print_current(self):
        term = self.term_combo.term()
        return print_document(self, self.ctx, "check", Selection(term=term.short if term else "", all=True))
