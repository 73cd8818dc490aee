"""Putting a backup back in place of the database (from the automatic list, a USB stick, or after the
file was found damaged on open).

The caller holds the database's lock and has closed every connection to it. The steps, each safe to
be interrupted (crash points for RELIABILITY.md T02):
1. the backup is verified (`integrity_check`, schema known);
2. the current state is kept: a healthy database gets a verified backup ("before-restore"); a damaged
   one is copied, with its WAL, into `damaged/` beside it — never deleted;
3. the backup is copied with the backup API to a temporary file beside the database and verified;
4. the current database's WAL is checkpointed into it and switched off (a WAL must never meet a
   different database file); a damaged file's WAL was copied aside in step 2 and is removed;
5. the temporary file is renamed over the database (one atomic rename).
An interruption before 5 leaves the old database in place; after it, the restored one.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from db import backup as backups
from db import sqlite, tempfiles
from db.crash import crash_point
from db.engine import inspect
from db.errors import DatabaseDamaged, LedgerError
from db.failures import file_problem

DAMAGED = "damaged"


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    facts: backups.Facts
    saved_current: Path | None          # the verified backup of the state before the restore
    damaged_copy: Path | None           # where a damaged database was kept


def keep_damaged(db_path: Path, now: dt.datetime | None = None) -> Path:
    """Copy a damaged database (and its WAL) into damaged/ beside it; returns the copy's path."""
    folder = db_path.parent / DAMAGED
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{(now or dt.datetime.now()):%Y%m%d-%H%M%S}"
    target = folder / f"{db_path.stem}-{stamp}{db_path.suffix}"
    n = 2
    while target.exists():
        target = folder / f"{db_path.stem}-{stamp}-{n}{db_path.suffix}"
        n += 1
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{db_path}{suffix}")
        if src.exists():
            shutil.copy2(src, f"{target}{suffix}")
            backups._fsync(Path(f"{target}{suffix}"))
    return target


def restore(db_path: Path, source: Path, *, now: dt.datetime | None = None, key: bytes | None = None) -> RestoreResult:
    """Replace the database at `db_path` with the backup `source` (see the module docstring)."""
    db_path, source = Path(db_path), Path(source)
    facts = backups.verify(source, key=key)
    if key is not None and backups.is_plain(source):
        raise LedgerError(f"“{source.name}”是加密以前的备份（没有加密）：加密的台账不能用它恢复，"
                          "以免用户和密码被旧数据覆盖；请选择加密以后的备份")
    saved = damaged = None
    current_key = None if backups.is_plain(db_path) else key     # a plain ledger without users, restored into
    try:
        if db_path.exists():
            if _healthy(db_path, current_key):
                saved = backups.backup(db_path, "before-restore", now=now, key=current_key)
            else:
                damaged = keep_damaged(db_path, now)
        crash_point("restore.saved_current")
        tmp = tempfiles.claim(db_path.with_name(tempfiles.name(f"{db_path.stem}-restore")))
        try:
            backups.copy_database(source, tmp, key=key)
            crash_point("restore.copied")
            _retire_journal(db_path, healthy=damaged is None, key=current_key)
            crash_point("restore.journal_retired")
            os.replace(tmp, db_path)
            backups._fsync_dir(db_path.parent)
        finally:
            tempfiles.remove(tmp)
    except (OSError, *sqlite.Error) as e:
        raise LedgerError(f"恢复没有完成：{file_problem(e)}；原来的数据库保持原样") from None
    return RestoreResult(source, facts, saved, damaged)


def _healthy(db_path: Path, key: bytes | None) -> bool:
    try:
        inspect(db_path, key=key)
    except DatabaseDamaged:
        return False
    return True


def _retire_journal(db_path: Path, *, healthy: bool, key: bytes | None) -> None:
    if not db_path.exists():
        return
    if healthy:
        conn = sqlite.connect(db_path, key=key)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{db_path}{suffix}").unlink()
