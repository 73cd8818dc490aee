"""Opening a ledger database: path checks, a check of the file before anything writes to it,
connection settings (db.sqlite), a verified backup (db.backup) before any upgrade, migrations.

The order on open (`open_database`):
1. the path: local disk only; the folder must exist or be creatable;
2. the file, read-only (`inspect`): 0 bytes, not SQLite, `quick_check` failing → DatabaseDamaged
   (nothing written; the window offers the newest verified backup); a newer schema → DatabaseTooNew;
3. a missing file is created under a temporary name, migrated and renamed (a start killed halfway
   never leaves an empty or half-made ledger under the real name);
4. an old schema: a verified backup first (reused if an identical one exists), then the upgrade in
   one transaction (db/migrations/env.py). A failed start deletes no backup.

Encryption at rest plugs in at one place: every connection is made by `db.sqlite.connect(path, key=…)`;
the `key` given to `open_database` reaches the pool (make_engine), the checks, backups and restores.
An encrypted ledger opened without its key raises DatabaseEncrypted (the caller asks for a login),
never DatabaseDamaged: a wrong or missing password never leads to a restore. With a key that passed
the key file's check (db.access.keys), a file SQLite cannot read is damaged.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from db import backup as backups
from db import sqlite, tempfiles
from db.access.detect import is_encrypted, key_file, looks_encrypted
from db.errors import DatabaseDamaged, DatabaseEncrypted, DatabaseTooNew, LedgerError
from db.failures import file_problem
from db.migrations import HEAD, REVISIONS

MIGRATIONS = Path(__file__).with_name("migrations")
APP_NAME = "ZhuxueLedger"
MAGIC = b"SQLite format 3\x00"


def default_db_path() -> Path:
    from platformdirs import user_data_dir  # noqa: PLC0415 - start-up: loaded only when used
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "ledger.sqlite3"


def check_local_path(path: Path) -> None:
    """WAL needs shared memory that network file systems do not give, and a USB stick pulled out
    mid-write loses data: refuse both (backups go to a USB stick; the database never lives there)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        raise LedgerError(f"数据库不能放在网络共享文件夹上（{text}），请放在本机磁盘上")
    if sys.platform == "win32":  # pragma: no cover - Windows only
        drive = os.path.splitdrive(os.path.abspath(text))[0] + "\\"
        kind = ctypes.windll.kernel32.GetDriveTypeW(drive)
        if kind == 4:  # DRIVE_REMOTE
            raise LedgerError(f"数据库不能放在网络驱动器 {drive} 上，请放在本机磁盘上")
        if kind == 2:  # DRIVE_REMOVABLE
            raise LedgerError(f"数据库不能放在U盘等可移动磁盘 {drive} 上（拔出时会丢失数据），请放在本机磁盘上；"
                              "U盘用来存放备份（文件 → 备份与恢复 → 备份到U盘）")


def make_engine(path: Path, key: bytes | None = None) -> Engine:
    """The pool of connections to the file; SQL parameters never appear in errors or logs."""
    engine = create_engine(f"sqlite:///{path}", creator=lambda: sqlite.connect(path, key=key),
                           hide_parameters=True, module=sqlite.driver(key))
    sqlite.configure(engine)
    return engine


def alembic_config(engine: Engine | None = None):
    from alembic.config import Config  # imported only when migrating: keeps start-up fast  # noqa: PLC0415 - start-up: loaded only when used
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    return HEAD


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type='table' AND "
                                    "name='alembic_version'").first():
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


@dataclass
class Database:
    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]
    backup_path: Path | None = None
    key: bytes | None = None

    def dispose(self) -> None:
        with contextlib.suppress(Exception):      # a damaged or vanished file must not stop the close
            sqlite.optimize(self.engine)
        self.engine.dispose()


def open_database(path: Path | str | None = None, *, key: bytes | None = None, upgrade: bool = True) -> Database:
    """Open (creating if needed) and migrate the database at `path` (see the module docstring).
    `upgrade=False` (a database another window holds) refuses an old schema instead of migrating."""
    path = Path(path) if path else default_db_path()
    check_local_path(path)
    path = path.resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LedgerError(f"无法使用文件夹“{path.parent}”：{file_problem(e)}") from None
    if not path.exists():
        _create(path, key)
    elif key is not None and not is_encrypted(path) and not looks_encrypted(path):
        key = None                      # a plain file (a plain backup put back by hand): opened as it is
    current = inspect(path, key=key)
    backup_path = None
    if current != HEAD:
        if not upgrade:
            raise LedgerError(f"数据库 {path} 需要升级，但它正在另一个窗口中打开；请先关闭那个窗口")
        backup_path = _backup_before_upgrade(path, key) if current is not None else None
        _migrate(path, key, backup_path)
    engine = make_engine(path, key)
    return Database(path, engine, sessionmaker(engine, expire_on_commit=False), backup_path, key)


def inspect(path: Path, *, key: bytes | None = None) -> str | None:
    """Check the file without writing to it; returns its schema revision (None: no tables yet).
    Raises DatabaseDamaged, DatabaseTooNew or LedgerError (not a ledger)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            magic = f.read(16)
    except OSError as e:
        raise LedgerError(f"无法读取数据库文件 {path}：{file_problem(e)}") from None
    if size == 0:
        raise DatabaseDamaged(path, "文件是空的，0 字节")
    if magic != MAGIC and key is None:
        if key_file(path).exists() or looks_encrypted(path):
            raise DatabaseEncrypted(path, key_file(path).exists())
        if backups.list_backups(path):
            raise DatabaseDamaged(path, "文件头已损坏")
        raise LedgerError(f"{path} 不是数据库文件，未做任何更改")
    try:
        conn = sqlite.connect(path, read_only=True, key=None if magic == MAGIC else key)
        try:
            return _check_file(conn, path)
        finally:
            conn.close()
    except sqlite.Error as e:
        code = getattr(e, "sqlite_errorcode", 0) & 0xFF
        if code in (11, 26):                        # SQLITE_CORRUPT, SQLITE_NOTADB
            raise DatabaseDamaged(path, "文件内容已损坏") from None
        raise LedgerError(f"无法打开数据库 {path}：{file_problem(e)}") from None


def _check_file(conn, path: Path) -> str | None:
    problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)").fetchall()]
    if problems != ["ok"]:
        raise DatabaseDamaged(path, "完整性检查没有通过")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "alembic_version" not in tables:
        if tables:
            raise LedgerError(f"{path} 不是助学台账的数据库，未做任何更改")
        return None
    current = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    current = current[0] if current else None
    if current is not None and current not in REVISIONS:
        raise DatabaseTooNew(f"数据库 {path} 由更新版本的助学台账创建（版本 {current}），"
                             "请升级本软件后再打开；为保护数据，未做任何更改")
    return current


def _create(path: Path, key: bytes | None) -> None:
    """A new ledger, made under a temporary name and renamed when complete."""
    tempfiles.sweep(path.parent)
    tmp = tempfiles.claim(path.with_name(tempfiles.name(path.stem)))
    try:
        _migrate(tmp, key, None)
        _fold_wal(tmp, key)
        os.replace(tmp, path)
    finally:
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            tempfiles.remove(p)


def _fold_wal(path: Path, key: bytes | None) -> None:
    """Copy the write-ahead log into the file itself before the file is renamed: the rename moves the
    file only, and a log left behind (closing checkpoints it, but silently gives up on a full disk)
    would leave the new ledger incomplete."""
    try:
        conn = sqlite.connect(path, key=key)
        try:
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except (OSError, *sqlite.Error) as e:
        raise LedgerError(f"无法创建数据库：{file_problem(e)}") from None
    wal = Path(f"{path}-wal")
    if busy or (wal.exists() and wal.stat().st_size):
        raise LedgerError(f"无法创建数据库：{file_problem(OSError(28, 'No space left on device'))}")


def _migrate(path: Path, key: bytes | None, backup_path: Path | None) -> None:
    from alembic import command  # noqa: PLC0415 - start-up: loaded only when used
    engine = make_engine(path, key)
    try:
        command.upgrade(alembic_config(engine), "head")
    except LedgerError:
        raise
    except (OSError, *sqlite.Error) as e:
        raise LedgerError(_upgrade_failed(path, file_problem(e), backup_path)) from None
    except Exception as e:
        from db import logs  # noqa: PLC0415 - start-up: loaded only when used
        logs.unexpected("数据库升级", e)
        raise LedgerError(_upgrade_failed(path, "意外错误，详情已记入日志", backup_path)) from None
    finally:
        engine.dispose()


def _upgrade_failed(path: Path, why: str, backup_path: Path | None) -> str:
    return (f"数据库 {path} 升级失败（{why}），升级已整体撤销，数据保持原样"
            + (f"；升级前的备份：{backup_path}" if backup_path else ""))


def _backup_before_upgrade(path: Path, key: bytes | None) -> Path:
    """A verified backup before a schema upgrade; an identical one from a failed earlier start is
    reused (a start that fails again and again never pushes the clean backups out)."""
    conn = sqlite.connect(path, read_only=True, key=key)
    try:
        schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        now = backups.facts_of(conn, schema[0] if schema else "")
    finally:
        conn.close()
    reason = f"{backups.UPGRADE_PREFIX}{HEAD}"
    for b in backups.list_backups(path):
        if b.reason == reason and b.verified and b.facts == now:
            return b.path
    return backups.backup(path, reason, key=key)
