"""助学台账 — entry point.

    python main.py [--db PATH]            start the desktop app
    python main.py --smoke-test           start offscreen-capable GUI, show the student list, exit 0
    python main.py COMMAND ... [--db PATH] run a command-line subcommand (see --help)
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout and hasattr(sys.stdout, "reconfigure"):
        # Windows consoles default to a legacy code page; Chinese must never crash a command.
        for stream in (sys.stdout, sys.stderr):
            stream.reconfigure(errors="replace")
    first = next((a for a in argv if not a.startswith("-")), None)
    from db.cli import COMMANDS
    if first in COMMANDS or argv[:1] in (["-h"], ["--help"]):
        from db.cli import run
        return run(argv)
    from desktop.app import run_gui
    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
