"""The window's side of users and logins (issue 14).

- `sign_in` (before the ledger opens): an encrypted ledger asks for a login (desktop.dialogs.login);
- `first_start` (after it opened): a ledger without users asks for its first administrator, is
  encrypted (db.access.login.first_admin) and reopened with its key; the recovery key is shown once;
- `AccessController` (with the window): the acting user becomes the logged-in one; pages and actions
  the role cannot use are hidden (the services refuse them anyway — db.access.guard); the screen locks
  after the idle time (a setting) and asks for the password again; 切换用户 without closing; the menu
  entries 锁定屏幕, 切换用户…, 修改我的密码…, 用户管理… (administrators).
"""
from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.access import login
from db.access.detect import key_file, looks_encrypted
from db.access.roles import Perm, Role, allowed, classes_text
from db.changes import Changes
from db.context import Actor, ServiceContext
from db.engine import Database, open_database
from db.errors import LedgerError
from db.services import Services
from desktop import boot

IDLE_CHECK_MS = 15_000
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}


@dataclass(frozen=True)
class Login:
    key: bytes | None
    name: str
    password: str


# ---- before and right after the ledger opens ----------------------------------------------------------
def sign_in(path: Path, settings) -> Login | None | int:
    """None: no login needed (a ledger without users); a Login; or an exit code (the user quit)."""
    from desktop.dialogs.login import LoginDialog, RecoverDialog  # noqa: PLC0415 - start-up: loaded only when used
    path = Path(path)
    if path.exists() and not key_file(path).exists() and looks_encrypted(path):
        boot.dismiss()
        QMessageBox.warning(None, "需要恢复密钥", "数据库是加密的，但它旁边的密钥文件不见了（或是在新电脑上恢复的备份）。"
                                                "请用恢复密钥为管理员设置新密码。")
        if not RecoverDialog(path).exec():
            return 2
    if not login.needs_login(path):
        return None
    boot.dismiss()                       # the splash never stays over (or peeks out under) a login window
    dlg = LoginDialog(path, str(settings.value("boot/school", "") or ""), str(settings.value("login/last_user", "") or ""))
    if not dlg.exec():
        return 0
    settings.setValue("login/last_user", dlg.name)
    return Login(dlg.key, dlg.name, dlg.password)


def first_start_if_needed(path: Path, database: Database) -> tuple[Database | int, Login | None]:
    """The GUI's first start on a ledger without users (required): see `first_start`."""
    services = Services.build(ServiceContext(database.session_factory))
    if services.access.has_users():
        return database, None
    out = first_start(path, database, services)
    return (out, None) if isinstance(out, int) else out


def start_session(ctx, database: Database, signed: Login) -> bool:
    """The logged-in user becomes the acting user of every service (audited login)."""
    try:
        login.start(ctx.access, database.path, database.key, signed.name, signed.password)
    except LedgerError as e:
        QMessageBox.critical(None, "无法登录", str(e))
        return False
    return True


def first_start(path: Path, database: Database, services) -> tuple[Database, Login] | int:
    """A ledger without users: its administrator first (required), then it is encrypted and opened
    again with its key. Returns the reopened database and the login, or an exit code."""
    from desktop.dialogs.login import (  # noqa: PLC0415 - start-up: loaded only when used
        AdminSetupDialog,
        RecoveryKeyDialog,
        recovery_page_data,
    )
    school = services.school.get()
    boot.dismiss()
    dlg = AdminSetupDialog(services.access.policy_problem, school.officer if school else "")
    if not dlg.exec():
        return 0
    database.dispose()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        setup = login.first_admin(path, dlg.name, dlg.password)
    except LedgerError as e:
        QApplication.restoreOverrideCursor()
        QMessageBox.critical(None, "没有加密", str(e))
        return 2
    QApplication.restoreOverrideCursor()
    database = open_database(path, key=setup.key)
    RecoveryKeyDialog(setup.recovery_key,
                      recovery_page_data(setup.recovery_key, school.name if school else "", dlg.name, path)).exec()
    return database, Login(setup.key, dlg.name, dlg.password)


# ---- what a role sees -----------------------------------------------------------------------------------
# Pages a role works with (PageRef.name, the class names of desktop.pages); None: every page.
PAGES_OF_ROLE: dict[str, set[str] | None] = {
    Role.CLERK.value: {"StudentsPage", "VisitsPage", "FamilyPage"},
    Role.VIEWER.value: None,
}
# Buttons of a page, by their text, and what they need.
_BUTTON_NEEDS = ((re.compile(r"^删除|^撤销|^作废"), Perm.DELETE),
                 (re.compile(r"导入|生成|发放|补发|调整|标准|设置|指派|批量|银行|报送|名单交换|结转"), Perm.WRITE),
                 (re.compile(r"^(新建|新增|添加|编辑|修改|录入|登记|保存|走访|困难认定)"), Perm.WRITE_OWN_CLASSES))


def may_press(role: str, text: str) -> bool:
    """Whether a button labelled `text` is shown to `role` (hiding is for clarity; the services check)."""
    text = text.replace("&", "").strip()
    for pattern, perm in _BUTTON_NEEDS:
        if pattern.search(text):
            return allowed(role, perm) or (perm is Perm.WRITE_OWN_CLASSES and allowed(role, Perm.WRITE))
    return True


def page_allowed(role: str, ref) -> bool:
    """Whether `role` works with the page `ref` (a desktop.pages.PageRef)."""
    pages = PAGES_OF_ROLE.get(role)
    return pages is None or ref.name in pages


class LockScreen(QWidget):
    """Covers the whole window while it is locked; asks for the password (or another user's)."""

    def __init__(self, controller: AccessController):
        super().__init__(controller.window)
        self.controller = controller
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)    # opaque: nothing shows through
        self.setAutoFillBackground(True)
        self.setStyleSheet("LockScreen { background: #eef2f7; }")
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        card = QWidget(self)
        card.setObjectName("card")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        card.setStyleSheet("#card { background: white; border: 1px solid #c8d3df; border-radius: 6px; }")
        card.setFixedWidth(440)
        lay = QVBoxLayout(card)
        lay.setContentsMargins(28, 22, 28, 20)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.title)
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText("用户名")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("密码")
        self.password_edit.returnPressed.connect(self.unlock)
        self.user_edit.returnPressed.connect(self.password_edit.setFocus)
        lay.addWidget(self.user_edit)
        lay.addWidget(self.password_edit)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.switch_button = QPushButton("切换用户")
        self.switch_button.clicked.connect(self.switch_user)
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        quit_button = QPushButton("退出程序")
        quit_button.clicked.connect(controller.window.close)
        row.addWidget(self.switch_button)
        row.addWidget(quit_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        lay.addLayout(row)
        h = QHBoxLayout()
        h.addStretch(1)
        h.addWidget(card)
        h.addStretch(1)
        outer.addLayout(h)
        outer.addStretch(3)
        self.hide()

    def show_for(self, actor: Actor, switching: bool = False) -> None:
        hint = "请输入另一位用户的用户名和密码" if switching else f"当前用户：{actor.name}（{actor.role}）。请输入密码解锁"
        self.title.setText("<div style='font-size:16pt; font-weight:bold; color:#1f3b57'>"
                           f"{'切换用户' if switching else '屏幕已锁定'}</div><div style='color:#555'>{hint}</div>")
        self.user_edit.setText("" if switching else actor.name)
        self.user_edit.setReadOnly(not switching)
        self.switch_button.setVisible(not switching)
        self.password_edit.clear()
        self.error.clear()
        self.setGeometry(self.controller.window.rect())
        self.show()
        self.raise_()
        (self.user_edit if switching else self.password_edit).setFocus()

    def switch_user(self) -> None:
        self.show_for(self.controller.ctx.ctx.actor, switching=True)

    def unlock(self) -> None:
        name, password = self.user_edit.text().strip(), self.password_edit.text()
        if not name or not password:
            self.error.setText("请输入用户名和密码")
            return
        try:
            actor = self.controller.ctx.access.authenticate(name, password)
        except LedgerError as e:
            self.error.setText(str(e))
            self.password_edit.clear()
            return
        self.controller.unlocked(actor)


class AccessController(QObject):
    def __init__(self, window, login_: Login | None = None, *, idle_check_ms: int = IDLE_CHECK_MS):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.login = login_
        self.locked = False
        self._hidden_dialogs: list[QWidget] = []
        self._role_hidden: list[QAbstractButton] = []
        self.last_input = time.monotonic()
        self.lock_screen = LockScreen(self)
        window.page_allowed = lambda ref: page_allowed(self.ctx.ctx.actor.role, ref)
        self._add_menu()
        window.nav.currentRowChanged.connect(lambda _i: self.apply_to_page(window.current_page()))
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(idle_check_ms)
        self.timer.timeout.connect(self.check_idle)
        if self.users_exist:
            self.timer.start()
        self.apply_role()

    @property
    def users_exist(self) -> bool:
        return bool(self.ctx.ctx.actor.role)

    # ---- menus ----------------------------------------------------------------------------------------
    def _add_menu(self) -> None:
        menu = self.window.menuBar().addMenu("用户(&U)")
        self.menu = menu
        self.lock_action = self._act(menu, "锁定屏幕", self.lock, QKeySequence("Ctrl+L"))
        self.switch_action = self._act(menu, "切换用户…", lambda: self.lock(switching=True))
        self.password_action = self._act(menu, "修改我的密码…", self.change_password)
        menu.addSeparator()
        self.users_action = self._act(menu, "用户管理…", self.manage_users)

    def _act(self, menu, text, slot, shortcut=None) -> QAction:
        act = QAction(text, self.window)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(lambda _checked=False: slot())
        menu.addAction(act)
        return act

    # ---- the role -------------------------------------------------------------------------------------
    def apply_role(self) -> None:
        """Show what the acting user's role may use (pages, menu entries, the current page's buttons)."""
        role = self.ctx.ctx.actor.role
        self.menu.menuAction().setVisible(bool(role))
        self.users_action.setVisible(allowed(role, Perm.USERS))
        self.window.new_action.setVisible(allowed(role, Perm.WRITE) or allowed(role, Perm.WRITE_OWN_CLASSES))
        for act in self.window.menuBar().actions()[0].menu().actions():
            if act.text().startswith("备份与恢复"):
                act.setVisible(allowed(role, Perm.BACKUP))
        self._show_role_hidden()
        self.window.refresh_pages()
        self.apply_to_page(self.window.current_page())
        user = self.ctx.ctx.actor
        classes = f"，只显示和修改 {classes_text(user.classes)} 的学生" if user.classes else ""
        self.window.statusBar().showMessage(f"当前用户：{user.name}（{user.role}{classes}）" if role else "", 0)

    def apply_to_page(self, page) -> None:
        role = self.ctx.ctx.actor.role
        if not role or page is None:
            return
        for b in page.findChildren(QAbstractButton):
            if not may_press(role, b.text()) and not b.isHidden():
                b.setVisible(False)
                self._role_hidden.append(b)

    def _show_role_hidden(self) -> None:
        """Another user: the buttons the previous role hid come back (apply_to_page hides again)."""
        for b in self._role_hidden:
            with contextlib.suppress(RuntimeError):        # a page or dialog closed since
                b.setVisible(True)
        self._role_hidden = []

    # ---- idle lock and switching -------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if event.type() in _INPUT:
            self.last_input = time.monotonic()
        elif event.type() == QEvent.Type.Resize and obj is self.window and self.locked:
            self.lock_screen.setGeometry(self.window.rect())
        return False

    def idle_minutes(self) -> int:
        return self.ctx.access.settings().idle_minutes

    def check_idle(self, now: float | None = None) -> None:
        minutes = self.idle_minutes()
        if self.locked or not minutes or not self.users_exist:
            return
        if (now if now is not None else time.monotonic()) - self.last_input >= minutes * 60:
            self.lock()

    def lock(self, switching: bool = False) -> None:
        if not self.users_exist:
            return
        if not self.locked:
            self._hidden_dialogs = [w for w in QApplication.topLevelWidgets()
                                    if w is not self.window and w.isVisible() and w.isWindow()
                                    and w.windowType() in (Qt.WindowType.Dialog, Qt.WindowType.Window)]
            for w in self._hidden_dialogs:
                w.hide()
        self.locked = True
        self.window.menuBar().setEnabled(False)
        self.window.nav.setEnabled(False)
        self.lock_screen.show_for(self.ctx.ctx.actor, switching)

    def unlocked(self, actor: Actor) -> None:
        changed = actor.name != self.ctx.ctx.actor.name
        self.ctx.ctx.set_actor(actor)
        self.locked = False
        self.lock_screen.hide()
        self.window.menuBar().setEnabled(True)
        self.window.nav.setEnabled(True)
        if changed:
            for w in self._hidden_dialogs:       # another person: the previous user's forms close
                w.close()
        else:
            for w in self._hidden_dialogs:
                w.show()
        self._hidden_dialogs = []
        self.last_input = time.monotonic()
        if changed:
            self.apply_role()
            self.window.broadcast(Changes(frozenset({"student", "household", "aid", "user"})))

    # ---- dialogs -------------------------------------------------------------------------------------
    def change_password(self) -> None:
        from desktop.dialogs.users import PasswordDialog  # noqa: PLC0415 - start-up: loaded only when used
        PasswordDialog(self.ctx, self.ctx.ctx.actor.name, own=True, parent=self.window).exec()

    def manage_users(self) -> None:
        from desktop.dialogs.users import UsersDialog  # noqa: PLC0415 - start-up: loaded only when used
        UsersDialog(self.ctx, self.window).exec()
