"""Database and file errors as plain Chinese sentences, for the CLI (db.cli) and the window
(desktop.errors) alike.

A message names what went wrong and what became of the data; it never carries the exception's own
text, which may hold SQL and its parameters (full ID and card numbers). The detail goes to the log,
masked (db.logs).
"""
from __future__ import annotations

import errno
import zipfile
import zlib
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from db import logs
from db.errors import LedgerError
from db.sqlite import Error as SQLITE_ERRORS

SAFE = "已经做的修改都已撤销，数据没有丢失"

_ERRNO = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘空间不足（超出配额）",
    errno.EROFS: "磁盘或文件夹是只读的（U盘的写保护开关？）",
    errno.EACCES: "没有读写权限；如果文件正在 Excel/WPS 中打开，请先关闭",
    errno.EPERM: "没有读写权限",
    errno.ENOENT: "文件或文件夹不存在（U盘是否已拔出？）",
    errno.EIO: "读写磁盘时出错（U盘已拔出，或磁盘有故障）",
    errno.ENODEV: "磁盘已不存在（U盘已拔出？）",
    errno.ENXIO: "磁盘已不存在（U盘已拔出？）",
    errno.EFBIG: "文件太大，这块磁盘放不下（U盘是 FAT32 格式？）",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EMFILE: "打开的文件太多，请关闭一些程序后再试",
}

# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xff)
_SQLITE = {
    13: "磁盘空间不足",                                                          # SQLITE_FULL
    5: "数据库正被另一个程序使用（等了 5 秒仍未释放）；请关闭其他窗口或命令后再试",  # SQLITE_BUSY
    6: "数据库正被另一个程序使用；请稍后再试",                                     # SQLITE_LOCKED
    8: "数据库文件或其文件夹是只读的，不能保存",                                    # SQLITE_READONLY
    14: "无法打开数据库文件（文件夹不存在、没有权限，或U盘已拔出）",                  # SQLITE_CANTOPEN
    10: "读写数据库文件时出错（U盘已拔出，或磁盘有故障）",                          # SQLITE_IOERR
    11: "数据库文件已损坏；请关闭软件后重新打开，软件会提供从备份恢复",              # SQLITE_CORRUPT
    26: "数据库文件已损坏，或不是助学台账的数据库",                                  # SQLITE_NOTADB
    3: "没有读写数据库文件的权限",                                                  # SQLITE_PERM
    7: "内存不足",                                                                 # SQLITE_NOMEM
}

# What SQLite says when the driver gives no code (older Pythons): text -> primary code.
_SQLITE_TEXT = (("disk is full", 13), ("database is locked", 5), ("readonly database", 8),
                ("unable to open", 14), ("disk i/o error", 10), ("malformed", 11), ("not a database", 26))


def file_problem(exc: BaseException) -> str:
    """The cause of a database or file error in a few Chinese words (no data from the exception)."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, SQLITE_ERRORS):
        return _SQLITE.get(_sqlite_code(exc), "数据库出错")
    if isinstance(exc, OSError):
        return _ERRNO.get(exc.errno, "无法读写文件")
    if isinstance(exc, MemoryError):
        return "内存不足"
    return "出错"


def _sqlite_code(exc: BaseException) -> int:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    text = str(exc).lower()
    return next((c for needle, c in _SQLITE_TEXT if needle in text), -1)


def is_file_error(exc: BaseException) -> bool:
    """An error of the disk, the database file or a damaged input file, as opposed to a bug."""
    if isinstance(exc, DBAPIError):
        return exc.orig is not None and is_file_error(exc.orig)
    if isinstance(exc, SQLITE_ERRORS):
        return _sqlite_code(exc) in _SQLITE
    return isinstance(exc, (OSError, MemoryError)) or is_damaged_input(exc)


def is_damaged_input(exc: BaseException) -> bool:
    """What a damaged xlsx/zip makes the readers raise (a corrupt deflate stream, an unknown
    compression method, a truncated part)."""
    return isinstance(exc, (zlib.error, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError))


def user_message(exc: BaseException, what: str = "操作") -> str:
    """The sentence the user reads about `exc` (see the module docstring)."""
    if isinstance(exc, LedgerError):
        return str(exc)
    if is_damaged_input(exc):
        return f"{what}失败：文件已损坏或格式不受支持（可能没有下载/复制完整）。{SAFE}"
    if is_file_error(exc):
        name = getattr(exc, "filename", None)
        where = f"（{Path(str(name)).name}）" if isinstance(exc, OSError) and name else ""
        return f"{what}失败：{file_problem(exc)}{where}。{SAFE}"
    where = logs.log_path()
    return (f"{what}时发生了意外错误，{SAFE}。"
            + (f"\n\n详细情况已记入日志文件，请把它交给维护人员：\n{where}" if where else ""))


def report(exc: BaseException, what: str = "操作") -> str:
    """Log `exc` (masked; the traceback only for the unexpected) and return the user's sentence."""
    if not isinstance(exc, LedgerError):
        if is_file_error(exc):
            logs.log.warning("%s: %s (%s)", what, type(exc).__name__, file_problem(exc))
        else:
            logs.unexpected(what, exc)
    return user_message(exc, what)
