"""The login windows: the login before an encrypted ledger opens, the recovery key's way in, the
first administrator at first start, and the recovery-key page shown once after it.

They call db.access.login (no session: the ledger is not open yet, or is being encrypted); a wrong
password is said under the field, in Chinese, and never leads anywhere else.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from db.access import login
from db.access.pdf import RecoveryPage, write_recovery_page
from db.errors import LedgerError
from desktop.errors import user_message
from widgets.form_base import error_label, password_edit


def _password_edit(placeholder: str = "") -> QLineEdit:
    return password_edit(placeholder, 260)


def _heading(text: str, sub: str = "") -> QLabel:
    label = QLabel(f"<div style='font-size:18pt; font-weight:bold; color:#1f3b57'>{text}</div>"
                   + (f"<div style='color:#555; margin-top:4px'>{sub}</div>" if sub else ""))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class LoginDialog(QDialog):
    """Name and password for an encrypted ledger. On success: `key`, `name`, `password`."""

    def __init__(self, db_path: Path, school: str = "", last_user: str = "", parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.key: bytes | None = None
        self.name = self.password = ""
        self.setWindowTitle("助学台账 — 登录")
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 20)
        lay.addWidget(_heading("助学台账", school or "请登录"))
        form = QFormLayout()
        self.user_edit = QLineEdit(last_user)
        self.user_edit.setPlaceholderText("用户名")
        self.password_edit = _password_edit("密码")
        form.addRow("用户名", self.user_edit)
        form.addRow("密码", self.password_edit)
        lay.addSpacing(10)
        lay.addLayout(form)
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.recover_button = QPushButton("用恢复密钥…")
        self.recover_button.setToolTip("忘记管理员密码，或在新电脑上恢复了加密的备份")
        self.recover_button.clicked.connect(self.recover)
        quit_button = QPushButton("退出")
        quit_button.clicked.connect(self.reject)
        self.login_button = QPushButton("登录")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.try_login)
        row.addWidget(self.recover_button)
        row.addStretch(1)
        row.addWidget(quit_button)
        row.addWidget(self.login_button)
        lay.addLayout(row)
        (self.password_edit if last_user else self.user_edit).setFocus()

    def try_login(self) -> None:
        name, password = self.user_edit.text().strip(), self.password_edit.text()
        if not name or not password:
            self.error.setText("请输入用户名和密码")
            return
        try:
            self.key = login.unlock(self.db_path, name, password)
        except LedgerError as e:
            self.error.setText(str(e))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.name, self.password = name, password
        self.accept()

    def recover(self) -> None:
        dlg = RecoverDialog(self.db_path, self)
        if dlg.exec():
            self.user_edit.setText(dlg.name)
            self.password_edit.clear()
            self.error.setText("已设置新密码，请用新密码登录")
            self.password_edit.setFocus()


class RecoverDialog(QDialog):
    """The recovery key gives an administrator a new password (and a new key file when it was lost)."""

    def __init__(self, db_path: Path, parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.name = ""
        self.setWindowTitle("用恢复密钥设置新密码")
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        intro = QLabel("请输入恢复密钥页上的 9 组字母数字（不分大小写，可以不输横线），"
                       "并为管理员设置新密码。恢复密钥不对时不会改动任何数据。")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.key_edit.setFont(mono)
        self.admin_edit = QLineEdit()
        self.new_edit, self.again_edit = _password_edit(), _password_edit()
        form.addRow("恢复密钥", self.key_edit)
        form.addRow("管理员用户名", self.admin_edit)
        form.addRow("新密码", self.new_edit)
        form.addRow("再输入一次", self.again_edit)
        lay.addLayout(form)
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel, ok = QPushButton("取消"), QPushButton("设置新密码")
        cancel.clicked.connect(self.reject)
        ok.clicked.connect(self.try_recover)
        ok.setDefault(True)
        row.addWidget(cancel)
        row.addWidget(ok)
        lay.addLayout(row)

    def try_recover(self) -> None:
        if self.new_edit.text() != self.again_edit.text():
            self.error.setText("两次输入的新密码不一样")
            return
        try:
            login.recover(self.db_path, self.key_edit.text(), self.admin_edit.text(), self.new_edit.text())
        except LedgerError as e:
            self.error.setText(user_message(e))
            return
        self.name = self.admin_edit.text().strip()
        self.accept()


class AdminSetupDialog(QDialog):
    """First start: the administrator (the aid officer) and a password; the ledger is then encrypted."""

    def __init__(self, policy, suggested: str = "", parent=None):
        super().__init__(parent)
        self.policy = policy               # callable(name, password) -> problem text or None
        self.name = self.password = ""
        self.setWindowTitle("欢迎使用助学台账 — 创建管理员")
        self.setMinimumWidth(620)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)
        lay.addWidget(_heading("创建管理员账号", "第一次使用：请资助专干创建管理员账号"))
        intro = QLabel("学生的身份证号、银行卡号等属于敏感个人信息。创建管理员后，数据库和它的所有备份都会<b>加密</b>，"
                       "以后每次打开都要登录。管理员可以再为班主任、校长等建立账号。<br>"
                       "接下来会生成一个<b>恢复密钥</b>：忘记密码或换电脑时只能凭它打开数据，请打印后交校长保管。")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.user_edit = QLineEdit(suggested)
        self.user_edit.setPlaceholderText("如 王老师")
        self.password_edit = _password_edit("至少 8 位，不能包含用户名")
        self.again_edit = _password_edit()
        form.addRow("管理员用户名", self.user_edit)
        form.addRow("密码", self.password_edit)
        form.addRow("再输入一次", self.again_edit)
        lay.addLayout(form)
        self.error = error_label()
        lay.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel, ok = QPushButton("退出"), QPushButton("创建并加密")
        cancel.clicked.connect(self.reject)
        ok.clicked.connect(self.try_accept)
        ok.setDefault(True)
        row.addWidget(cancel)
        row.addWidget(ok)
        lay.addLayout(row)

    def try_accept(self) -> None:
        name, password = self.user_edit.text().strip(), self.password_edit.text()
        if not name:
            self.error.setText("请填写管理员用户名")
            return
        problem = self.policy(name, password)
        if problem is None and password != self.again_edit.text():
            problem = "两次输入的密码不一样"
        if problem:
            self.error.setText(problem)
            return
        self.name, self.password = name, password
        self.accept()


class RecoveryKeyDialog(QDialog):
    """Shown once after the ledger was encrypted: the recovery key, its page as a PDF to print, and a
    box to tick before going on."""

    def __init__(self, recovery_key: str, page: RecoveryPage, parent=None):
        super().__init__(parent)
        self.page = page
        self.saved: Path | None = None
        self.setWindowTitle("恢复密钥 — 请打印后交校长保管")
        self.setMinimumWidth(640)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)
        lay.addWidget(_heading("恢复密钥", "数据库已加密。忘记密码或换电脑时，只能凭这个密钥打开数据"))
        key = QLabel("<br>".join("&nbsp;&nbsp;".join(recovery_key.split("-")[i:i + 3]) for i in range(0, 9, 3)))
        key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        key.setStyleSheet("font-family: monospace; font-size: 20pt; font-weight: bold; padding: 12px;"
                          "background: #f4f7fb; border: 1px solid #c8d3df;")
        self.key_label = key
        lay.addWidget(key)
        note = QLabel("请点“保存恢复密钥页…”存成 PDF 并打印（打印后删除该文件），或把上面的字母数字抄在纸上；"
                      "密封后交校长放入保险柜。不要拍照，不要存在电脑或U盘上。本窗口关闭后，软件不会再显示这个密钥。")
        note.setWordWrap(True)
        lay.addWidget(note)
        self.done_box = QCheckBox("我已打印（或抄下）恢复密钥，并交给校长保管")
        lay.addWidget(self.done_box)
        row = QHBoxLayout()
        save = QPushButton("保存恢复密钥页…")
        save.clicked.connect(self.save_page)
        self.ok = QPushButton("继续")
        self.ok.setEnabled(False)
        self.ok.clicked.connect(self.accept)
        self.done_box.toggled.connect(self.ok.setEnabled)
        row.addWidget(save)
        row.addStretch(1)
        row.addWidget(self.ok)
        lay.addLayout(row)

    def save_page(self, _checked: bool = False, path: str | None = None) -> None:
        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, "保存恢复密钥页", str(Path.home() / "恢复密钥.pdf"),
                                                   "PDF 文件 (*.pdf)")
            if not path:
                return
        try:
            write_recovery_page(self.page, Path(path))
        except LedgerError as e:
            QMessageBox.warning(self, "无法保存", str(e))
            return
        self.saved = Path(path)
        QMessageBox.information(self, "已保存", f"恢复密钥页已保存：\n{path}\n\n请打印后删除这个文件。")

    def reject(self) -> None:
        if self.done_box.isChecked():
            super().reject()


def recovery_page_data(recovery_key: str, school: str, admin: str, db_path: Path) -> RecoveryPage:
    return RecoveryPage(school, recovery_key, admin, str(db_path), dt.date.today())
