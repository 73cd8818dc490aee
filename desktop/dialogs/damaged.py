"""The database failed its check on open: say so, offer the newest verified backup with its date and
what it holds (and so what would be lost), or another backup file. Nothing has been written to the
damaged file; a restore keeps a copy of it in damaged/ beside the database."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from db import backup as backups
from db.errors import DatabaseDamaged, LedgerError
from desktop.dialogs.backup import facts_text
from desktop.errors import show_error


class DamagedDialog(QDialog):
    def __init__(self, error: DatabaseDamaged, parent=None, *, key: bytes | None = None):
        super().__init__(parent)
        self.error = error
        self.key = key
        self.chosen: Path | None = None
        self.setWindowTitle("数据库已损坏")
        self.setMinimumWidth(620)
        path = Path(error.path)
        self.newest = backups.newest_verified(path, key=key)
        lay = QVBoxLayout(self)
        lay.addWidget(self._label(
            f"<b>数据库文件已损坏</b>（{error.reason}）：<br>{path}<br><br>"
            "为保护数据，软件没有对这个文件做任何改动。恢复时，损坏的文件会另存到数据库旁的 damaged 文件夹，不会删除。"))
        lay.addWidget(self._label(self._offer(path)))
        row = QHBoxLayout()
        self.restore_button = QPushButton("从这个备份恢复")
        self.restore_button.setEnabled(self.newest is not None)
        self.restore_button.clicked.connect(self._take_newest)
        other = QPushButton("选择其他备份文件…")
        other.clicked.connect(self._choose_file)
        quit_button = QPushButton("退出")
        quit_button.clicked.connect(self.reject)
        for b in (self.restore_button, other):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(quit_button)
        lay.addLayout(row)

    @staticmethod
    def _label(html: str) -> QLabel:
        label = QLabel(html)
        label.setWordWrap(True)
        return label

    def _offer(self, path: Path) -> str:
        if self.newest is None:
            return ("没有找到可用的自动备份。如果有备份到U盘的文件，请点“选择其他备份文件…”。"
                    "否则请退出，把数据库文件交给维护人员处理。")
        b = self.newest
        try:
            changed = dt.datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            changed = None
        lost = (f"损坏的文件最后修改于 {changed:%Y-%m-%d %H:%M}；" if changed else "")
        return (f"最新的可用备份：<b>{b.time:%Y-%m-%d %H:%M}</b>（{facts_text(b.facts)}）。<br>"
                f"{lost}<b>{b.time:%Y-%m-%d %H:%M} 以后所做的修改将会丢失</b>，需要重新录入。")

    def _take_newest(self) -> None:
        self.chosen = self.newest.path
        self.accept()

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(backups.folder_of(Path(self.error.path))),
                                              "助学台账备份 (*.sqlite3);;所有文件 (*)")
        if not path:
            return
        try:
            backups.verify(Path(path), key=self.key)
        except LedgerError as e:
            show_error(self, e, "检查备份")
            return
        self.chosen = Path(path)
        self.accept()
