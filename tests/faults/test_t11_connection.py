"""T11: the settings of every connection the app makes, and a secure delete checked in the file's
bytes (Debian's SQLite turns secure_delete on by default: asking the pragma proves nothing)."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from db.engine import open_database
from db.errors import LedgerError

SECRET = "ZZSECRET-341623201005030017-ZZ"


def test_every_pool_connection_has_the_safe_settings(database):
    conns = [database.engine.connect() for _ in range(3)]
    try:
        for c in conns:
            got = {p: c.exec_driver_sql(f"PRAGMA {p}").scalar() for p in
                   ("journal_mode", "synchronous", "foreign_keys", "secure_delete", "trusted_schema", "busy_timeout")}
            assert got == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "secure_delete": 1,
                           "trusted_schema": 0, "busy_timeout": 5000}
    finally:
        for c in conns:
            c.close()


def write_delete_checkpoint(db) -> bytes:
    with db.engine.begin() as c:
        c.execute(text("INSERT INTO setting (key, value) VALUES ('probe', :v)"), {"v": SECRET * 20})
    with db.engine.begin() as c:
        c.execute(text("DELETE FROM setting WHERE key = 'probe'"))
    with db.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = db.path.with_name(db.path.name + "-wal")
    return db.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_deleted_text_is_gone_from_the_file_bytes(tmp_path):
    db = open_database(tmp_path / "ledger.sqlite3")
    try:
        assert SECRET.encode() not in write_delete_checkpoint(db)
    finally:
        db.dispose()


def test_the_byte_check_can_fail(tmp_path, monkeypatch):
    """Control: with secure_delete off the same bytes stay behind, so the test above can fail."""
    from db import sqlite as dbsqlite
    monkeypatch.setattr(dbsqlite, "PRAGMAS", tuple(p.replace("secure_delete=ON", "secure_delete=OFF")
                                                   for p in dbsqlite.PRAGMAS))
    db = open_database(tmp_path / "ledger.sqlite3")
    try:
        assert SECRET.encode() in write_delete_checkpoint(db)
    finally:
        db.dispose()


def test_trusted_schema_off_refuses_functions_in_a_file_we_were_sent(tmp_path):
    """A view or trigger in a file someone sent us must not call a function with our privileges;
    the same view works once trusted_schema is on (so the test can fail)."""
    db = open_database(tmp_path / "ledger.sqlite3")
    try:
        with db.engine.connect() as c:
            raw = c.connection.driver_connection
            raw.create_function("probe", 0, lambda: 1)
            raw.execute("CREATE VIEW probe_view AS SELECT probe() AS y")
            with pytest.raises(sqlite3.OperationalError, match="unsafe use of probe"):
                raw.execute("SELECT * FROM probe_view").fetchall()
            raw.execute("PRAGMA trusted_schema=ON")
            assert raw.execute("SELECT * FROM probe_view").fetchall() == [(1,)]
            raw.execute("PRAGMA trusted_schema=OFF")
    finally:
        db.dispose()


@pytest.mark.parametrize("path", [r"\\server\share\ledger.sqlite3", "//server/share/ledger.sqlite3"])
def test_network_paths_are_refused(path):
    with pytest.raises(LedgerError, match="网络共享"):
        open_database(path)


def test_raw_connections_of_checks_never_write(tmp_path):
    from db import sqlite as dbsqlite
    db = open_database(tmp_path / "ledger.sqlite3")
    db.dispose()
    con = dbsqlite.connect(db.path, read_only=True)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            con.execute("INSERT INTO setting (key, value) VALUES ('x', 'y')")
    finally:
        con.close()
