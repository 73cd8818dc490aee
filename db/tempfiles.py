"""Temporary files and folders beside their final place, named after the process that made them.

`.~<label>-<pid>-<random>.tmp` is ours: written by an export, a backup, a restore or the creation of a
new database, and renamed or removed when that ends. One left behind by a process that was killed (or
lost its power) is removed by the next `sweep` of that folder — only when its process is gone, so two
programs working in one folder never remove each other's files.
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sys
import threading
from pathlib import Path

_OURS = re.compile(r"^\.~.*-(\d+)-[0-9a-f]{8}\.tmp(?:-wal|-shm|-journal)?$")   # SQLite's files of a temporary database too
_active: set[str] = set()
_lock = threading.Lock()


def name(label: str) -> str:
    return f".~{label[:40]}-{os.getpid()}-{secrets.token_hex(4)}.tmp"


def claim(path: Path) -> Path:
    """Mark a temporary path as in use by this process (sweep leaves it alone)."""
    with _lock:
        _active.add(str(path))
    return path


def release(path: Path) -> None:
    with _lock:
        _active.discard(str(path))


def remove(path: Path) -> None:
    """Remove a temporary file or folder (whatever it has become), quietly."""
    release(path)
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            os.unlink(path)


def sweep(folder: Path) -> list[Path]:
    """Remove our temporary files and folders in `folder` whose process is gone."""
    gone = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return gone
    for entry in entries:
        m = _OURS.match(entry.name)
        if not m or entry.path in _active:
            continue
        pid = int(m.group(1))
        if pid != os.getpid() and alive(pid):
            continue
        remove(Path(entry.path))
        gone.append(Path(entry.path))
    return gone


def alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes  # noqa: PLC0415 - start-up: Windows only
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259                                          # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
