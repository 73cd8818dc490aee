"""个性化帮扶: what the school does for the poorest children beyond the standard programmes (money apart
from budget aid), and the 特别困难 建档立卡 children who still have none this school year."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QMessageBox, QPushButton, QSplitter, QVBoxLayout

from db.assistance.dto import KINDS, PAIRING, AssistanceReport, AssistanceRow
from db.assistance.rules import school_year_of
from db.changes import Changes
from db.docs.kinds import Selection
from db.money import format_yuan
from desktop.context import AppContext
from desktop.dialogs.assistance_forms import AssistanceDialog, PairVisitDialog
from desktop.errors import show_error
from desktop.pages.base import Page
from desktop.printing import print_document
from widgets.simple_table import bar, fill, list_table, selected_key

HEADERS = ["学生", "年级班级", "帮扶方式", "日期", "至", "帮扶人/捐助方", "金额(元)", "走访", "说明"]


class AssistancePage(Page):
    title = "个性化帮扶"
    icon = "assistance"
    ledger = "assistance"
    settings_key = "assistance"

    loaded = Signal(object)          # AssistanceReport

    def __init__(self, ctx: AppContext, parent=None, *, today: Callable[[], dt.date] | None = None):
        super().__init__(ctx, parent)
        self.today = today or ctx.ctx.clock.today      # the one clock (a test or the demo may fix it)
        self.rows: list[AssistanceRow] = []
        self.year_combo = QComboBox()
        now = school_year_of(self.today())
        for y in range(now, min(now - 5, 2017), -1):            # back to the 2018-2020 campaign years
            self.year_combo.addItem(f"{y}-{y + 1}学年", y)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("全部方式", "")
        for k in KINDS:
            self.kind_combo.addItem(k, k)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.load())
        buttons = []
        for text, slot in (("新增帮扶…", self.new_item), ("编辑…", self.edit), ("结对走访…", self.add_visit),
                           ("删除", self.delete), ("打印记录表", self.print_current)):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, fn=slot: fn())
            buttons.append(b)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.table = list_table(HEADERS, [70, 90, 70, 86, 86, 130, 80, 40], self)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.without = list_table(["学生", "年级班级", "村", "户主"], [80, 100, 90], self)
        self.without.doubleClicked.connect(lambda _i: self.new_item(selected_key(self.without)))
        box = QGroupBox("本学年还没有任何个性化帮扶的特别困难建档立卡学生（双击为其新增）")
        QVBoxLayout(box).addWidget(self.without)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(box)
        split.setSizes([820, 380])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(bar("学年：", self.year_combo, self.kind_combo, None, *buttons))
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)

    def start(self) -> None:
        self.load()

    def load(self) -> None:
        year, kind, svc = self.year_combo.currentData(), self.kind_combo.currentData(), self.ctx.assistance
        self.ctx.tasks.query(lambda: (svc.items(school_year=year, kind=kind), svc.report(year)),
                             lambda r: self._on_loaded(*r), lambda e: show_error(self, e, "查询"))

    def _on_loaded(self, rows: list[AssistanceRow], rep: AssistanceReport) -> None:
        self.rows = rows
        kinds = "，".join(f"{k} {v}" for k, v in rep.by_kind.items()) or "无"
        self.summary.setText(f"{rep.school_year}-{rep.school_year + 1}学年：帮扶 {rep.items} 项，"
                             f"{rep.children} 名学生（{kinds}）；"
                             f"金额 {format_yuan(rep.money_fen)} 元 —— 学校和社会爱心帮扶，不属于国家资助资金，"
                             f"不进入发放批次和银行代发名单。<span style='color:#c62828'>特别困难建档立卡学生中还有 "
                             f"<b>{len(rep.without)}</b> 人没有任何帮扶。</span>")
        fill(self.table, [[r.name, r.grade, r.kind, r.given_on, r.until, r.who,
                           format_yuan(r.amount_fen) if r.amount_fen is not None else "", r.visits if r.kind == PAIRING
                           else "", r.note] for r in rows], [r.id for r in rows], right=(6,))
        fill(self.without, [[c.name, c.grade, c.village, c.head_name] for c in rep.without],
             [c.student_id for c in rep.without])
        self.loaded.emit(rep)

    def on_changes(self, changes: Changes) -> None:
        if changes.entities & {"assistance", "student", "household"}:
            self.load()

    # ---- actions --------------------------------------------------------------------------------
    def _changed(self) -> None:
        self.changed.emit(Changes(frozenset({"assistance"})))

    def new_item(self, student_id: int | None = None) -> bool:
        dlg = AssistanceDialog(self.ctx, None, self, today=self.today(), student_id=student_id)
        if dlg.exec() and dlg.result_value is not None:
            self._changed()
            return True
        return False

    def _selected(self) -> AssistanceRow | None:
        rid = selected_key(self.table)
        row = next((r for r in self.rows if r.id == rid), None)
        if row is None:
            QMessageBox.information(self, self.title, "请先在左侧列表中选中一条帮扶记录。")
        return row

    def edit(self) -> bool:
        row = self._selected()
        if row is None:
            return False
        if AssistanceDialog(self.ctx, self.ctx.assistance.get(row.id), self, today=self.today()).exec():
            self._changed()
            return True
        return False

    def add_visit(self) -> bool:
        row = self._selected()
        if row is None:
            return False
        if row.kind != PAIRING:
            QMessageBox.information(self, "结对走访", "只有“结对帮扶”记录走访。")
            return False
        if PairVisitDialog(self.ctx, row.id, self, today=self.today()).exec():
            self._changed()
            return True
        return False

    def delete(self) -> bool:
        row = self._selected()
        if row is None:
            return False
        answer = QMessageBox.question(self, "删除", f"删除 {row.name} 的“{row.kind}”记录（{row.who}）吗？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.ctx.assistance.delete(row.id)
        except Exception as e:
            show_error(self, e, "删除")
            return False
        self._changed()
        return True

    def print_current(self):
        rows = self.table.selectionModel().selectedRows()
        ids = {self.rows[i.row()].student_id for i in rows} or {r.student_id for r in self.rows}
        if not ids:
            QMessageBox.information(self, "打印", "本学年还没有帮扶记录。")
            return None
        return print_document(self, self.ctx, "assistance", Selection(student_ids=tuple(sorted(ids)),
                                                                      today=self.today()))
