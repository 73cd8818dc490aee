"""What every command shares: opening the database and building the services, as the CLI's actor.

A command takes the database's lock (db.lock, the one the window takes too). When a window holds it,
the command may still read, but every write is refused before it starts: the window and a command
never change one database at the same time.
"""
from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from db import logs
from db.context import CLI_ACTOR, ServiceContext, Writer
from db.engine import Database, default_db_path, open_database
from db.errors import DatabaseLocked, LedgerError
from db.failures import file_problem
from db.lock import DatabaseLock, holder_of, try_lock
from db.services import Services

DB_HELP = "数据库文件（默认：用户数据目录下的 ledger.sqlite3）"
OPEN_ELSEWHERE = "该数据库已在助学台账窗口中打开，命令行只能查询，不能修改；请先关闭窗口再执行"


def db_arg(parser: argparse.ArgumentParser) -> None:
    """--db on a sub-subcommand (the top-level one is added by db.cli; SUPPRESS keeps its value)."""
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=DB_HELP)


class RefusingWriter(Writer):
    """The writer of a database another program holds: every write is refused, nothing is changed."""

    def __init__(self, message: str):
        super().__init__()
        self._message = message

    @contextmanager
    def hold(self, wait_s: float = 0) -> Iterator[None]:
        raise DatabaseLocked(self._message)
        yield  # pragma: no cover


def db_path(args) -> Path:
    db = getattr(args, "db", None)
    return (Path(db).expanduser() if db else default_db_path()).resolve()


@contextmanager
def locked(args) -> Iterator[tuple[Path, DatabaseLock | None]]:
    """The database's path and its lock (None when a window holds it)."""
    path = db_path(args)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LedgerError(f"无法使用文件夹“{path.parent}”：{file_problem(e)}") from None
    lock = try_lock(path, "命令行")
    try:
        yield path, lock
    finally:
        if lock is not None:
            lock.release()


@contextmanager
def opened(args) -> Iterator[tuple[Database, DatabaseLock | None]]:
    with locked(args) as (path, lock):
        db: Database = open_database(path, upgrade=lock is not None)
        logs.setup(path.parent)
        try:
            yield db, lock
        finally:
            db.dispose()


@contextmanager
def services(args) -> Iterator[Services]:
    """Open the database named by --db (or the default one) and build every service on it."""
    with opened(args) as (db, lock):
        yield services_of(db, lock)


def services_of(db: Database, lock: DatabaseLock | None) -> Services:
    """Every service on an opened database; writes refused when another program holds its lock."""
    writer = Writer() if lock is not None else RefusingWriter(_elsewhere(db.path))
    return Services.build(ServiceContext(db.session_factory, CLI_ACTOR, writer=writer))


def _elsewhere(path: Path) -> str:
    return OPEN_ELSEWHERE if holder_of(path) != "命令行" else "另一个命令正在修改该数据库，请等它结束后再试"
