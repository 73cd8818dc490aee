"""Opening a ledger database: path checks, connection settings (db.sqlite), a verified backup (db.backup)
before any upgrade, migrations."""
from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from db import sqlite
from db.backup import backup
from db.errors import DatabaseTooNew, LedgerError
from db.migrations import HEAD, REVISIONS

MIGRATIONS = Path(__file__).with_name("migrations")
APP_NAME = "ZhuxueLedger"


def default_db_path() -> Path:
    from platformdirs import user_data_dir  # noqa: PLC0415 - start-up: loaded only when used
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "ledger.sqlite3"


def check_local_path(path: Path) -> None:
    """WAL needs shared memory that network file systems do not give: refuse them."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        raise LedgerError(f"数据库不能放在网络共享文件夹上（{text}），请放在本机磁盘上")
    if sys.platform == "win32":  # pragma: no cover - Windows only
        drive = os.path.splitdrive(os.path.abspath(text))[0] + "\\"
        if ctypes.windll.kernel32.GetDriveTypeW(drive) == 4:  # DRIVE_REMOTE
            raise LedgerError(f"数据库不能放在网络驱动器 {drive} 上，请放在本机磁盘上")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
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

    def dispose(self) -> None:
        sqlite.optimize(self.engine)
        self.engine.dispose()


def open_database(path: Path | str | None = None) -> Database:
    """Open (creating if needed) and migrate the database at `path`.

    A database written by a newer version of the app is refused untouched.
    """
    path = Path(path) if path else default_db_path()
    check_local_path(path)
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        _check_is_sqlite(path)
    engine = make_engine(path)
    current = current_revision(engine)
    head = HEAD
    if current is not None and current not in REVISIONS:
        engine.dispose()
        raise DatabaseTooNew(f"数据库 {path} 由更新版本的助学台账创建（版本 {current}），"
                             "请升级本软件后再打开；为保护数据，未做任何更改")
    if existed and current is None and _has_tables(engine):
        engine.dispose()
        raise LedgerError(f"{path} 不是助学台账的数据库，未做任何更改")
    backup_path = None
    if current != head:
        if existed and current is not None:
            backup_path = backup(path, f"before-{head}")
        from alembic import command  # noqa: PLC0415 - start-up: loaded only when used
        command.upgrade(alembic_config(engine), "head")
    return Database(path, engine, sessionmaker(engine, expire_on_commit=False), backup_path)


def _check_is_sqlite(path: Path) -> None:
    with open(path, "rb") as f:
        magic = f.read(16)
    if magic != b"SQLite format 3\x00":
        raise LedgerError(f"{path} 不是数据库文件，未做任何更改")


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type='table'").scalar_one() > 0
