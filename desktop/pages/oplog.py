"""操作日志: every change the app recorded — who, when, what — read-only. Filter by date, student (or any
word of the summary), action and user; export the filtered log for an inspector with numbers masked."""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
)

from db.changes import Changes
from db.home import Link
from db.office.dto import LogQuery, LogRow
from db.office.oplog import action_label, entity_label
from desktop.context import AppContext
from desktop.errors import show_error
from desktop.pages.base import Page
from widgets.date_edit import DateEdit
from widgets.search_box import SearchBox
from widgets.table_model import PAGE_SIZE, LazyTableModel
from widgets.table_view import LedgerTableView

COLUMNS = [("at", "时间"), ("actor", "操作人"), ("action_label", "操作"), ("entity_name", "对象"), ("summary", "摘要")]
WIDTHS = (150, 80, 72, 110)


class _Model(LazyTableModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and self.keys[index.column()] == "entity_name":
            return entity_label(self.row_at(index.row()).entity)
        return super().data(index, role)


def _pretty(text: str) -> str:
    if not text:
        return "（无）"
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if isinstance(data, dict):
        return "\n".join(f"{k}：{v}" for k, v in data.items())
    return str(data)


class OpLogPage(Page):
    title = "操作日志"
    icon = "log"
    ledger = "office"
    settings_key = "oplog"

    loaded = Signal(int)            # rows found

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self._token = 0
        self._student_id: int | None = None
        self.total = 0
        self.start_edit = DateEdit(None, allow_empty=True, placeholder="开始日期")
        self.end_edit = DateEdit(None, allow_empty=True, placeholder="结束日期")
        self.search = SearchBox("学生姓名或摘要中的文字", self)
        self.search.search.connect(lambda _t: self.load())
        self.action_combo = QComboBox()
        self.actor_combo = QComboBox()
        for combo, empty in ((self.action_combo, "全部操作"), (self.actor_combo, "全部操作人")):
            combo.addItem(empty, "")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self.load())
        for d in (self.start_edit, self.end_edit):
            d.changed.connect(lambda: self.load() if not (self.start_edit.error() or self.end_edit.error()) else None)
        self.export_button = QPushButton("导出给检查人员…")
        self.export_button.setToolTip("导出当前筛选出的全部记录（Excel），证件号、银行卡号、手机号已脱敏")
        self.export_button.clicked.connect(lambda: self.export_log())
        top = QHBoxLayout()
        top.addWidget(QLabel("日期："))
        top.addWidget(self.start_edit)
        top.addWidget(QLabel("至"))
        top.addWidget(self.end_edit)
        top.addWidget(self.search, 1)
        top.addWidget(self.action_combo)
        top.addWidget(self.actor_combo)
        top.addWidget(self.export_button)

        self.model = _Model(COLUMNS, parent=self)
        self.view = LedgerTableView(self)
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSortIndicatorShown(False)
        for i, w in enumerate(WIDTHS):
            self.view.setColumnWidth(i, w)
        self.view.copyRequested.connect(self.copy_selected)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show_detail(cur.row()))
        self.detail = QTextBrowser(self)
        self.detail.setPlaceholderText("选中一条记录，这里显示修改前和修改后的内容。")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setSizes([430, 150])
        self.count_label = QLabel("")
        note = QLabel("操作日志只能查看，不能修改或删除；号码已脱敏。")
        note.setStyleSheet("color: #555;")
        self.chain_label = QLabel("")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addSpacing(16)
        bottom.addWidget(self.chain_label)
        bottom.addStretch(1)
        bottom.addWidget(note)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)
        self.setFocusProxy(self.search)

    # ---- loading ----------------------------------------------------------------------------------
    def start(self) -> None:
        log = self.ctx.oplog
        self.ctx.tasks.query(lambda: (log.actions(), log.actors()), self._fill_choices,
                             lambda e: show_error(self, e, "读取操作日志"))
        self.ctx.tasks.query(log.chain, self._show_chain, lambda e: show_error(self, e, "检查操作日志"))
        self.load()

    def _show_chain(self, report) -> None:
        self.chain_label.setText(report.text())
        self.chain_label.setStyleSheet("color: #2e7d32;" if report.ok else "color: #c62828; font-weight: bold;")

    def _fill_choices(self, choices) -> None:
        actions, actors = choices
        for combo, values, label in ((self.action_combo, actions, action_label), (self.actor_combo, actors, str)):
            keep = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for v in values:
                combo.addItem(label(v), v)
            combo.setCurrentIndex(max(combo.findData(keep), 0))
            combo.blockSignals(False)

    def query(self) -> LogQuery:
        return LogQuery(self.start_edit.value(), self.end_edit.value(), self.search.text().strip(), self._student_id,
                        self.action_combo.currentData() or "", self.actor_combo.currentData() or "")

    def load(self) -> None:
        self._token += 1
        token, q, log = self._token, self.query(), self.ctx.oplog
        self.ctx.tasks.query(lambda: (log.count(q), log.entries(q, 0, PAGE_SIZE)),
                             lambda res: self._loaded(token, q, *res), lambda e: show_error(self, e, "读取操作日志"))

    def _loaded(self, token: int, q: LogQuery, total: int, first: list[LogRow]) -> None:
        if token != self._token:
            return
        log = self.ctx.oplog
        self.total = total
        self.model.reset_source(lambda offset, limit: log.entries(q, offset, limit), first)
        self.count_label.setText(f"共 {total} 条" + ("（按学生筛选）" if q.student_id else ""))
        self.detail.clear()
        self.loaded.emit(total)

    def _show_detail(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        r: LogRow = self.model.row_at(row)
        self.detail.setPlainText(f"{r.at}　{r.actor}　{r.action_label}　{entity_label(r.entity)}"
                                 f"{'　编号 ' + str(r.entity_id) if r.entity_id is not None else ''}\n{r.summary}\n\n"
                                 f"修改前：\n{_pretty(r.before)}\n\n修改后：\n{_pretty(r.after)}")

    def on_changes(self, changes: Changes) -> None:
        if self.isVisible():
            self.load()

    def open_link(self, link: Link) -> bool:
        """From another page: one student's entries (student=ID) or a word (text=张三)."""
        self._student_id = int(link.arg("student")) if link.arg("student") else None
        self.search.setText(link.arg("text"))
        self.load()
        return True

    # ---- export -----------------------------------------------------------------------------------
    def main_table(self) -> LedgerTableView:
        return self.view

    def export_view(self, path: str | None = None) -> bool:
        return self.export_log(path)

    def export_log(self, path: str | None = None) -> bool:
        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, "导出操作日志", str(self.save_folder() / "操作日志.xlsx"),
                                                   "Excel 工作簿 (*.xlsx)")
            if not path:
                return True
        out = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        self.remember_folder(out.parent)
        q, log = self.query(), self.ctx.oplog
        self.ctx.tasks.run(lambda progress, cancelled: log.export(q, out, progress=progress, cancelled=cancelled),
                           parent=self, title="正在导出操作日志……", write=False,
                           on_done=lambda res: QMessageBox.information(
                               self, "导出操作日志", f"已导出 {res[1]} 条到：\n{res[0]}\n证件号、银行卡号、手机号已脱敏。"),
                           on_error=lambda e: show_error(self, e, "导出操作日志"))
        return True
