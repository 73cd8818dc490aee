"""学年结转: the preview of what will change (every class and where it goes — the officer may give a class
another name or mark it 毕业 —, who stays, the households carried over, the students who will need a
认定), then the rollover itself after a confirmation: a verified backup first, one transaction."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db.backup import backup
from db.errors import LedgerError
from db.office.dto import RolloverPlan, RolloverResult
from desktop.context import AppContext
from desktop.dialogs.assessment_gaps import AssessmentGapsDialog
from desktop.errors import show_error

HEADERS = ["现在的班级", "人数", "结转后", "结转后班级（可修改，或写“毕业”）", "说明"]
GRADUATE = "毕业"


class RolloverDialog(QDialog):
    previewed = Signal(object)      # RolloverPlan
    rolled = Signal(object)         # RolloverResult

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.setWindowTitle("学年结转")
        self.ctx = ctx
        self.plan: RolloverPlan | None = None
        self.first = not ctx.rollover.history()
        roll = ctx.rollover.roll_year()
        self.roll_year = QSpinBox()
        self.roll_year.setRange(2000, 2100)
        self.roll_year.setValue(roll)
        self.roll_year.setSuffix(" 学年")
        self.roll_year.setEnabled(self.first)
        self.roll_year.setToolTip("首次结转时请确认：名册中的年级是哪个学年的（例如 2020 表示 2020-2021 学年）")
        self.roll_year.valueChanged.connect(lambda _v: self.preview())
        self.heading = QLabel("")
        self.heading.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("名册中的年级属于："))
        row.addWidget(self.roll_year)
        row.addWidget(self.heading, 1)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        for c, w in enumerate((110, 50, 90, 230)):
            self.table.setColumnWidth(c, w)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.refusal = QLabel("")
        self.refusal.setStyleSheet("color: #c62828;")
        self.refusal.setWordWrap(True)
        self.preview_button = QPushButton("按修改重新预览")
        self.preview_button.clicked.connect(lambda: self.preview())
        self.buttons = QDialogButtonBox()
        self.run_button = self.buttons.addButton("开始结转（先自动备份）", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(lambda: self.run())
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.preview_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(QLabel("下表是结转后每个班级的去向，结转前不会做任何更改。毕业的学生保留全部资助记录，不会删除。"))
        lay.addWidget(self.table, 1)
        lay.addWidget(self.details)
        lay.addWidget(self.refusal)
        lay.addLayout(bottom)
        self.resize(900, 600)
        self.preview()

    # ---- preview ------------------------------------------------------------------------------------
    def year(self) -> int:
        return self.roll_year.value() + 1

    def mapping(self) -> dict[str, str]:
        """What the officer wrote in the table that differs from the rules' own target: class -> new class
        name or 毕业 (kept across previews)."""
        out = {}
        for r in range(self.table.rowCount()):
            source, natural = self.table.item(r, 0).text(), self.table.item(r, 3).data(Qt.ItemDataRole.UserRole)
            text = self.table.item(r, 3).text().strip()
            if text and text != natural:
                out[source] = text
        return out

    def preview(self) -> RolloverPlan | None:
        if self.first and self.roll_year.value() != self.ctx.rollover.roll_year():
            try:
                self.ctx.rollover.set_roll_year(self.roll_year.value())
            except LedgerError as e:
                show_error(self, e, "学年结转")
                return None
        try:
            natural = self.ctx.rollover.preview(self.year())
            plan = self.ctx.rollover.preview(self.year(), self.mapping()) if self.plan else natural
        except LedgerError as e:
            show_error(self, e, "学年结转")
            return None
        self._show(plan, {m.source: GRADUATE if m.graduate else m.to_class for m in natural.moves})
        return plan

    def _show(self, plan: RolloverPlan, natural: dict[str, str]) -> None:
        self.plan = plan
        y = plan.school_year
        self.heading.setText(f"结转到 <b>{y}-{y + 1} 学年</b>：升级 {plan.promoted} 人，毕业 {plan.graduated} 人，"
                             f"不变 {plan.unchanged} 人")
        self.table.setRowCount(len(plan.moves))
        for r, m in enumerate(plan.moves):
            default = GRADUATE if m.graduate else m.to_class
            cells = [m.source, str(m.students), GRADUATE if m.graduate else m.to_grade, default, m.note]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c != 3:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                else:
                    item.setData(Qt.ItemDataRole.UserRole, natural.get(m.source, default))
                self.table.setItem(r, c, item)
        stay = "，".join(f"{c.key} {c.value} 人" for c in plan.stay) or "无"
        self.details.setText(f"不升级（保持原年级）：{stay}。家庭 {plan.households} 户原样保留。"
                             f"新学年开始后需要做困难认定的学生：{plan.to_assess} 人"
                             "（结转后可在“学年认定情况”中逐人认定）。")
        self.refusal.setText(plan.refusal)
        self.run_button.setEnabled(not plan.refusal)
        self.previewed.emit(plan)

    # ---- run ----------------------------------------------------------------------------------------
    def run(self, *, confirm: bool = True) -> bool:
        plan = self.preview()
        if plan is None or plan.refusal:
            return False
        y = plan.school_year
        if confirm and QMessageBox.question(
                self, "学年结转", f"确定结转到 {y}-{y + 1} 学年？\n升级 {plan.promoted} 人，毕业 {plan.graduated} 人。\n"
                "结转前会自动备份数据库；每个学年只能结转一次。") != QMessageBox.StandardButton.Yes:
            return False
        svc, mapping, key = self.ctx.rollover, self.mapping(), self.ctx.database.key
        self.ctx.tasks.run(lambda _p, _c: svc.run(y, mapping, backup=lambda path, why: backup(path, why, key=key)),
                           parent=self, title="正在备份并结转……",
                           cancellable=False, on_done=self._done, on_error=lambda e: show_error(self, e, "学年结转"))
        return True

    def _done(self, result: RolloverResult) -> None:
        self.rolled.emit(result)
        p = result.plan
        answer = QMessageBox.question(
            self, "学年结转完成",
            f"已结转到 {p.school_year}-{p.school_year + 1} 学年：升级 {p.promoted} 人，毕业 {p.graduated} 人。\n"
            f"结转前的备份：{result.backup_file}\n\n新学年需要认定的学生 {p.to_assess} 人，现在打开“学年认定情况”吗？")
        if answer == QMessageBox.StandardButton.Yes:
            AssessmentGapsDialog(self.ctx, p.school_year, self).exec()
        self.accept()
