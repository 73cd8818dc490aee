"""Backups of a ledger database: made with SQLite's backup API (never a file copy of a live database),
verified with integrity_check before they are trusted, the newest KEEP_BACKUPS kept."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from db.errors import LedgerError

KEEP_BACKUPS = 10


def backup(path: Path, reason: str) -> Path:
    """Copy the live database with SQLite's backup API and verify the copy before trusting it."""
    folder = path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}-{reason}.sqlite3"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if ok != "ok":
        target.unlink(missing_ok=True)
        raise LedgerError(f"数据库备份校验失败（{ok}），为保护数据，未做任何更改")
    old = sorted(folder.glob(f"{path.stem}-*.sqlite3"))
    for stale in old[:-KEEP_BACKUPS]:
        stale.unlink(missing_ok=True)
    return target
