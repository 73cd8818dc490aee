"""Errors the services raise; every message is Chinese and meant for the user."""
from __future__ import annotations


class LedgerError(Exception):
    """An expected failure with a message that can be shown to the user as it is."""


class ValidationError(LedgerError):
    """Every problem found in one piece of input, keyed by field name."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        super().__init__("；".join(f"{v}" for v in self.problems.values()))


class NotFound(LedgerError):
    pass


class DatabaseTooNew(LedgerError):
    pass


class DatabaseLocked(LedgerError):
    pass


class DatabaseDamaged(LedgerError):
    """The database file failed its check on open: nothing was written to it. `path` is the file,
    `reason` a short Chinese description; the window then offers the newest verified backup."""

    def __init__(self, path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"数据库文件“{path}”已损坏（{reason}），为保护数据，没有对它做任何改动。"
                         "可以从备份恢复：main.py backup list，然后 main.py backup restore 备份文件")


class DatabaseEncrypted(LedgerError):
    """The database is encrypted and was opened without its key: the caller asks for a login (or the
    recovery key when `has_key_file` is False). Never a reason to restore anything."""

    def __init__(self, path, has_key_file: bool = True):
        self.path = path
        self.has_key_file = has_key_file
        super().__init__(f"数据库“{path}”已加密，需要登录后才能打开" if has_key_file else
                         f"数据库“{path}”已加密，但它旁边的密钥文件不见了；请用恢复密钥打开"
                         "（命令行：main.py user recover 用户名）")
