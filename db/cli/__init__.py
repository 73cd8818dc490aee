"""Command-line subcommands on the same core as the GUI (like calibre's calibredb).

Each ledger adds a module here with `register(subparsers)`; each registered command gets `--db`
and returns an exit status. Expected failures print Chinese to stderr and exit 2, never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from db.errors import LedgerError

MODULES = ["db.cli.registry", "db.cli.exchange", "db.cli.aid", "db.cli.paper"]   # one line per ledger's command module
# The subcommands' names, known without importing their modules (start-up of the GUI stays lean);
# tests/db/test_cli.py keeps this equal to what the modules register.
COMMANDS = frozenset({"demo", "students", "import", "export", "reconcile", "aid", "print"})


def build_parser() -> argparse.ArgumentParser:
    import importlib
    parser = argparse.ArgumentParser(prog="main.py", description="助学台账 命令行")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    for name in MODULES:
        importlib.import_module(name).register(sub)
    for action in sub.choices.values():
        action.add_argument("--db", metavar="PATH", help="数据库文件（默认：用户数据目录下的 ledger.sqlite3）")
    return parser


def command_names() -> set[str]:
    """The names the modules really register (slow: imports them all)."""
    return set(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001


def run(argv: Sequence[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as e:  # argparse prints its own message
        return 2 if e.code else 0
    try:
        return int(args.func(args) or 0)
    except LedgerError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"错误：无法读写文件：{e.filename or ''} {e.strerror or e}", file=sys.stderr)
        return 2
