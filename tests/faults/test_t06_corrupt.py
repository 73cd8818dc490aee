"""T06: a damaged database at start. Three kinds of damage (header bytes, random bytes in a page,
truncated to half) and an empty file: the check on open refuses it, nothing is written to it, the
newest verified backup is offered with its date, backups are untouched; a restore keeps the damaged
file in damaged/ (never deleted) and the app opens the restored data; the smoke test does not hang."""
from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
import time

import pytest

from db import backup as backups
from db.engine import open_database
from db.errors import DatabaseDamaged
from db.restore import restore
from tests.faults.conftest import digest, no_traceback, run_main
from tests.faults.scenario import counts, integrity, make_ledger

NOW = dt.datetime(2024, 6, 1, 10, 0)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return make_ledger(tmp_path_factory.mktemp("t06") / "ledger.sqlite3", 400)


def damage(path, how: str, seed: int = 6) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    if how == "header":
        data[16:100] = bytes(rng.randrange(256) for _ in range(84))
    elif how == "page":
        con = sqlite3.connect(path)
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'student'").fetchone()[0]
        page = con.execute("PRAGMA page_size").fetchone()[0]
        con.close()
        start = (root - 1) * page + 8
        data[start:start + 400] = bytes(rng.randrange(256) for _ in range(400))
    elif how == "truncate":
        del data[len(data) // 2:]
    elif how == "empty":
        data = bytearray()
    path.write_bytes(bytes(data))
    if how == "page":                                   # the fault must really be there
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            assert con.execute("PRAGMA quick_check").fetchone()[0] != "ok", "the damage was not set up"
        except sqlite3.DatabaseError:
            pass
        finally:
            con.close()


@pytest.fixture
def damaged(ledger, tmp_path, request):
    db = tmp_path / "ledger.sqlite3"
    shutil.copy(ledger, db)
    older = backups.backup(db, "auto", now=NOW - dt.timedelta(days=3))
    newest = backups.backup(db, "close", now=NOW - dt.timedelta(hours=2))
    damage(db, request.param)
    return db, older, newest


@pytest.mark.parametrize("damaged", ["header", "page", "truncate", "empty"], indirect=True)
def test_damaged_database_at_start(damaged):
    db, older, newest = damaged
    before = digest(db)
    kept = {p: digest(p) for p in (older, newest)}
    with pytest.raises(DatabaseDamaged):
        open_database(db)
    assert digest(db) == before                          # nothing written to the damaged file
    offer = backups.newest_verified(db)
    assert offer.path == newest and offer.time == NOW - dt.timedelta(hours=2) and offer.facts.students == 400

    t = time.monotonic()
    r = run_main("--smoke-test", "--db", str(db))          # no hang, no traceback
    assert r.returncode == 2 and "已损坏" in r.stderr and time.monotonic() - t < 60
    no_traceback(r)
    r = run_main("students", "--db", str(db))
    assert r.returncode == 2 and "已损坏" in r.stderr and "backup restore" in r.stderr
    no_traceback(r)
    assert digest(db) == before and {p: digest(p) for p in kept} == kept

    result = restore(db, offer.path)
    assert result.damaged_copy is not None and digest(result.damaged_copy) == before   # moved aside, never deleted
    assert {p: digest(p) for p in kept} == kept
    open_database(db).dispose()
    assert counts(db)[0] == 400 and integrity(db) == ("ok", [])


def test_an_empty_file_is_not_silently_a_new_ledger(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    db.write_bytes(b"")
    with pytest.raises(DatabaseDamaged, match="0 字节"):
        open_database(db)
    assert db.read_bytes() == b""
