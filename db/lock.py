"""The lock beside a database (`ledger.sqlite3.lock`) that the window and the command line both honour.

The lock is an operating-system lock on an open file (flock on Linux, a locked byte on Windows), so
the system releases it when its process ends in any way — kill -9 and power cuts included: a lock
left behind by a dead process is simply free again (RELIABILITY.md T08). The file holds the holder's
process id and program ("窗口" or "命令行") for the message the next one shows.

A folder the user may not write to is told apart from a database open elsewhere: the first raises
`FolderNotWritable`, the second returns None from `try_lock`.
"""
from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

from db.errors import LedgerError

if sys.platform == "win32":  # pragma: no cover - Windows only
    import msvcrt
else:
    import fcntl


class FolderNotWritable(LedgerError):
    pass


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _os_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
            return False
        raise
    return True


class DatabaseLock:
    """A held lock; `release()` (or the end of the process) frees it."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        if sys.platform != "win32":
            # Remove while still held: a process waiting on this file then finds it gone and starts over.
            with contextlib.suppress(OSError):
                self.path.unlink()
        os.close(fd)
        if sys.platform == "win32":  # pragma: no cover - Windows only
            with contextlib.suppress(OSError):
                self.path.unlink()

    unlock = release

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def try_lock(db_path: Path, holder: str = "命令行") -> DatabaseLock | None:
    """Take the lock of the database at `db_path`; None when another live process holds it.
    Raises FolderNotWritable when the folder cannot hold a lock file (read-only, no permission)."""
    path = lock_path(Path(db_path))
    for _ in range(5):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise _not_writable(path, e) from None
        try:
            if not _os_lock(fd):
                os.close(fd)
                return None
            if not _same_file(fd, path):        # removed by its last holder meanwhile: try again
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n{holder}\n".encode())
        except OSError as e:
            os.close(fd)
            raise _not_writable(path, e) from None
        return DatabaseLock(path, fd)
    return None


def holder_of(db_path: Path) -> str:
    """Who holds the lock, as far as its file says ("窗口", "命令行" or "")."""
    try:
        lines = lock_path(Path(db_path)).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[1] if len(lines) > 1 else ""


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _not_writable(path: Path, e: OSError) -> FolderNotWritable:
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        why = "文件夹是只读的，或没有写入权限（U盘的写保护开关？）"
    elif e.errno == errno.ENOSPC:
        why = "磁盘空间不足"
    else:
        why = e.strerror or type(e).__name__
    return FolderNotWritable(f"无法使用数据库所在的文件夹“{path.parent}”：{why}。数据库没有打开，也没有任何改动")
