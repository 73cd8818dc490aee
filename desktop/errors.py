"""The one way the desktop tells the user that something went wrong.

A `LedgerError` (and its `ValidationError`) carries a Chinese message meant for the user and is shown
as it is. A database or file error (disk full, locked database, read-only folder, USB stick pulled, a
damaged xlsx) becomes a plain sentence naming the cause (db.failures). Anything else is unexpected:
its traceback goes to the log file (numbers masked) and the user reads a sentence that says the data
is safe and where the log is — never the exception's own text, which may hold SQL and personal numbers.

Without a person to click (the smoke test) an error must end the run, not wait on a message box:
`set_unattended(handler)` routes every error to `handler(message)` instead.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from db import failures
from db.errors import LedgerError, ValidationError

_unattended: Callable[[str], None] | None = None


def set_unattended(handler: Callable[[str], None] | None) -> None:
    global _unattended
    _unattended = handler


def user_message(exc: BaseException, what: str = "操作") -> str:
    if isinstance(exc, ValidationError):
        return "\n".join(exc.problems.values())
    return failures.user_message(exc, what)


def show_error(parent: QWidget | None, exc: BaseException, what: str = "操作") -> None:
    failures.report(exc, what)              # the log, masked; nothing for a LedgerError
    message = user_message(exc, what)
    if _unattended is not None:
        _unattended(message)
        return
    if isinstance(exc, LedgerError) or failures.is_file_error(exc):
        QMessageBox.warning(parent, "无法完成", message)
    else:
        QMessageBox.critical(parent, "出错了", message)
