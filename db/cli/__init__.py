"""Command-line subcommands on the same core as the GUI (like calibre's calibredb).

Each ledger registers its command module and command words in db.ledgers; the module adds its
commands with `register(subparsers)`. `--db PATH` may stand before or after the command. Every
failure prints one Chinese sentence to stderr and exits 2 — never a traceback, never the SQL or its
parameters; the detail of an unexpected one goes to the log beside the database, masked.
"""
from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path

from db import failures, logs
from db.cli.common import DB_HELP, USER_HELP
from db.errors import LedgerError
from db.ledgers import command_modules, command_words

# The command words, known without importing their modules (start-up of the GUI stays lean);
# tests/db/test_cli.py keeps this equal to what the modules register.
COMMANDS = command_words()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="助学台账 命令行")
    parser.add_argument("--db", metavar="PATH", help=DB_HELP)
    parser.add_argument("--user", metavar="NAME", help=USER_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    for module in command_modules():
        import_module(module).register(sub)
    for action in sub.choices.values():
        action.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=DB_HELP)
        action.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=USER_HELP)
    return parser


def command_names() -> set[str]:
    """The names the modules really register (slow: imports them all)."""
    return set(build_parser()._subparsers._group_actions[0].choices)


def run(argv: Sequence[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as e:  # argparse prints its own message
        return 2 if e.code else 0
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 2
    except Exception as e:
        if not isinstance(e, LedgerError):
            _log_beside(args)
        print(f"错误：{failures.report(e, '命令')}", file=sys.stderr)
        return 2


def _log_beside(args) -> None:
    """The log file beside the database (or in the default data folder), for the unexpected."""
    if logs.log_path() is not None:
        return
    with contextlib.suppress(Exception):
        from db.engine import default_db_path  # noqa: PLC0415 - start-up: loaded only when used
        db = getattr(args, "db", None)
        logs.setup((Path(db).expanduser().resolve() if db else default_db_path()).parent)
    if logs.log_path() is None:                 # nowhere to write: say nothing rather than a traceback
        logs.log.propagate = False
        logs.log.addHandler(logs.logging.NullHandler())
