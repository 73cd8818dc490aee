"""残疾儿童安置 (一人一案): the list of files with filters (category, placement, review due, 送教 due),
what needs doing now on the right, and the file window (desktop/dialogs/special_file.py).

Disability is shown here and on the family page only; no public list carries it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db.changes import Changes
from db.docs.kinds import Selection
from db.errors import LedgerError
from db.special import rules
from db.special.dto import Alert, FileForm, FileQuery, FileRow
from db.terms import term_of
from desktop.context import AppContext
from desktop.dialogs.special_file import SpecialFileDialog
from desktop.dialogs.special_forms import Field, RecordForm
from desktop.errors import show_error
from desktop.pages.base import Page
from desktop.printing import print_document, print_menu_button
from widgets.choice_picker import ChoiceDialog
from widgets.search_box import SearchBox
from widgets.table_model import LazyTableModel
from widgets.table_view import LedgerTableView

COLUMNS = [("name", "姓名"), ("gender", "性别"), ("id_number", "身份证号"), ("where", "就读情况"), ("category", "残疾类别"),
           ("grade", "等级"), ("placement", "安置方式"), ("placement_since", "安置日期"), ("next_review", "下次复评"),
           ("visits_term", "本学期送教"), ("last_visit", "最近送教"), ("registered_poor", "建档立卡"), ("alerts", "提醒")]
WIDTHS = {"name": 64, "gender": 36, "id_number": 142, "where": 84, "category": 60, "grade": 40, "placement": 112,
          "placement_since": 80, "next_review": 80, "visits_term": 70, "last_visit": 80, "registered_poor": 60}
HIDDEN_BY_DEFAULT = {"registered_poor", "placement_since"}
ROLE = Qt.ItemDataRole.UserRole


class SpecialPage(Page):
    title = "残疾儿童安置"
    icon = "special"
    ledger = "special"
    settings_key = "special"

    rowsLoaded = Signal(int)
    alertsLoaded = Signal(int)

    def __init__(self, ctx: AppContext, parent=None, *, today: Callable[[], dt.date] | None = None):
        super().__init__(ctx, parent)
        self.today = today or ctx.ctx.clock.today      # the one clock (a test or the demo may fix it)
        self._token = 0
        self.rows: list[FileRow] = []
        self.search = SearchBox("姓名或身份证号", self)
        self.search.search.connect(lambda _t: self.load())
        self.new_button = print_menu_button(self, [("为在册学生或县名单儿童建档…", self.new_item),
                                                   ("手工登记未入学儿童…", self.new_by_hand)], "新建档案")
        self.open_button = QPushButton("打开")
        self.open_button.clicked.connect(lambda: self.open_selected())
        self.print_button = print_menu_button(self, [
            ("残疾儿童少年安置档案（选中的）", lambda: self.print_current("special-file")),
            ("个别化教育方案（选中的）", lambda: self.print_current("special-iep")),
            ("送教上门学期记录表（选中的或全部）", lambda: self.print_current("special-visits")),
            ("免于学习名册（本学年）", lambda: self.print_current("special-exempt"))])
        self.settings_button = QPushButton("送教频次…")
        self.settings_button.clicked.connect(self.edit_settings)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for b in (self.new_button, self.open_button, self.print_button, self.settings_button):
            top.addWidget(b)
        self.category = self._combo("全部类别", rules.CATEGORIES)
        self.placement = self._combo("全部安置方式", rules.PLACEMENTS)
        self.review_due = QCheckBox("复评/复查到期")
        self.visit_due = QCheckBox("应送教")
        self.closed = QCheckBox("含已结案")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("筛选："))
        for w in (self.category, self.placement, self.review_due, self.visit_due, self.closed):
            filters.addWidget(w)
            if isinstance(w, QCheckBox):
                w.toggled.connect(lambda _on: self.load())
        filters.addStretch(1)

        self.model = LazyTableModel(COLUMNS, parent=self)
        self.view = LedgerTableView(self)
        self.view.setModel(self.model)
        self.view.openRequested.connect(self.open_selected)
        self.view.copyRequested.connect(self.copy_selected)
        for i, (key, _h) in enumerate(COLUMNS):
            self.view.setColumnWidth(i, WIDTHS.get(key, 90))
            self.view.setColumnHidden(i, key in HIDDEN_BY_DEFAULT)
        self.alerts = QListWidget(self)
        self.alerts.setWordWrap(True)
        self.alerts.itemActivated.connect(lambda item: self.open_file(item.data(ROLE)))
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("需要处理（双击打开）："))
        rl.addWidget(self.alerts, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.view)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setSizes([940, 250])
        self.count_label = QLabel("正在查询……")
        hint = QLabel("残疾信息只在本页和家庭查询中显示，不出现在公示名单上")
        hint.setStyleSheet("color: #555;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(hint)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(top)
        lay.addLayout(filters)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)
        self.setFocusProxy(self.search)

    def _combo(self, empty: str, values) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(empty, "")
        for v in values:
            combo.addItem(v, v)
        combo.currentIndexChanged.connect(lambda _i: self.load())
        return combo

    # ---- loading ----------------------------------------------------------------------------------
    def query(self) -> FileQuery:
        return FileQuery(self.search.text().strip(), self.category.currentData() or "",
                         self.placement.currentData() or "", self.review_due.isChecked(), self.visit_due.isChecked(),
                         self.closed.isChecked())

    def start(self) -> None:
        self.load()

    def load(self) -> None:
        self._token += 1
        token, q, svc, today = self._token, self.query(), self.ctx.special, self.today()
        self.ctx.tasks.query(lambda: (svc.list_files(q, today=today), svc.alerts(today), svc.file_counts()),
                             lambda r: self._loaded(token, *r), lambda e: show_error(self, e, "查询档案"))

    def _loaded(self, token: int, rows: list[FileRow], alerts: list[Alert], counts: dict[str, int]) -> None:
        if token != self._token:
            return
        self.rows = rows
        self.model.reset_source(lambda off, lim: rows[off:off + lim], rows[:200])
        self.alerts.clear()
        for a in alerts:
            item = QListWidgetItem(f"{a.name}：{a.text}")
            item.setData(ROLE, a.file_id)
            self.alerts.addItem(item)
        groups = {g: sum(counts.get(p, 0) for p in ps) for g, ps in rules.PLACEMENT_GROUPS.items()}
        self.count_label.setText(f"列出 {len(rows)} 份　在档 {sum(counts.values())} 人："
                                 + "，".join(f"{g} {n}" for g, n in groups.items()))
        self.rowsLoaded.emit(len(rows))
        self.alertsLoaded.emit(len(alerts))

    def on_changes(self, changes: Changes) -> None:
        if changes.entities & {"special", "student", "household"}:
            self.load()

    # ---- files ------------------------------------------------------------------------------------
    def main_table(self) -> LedgerTableView:
        return self.view

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def new_item(self) -> bool:
        dlg = ChoiceDialog(self.ctx.special.find_children, "为哪名儿童建档",
                           "输入姓名或身份证号：在册学生，或县名单中未入学的儿童", self)
        if dlg.exec() != QDialog.DialogCode.Accepted or not (c := dlg.chosen()):
            return True
        try:
            form = self.ctx.special.draft_file(c[0])
        except LedgerError as e:
            show_error(self, e, "建档")
            return True
        self.edit(form)
        return True

    def new_by_hand(self) -> bool:
        return self.edit(FileForm())

    def open_selected(self) -> bool:
        row = self.view.current_item()
        return self.open_file(row.id) if row is not None else False

    def open_file(self, file_id: int) -> bool:
        try:
            form = self.ctx.special.get_file(file_id)
        except LedgerError as e:
            show_error(self, e, "打开档案")
            return False
        return self.edit(form)

    def edit(self, form: FileForm, *, show: bool = True) -> bool:
        dlg = SpecialFileDialog(self.ctx, form, self, today=self.today())
        self.last_dialog = dlg
        if show:
            dlg.exec()
        if dlg.saved_any:
            self.changed.emit(Changes(frozenset({"special"})))
            self.load()
        return dlg.saved_any

    def edit_settings(self) -> bool:
        svc = self.ctx.special
        fields = [Field("every_days", "每几天送教一次", "int"), Field("minutes", "每次约几分钟", "int")]
        dlg = RecordForm("送教上门频次", fields, svc.visit_settings(),
                         lambda v: svc.set_visit_settings(v.every_days, v.minutes), self, width=380)
        if dlg.exec() and dlg.result_value is not None:
            self.load()
            return True
        return False

    def print_current(self, kind_name: str = "special-file"):
        """Ctrl+P: the selected files' 安置档案 (or the chosen document); the 名册 and the term record
        take every file when none is selected."""
        ids = tuple(r.id for r in self.view.selected_items())
        whole = kind_name in ("special-exempt", "special-visits")
        if not ids and not whole:
            QMessageBox.information(self, "打印", "请先在列表中选中儿童（可按住 Ctrl 多选）。")
            return None
        today = self.today()
        sel = Selection(term=term_of(today).short, record_ids=ids, all=not ids, today=today)
        return print_document(self, self.ctx, kind_name, sel)
