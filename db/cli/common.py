"""What every command shares: opening the database and building the services, as the CLI's actor."""
from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from db.context import CLI_ACTOR, ServiceContext
from db.engine import Database, open_database
from db.services import Services

DB_HELP = "数据库文件（默认：用户数据目录下的 ledger.sqlite3）"


def db_arg(parser: argparse.ArgumentParser) -> None:
    """--db on a sub-subcommand (the top-level one is added by db.cli; SUPPRESS keeps its value)."""
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=DB_HELP)


@contextmanager
def services(args) -> Iterator[Services]:
    """Open the database named by --db (or the default one) and build every service on it."""
    db: Database = open_database(getattr(args, "db", None))
    try:
        yield Services.build(ServiceContext(db.session_factory, CLI_ACTOR))
    finally:
        db.dispose()
