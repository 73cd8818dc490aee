"""T10: migrations from every earlier schema. A database of each released schema (made here from the
migrations themselves: current demo data, downgraded to that revision) is upgraded by the app's open:
a verified backup at the old schema exists first; the upgraded file passes integrity, foreign-key and
data checks. A crash inside the migration is T02 (migration.step); a newer database is refused
untouched (tests/db/test_engine.py)."""
from __future__ import annotations

import shutil
import sqlite3

import pytest
from alembic import command

from db import backup as backups
from db.engine import alembic_config, make_engine, open_database
from db.migrations import HEAD, REVISIONS
from tests.faults.scenario import integrity, make_ledger


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    return make_ledger(tmp_path_factory.mktemp("t10") / "ledger.sqlite3", 50)


def students(path) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT name, id_number, bank_card_no FROM student ORDER BY id").fetchall()
    finally:
        con.close()


def at_revision(current, tmp_path, rev: str):
    path = tmp_path / f"schema-{rev}.sqlite3"
    shutil.copy(current, path)
    engine = make_engine(path)
    command.downgrade(alembic_config(engine), rev)
    engine.dispose()
    return path


@pytest.mark.parametrize("rev", REVISIONS[:-1])
def test_upgrade_from_every_released_schema(rev, current, tmp_path):
    old = at_revision(current, tmp_path, rev)
    want = students(current)
    assert students(old) == want
    db = open_database(old)
    try:
        assert db.backup_path is not None
        assert backups.verify(db.backup_path).schema == rev       # the verified pre-migration backup
        assert students(db.backup_path) == want
    finally:
        db.dispose()
    assert integrity(old) == ("ok", [])
    assert students(old) == want
    con = sqlite3.connect(old)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    finally:
        con.close()
