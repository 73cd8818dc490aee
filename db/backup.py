"""Backups of a ledger database, as Anki and Zotero make them.

A backup is made with SQLite's backup API (never a file copy of a live database) into a temporary
file in the target folder, checked — `integrity_check`, it opens, its schema version is one this app
knows — and only then renamed to its final name. A failure (disk full, USB stick pulled, read-only
folder) leaves no file with a final name and every earlier backup as it was.

Automatic backups live in `backups/` beside the database, named `<stem>-YYYYmmdd-HHMMSS-<reason>.sqlite3`
(local time), and are thinned like Anki's: all of today, then one a day for 12 days, one a week for
10 weeks, one a month for 9 months (`thin`); the two newest taken before a schema upgrade are always
kept. What was checked about each (schema, counts of students and lines, money) is kept in
`backups/backups.json`, which also remembers the last backup to a USB stick or another folder.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from db import sqlite, tempfiles
from db.crash import crash_point
from db.errors import LedgerError
from db.failures import file_problem
from db.migrations import REVISIONS

FOLDER = "backups"
INDEX = "backups.json"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 12, 10, 9
KEEP_UPGRADE = 2
MAX_AGE = dt.timedelta(days=366)          # past this a backup goes (deleted records really go), except the newest
UPGRADE_PREFIX = "before-"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<reason>[A-Za-z0-9-]*?))?(?:_(?P<n>\d+))?\.sqlite3$")


class BackupInvalid(LedgerError):
    pass


@dataclass(frozen=True)
class Facts:
    """What a verified backup holds (shown before a restore)."""
    schema: str
    students: int
    lines: int
    money_fen: int
    audit_head: str = ""            # "<id>:<hash>" of the newest audit entry: tells whether data changed


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    time: dt.datetime               # local time, from the name
    size: int
    reason: str
    verified: bool
    facts: Facts | None = None

    def as_json(self) -> dict:
        return {"path": str(self.path), "time": self.time.isoformat(timespec="seconds"), "size": self.size,
                "verified": self.verified, "reason": self.reason,
                **({"facts": asdict(self.facts)} if self.facts else {})}


def folder_of(db_path: Path) -> Path:
    return Path(db_path).parent / FOLDER


# ---- making and checking one backup ------------------------------------------------------------------
def verify(path: Path, *, key: bytes | None = None) -> Facts:
    """Check a backup file without changing it: a SQLite file of this app that passes
    integrity_check, with a schema version this app knows. Raises BackupInvalid (Chinese)."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            magic = f.read(16)
    except OSError as e:
        raise BackupInvalid(f"无法读取备份“{path.name}”：{file_problem(e)}") from None
    plain = magic == b"SQLite format 3\x00"
    if not plain and key is None:
        raise BackupInvalid(f"“{path.name}”不是助学台账的备份文件，或是加密的备份（需要登录或恢复密钥才能检查）")
    try:
        conn = sqlite.connect(path, read_only=True, key=None if plain else key)
        try:
            return _check(conn, path)
        finally:
            conn.close()
    except sqlite.Error as e:
        if not plain and (getattr(e, "sqlite_errorcode", 0) & 0xFF) == 26:
            raise BackupInvalid(f"备份“{path.name}”打不开：它不是用这个台账的密钥加密的，或已损坏") from None
        raise BackupInvalid(f"备份“{path.name}”已损坏，不能使用（{type(e).__name__}）") from None


def is_plain(path: Path) -> bool:
    """A backup (or database) file that is not encrypted."""
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _check(conn, path: Path) -> Facts:
    ok = conn.execute("PRAGMA integrity_check").fetchall()
    if [r[0] for r in ok] != ["ok"]:
        raise BackupInvalid(f"备份“{path.name}”没有通过完整性检查，不能使用")
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone():
        raise BackupInvalid(f"“{path.name}”不是助学台账的备份文件")
    schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    schema = schema[0] if schema else ""
    if schema not in REVISIONS:
        raise BackupInvalid(f"备份“{path.name}”由更新版本的助学台账制作（版本 {schema}），请先升级本软件")
    return facts_of(conn, schema)


def facts_of(conn, schema: str) -> Facts:
    """Counts an officer recognises: students, live aid lines and their money (raw SQL: this module
    knows files, not ledgers; a table a schema does not have yet counts as 0)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    students = conn.execute("SELECT count(*) FROM student").fetchone()[0] if "student" in tables else 0
    lines, fen = (conn.execute("SELECT count(*), coalesce(sum(amount_fen), 0) FROM disbursement "
                               "WHERE status <> '已作废'").fetchone() if "disbursement" in tables else (0, 0))
    return Facts(schema, students, lines, fen, audit_head(conn) if "audit_log" in tables else "")


def audit_head(conn) -> str:
    cols = {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
    row = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1" if "hash" in cols else
                       "SELECT id, '' FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return f"{row[0]}:{row[1]}" if row else ""


def copy_database(db_path: Path, target: Path, *, key: bytes | None = None) -> Facts:
    """Copy the database at `db_path` (live or not) to `target` with the backup API, checked, renamed."""
    target = Path(target)
    tempfiles.sweep(target.parent)
    tmp = tempfiles.claim(target.with_name(tempfiles.name(target.stem)))
    try:
        src = sqlite.connect(db_path, read_only=True, key=key)
        try:
            dst = sqlite.connect(tmp, key=key)
            try:
                src.backup(dst, pages=4096)
                dst.execute("PRAGMA journal_mode=DELETE")       # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        crash_point("backup.copied")
        _fsync(tmp)
        facts = verify(tmp, key=key)
        crash_point("backup.verified")
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException as e:
        tempfiles.remove(tmp)
        if isinstance(e, BackupInvalid):
            raise BackupInvalid(f"备份校验失败，备份没有保存：{e}") from None
        if isinstance(e, (OSError, *sqlite.Error)):
            raise LedgerError(f"备份没有完成：{file_problem(e)}；原有的备份都没有改动") from None
        raise
    tempfiles.release(tmp)
    return facts


def backup(db_path: Path, reason: str = "auto", *, now: dt.datetime | None = None,
           key: bytes | None = None) -> Path:
    """One automatic backup into backups/ beside the database (not thinned here). `now` is local."""
    return backup_info(db_path, reason, now=now, key=key).path


def backup_info(db_path: Path, reason: str = "auto", *, now: dt.datetime | None = None,
                key: bytes | None = None) -> BackupInfo:
    db_path = Path(db_path)
    folder = folder_of(db_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LedgerError(f"无法创建备份文件夹“{folder}”：{file_problem(e)}") from None
    when = (now or dt.datetime.now()).replace(microsecond=0)
    target = _free_name(folder, f"{db_path.stem}-{when:%Y%m%d-%H%M%S}-{reason}")
    facts = copy_database(db_path, target, key=key)
    info = BackupInfo(target, when, target.stat().st_size, reason, True, facts)
    _remember(folder, info)
    return info


def backup_to(db_path: Path, folder: Path, *, now: dt.datetime | None = None, key: bytes | None = None) -> BackupInfo:
    """备份到U盘/其他位置: one verified file in `folder`; remembered as the last external backup."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LedgerError(f"文件夹“{folder}”不存在（U盘是否已插好？）")
    when = (now or dt.datetime.now()).replace(microsecond=0)
    target = _free_name(folder, f"助学台账备份-{db_path.stem}-{when:%Y%m%d-%H%M%S}")
    facts = copy_database(db_path, target, key=key)
    info = BackupInfo(target, when, target.stat().st_size, "external", True, facts)
    index = _load_index(folder_of(db_path))
    index["external"] = {"path": str(target), "time": when.isoformat(timespec="seconds"), "size": info.size}
    with contextlib.suppress(OSError):
        folder_of(db_path).mkdir(parents=True, exist_ok=True)
        _save_index(folder_of(db_path), index)
    return info


def last_external(db_path: Path) -> dt.datetime | None:
    ext = _load_index(folder_of(db_path)).get("external")
    with contextlib.suppress(ValueError, TypeError, KeyError, AttributeError):
        return dt.datetime.fromisoformat(ext["time"])
    return None


def _free_name(folder: Path, base: str) -> Path:
    target = folder / f"{base}.sqlite3"
    n = 2
    while target.exists():
        target = folder / f"{base}_{n}.sqlite3"
        n += 1
    return target


# ---- the list and its thinning ------------------------------------------------------------------------
def list_backups(db_path: Path) -> list[BackupInfo]:
    """The automatic backups of the database at `db_path`, newest first."""
    folder = folder_of(db_path)
    index = _load_index(folder).get("files", {})
    out = []
    for p in folder.glob(f"{Path(db_path).stem}-*.sqlite3") if folder.is_dir() else ():
        m = _NAME.match(p.name)
        if not m or m.group("stem") != Path(db_path).stem:
            continue
        try:
            when = dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S")
            size = p.stat().st_size
        except (ValueError, OSError):
            continue
        known = index.get(p.name) or {}
        verified = known.get("size") == size
        facts = Facts(**known["facts"]) if verified and isinstance(known.get("facts"), dict) else None
        out.append(BackupInfo(p, when, size, m.group("reason") or "", verified, facts))
    return sorted(out, key=lambda b: (b.time, b.path.name), reverse=True)


def newest_verified(db_path: Path, *, key: bytes | None = None) -> BackupInfo | None:
    """The newest backup that still passes verification now (checked, not taken from the index)."""
    for info in list_backups(db_path):
        try:
            facts = verify(info.path, key=key)
        except LedgerError:
            continue
        return BackupInfo(info.path, info.time, info.size, info.reason, True, facts)
    return None


def thin(times: Iterable[dt.datetime], today: dt.date) -> set[dt.datetime]:
    """Which backup times to keep (Anki's policy): every one of today, then the newest of each day
    for KEEP_DAILY days, of each ISO week for KEEP_WEEKLY weeks, of each month for KEEP_MONTHLY months.
    A kept backup marks its day, week and month as covered. Nothing older than MAX_AGE is kept, except
    the newest backup of all."""
    keep: set[dt.datetime] = set()
    left = {"day": KEEP_DAILY, "week": KEEP_WEEKLY, "month": KEEP_MONTHLY}
    last: dict[str, object] = {"day": None, "week": None, "month": None}
    ordered = sorted(set(times), reverse=True)
    for t in ordered:
        d = t.date()
        if keep and today - d > MAX_AGE:
            break
        keys = {"day": d, "week": d.isocalendar()[:2], "month": (d.year, d.month)}
        if d >= today:
            kept = True
        else:
            stage = next((k for k in ("day", "week", "month") if left[k] > 0 and keys[k] != last[k]), None)
            kept = stage is not None
            if kept:
                left[stage] -= 1
        if kept:
            keep.add(t)
            last.update(keys)
    return keep


def thin_folder(db_path: Path, today: dt.date) -> list[Path]:
    """Delete the automatic backups the policy no longer keeps; returns what was deleted."""
    backups = list_backups(db_path)
    upgrades = [b for b in backups if b.reason.startswith(UPGRADE_PREFIX)
                and today - b.time.date() <= MAX_AGE][:KEEP_UPGRADE]
    keep = thin((b.time for b in backups), today)
    gone = []
    for b in backups:
        if b.time in keep or b in upgrades:
            continue
        crash_point("backup.thinning")
        with contextlib.suppress(FileNotFoundError):
            b.path.unlink()
        gone.append(b.path)
    if gone:
        index = _load_index(folder_of(db_path))
        files = index.get("files", {})
        for p in gone:
            files.pop(p.name, None)
        with contextlib.suppress(OSError):
            _save_index(folder_of(db_path), index)
    return gone


# ---- the index ---------------------------------------------------------------------------------------
def _load_index(folder: Path) -> dict:
    try:
        data = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_index(folder: Path, data: dict) -> None:
    tmp = folder / f".{INDEX}.{secrets.token_hex(4)}.tmp"
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, folder / INDEX)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _remember(folder: Path, info: BackupInfo) -> None:
    index = _load_index(folder)
    index.setdefault("files", {})[info.path.name] = {"size": info.size, "facts": asdict(info.facts) if info.facts else None}
    with contextlib.suppress(OSError):     # the index is a cache: a backup without an entry shows as 未校验
        _save_index(folder, index)


# ---- durability -------------------------------------------------------------------------------------
def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory fsync)."""
    if os.name != "posix":  # pragma: no cover - Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
