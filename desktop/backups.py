"""The window's side of backups: the schedule on a QTimer (db.backup_schedule does the deciding), the
文件 → 备份与恢复… entry, the audit chain check and the USB reminder at start, the backup at close, and
the open path's recovery from a damaged database and restores (closing and reopening the window)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from db import audit, failures, logs
from db.access.roles import Perm, allowed, require
from db.backup_schedule import BackupScheduler, external_reminder
from db.context import ServiceContext
from db.engine import Database, open_database
from db.errors import DatabaseDamaged, LedgerError
from db.restore import restore
from desktop.errors import show_error

TICK_MS = 60_000


class BackupController(QObject):
    def __init__(self, window, outcome: dict):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.outcome = outcome
        self.scheduler: BackupScheduler | None = None
        self._running = False
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.action = QAction("备份与恢复…", window)
        self.action.triggered.connect(self.open_dialog)
        self._add_to_file_menu()

    def _add_to_file_menu(self) -> None:
        menu = self.window.menuBar().actions()[0].menu()          # 文件(&F)
        quit_action = menu.actions()[-1]
        menu.insertAction(quit_action, self.action)
        menu.insertSeparator(quit_action)

    def start(self) -> None:
        try:
            self.scheduler = BackupScheduler(self.ctx.database.path, self.ctx.ctx.clock, key=self.ctx.database.key)
        except Exception as e:                   # the window works on; backups say why they cannot
            logs.log.warning("backup schedule: %s", failures.report(e, "自动备份"))
        self.timer.start()
        self.ctx.tasks.query(self._verify_chain, self._chain_checked, lambda e: failures.report(e, "校验审计日志"))
        QTimer.singleShot(1500, self.remind_external)

    # ---- automatic backups -------------------------------------------------------------------
    def tick(self) -> None:
        if self.scheduler is None or self._running or not self.scheduler.due():
            return
        self._running = True
        self.ctx.tasks.query(self.scheduler.run, self._made, self._failed)

    def _made(self, info) -> None:
        self._running = False
        self.window.statusBar().showMessage(f"已自动备份（{info.time:%H:%M}）", 8000)

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self.window.statusBar().showMessage(f"自动备份没有完成：{failures.report(exc, '自动备份')}", 15000)

    def at_close(self) -> None:
        """The backup at close (synchronous: the process ends after it)."""
        self.timer.stop()
        if self.scheduler is None:
            return
        try:
            if self.outcome.get("restore") is None:
                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
                try:
                    self.scheduler.at_close()
                finally:
                    QApplication.restoreOverrideCursor()
        except Exception as e:
            QMessageBox.warning(None, "备份没有完成", failures.report(e, "关闭时备份"))
        finally:
            self.scheduler.close()
            self.scheduler = None

    # ---- checks at start ---------------------------------------------------------------------
    def _verify_chain(self):
        with self.ctx.ctx.read() as s:
            return audit.verify_chain(s)

    def _chain_checked(self, report) -> None:
        if not report.ok:
            logs.log.warning("audit chain broken at %s", report.broken_id)
            QMessageBox.warning(self.window, "审计日志被改动过",
                                f"{report.text()}。\n\n数据库文件可能被其他程序修改过。请联系维护人员，"
                                "并保留当前的数据库和备份以便核查。")

    def remind_external(self) -> None:
        if not allowed(self.ctx.ctx.actor.role, Perm.BACKUP):     # a 班主任 or 校长 cannot make one
            return
        text = external_reminder(self.ctx.database.path, self.scheduler.now() if self.scheduler else dt.datetime.now())
        if text:
            box = QMessageBox(QMessageBox.Icon.Information, "请备份到U盘", text, parent=self.window)
            now = box.addButton("现在备份到U盘…", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("以后再说", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is now:
                self.open_dialog(external=True)

    # ---- the dialog and restores -----------------------------------------------------------
    def open_dialog(self, _checked: bool = False, *, external: bool = False) -> None:
        from desktop.dialogs.backup import BackupDialog  # noqa: PLC0415 - start-up: loaded only when used
        try:                      # the menu entry is hidden from a role without backups; the services do not check
            require(self.ctx.ctx.actor, Perm.BACKUP)
        except LedgerError as e:
            show_error(self.window, e, "备份")
            return
        dlg = BackupDialog(self.ctx, self.window, on_restore=self.request_restore)
        if external:
            QTimer.singleShot(0, dlg.backup_external)
        dlg.exec()

    def request_restore(self, source: Path) -> None:
        """Close the window; the app restores and opens a new one (desktop.app._session)."""
        try:
            require(self.ctx.ctx.actor, Perm.RESTORE)
        except LedgerError as e:
            show_error(self.window, e, "恢复备份")
            return
        self.outcome["restore"] = Path(source)
        self.window.close()
        QApplication.instance().exit(0)


def open_or_recover(path: Path, smoke: bool, key: bytes | None = None) -> Database | int:
    """open_database; a damaged file is offered its newest verified backup (nothing is written to it).
    `key`: an encrypted ledger's, known from the login (whose key check passed: a file it cannot
    read is damaged, not a wrong password)."""
    try:
        return open_database(path, key=key)
    except DatabaseDamaged as e:
        if smoke:
            print(f"错误：{e}", file=sys.stderr)
            return 2
        from desktop.dialogs.damaged import DamagedDialog  # noqa: PLC0415 - start-up: loaded only when used
        dlg = DamagedDialog(e, key=key)
        if not dlg.exec() or dlg.chosen is None:
            return 2
        return restore_and_record(path, dlg.chosen, key)
    except LedgerError as e:
        return _tell(str(e), smoke)
    except OSError as e:
        return _tell(f"无法打开数据库 {path}：{failures.file_problem(e)}", smoke)


def _tell(message: str, smoke: bool) -> int:
    if smoke:
        print(f"错误：{message}", file=sys.stderr)
    else:
        QMessageBox.critical(None, "助学台账", message)
    return 2


def restore_and_record(path: Path, source: Path, key: bytes | None = None, actor=None) -> Database | int:
    """Restore `source` over the database at `path` (every connection is closed), record it in the
    restored database's audit log and open it. On failure the old database opens again."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = restore(path, source, key=key)
    except Exception as e:
        QApplication.restoreOverrideCursor()
        show_error(None, e, "恢复备份")
        return open_or_recover(path, smoke=False, key=key)
    QApplication.restoreOverrideCursor()
    database = open_or_recover(path, smoke=False, key=key)
    if isinstance(database, Database):
        kept = result.saved_current or result.damaged_copy
        ctx = ServiceContext(database.session_factory) if actor is None else ServiceContext(database.session_factory, actor)
        audit.log_event(ctx, "restore", "database",
                        summary=f"从备份 {Path(source).name} 恢复" + (f"；恢复前的数据保存在 {kept.name}" if kept else ""))
        QMessageBox.information(None, "已恢复", f"已从备份恢复：{Path(source).name}"
                                + (f"\n恢复前的数据已保存：{kept}" if kept else ""))
    return database
