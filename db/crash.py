"""Named crash points for the fault tests (RELIABILITY.md T02, T04, T10).

Multi-step operations call `crash_point("backup.copied")` between their steps. In normal use this
does nothing; when the environment variable ZHUXUE_CRASH names the point, the process ends at once
with `os._exit` (no cleanup, no `finally`, no atexit — as a power cut or kill -9 would leave it).
`ZHUXUE_CRASH=name@N` crashes at the N-th time the point is reached (1-based).

Every point is declared in POINTS; the fault tests are parametrised over this list, and a test checks
that each declared point is called somewhere in the code and that no call names an undeclared point.
"""
from __future__ import annotations

import os

ENV = "ZHUXUE_CRASH"
EXIT_CODE = 86

POINTS: dict[str, str] = {
    "import.rows_written": "import: the rows are inserted, the transaction is not committed",
    "migration.step": "migration: inside an upgrade, tables changed, version not yet written",
    "backup.copied": "backup: the copy is in its temporary file, not yet verified",
    "backup.verified": "backup: the copy is verified, not yet renamed to its final name",
    "backup.thinning": "backup rotation: between the deletion of two old backups",
    "restore.saved_current": "restore: the current state is backed up (or a damaged file copied aside)",
    "restore.copied": "restore: the backup is copied and verified in a temporary file beside the database",
    "restore.journal_retired": "restore: the current file's WAL is checkpointed away, the backup not yet in place",
    "export.written": "export: the workbook is complete in its temporary file, not yet renamed",
    "encrypt.keys_written": "encryption: the encrypted copy verified, the key file written, the plain file not yet replaced",
}

_hits: dict[str, int] = {}


def crash_point(name: str) -> None:
    """End the process here if ZHUXUE_CRASH names this point (see the module docstring)."""
    if name not in POINTS:
        raise ValueError(f"undeclared crash point {name!r}")
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition("@")
    if point != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= int(nth or 1):
        os._exit(EXIT_CODE)
