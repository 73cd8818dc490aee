"""A small real ledger for the fault tests, and the child-process scripts that run one operation."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from db import backup as backups
from db import sqlite
from db.context import Actor, ServiceContext
from db.demo import fill_demo
from db.engine import open_database
from db.services import Services

TERM = "2020秋"


def make_ledger(path: Path, students: int = 40, *, seed: int = 2020, plan: bool = True) -> Path:
    """A migrated ledger with demo students and (by default) the 2020秋 batch planned."""
    db = open_database(path)
    try:
        ctx = ServiceContext(db.session_factory, Actor("李老师"))
        fill_demo(ctx, students, seed=seed)
        if plan:
            Services.build(ctx).aid.plan(TERM)
    finally:
        db.dispose()
    return path


def counts(path: Path) -> tuple[int, int, int]:
    """(students, live lines, their money) read straight from the file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        f = backups.facts_of(con, "")
        return f.students, f.lines, f.money_fen
    finally:
        con.close()


def integrity(path: Path, key: bytes | None = None) -> tuple[str, list]:
    con = sqlite.connect(path, read_only=True, key=key)   # SQLCipher for an encrypted ledger
    try:
        return (con.execute("PRAGMA integrity_check").fetchone()[0],
                con.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        con.close()


def money_reconciles(path: Path, key: bytes | None = None) -> bool:
    """Every batch's total equals the sum of its live cash lines (not void, not 减免), to the fen."""
    con = sqlite.connect(path, read_only=True, key=key)   # SQLCipher for an encrypted ledger
    try:
        bad = con.execute("SELECT b.id FROM aid_batch b WHERE b.total_fen <> (SELECT coalesce(sum(amount_fen), 0) "
                          "FROM disbursement d WHERE d.batch_id = b.id AND d.status NOT IN ('已作废', '减免'))").fetchall()
        return bad == []
    finally:
        con.close()


def old_backup(db: Path, days_ago: int, now: dt.datetime) -> Path:
    return backups.backup(db, "auto", now=now - dt.timedelta(days=days_ago))
