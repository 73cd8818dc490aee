"""T20: deletion really deletes. A deleted student's ID number is gone from the database and WAL
bytes after a checkpoint, the deletion is audited without the number in clear, backups that still
hold it are removed once past retention (db.backup.MAX_AGE), and audit entries past their retention
(3 years) can be purged — the purge itself recorded and the chain still whole."""
from __future__ import annotations

import datetime as dt
import sqlite3

from db import audit
from db import backup as backups
from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.engine import open_database
from db.registry.service import RegistryService
from tests.faults.scenario import make_ledger

T0 = dt.datetime(2021, 3, 1, 2, 0)


def folder_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_a_deleted_student_is_gone_from_every_file(tmp_path):
    db_path = make_ledger(tmp_path / "ledger.sqlite3", 30, plan=False)
    con = sqlite3.connect(db_path)
    sid, number, card = con.execute("SELECT id, id_number, bank_card_no FROM student "
                                    "WHERE bank_card_no IS NOT NULL LIMIT 1").fetchone()
    con.close()
    backups.backup(db_path, "auto", now=T0)                       # a backup that holds the student
    db = open_database(db_path)
    ctx = ServiceContext(db.session_factory, Actor("李老师"), FixedClock(T0 + dt.timedelta(days=1)))
    RegistryService(ctx).delete_student(sid)
    with db.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with ctx.read() as s:
        entry = [e for e in audit.entries(s) if e.action == "delete" and e.entity == "student"][0]
        log_text = " ".join(f"{e.summary} {e.before} {e.after}" for e in audit.entries(s))
    db.dispose()
    assert entry.entity_id == sid
    assert number not in log_text and card not in log_text          # audited, masked
    live = db_path.read_bytes() + (db_path.with_name(db_path.name + "-wal").read_bytes()
                                   if db_path.with_name(db_path.name + "-wal").exists() else b"")
    assert number.encode() not in live and card.encode() not in live
    assert number.encode() in folder_bytes(tmp_path / "backups")     # until the old backup goes
    backups.backup(db_path, "close", now=T0 + dt.timedelta(days=1))
    backups.thin_folder(db_path, (T0 + dt.timedelta(days=400)).date())
    assert number.encode() not in folder_bytes(tmp_path)             # database, WAL, backups


def test_audit_entries_past_retention_are_purged_and_the_purge_recorded(tmp_path):
    db = open_database(tmp_path / "ledger.sqlite3")
    try:
        old = ServiceContext(db.session_factory, Actor("王老师"), FixedClock(T0))
        for i in range(5):
            audit.log_event(old, "export", "student", summary=f"导出 {i}")
        later = ServiceContext(db.session_factory, Actor("李老师"), FixedClock(T0 + dt.timedelta(days=800)))
        audit.log_event(later, "export", "student", summary="导出 新")
        assert audit.purge(later) == 0                              # nothing is 3 years old yet
        now = ServiceContext(db.session_factory, Actor("李老师"), FixedClock(T0 + dt.timedelta(days=3 * 365 + 10)))
        assert audit.purge(now) == 5
        with now.read() as s:
            left = [(e.action, e.summary) for e in audit.entries(s)]
            assert audit.verify_chain(s).ok
        assert left[0] == ("export", "导出 新") and left[-1][0] == "purge" and "5 条" in left[-1][1]
    finally:
        db.dispose()
