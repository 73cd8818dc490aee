"""What every command shares: opening the database and building the services, as the CLI's actor.

A command takes the database's lock (db.lock, the one the window takes too). When a window holds it,
the command may still read, but every write is refused before it starts: the window and a command
never change one database at the same time.

A database with users is encrypted: every command logs in first (`--user NAME` or ZHUXUE_USER, the
password from ZHUXUE_PASSWORD or a prompt) and acts as that user — its writes are audited under the
user's name and limited by the user's role. A wrong password exits 2 with "用户名或密码错误".
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from db import logs
from db.access.login import needs_login, start, unlock
from db.clock import parse_day
from db.context import CLI_ACTOR, Actor, ServiceContext, Writer
from db.engine import Database, default_db_path, open_database
from db.errors import DatabaseLocked, LedgerError, ValidationError
from db.failures import file_problem
from db.lock import DatabaseLock, holder_of, try_lock
from db.services import Services

DB_HELP = "数据库文件（默认：用户数据目录下的 ledger.sqlite3）"
USER_HELP = "以哪个用户登录（加密的数据库需要；也可用环境变量 ZHUXUE_USER；密码取自 ZHUXUE_PASSWORD 或提示输入）"
OPEN_ELSEWHERE = "该数据库已在助学台账窗口中打开，命令行只能查询，不能修改；请先关闭窗口再执行"


def db_arg(parser: argparse.ArgumentParser) -> None:
    """--db (and --user) on a sub-subcommand (the top-level ones are added by db.cli; SUPPRESS keeps
    their value)."""
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=DB_HELP)
    parser.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=USER_HELP)


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
    """The database, opened as the logged-in user when it has users (`args.actor` is then that
    user's Actor; CLI_ACTOR otherwise)."""
    with locked(args) as (path, lock):
        name = password = None
        key = None
        if needs_login(path):
            name, password = credentials(args)
            key = unlock(path, name, password)
        db: Database = open_database(path, key=key, upgrade=lock is not None)
        logs.setup(path.parent)
        try:
            args.actor = CLI_ACTOR
            if key is not None:
                args.actor = start(services_of(db, lock).access, path, key, name, password, record=lock is not None)
                args.login_password = password
            yield db, lock
        finally:
            db.dispose()


@contextmanager
def services(args) -> Iterator[Services]:
    """Open the database named by --db (or the default one) and build every service on it, acting as
    the logged-in user."""
    with opened(args) as (db, lock):
        yield services_of(db, lock, args.actor)


def services_of(db: Database, lock: DatabaseLock | None, actor: Actor = CLI_ACTOR) -> Services:
    """Every service on an opened database, acting as `actor` (the logged-in user: `args.actor` after
    `opened`); writes refused when another program holds its lock."""
    writer = Writer() if lock is not None else RefusingWriter(_elsewhere(db.path))
    sv = Services.build(ServiceContext(db.session_factory, actor, writer=writer))
    sv.access.attach(db.path, db.key)
    return sv


def actor_context(args, db: Database) -> ServiceContext:
    """A context for a command's own audit entry (backups, restores), as the logged-in user."""
    return ServiceContext(db.session_factory, getattr(args, "actor", CLI_ACTOR))


def credentials(args) -> tuple[str, str]:
    """The user and password of a command: --user / ZHUXUE_USER, ZHUXUE_PASSWORD or a prompt."""
    name = (getattr(args, "user", None) or os.environ.get("ZHUXUE_USER") or "").strip()
    if not name:
        raise LedgerError("该数据库已加密，需要登录：请用 --user 用户名（或环境变量 ZHUXUE_USER）指定用户，"
                          "密码放在环境变量 ZHUXUE_PASSWORD 中或在提示时输入")
    password = os.environ.get("ZHUXUE_PASSWORD")
    if password is None:
        password = ask_secret(f"用户 {name} 的密码：")
    return name, password


def ask_secret(prompt: str) -> str:
    """A password typed at the terminal (never echoed); no terminal: a clear error, not a hang."""
    if not sys.stdin or not sys.stdin.isatty():
        raise LedgerError(f"需要输入{prompt.rstrip('：')}，但没有终端可以输入：请用环境变量提供（见 main.py user --help）")
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        raise LedgerError("已取消，没有任何改动") from None


def _elsewhere(path: Path) -> str:
    return OPEN_ELSEWHERE if holder_of(path) != "命令行" else "另一个命令正在修改该数据库，请等它结束后再试"


def print_json(obj, default=str) -> None:
    """A command's --json output: readable Chinese, dates and decimals as text."""
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=1, default=default)
    print()


def day_arg(text: str, field: str, label: str = "") -> dt.date | None:
    """A typed date option (2020-10-08, 2020.10.8 …); a bad one is a ValidationError on `field`."""
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError as e:
        raise ValidationError({field: f"{label}：{e}" if label else str(e)}) from None
