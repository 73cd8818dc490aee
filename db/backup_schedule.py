"""When the automatic backups are made (Anki's habit): only when something changed, then at most every
INTERVAL while the window is open, and once more at close; each followed by the thinning of
db.backup.thin. Qt-free: the window drives `tick()` from a QTimer, tests drive it with a moved clock.

"Something changed" is seen two ways: at start, the newest backup's audit head differs from the
database's (changes made since, by the CLI too); while open, SQLite's `PRAGMA data_version` on a
watching connection moves whenever any connection commits.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from db import backup as backups
from db import sqlite
from db.clock import Clock, local

INTERVAL = dt.timedelta(minutes=30)
EXTERNAL_EVERY = dt.timedelta(days=7)


class BackupScheduler:
    def __init__(self, db_path: Path, clock: Clock | None = None, *, interval: dt.timedelta = INTERVAL,
                 key: bytes | None = None):
        self.db_path = Path(db_path)
        self.clock = clock or Clock()
        self.interval = interval
        self._key = key
        self._watch = sqlite.connect(self.db_path, read_only=True, key=key)
        self._version = self._data_version()
        newest = next(iter(backups.list_backups(self.db_path)), None)
        self.last_time = newest.time if newest else None
        self._dirty = newest is None or newest.facts is None or newest.facts.audit_head != self._head()

    def _data_version(self) -> int:
        return self._watch.execute("PRAGMA data_version").fetchone()[0]

    def _head(self) -> str:
        return backups.audit_head(self._watch)

    def now(self) -> dt.datetime:
        """Local time (backup names are local)."""
        return local(self.clock.now()).replace(tzinfo=None)

    def changed(self) -> bool:
        version = self._data_version()
        if version != self._version:
            self._version, self._dirty = version, True
        return self._dirty

    def due(self) -> bool:
        return self.changed() and (self.last_time is None or self.now() - self.last_time >= self.interval)

    def run(self, reason: str = "auto") -> backups.BackupInfo:
        """Make a backup now and thin the folder (a change made while it runs counts for the next one)."""
        self.changed()
        version = self._version
        info = backups.backup_info(self.db_path, reason, now=self.now(), key=self._key)
        backups.thin_folder(self.db_path, self.clock.today())
        self.last_time = info.time
        self._dirty = self._data_version() != version
        self._version = self._data_version()
        return info

    def tick(self) -> backups.BackupInfo | None:
        """Called every minute or so: a backup when one is due."""
        return self.run() if self.due() else None

    def at_close(self) -> backups.BackupInfo | None:
        return self.run("close") if self.changed() else None

    def close(self) -> None:
        self._watch.close()


def external_reminder(db_path: Path, now: dt.datetime) -> str | None:
    """The reminder to back up to a USB stick, when none was made for EXTERNAL_EVERY (`now` local)."""
    last = backups.last_external(db_path)
    if last is not None:
        if now - last < EXTERNAL_EVERY:
            return None
        return (f"已经 {(now - last).days} 天没有备份到U盘或其他位置了（上次：{last:%Y-%m-%d}）。"
                "电脑损坏或丢失时，只有另外保存的备份能找回数据，请使用“文件 → 备份与恢复 → 备份到U盘”。")
    auto = backups.list_backups(db_path)
    if not auto or now - auto[-1].time < EXTERNAL_EVERY:
        return None                      # a ledger in its first week: no nagging yet
    return ("还从来没有把台账备份到U盘或其他位置。电脑损坏或丢失时，只有另外保存的备份能找回数据，"
            "请使用“文件 → 备份与恢复 → 备份到U盘”。")
