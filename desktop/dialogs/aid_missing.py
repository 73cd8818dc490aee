"""未享受资助的学生: who gets nothing this term and why — data that cannot decide (信息不全), no 认定
for the school year (认定信息不全 for 低保/特困/孤儿/残疾, else 未认定), or nothing to qualify for
("对象无遗漏": the app says who would be missed). Computed on a worker thread."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from db.aid.dto import NoEntitlement
from db.terms import Term
from desktop.context import AppContext
from desktop.dialogs.assessment_gaps import AssessmentGapsDialog
from desktop.errors import show_error
from widgets.table_model import LazyTableModel
from widgets.table_view import LedgerTableView

COLUMNS = [("kind", "情况"), ("name", "姓名"), ("stage", "学段"), ("grade", "年级"), ("reason", "原因")]


class MissingDialog(QDialog):
    loaded = Signal(int)

    def __init__(self, ctx: AppContext, term: Term, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"{term.label} 未享受资助的学生")
        self.ctx, self.term = ctx, term
        self.all: list[NoEntitlement] = []
        self.kind = QComboBox()
        for label, v in (("全部", ""), ("信息不全（无法判断）", "信息不全"), ("认定信息不全（待认定）", "认定信息不全"),
                         ("未认定", "未认定"), ("不符合任何资助条件", "无资助")):
            self.kind.addItem(label, v)
        self.kind.currentIndexChanged.connect(lambda _i: self._show())
        self.summary = QLabel("正在计算……")
        self.summary.setWordWrap(True)
        self.model = LazyTableModel(COLUMNS, parent=self)
        self.view = LedgerTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)
        self.view.horizontalHeader().setSortIndicatorShown(False)
        for i, w in enumerate((110, 80, 70, 90)):
            self.view.setColumnWidth(i, w)
        self.view.copyRequested.connect(self.copy_selected)
        copy = QPushButton("复制全部（可粘贴到 Excel）")
        copy.clicked.connect(self.copy_all)
        self.gaps_button = QPushButton("学年认定情况…")
        self.gaps_button.setToolTip("列出本学年未认定、认定信息不全的学生，双击录入认定")
        self.gaps_button.clicked.connect(self.open_gaps)
        top = QHBoxLayout()
        top.addWidget(QLabel("显示："))
        top.addWidget(self.kind)
        top.addStretch(1)
        top.addWidget(self.gaps_button)
        top.addWidget(copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addWidget(buttons)
        self.resize(900, 560)
        aid = ctx.aid
        ctx.tasks.query(lambda: aid.students_without_entitlement(term), self._on_loaded,
                        lambda e: show_error(self, e, "计算"))

    def _on_loaded(self, rows: list[NoEntitlement]) -> None:
        self.all = rows
        n = {k: sum(1 for r in rows if r.kind == k) for k in ("信息不全", "认定信息不全", "未认定", "无资助")}
        parts = [f"<b style='color:#c62828'>{n['信息不全']:,} 名信息不全，无法判断</b>（请补全学段、寄宿/走读等）"
                 if n["信息不全"] else "没有信息不全的学生"]
        if n["认定信息不全"] or n["未认定"]:
            parts.append(f"<b style='color:#e65100'>{n['认定信息不全'] + n['未认定']:,} 名本学年未认定</b>"
                         f"（其中低保、特困、孤儿、残疾 {n['认定信息不全']:,} 名；"
                         "在学生信息的“困难认定”中录入后再生成名单）")
        parts.append(f"{n['无资助']:,} 名不符合资助条件")
        self.summary.setText(f"{self.term.label}：" + "；".join(parts) + "（原因见下表）。" if rows
                             else f"{self.term.label}：每名学生都至少享受一项资助。")
        self._show()
        self.loaded.emit(len(rows))

    def open_gaps(self) -> AssessmentGapsDialog:
        dlg = AssessmentGapsDialog(self.ctx, self.term.start_year, self)
        dlg.exec()
        return dlg

    def _show(self) -> None:
        kind = self.kind.currentData()
        rows = [r for r in self.all if not kind or r.kind == kind]
        self.model.reset_source(lambda off, lim: rows[off:off + lim])

    def copy_selected(self) -> str:
        text = self.model.to_tsv(self.view.selected_rows(), self.view.visible_columns())
        QGuiApplication.clipboard().setText(text)
        return text

    def copy_all(self) -> str:
        self.model.fetch_all()
        text = self.model.to_tsv(range(self.model.rowCount()), self.view.visible_columns())
        QGuiApplication.clipboard().setText(text)
        return text
