"""备份与恢复: the automatic backups (time, size, what they hold), 立即备份, 备份到U盘/其他位置, and
恢复 from the list or from a file — each restore shows the backup's date and counts first."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db import audit
from db import backup as backups
from db.backup_schedule import INTERVAL
from db.money import format_yuan
from desktop.context import AppContext
from desktop.errors import show_error

HEADERS = ["备份时间", "类型", "大小", "学生", "发放明细", "金额合计(元)", "校验"]
REASONS = {"auto": "自动", "close": "关闭时", "manual": "手动", "before-restore": "恢复前", "before-encrypt": "加密前"}


def reason_text(reason: str) -> str:
    if reason in REASONS:
        return REASONS[reason]
    if reason.startswith("rollover-"):             # db.office.rollover: before the school-year rollover
        return "学年结转前"
    if reason.startswith(backups.UPGRADE_PREFIX):  # before-0012: before a schema upgrade
        return "升级前"
    return reason or "—"


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def facts_text(f: backups.Facts) -> str:
    return f"学生 {f.students} 名，发放明细 {f.lines} 条，金额合计 {format_yuan(f.money_fen)} 元"


class BackupDialog(QDialog):
    def __init__(self, ctx: AppContext, parent=None, *, on_restore: Callable[[Path], None] | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db_path = ctx.database.path
        self.key = ctx.database.key             # an encrypted ledger's backups are encrypted with it
        self.on_restore = on_restore
        self.setWindowTitle("备份与恢复")
        self.resize(860, 520)
        lay = QVBoxLayout(self)
        self.intro = QLabel(
            f"有修改时自动备份：工作时每 {int(INTERVAL.total_seconds() // 60)} 分钟一次，关闭软件时一次。"
            "保留今天的全部备份、最近 12 天每天一个、10 周每周一个、9 个月每月一个。\n"
            f"备份文件夹：{backups.folder_of(self.db_path)}")
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.intro)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        lay.addWidget(self.table, 1)
        self.external_label = QLabel()
        lay.addWidget(self.external_label)
        row = QHBoxLayout()
        self.backup_button = self._button(row, "立即备份", self.backup_now)
        self.external_button = self._button(row, "备份到U盘/其他位置…", self.backup_external)
        row.addStretch(1)
        self.restore_button = self._button(row, "从所选备份恢复…", self.restore_selected)
        self.restore_file_button = self._button(row, "从文件恢复…", self.restore_from_file)
        self._button(row, "关闭", self.reject)
        lay.addLayout(row)
        self.items: list[backups.BackupInfo] = []
        self.refresh()

    def _button(self, row: QHBoxLayout, text: str, slot) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(slot)
        row.addWidget(b)
        return b

    # ---- the list ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.items = backups.list_backups(self.db_path)
        self.table.setRowCount(len(self.items))
        for r, b in enumerate(self.items):
            f = b.facts
            cells = [f"{b.time:%Y-%m-%d %H:%M}", reason_text(b.reason), size_text(b.size),
                     str(f.students) if f else "", str(f.lines) if f else "", format_yuan(f.money_fen) if f else "",
                     "已校验" if b.verified else "未校验"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (2, 3, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        if self.items:
            self.table.selectRow(0)
        last = backups.last_external(self.db_path)
        self.external_label.setText(f"最近一次备份到U盘/其他位置：{last:%Y-%m-%d %H:%M}" if last
                                    else "还没有备份到U盘/其他位置过。建议每周至少一次，U盘另外保管。")
        self._selection_changed()

    def selected(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None and self.on_restore is not None)

    # ---- making backups ----------------------------------------------------------------------
    def _busy(self, on: bool) -> None:
        for b in (self.backup_button, self.external_button, self.restore_button, self.restore_file_button):
            b.setEnabled(not on)

    def backup_now(self) -> None:
        self._run(lambda: backups.backup_info(self.db_path, "manual", key=self.key), "正在备份……", self._made)

    def backup_external(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择U盘或其他文件夹")
        if folder:
            self._run(lambda: backups.backup_to(self.db_path, Path(folder), key=self.key), "正在备份到U盘……",
                      self._made_external)

    def _run(self, fn, title: str, on_done) -> None:
        self._busy(True)
        self.ctx.tasks.run(lambda _p, _c: fn(), parent=self, title=title, write=False, cancellable=False,
                           on_done=on_done, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        show_error(self, exc, "备份")
        self.refresh()

    def _made(self, info: backups.BackupInfo) -> None:
        self._busy(False)
        self._record(info)
        self.refresh()
        QMessageBox.information(self, "备份完成", f"已备份并校验完好：\n{info.path}\n\n"
                                f"大小 {size_text(info.size)}，时间 {info.time:%Y-%m-%d %H:%M}\n{facts_text(info.facts)}")

    def _made_external(self, info: backups.BackupInfo) -> None:
        self._made(info)

    def _record(self, info: backups.BackupInfo) -> None:
        try:
            audit.log_event(self.ctx.ctx, "backup", "database", summary=f"备份到 {info.path}（{size_text(info.size)}）")
        except Exception as e:
            show_error(self, e, "记录备份")

    # ---- restores ----------------------------------------------------------------------------
    def restore_selected(self) -> None:
        b = self.selected()
        if b is not None:
            self._confirm_restore(b.path)

    def restore_from_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(backups.folder_of(self.db_path)),
                                              "助学台账备份 (*.sqlite3);;所有文件 (*)")
        if path:
            self._confirm_restore(Path(path))

    def _confirm_restore(self, path: Path) -> None:
        try:
            facts = backups.verify(path, key=self.key)
        except Exception as e:
            show_error(self, e, "检查备份")
            return
        when = next((b.time for b in self.items if b.path == path), None)
        dated = f"{when:%Y-%m-%d %H:%M} 的备份" if when else f"备份文件 {path.name}"
        answer = QMessageBox.question(
            self, "从备份恢复",
            f"将恢复到{dated}：\n{facts_text(facts)}\n\n该备份之后所做的修改将不在恢复后的台账中。"
            "当前的数据会先自动备份（以后仍可恢复回来）。恢复后窗口会重新打开。\n\n确定恢复吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes and self.on_restore is not None:
            self.accept()
            self.on_restore(path)
