"""Benchmark: backups of a 100,000-student database (db.backup), and the check on open.

    .venv/bin/python bench/backup.py [--students 100000] [--keep] [--encrypted]

backup_s    = backup_info(): SQLite backup API into a temporary file, fsync, integrity_check + counts,
              rename (what the window does every 30 minutes when something changed, and at close)
copy_s      = the baseline in the same run: a plain file copy (shutil.copyfile + fsync) of the same file
verify_s    = verify() alone (integrity_check, schema, counts)
open_check_s = inspect(): the quick_check on every open
restore_s   = restore() of the backup (a before-restore backup of the current state included)
size_mb     = the backup's size.
--encrypted: the ledger is created encrypted (SQLCipher, a fixed 256-bit key) and every step uses the
key; the plain copy stays the baseline (copying ciphertext costs what copying plaintext does).
Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db import backup as backups
from db.context import ServiceContext
from db.demo import fill_demo
from db.engine import inspect, open_database
from db.restore import restore
from db.services import Services


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def plain_copy(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    fd = os.open(dst, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100_000)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--encrypted", action="store_true")
    args = ap.parse_args()
    key = bytes(range(32)) if args.encrypted else None
    folder = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    path = folder / "ledger.sqlite3"
    db = open_database(path, key=key)
    ctx = ServiceContext(db.session_factory)
    _, fill_s = timed(lambda: fill_demo(ctx, args.students))
    Services.build(ctx).aid.plan("2020秋")
    db.dispose()
    info, backup_s = timed(lambda: backups.backup_info(path, "manual", key=key))
    _, copy_s = timed(lambda: plain_copy(path, folder / "plain-copy.sqlite3"))
    _, verify_s = timed(lambda: backups.verify(info.path, key=key))
    _, open_check_s = timed(lambda: inspect(path, key=key))
    _, restore_s = timed(lambda: restore(path, info.path, key=key))
    out = {"students": args.students, "encrypted": args.encrypted, "db_mb": round(path.stat().st_size / 2**20, 1),
           "size_mb": round(info.size / 2**20, 1), "backup_s": round(backup_s, 2), "copy_s": round(copy_s, 2),
           "backup_vs_copy": round(backup_s / copy_s, 1), "verify_s": round(verify_s, 2),
           "open_check_s": round(open_check_s, 2), "restore_s": round(restore_s, 2), "fill_s": round(fill_s, 1)}
    for k, v in out.items():
        print(f"{k:14} {v}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"kept in {folder}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
