"""助学台账 — entry point.

    python main.py [--db PATH]            start the desktop app
    python main.py --smoke-test           start offscreen-capable GUI, show the student list, exit 0
    python main.py COMMAND ... [--db PATH] run a command-line subcommand (see --help)
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from db.cli.console import is_cli_executable, prepare_streams
    prepare_streams()           # Chinese readable in any code page, never a crash (db/cli/console.py)
    if not argv and is_cli_executable():
        argv = ["--help"]       # zhuxue-cli without a command: its help, not the window
    first = next((a for a in argv if not a.startswith("-")), None)
    from db.cli import COMMANDS
    if first in COMMANDS or argv[:1] in (["-h"], ["--help"]):
        from db.cli import run
        return run(argv)
    from desktop.app import run_gui
    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
