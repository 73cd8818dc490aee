"""走访核实: liaison officers, the households not yet visited for a paid term (per officer), and the
visit form. A payment the family confirms (是) becomes 已核实."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from db.aid.dto import NotVisitedGroup, OfficerForm
from db.changes import Changes
from db.docs.kinds import Selection
from db.errors import LedgerError
from db.home import Link
from db.money import format_yuan
from db.terms import parse_term
from desktop.context import AppContext
from desktop.dialogs.visit_form import OfficerFormDialog, VisitFormDialog
from desktop.errors import show_error
from desktop.pages.aid_common import TermCombo, recent_terms
from desktop.pages.base import Page
from desktop.printing import print_document

HH_ROLE = Qt.ItemDataRole.UserRole
EXPAND_ALL_UP_TO = 2000       # households; above that only the first officer's group is opened


class VisitsPage(Page):
    title = "走访核实"
    icon = "visits"
    ledger = "aid"
    settings_key = "visits"

    groupsLoaded = Signal(list)
    officersLoaded = Signal(list)

    def __init__(self, ctx: AppContext, parent=None, *, today: Callable[[], dt.date] | None = None):
        super().__init__(ctx, parent)
        self.today = today or ctx.ctx.clock.today      # the one clock (a test or the demo may fix it)
        self._token = 0
        self.officer_rows: list[OfficerForm] = []
        self.groups: list[NotVisitedGroup] = []

        self.term_combo = TermCombo(self, today=self.today())
        self.term_combo.termChanged.connect(lambda _t: self.load_groups())
        self.visit_button = QPushButton("登记走访…")
        self.visit_button.setToolTip("为选中的家庭登记走访；未选中时可查找任一家庭")
        self.visit_button.clicked.connect(lambda: self.new_visit())
        self.assign_button = QPushButton("分配联络员…")
        self.assign_button.clicked.connect(lambda: self.assign_selected())
        top = QHBoxLayout()
        top.addWidget(QLabel("核实学期："))
        top.addWidget(self.term_combo)
        top.addStretch(1)
        top.addWidget(self.visit_button)
        top.addWidget(self.assign_button)
        self.print_button = QPushButton("打印走访记录表")
        self.print_button.setToolTip("选中的家庭（未选中时为列表中全部家庭）本学期的走访核实记录表；"
                                     "未走访的为空白表，带去走访时填写")
        self.print_button.clicked.connect(lambda: self.print_current())
        top.addWidget(self.print_button)

        # liaison officers
        self.officers = QTableWidget(0, 3, self)
        self.officers.setHorizontalHeaderLabels(["联络员", "联系电话", "单位"])
        self.officers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.officers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.officers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.officers.verticalHeader().setVisible(False)
        self.officers.horizontalHeader().setStretchLastSection(True)
        self.officers.setColumnWidth(0, 80)
        self.officers.setColumnWidth(1, 110)
        self.officers.doubleClicked.connect(lambda _i: self.edit_officer())
        self.officers.itemSelectionChanged.connect(self._officer_selected)
        new_o, edit_o, del_o = QPushButton("新增"), QPushButton("编辑"), QPushButton("删除")
        new_o.clicked.connect(lambda: self.edit_officer(new=True))
        edit_o.clicked.connect(lambda: self.edit_officer())
        del_o.clicked.connect(lambda: self.delete_officer())
        obox = QGroupBox("联络员")
        ol = QVBoxLayout(obox)
        ol.addWidget(self.officers, 1)
        orow = QHBoxLayout()
        for b in (new_o, edit_o, del_o):
            orow.addWidget(b)
        ol.addLayout(orow)

        # households not yet visited
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["户主 / 联络员", "村", "电话", "学生", "本学期已发放(元)"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        for c, w in enumerate((180, 90, 110, 200)):
            self.tree.setColumnWidth(c, w)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.itemExpanded.connect(self._fill_group)
        self.tree_label = QLabel("")
        tbox = QGroupBox("本学期已发放、尚未走访核实的家庭（按联络员）")
        tl = QVBoxLayout(tbox)
        tl.addWidget(self.tree_label)
        tl.addWidget(self.tree, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(obox)
        split.addWidget(tbox)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 870])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(top)
        lay.addWidget(split, 1)

    def term(self):
        return self.term_combo.term()

    def open_link(self, link: Link) -> bool:
        """From the home page: the households of a term (term=2020秋) still to visit."""
        if link.arg("term"):
            self.term_combo.set_term(link.arg("term"))
        return True

    def start(self) -> None:
        """Officers, then the newest term that has a batch (the current term when none has)."""
        self.load_officers()
        aid, today = self.ctx.aid, self.today()
        self.ctx.tasks.query(lambda: aid.deadline_status(today), self._on_terms,
                             lambda e: show_error(self, e, "查询"))

    def _on_terms(self, rows) -> None:
        self.term_combo.set_terms({parse_term(r.term) for r in rows} | set(recent_terms(self.today())))
        if self.term() is None:
            planned = [r.term for r in rows if r.state != "未生成批次"]
            self.term_combo.set_term(planned[0] if planned else recent_terms(self.today())[1], emit=False)
        self.load_groups()

    # ---- loading --------------------------------------------------------------------------------
    def load_officers(self) -> None:
        self.ctx.tasks.query(self.ctx.aid.officers, self._on_officers, lambda e: show_error(self, e, "查询"))

    def _on_officers(self, rows: list[OfficerForm]) -> None:
        self.officer_rows = rows
        self.officers.setRowCount(len(rows))
        for i, o in enumerate(rows):
            for c, v in enumerate((o.name, o.phone, o.unit)):
                self.officers.setItem(i, c, QTableWidgetItem(v))
        self.officersLoaded.emit(rows)

    def load_groups(self) -> None:
        if self.term() is None:
            return
        self._token += 1
        token, term, aid = self._token, self.term().short, self.ctx.aid
        self.tree_label.setText("正在查询……")
        self.ctx.tasks.query(lambda: aid.households_not_visited(term), lambda g: self._on_groups(token, g),
                             lambda e: show_error(self, e, "查询"))

    def _on_groups(self, token: int, groups: list[NotVisitedGroup]) -> None:
        if token != self._token:
            return
        self.groups = groups
        self.tree.clear()
        total = sum(len(g.households) for g in groups)
        for i, g in enumerate(groups):
            top = QTreeWidgetItem([f"{g.officer}（{len(g.households):,} 户）"])
            top.setData(0, HH_ROLE, None)
            top.setData(1, HH_ROLE, g.officer_id)
            top.setData(2, HH_ROLE, i)              # which group: children are added when opened
            top.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            if g.officer_id is None:
                top.setForeground(0, QBrush(QColor("#c62828")))
            self.tree.addTopLevelItem(top)
            if total <= EXPAND_ALL_UP_TO or i == 0:
                top.setExpanded(True)
        label = self.term().label
        self.tree_label.setText(f"{label}：{total:,} 户已发放但还没有走访核实" if total
                                else f"{label}：没有待走访的家庭（或本学期还没有发放）")
        self.groupsLoaded.emit(groups)

    def _fill_group(self, top: QTreeWidgetItem) -> None:
        """Add a group's households the first time it is opened (a county may have tens of thousands)."""
        i = top.data(2, HH_ROLE)
        if i is None or top.childCount() or not 0 <= i < len(self.groups):
            return
        items = []
        for h in self.groups[i].households:
            item = QTreeWidgetItem([h.head_name, h.village, h.phone, h.students, format_yuan(h.paid_fen)])
            item.setData(0, HH_ROLE, h.id)
            item.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items.append(item)
        top.addChildren(items)

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, HH_ROLE) is not None:
            self.new_visit(item.data(0, HH_ROLE))

    def _officer_selected(self) -> None:
        o = self.selected_officer()
        if o is None:
            return
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.data(1, HH_ROLE) == o.id:
                top.setExpanded(True)
                self.tree.scrollToItem(top, QAbstractItemView.ScrollHint.PositionAtTop)

    def on_changes(self, changes: Changes) -> None:
        if changes.entities & {"aid", "visit", "household", "student", "officer"}:
            self.load_officers()
            self.load_groups()

    # ---- officers -------------------------------------------------------------------------------
    def selected_officer(self) -> OfficerForm | None:
        i = self.officers.currentRow()
        return self.officer_rows[i] if 0 <= i < len(self.officer_rows) else None

    def edit_officer(self, *, new: bool = False) -> bool:
        officer = None if new else self.selected_officer()
        if not new and officer is None:
            return False
        dlg = OfficerFormDialog(self.ctx, officer, self)
        if dlg.exec() and dlg.result_value is not None:
            self.changed.emit(Changes(frozenset({"officer"})))
            return True
        return False

    def delete_officer(self) -> bool:
        o = self.selected_officer()
        if o is None:
            return False
        answer = QMessageBox.question(self, "删除联络员", f"确定删除联络员 {o.name} 吗？\n\n"
                                      "他负责的家庭和走访记录会保留，家庭变为“未分配联络员”。",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.ctx.aid.delete_officer(o.id)
        except LedgerError as e:
            show_error(self, e)
            return False
        self.changed.emit(Changes(frozenset({"officer", "household"})))
        return True

    # ---- households -----------------------------------------------------------------------------
    def selected_households(self) -> list[int]:
        return [i.data(0, HH_ROLE) for i in self.tree.selectedItems() if i.data(0, HH_ROLE) is not None]

    def assign_selected(self, officer_id: int | None = None) -> int:
        ids = self.selected_households()
        if not ids:
            QMessageBox.information(self, "分配联络员", "请先在右侧列表中选中家庭（可按住 Ctrl 多选）。")
            return 0
        if officer_id is None:
            if not self.officer_rows:
                QMessageBox.information(self, "分配联络员", "还没有联络员，请先在左侧“新增”。")
                return 0
            names = [f"{o.name}（{o.unit}）" if o.unit else o.name for o in self.officer_rows]
            name, ok = QInputDialog.getItem(self, "分配联络员", f"把选中的 {len(ids)} 户分配给：", names, 0, False)
            if not ok:
                return 0
            officer_id = self.officer_rows[names.index(name)].id
        try:
            n = self.ctx.aid.assign_officer(ids, officer_id)
        except LedgerError as e:
            show_error(self, e)
            return 0
        self.changed.emit(Changes(frozenset({"household"}), frozenset(ids)))
        return n

    def print_current(self):
        """Ctrl+P: 走访核实记录表 of the selected households, else of every household listed."""
        if self.term() is None:
            return None
        ids = self.selected_households() or [h.id for g in self.groups for h in g.households]
        if not ids:
            QMessageBox.information(self, "打印", "没有需要走访的家庭；请在右侧列表中选中家庭。")
            return None
        return print_document(self, self.ctx, "visit", Selection(term=self.term().short, household_ids=tuple(ids)))

    def new_visit(self, household_id: int | None = None) -> bool:
        if household_id is None:
            ids = self.selected_households()
            household_id = ids[0] if ids else None
        dlg = VisitFormDialog(self.ctx, household_id, self.term().short if self.term() else "", self,
                              today=self.today())
        if household_id is None:
            dlg.household.choose()
        if dlg.exec() and dlg.result_value is not None:
            self.changed.emit(Changes(frozenset({"visit", "aid"}), frozenset({dlg.result_value.id})))
            return True
        return False
