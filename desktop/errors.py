"""The one way the desktop tells the user that something went wrong.

A `LedgerError` (and its `ValidationError`) carries a Chinese message meant for the user and is shown
as it is. Anything else is unexpected: its traceback goes to the log file (numbers masked) and the
user reads a plain sentence that says the data is safe and where the log is — never the exception's
own text, which may hold SQL and personal numbers.
"""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from db import logs
from db.errors import LedgerError, ValidationError


def user_message(exc: BaseException, what: str = "操作") -> str:
    if isinstance(exc, ValidationError):
        return "\n".join(exc.problems.values())
    if isinstance(exc, LedgerError):
        return str(exc)
    where = logs.log_path()
    return (f"{what}时发生了意外错误，已经做的修改都已撤销，数据没有丢失。"
            + (f"\n\n详细情况已记入日志文件，请把它交给维护人员：\n{where}" if where else ""))


def show_error(parent: QWidget | None, exc: BaseException, what: str = "操作") -> None:
    if isinstance(exc, LedgerError):
        QMessageBox.warning(parent, "无法完成", user_message(exc, what))
        return
    logs.unexpected(what, exc)
    QMessageBox.critical(parent, "出错了", user_message(exc, what))
