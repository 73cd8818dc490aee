"""The window with users (issue 14, T21 on screen): what each role is shown, the idle lock, switching
user, the student form's 显示完整号码 (audited), and the first-start and login windows."""
from __future__ import annotations

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.access import login
from db.access.keys import data_key_from_recovery
from db.access.pdf import RecoveryPage
from db.context import ServiceContext
from db.demo import fill_demo
from db.engine import open_database
from db.home import Link
from db.models.core import AuditLog
from db.registry.dto import SchoolInfo, StudentQuery
from desktop.access import AccessController, Login
from desktop.context import AppContext
from desktop.dialogs.login import AdminSetupDialog, LoginDialog, RecoveryKeyDialog
from desktop.dialogs.student_form import StudentFormDialog
from desktop.dialogs.users import UsersDialog
from desktop.main_window import MainWindow
from desktop.pages import PAGES

ADMIN, PASSWORD = "王老师", "Zhuxue#2020"


@pytest.fixture
def ledger(tmp_path):
    """An encrypted demo ledger with an administrator, a 班主任 of 七年级1班 and a 校长."""
    path = tmp_path / "ledger.sqlite3"
    db = open_database(path)
    ctx = ServiceContext(db.session_factory)
    fill_demo(ctx, 60)
    AppContext.build(db).school.save(SchoolInfo(name="阚疃镇中心学校", stages=["小学", "初中"], officer=ADMIN))
    db.dispose()
    setup = login.first_admin(path, ADMIN, PASSWORD)
    db = open_database(path, key=setup.key)
    app = AppContext.build(db)
    login.start(app.access, path, setup.key, ADMIN, PASSWORD)
    app.access.add_user("孙老师", "班主任", "Teacher#2020", classes="七年级1班")
    app.access.add_user("周校长", "校长", "Viewer#2020")
    yield path, setup, app
    app.tasks.wait()
    db.dispose()


@pytest.fixture
def window(ledger, qtbot, settings):
    path, setup, app = ledger
    win = MainWindow(app, settings)
    qtbot.addWidget(win)
    ctl = AccessController(win, Login(setup.key, ADMIN, PASSWORD), idle_check_ms=60_000)
    win.start()
    return win, ctl


def _visible_pages(win) -> list[str]:
    return [win.refs[i].name for i in range(win.nav.count()) if not win.nav.item(i).isHidden()]


def _switch(ctl, name, password):
    ctl.lock(switching=True)
    ctl.lock_screen.user_edit.setText(name)
    ctl.lock_screen.password_edit.setText(password)
    ctl.lock_screen.unlock()


def test_roles_decide_the_pages_and_actions_shown(window):
    win, ctl = window
    everything = _visible_pages(win)
    assert len(everything) == len([p for p in PAGES if p.concerns(win.ctx)])
    assert ctl.users_action.isVisible() and win.new_action.isVisible()
    _switch(ctl, "孙老师", "Teacher#2020")
    assert not ctl.locked and win.ctx.ctx.actor.name == "孙老师"
    assert _visible_pages(win) == ["StudentsPage", "VisitsPage", "FamilyPage"]
    assert "孙老师（班主任，只显示和修改 七年级1班 的学生）" in win.statusBar().currentMessage()
    assert not ctl.users_action.isVisible() and win.new_action.isVisible()
    page = win.current_page()
    shown = {b.text() for b in page.findChildren(type(page.delete_button)) if not b.isHidden()}
    assert "删除" not in shown and "新建学生" in shown
    assert all(r.grade == "七年级" and r.class_name == "1班"
               for r in win.ctx.registry.page(StudentQuery(), 0, 100))
    assert win.open_link(Link("oplog")) is None                     # nor through a link or the help menu
    assert win.refs[win.nav.currentRow()].name == "StudentsPage"
    assert win._drop_index() is None                                # a dropped county list opens nothing
    _switch(ctl, "周校长", "Viewer#2020")
    assert _visible_pages(win) == everything                 # reads everything, changes nothing
    assert not win.new_action.isVisible() and not ctl.users_action.isVisible()
    win.nav.setCurrentRow(win.index_of("SettingsPage"))
    settings_page = win.current_page()
    assert settings_page.save_button.isHidden() and settings_page.rollover_button.isHidden()
    _switch(ctl, ADMIN, PASSWORD)                            # the administrator's buttons come back
    assert not settings_page.save_button.isHidden() and not settings_page.rollover_button.isHidden()
    win.nav.setCurrentRow(win.index_of("StudentsPage"))
    assert not page.delete_button.isHidden() and ctl.users_action.isVisible()


def test_the_screen_locks_after_the_idle_time_and_asks_for_the_password(window, qtbot):
    win, ctl = window
    assert ctl.idle_minutes() == 15
    ctl.check_idle(now=ctl.last_input + 14 * 60)
    assert not ctl.locked
    ctl.check_idle(now=ctl.last_input + 15 * 60)
    assert ctl.locked and not ctl.lock_screen.isHidden() and not win.menuBar().isEnabled()
    assert ctl.lock_screen.geometry() == win.rect()
    ctl.lock_screen.password_edit.setText("wrong-one-1")
    ctl.lock_screen.unlock()
    assert ctl.locked and "密码错误" in ctl.lock_screen.error.text()
    ctl.lock_screen.password_edit.setText(PASSWORD)
    ctl.lock_screen.unlock()
    assert not ctl.locked and ctl.lock_screen.isHidden() and win.menuBar().isEnabled()
    with win.ctx.ctx.read() as s:
        actions = [e.action for e in s.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions[-2:] == ["login_failed", "login"]


def test_idle_lock_follows_the_setting(window):
    win, ctl = window
    from db.access.dto import AccessSettings
    win.ctx.access.save_settings(AccessSettings(8, 0))
    ctl.check_idle(now=ctl.last_input + 10_000 * 60)
    assert not ctl.locked


def test_show_full_number_is_on_request_and_audited(window, qtbot):
    win, ctl = window
    sid = win.ctx.registry.page(StudentQuery(), 0, 1)[0].id
    form = StudentFormDialog(win.ctx, sid, win)
    qtbot.addWidget(form)
    assert "*" in form.id_number.edit.text() and form.id_number.edit.isReadOnly()
    assert not form.reveal_button.isHidden() and "显示完整号码" in form.id_number.note.text()
    form.reveal_button.click()
    assert "*" not in form.id_number.edit.text() and len(form.id_number.text()) == 18
    assert not form.id_number.edit.isReadOnly() and form.reveal_button.isHidden()
    assert not form.is_dirty()
    with win.ctx.ctx.read() as s:
        e = s.scalars(select(AuditLog).where(AuditLog.action == "reveal")).one()
    assert e.actor == ADMIN and e.entity_id == sid and form.id_number.text() not in e.summary
    form.close()
    _switch(ctl, "周校长", "Viewer#2020")
    form = StudentFormDialog(win.ctx, sid, win)
    qtbot.addWidget(form)
    assert "*" in form.id_number.edit.text() and form.reveal_button.isHidden()
    assert "找资助专干" in form.id_number.note.text()                # why the numbers are grey


def test_users_dialog_lists_and_adds_users(window, qtbot):
    win, ctl = window
    dlg = UsersDialog(win.ctx, win)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 3
    assert {dlg.table.item(r, 0).text() for r in range(3)} == {ADMIN, "孙老师", "周校长"}


def test_first_start_windows(tmp_path, qtbot):
    dlg = AdminSetupDialog(lambda n, p: None if len(p) >= 8 else "密码至少要 8 位", "王老师")
    qtbot.addWidget(dlg)
    dlg.password_edit.setText("short")
    dlg.try_accept()
    assert "至少要 8 位" in dlg.error.text() and not dlg.result()
    dlg.password_edit.setText(PASSWORD)
    dlg.again_edit.setText(PASSWORD + "x")
    dlg.try_accept()
    assert "不一样" in dlg.error.text()
    key = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH-IIII"
    rk = RecoveryKeyDialog(key, RecoveryPage("阚疃镇中心学校", key, ADMIN, "x", __import__("datetime").date(2020, 9, 1)))
    qtbot.addWidget(rk)
    assert not rk.ok.isEnabled()
    closed = []
    rk.finished.connect(closed.append)
    rk.reject()
    assert closed == []                                 # cannot be closed before the box is ticked
    out = tmp_path / "恢复密钥.pdf"
    rk.save_page(path=str(out))
    assert "AAAA" in PdfReader(str(out)).pages[0].extract_text()
    rk.done_box.setChecked(True)
    assert rk.ok.isEnabled()
    rk.reject()
    assert closed == [0]


def test_login_window_wrong_then_right(ledger, qtbot):
    path, setup, _app = ledger
    before = path.read_bytes()
    dlg = LoginDialog(path, "阚疃镇中心学校", ADMIN)
    qtbot.addWidget(dlg)
    dlg.password_edit.setText("not-it-at-all")
    dlg.try_login()
    assert dlg.error.text() == "用户名或密码错误" and dlg.key is None
    assert path.read_bytes() == before and not (path.parent / "damaged").exists()
    dlg.password_edit.setText(PASSWORD)
    dlg.try_login()
    assert dlg.key == setup.key == data_key_from_recovery(setup.recovery_key)


def test_the_school_dialog_at_first_start_keeps_the_logged_in_user(window, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from desktop.app import first_run
    from desktop.dialogs.first_run import FirstRunDialog
    win, _ctl = window

    def fake_exec(dlg):
        dlg.name.setText("阚疃镇中心学校")
        dlg.stages.set_value(["小学"])
        dlg.officer.setText("另一个名字")
        return QDialog.DialogCode.Accepted if dlg.try_save() else QDialog.DialogCode.Rejected
    monkeypatch.setattr(FirstRunDialog, "exec", fake_exec)
    first_run(win)
    assert (win.ctx.ctx.actor.name, win.ctx.ctx.actor.role) == (ADMIN, "管理员")


def test_first_start_makes_the_administrator_and_encrypts(tmp_path, monkeypatch, qtbot):
    from PySide6.QtWidgets import QDialog

    from db.access.detect import is_encrypted
    from desktop import access

    path = tmp_path / "ledger.sqlite3"
    database = open_database(path)
    fill_demo(ServiceContext(database.session_factory), 20)
    shown = {}

    def setup_exec(dlg):
        dlg.user_edit.setText(ADMIN)
        dlg.password_edit.setText(PASSWORD)
        dlg.again_edit.setText(PASSWORD)
        dlg.try_accept()
        return dlg.result()

    def key_exec(dlg):
        shown["key"] = dlg.key_label.text()
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(AdminSetupDialog, "exec", setup_exec)
    monkeypatch.setattr(RecoveryKeyDialog, "exec", key_exec)
    reopened, signed = access.first_start_if_needed(path, database)
    try:
        assert is_encrypted(path) and signed.name == ADMIN and reopened.key == signed.key
        assert shown["key"].count("&nbsp;") == 12                      # 9 groups on three lines
        assert login.unlock(path, ADMIN, PASSWORD) == signed.key
        again = access.first_start_if_needed(path, reopened)             # users now: nothing is asked
        assert again == (reopened, None)
    finally:
        reopened.dispose()


def test_saving_the_settings_keeps_the_logged_in_user(window, qtbot):
    win, _ctl = window
    win.nav.setCurrentRow(win.index_of("SettingsPage"))
    page = win.current_page()
    qtbot.waitUntil(lambda: page.fields["name"].text() != "", timeout=10_000)
    page.fields["officer"].setText("另一个名字")
    with qtbot.waitSignal(page.saved):
        assert page.save()
    assert win.ctx.config.get().officer == "另一个名字"
    assert (win.ctx.ctx.actor.name, win.ctx.ctx.actor.role) == (ADMIN, "管理员")   # not a name without a role


def test_backups_are_for_the_roles_that_may_make_them(window, monkeypatch, no_modal_boxes):
    from desktop import backups as backups_module
    from desktop.dialogs.backup import BackupDialog
    win, ctl = window
    opened, asked = [], []
    monkeypatch.setattr(BackupDialog, "exec", lambda dlg: opened.append(dlg) or 0)
    monkeypatch.setattr(backups_module, "external_reminder", lambda *a: asked.append(a) and None)
    bc = backups_module.BackupController(win, {"code": 0, "restore": None, "actor": None})
    bc.open_dialog()
    bc.remind_external()
    assert len(opened) == 1 and len(asked) == 1
    _switch(ctl, "孙老师", "Teacher#2020")
    bc.open_dialog()                                  # e.g. the USB reminder's button, or a stray shortcut
    bc.remind_external()                              # a 班主任 is not asked to back up to a USB stick
    assert len(opened) == 1 and len(asked) == 1
    assert any("没有权限备份" in text for text in no_modal_boxes)
