"""助学台账 — entry point.

    python main.py [--db PATH]            start the desktop app
    python main.py --smoke-test           start offscreen-capable GUI, show the student list, exit 0
    python main.py [--db PATH] COMMAND …  run a command-line subcommand (see --help); --db may also
                                          follow the command

A word that is not a command never starts the window: it exits 2 with the list of commands.
"""
from __future__ import annotations

import sys

# Options of the window (and Qt's own) that take a value: the value is not a command word.
_VALUE_OPTIONS = {"--db", "-platform", "-style", "-stylesheet", "-display", "-qwindowgeometry",
                  "-qwindowtitle", "-qwindowicon", "-platformpluginpath", "-platformtheme", "-plugin",
                  "-session"}


def first_word(argv: list[str]) -> str | None:
    """The first argument that is neither an option nor an option's value."""
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a in _VALUE_OPTIONS:
            skip = True
        elif not a.startswith("-"):
            return a
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from db.console import is_cli_executable, prepare_streams  # noqa: PLC0415 - start-up: light, no Qt, no SQL
    prepare_streams()           # Chinese readable in any code page, never a crash (db/console.py)
    if not argv and is_cli_executable():
        argv = ["--help"]       # zhuxue-cli without a command: its help, not the window
    word = first_word(argv)
    if word is not None or argv[:1] in (["-h"], ["--help"]):
        from db.cli import COMMANDS, run  # noqa: PLC0415 - start-up: loaded only when used
        if word is not None and word not in COMMANDS:
            print(f"错误：未知命令“{word}”。可用的命令：{'、'.join(sorted(COMMANDS))}（main.py --help 查看说明）",
                  file=sys.stderr)
            return 2
        return run(argv)
    from desktop.app import run_gui  # noqa: PLC0415 - start-up: loaded only when used
    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
