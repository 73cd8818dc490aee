"""备份与恢复 in the window: the 文件 menu entry, the dialog (list, 立即备份, 备份到U盘, restore with the
backup's date and counts), the damaged-database dialog, the restore that reopens the database."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from db import audit
from db import backup as backups
from db.backup_schedule import external_reminder
from db.errors import DatabaseDamaged
from desktop.backups import BackupController, restore_and_record
from desktop.dialogs.backup import BackupDialog
from desktop.dialogs.damaged import DamagedDialog
from desktop.main_window import MainWindow

NOW = dt.datetime(2024, 6, 1, 10, 0)


@pytest.fixture
def window(qtbot, ctx, settings):
    w = MainWindow(ctx, settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    return w


def test_the_file_menu_opens_backup_and_restore(window, monkeypatch):
    outcome = {"code": 0, "restore": None}
    controller = BackupController(window, outcome)
    menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in menu.actions()]
    assert "备份与恢复…" in texts and texts[-1] == "退出"
    opened = []
    monkeypatch.setattr(BackupDialog, "exec", lambda self: opened.append(self) or 0)
    controller.action.trigger()
    assert opened and opened[0].windowTitle() == "备份与恢复"


def test_dialog_lists_backs_up_and_restores(qtbot, ctx, tmp_path, monkeypatch, no_modal_boxes):
    backups.backup(ctx.database.path, "auto", now=NOW)
    asked: list = []
    dlg = BackupDialog(ctx, on_restore=asked.append)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 1 and dlg.table.item(0, 0).text() == "2024-06-01 10:00"
    assert dlg.table.item(0, 3).text() == "300" and dlg.table.item(0, 6).text() == "已校验"
    dlg.backup_button.click()
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 2, timeout=20_000)
    assert any("已备份并校验完好" in s for s in no_modal_boxes)
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    dlg.external_button.click()
    qtbot.waitUntil(lambda: backups.last_external(ctx.database.path) is not None, timeout=20_000)
    qtbot.waitUntil(lambda: "最近一次备份到U盘" in dlg.external_label.text(), timeout=5_000)
    assert len(list(usb.glob("*.sqlite3"))) == 1
    assert external_reminder(ctx.database.path, dt.datetime.now()) is None
    with ctx.ctx.read() as s:
        assert [e.action for e in audit.entries(s)].count("backup") == 2
    dlg.table.selectRow(1)                                       # the 2024-06-01 backup
    dlg.restore_button.click()
    assert asked == [dlg.items[1].path] and dlg.items[1].time == NOW
    assert any("学生 300 名" in s and "恢复" in s for s in no_modal_boxes)


def test_restore_is_refused_without_confirmation(qtbot, ctx, monkeypatch):
    backups.backup(ctx.database.path, "auto", now=NOW)
    asked: list = []
    dlg = BackupDialog(ctx, on_restore=asked.append)
    qtbot.addWidget(dlg)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    dlg.restore_button.click()
    assert asked == []


def test_damaged_dialog_offers_the_newest_backup_with_its_date(qtbot, tmp_path, demo_db):
    older = backups.backup(demo_db.path, "auto", now=NOW - dt.timedelta(days=2))
    newest = backups.backup(demo_db.path, "close", now=NOW)
    dlg = DamagedDialog(DatabaseDamaged(demo_db.path, "完整性检查没有通过"))
    qtbot.addWidget(dlg)
    text = " ".join(w.text() for w in dlg.findChildren(type(dlg.layout().itemAt(0).widget())))
    assert "2024-06-01 10:00" in text and "学生 300 名" in text and "将会丢失" in text
    dlg.restore_button.click()
    assert dlg.chosen == newest and older.exists()


def test_restore_and_record_reopens_with_the_restore_in_the_log(qapp, ctx, no_modal_boxes):
    path = ctx.database.path
    source = backups.backup(path, "auto", now=NOW)
    ctx.tasks.wait()
    ctx.database.dispose()
    db = restore_and_record(path, source)
    try:
        with db.session_factory() as s:
            last = list(audit.entries(s))[-1]
        assert last.action == "restore" and source.name in last.summary
        assert any("已从备份恢复" in s for s in no_modal_boxes)
    finally:
        db.dispose()


def test_a_restore_asked_for_in_the_window_reopens_it(qapp, tmp_path, monkeypatch, no_modal_boxes):
    """desktop.app._session on an encrypted ledger (the GUI works only with users): the login, the window
    closes with a restore request; the database is restored with the same key, the restore is recorded
    under the logged-in user and a new window opens on it."""
    from db.access import login
    from db.context import Actor, ServiceContext
    from db.demo import fill_demo
    from db.engine import open_database
    from desktop import access
    from desktop import app as app_module
    path = tmp_path / "ledger.sqlite3"
    db = open_database(path)
    fill_demo(ServiceContext(db.session_factory), 20)
    db.dispose()
    setup = login.first_admin(path, "王老师", "Zhuxue#2020")
    source = backups.backup(path, "auto", now=NOW, key=setup.key)
    signed = access.Login(setup.key, "王老师", "Zhuxue#2020")
    monkeypatch.setattr(access, "sign_in", lambda _path, _settings: signed)      # as typed in the login window
    seen = []

    def run_window(app, database, smoke, outcome, signed_in=None):
        assert signed_in is signed and database.key == setup.key
        with database.session_factory() as s:
            seen.append([(e.action, e.actor) for e in audit.entries(s)])
        if len(seen) == 1:
            outcome["restore"], outcome["actor"] = source, Actor("王老师", 1, "管理员")
        return 0
    monkeypatch.setattr(app_module, "_run_window", run_window)
    assert app_module._session(qapp, path, False) == 0
    assert len(seen) == 2 and seen[1][-1] == ("restore", "王老师")
    assert backups.list_backups(path)[0].reason == "before-restore"
    assert not path.read_bytes().startswith(b"SQLite format 3")          # still encrypted after the restore


def test_each_kind_of_backup_is_named_for_the_officer():
    from desktop.dialogs.backup import reason_text
    assert [reason_text(r) for r in ("before-0012", "before-restore", "before-encrypt", "rollover-2021", "close")] \
        == ["升级前", "恢复前", "加密前", "学年结转前", "关闭时"]
