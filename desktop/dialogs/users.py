"""用户管理 (administrators): the users with their role, classes, state and last login; new user,
reset password, disable/enable, change role; the login settings (password length, idle lock).
Also the password dialog every user has (修改我的密码). Everything goes through ctx.access, which
checks the acting user's role and audits each change."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from db.access.dto import AccessSettings
from db.access.roles import ROLE_HELP, Role
from db.clock import local_text
from db.errors import LedgerError, ValidationError
from desktop.context import AppContext
from desktop.errors import show_error, user_message
from widgets.form_base import error_label, password_edit
from widgets.simple_table import bar, fill, list_table, selected_key


class UsersDialog(QDialog):
    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("用户管理")
        self.resize(900, 560)
        lay = QVBoxLayout(self)
        roles = QLabel("<br>".join(f"<b>{r.value}</b>：{ROLE_HELP[r]}" for r in Role))
        roles.setWordWrap(True)
        lay.addWidget(roles)
        self.table = list_table(["用户名", "角色", "所管班级", "状态", "最近登录"], (120, 90, 200, 120, 150))
        lay.addWidget(self.table, 1)
        self.new_button = QPushButton("新建用户…")
        self.password_button = QPushButton("重设密码…")
        self.role_button = QPushButton("修改角色…")
        self.active_button = QPushButton("停用")
        self.new_button.clicked.connect(self.new_user)
        self.password_button.clicked.connect(self.reset_password)
        self.role_button.clicked.connect(self.change_role)
        self.active_button.clicked.connect(self.toggle_active)
        self.table.currentCellChanged.connect(lambda *_a: self._selection())
        lay.addLayout(bar(self.new_button, self.password_button, self.role_button, self.active_button, None))
        lay.addWidget(self._settings_box())
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        lay.addLayout(bar(None, close))
        self.reload()

    def _settings_box(self) -> QGroupBox:
        box = QGroupBox("登录设置")
        form = QHBoxLayout(box)
        s = self.ctx.access.settings()
        self.min_length = QSpinBox()
        self.min_length.setRange(6, 32)
        self.min_length.setValue(s.min_password_length)
        self.min_length.setSuffix(" 位")
        self.idle = QSpinBox()
        self.idle.setRange(0, 240)
        self.idle.setValue(s.idle_minutes)
        self.idle.setSuffix(" 分钟")
        self.idle.setSpecialValueText("不自动锁屏")
        save = QPushButton("保存设置")
        save.clicked.connect(self.save_settings)
        for w in (QLabel("密码至少"), self.min_length, QLabel("无操作"), self.idle, QLabel("后自动锁屏"), save):
            form.addWidget(w)
        form.addStretch(1)
        return box

    def reload(self) -> None:
        self.rows = self.ctx.access.users()
        fill(self.table, [[r.name, r.role, r.classes or "—",
                           ("在用" if r.active else "已停用") + ("（已锁定）" if r.locked_until else ""),
                           local_text(r.last_login_at) or "从未"] for r in self.rows], [r.name for r in self.rows],
             colors={i: "red" for i, r in enumerate(self.rows) if not r.active or r.locked_until})
        self._selection()

    def _current(self):
        name = selected_key(self.table)
        return next((r for r in self.rows if r.name == name), None)

    def _selection(self) -> None:
        row = self._current()
        for b in (self.password_button, self.role_button, self.active_button):
            b.setEnabled(row is not None)
        self.active_button.setText("启用…" if row is not None and not row.active else "停用")

    def new_user(self) -> None:
        if UserFormDialog(self.ctx, self).exec():
            self.reload()

    def reset_password(self) -> None:
        row = self._current()
        if row is not None and PasswordDialog(self.ctx, row.name, own=False, parent=self).exec():
            self.reload()

    def change_role(self) -> None:
        row = self._current()
        if row is not None and UserFormDialog(self.ctx, self, existing=row).exec():
            self.reload()

    def toggle_active(self) -> None:
        row = self._current()
        if row is None:
            return
        try:
            if row.active:
                if QMessageBox.question(self, "停用用户", f"停用“{row.name}”？停用后他不能再登录（记录保留）。") \
                        != QMessageBox.StandardButton.Yes:
                    return
                self.ctx.access.set_active(row.name, False)
            else:
                dlg = PasswordDialog(self.ctx, row.name, own=False, parent=self, enabling=True)
                if not dlg.exec():
                    return
        except LedgerError as e:
            show_error(self, e, "停用用户")
        self.reload()

    def save_settings(self) -> None:
        try:
            self.ctx.access.save_settings(AccessSettings(self.min_length.value(), self.idle.value()))
        except LedgerError as e:
            show_error(self, e, "保存设置")
            return
        QMessageBox.information(self, "登录设置", "已保存")


class UserFormDialog(QDialog):
    """A new user (name, role, classes, password), or another role for an existing one."""

    def __init__(self, ctx: AppContext, parent=None, existing=None):
        super().__init__(parent)
        self.ctx = ctx
        self.existing = existing
        self.setWindowTitle("修改角色" if existing else "新建用户")
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(existing.name if existing else "")
        self.name.setReadOnly(existing is not None)
        self.role = QComboBox()
        for r in Role:
            self.role.addItem(f"{r.value} — {ROLE_HELP[r]}", r.value)
        self.role.setCurrentIndex(max(self.role.findData(existing.role if existing else Role.CLERK.value), 0))
        self.classes = QLineEdit(existing.classes if existing else "")
        self.classes.setPlaceholderText("班主任/录入员填写，如 七年级3班、八年级1班")
        form.addRow("用户名", self.name)
        form.addRow("角色", self.role)
        form.addRow("所管班级", self.classes)
        self.password = self.again = None
        if existing is None:
            self.password, self.again = password_edit(), password_edit()
            self.password.setPlaceholderText(f"至少 {ctx.access.settings().min_password_length} 位，不能包含用户名")
            form.addRow("初始密码", self.password)
            form.addRow("再输入一次", self.again)
        lay.addLayout(form)
        self.error = error_label()
        lay.addWidget(self.error)
        ok, cancel = QPushButton("保存"), QPushButton("取消")
        ok.setDefault(True)
        ok.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        lay.addLayout(bar(None, cancel, ok))
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()

    def _role_changed(self) -> None:
        self.classes.setEnabled(self.role.currentData() == Role.CLERK.value)

    def save(self) -> None:
        try:
            if self.existing is not None:
                self.ctx.access.set_role(self.existing.name, self.role.currentData(), self.classes.text())
            else:
                if self.password.text() != self.again.text():
                    raise ValidationError({"again": "两次输入的密码不一样"})
                self.ctx.access.add_user(self.name.text(), self.role.currentData(), self.password.text(),
                                         self.classes.text())
        except LedgerError as e:
            self.error.setText(user_message(e))
            return
        self.accept()


class PasswordDialog(QDialog):
    """One's own new password (with the old one), or an administrator's reset (and re-enable)."""

    def __init__(self, ctx: AppContext, name: str, *, own: bool, parent=None, enabling: bool = False):
        super().__init__(parent)
        self.ctx, self.user, self.own, self.enabling = ctx, name, own, enabling
        self.setWindowTitle("修改我的密码" if own else f"{'启用并' if enabling else ''}重设“{name}”的密码")
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.old = password_edit() if own else None
        if self.old is not None:
            form.addRow("原密码", self.old)
        self.new, self.again = password_edit(), password_edit()
        self.new.setPlaceholderText(f"至少 {ctx.access.settings().min_password_length} 位，不能包含用户名")
        form.addRow("新密码", self.new)
        form.addRow("再输入一次", self.again)
        lay.addLayout(form)
        self.error = error_label()
        lay.addWidget(self.error)
        ok, cancel = QPushButton("保存"), QPushButton("取消")
        ok.setDefault(True)
        ok.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        lay.addLayout(bar(None, cancel, ok))

    def save(self) -> None:
        if self.new.text() != self.again.text():
            self.error.setText("两次输入的新密码不一样")
            return
        problem = self.ctx.access.policy_problem(self.user, self.new.text())
        if problem:
            self.error.setText(problem)
            return
        try:
            if self.enabling:
                self.ctx.access.set_active(self.user, True)
            self.ctx.access.set_password(self.user, self.new.text(),
                                         old_password=self.old.text() if self.old is not None else None)
        except LedgerError as e:
            self.error.setText(user_message(e))
            return
        self.accept()
