import hashlib
import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from db.engine import alembic_config, head_revision, make_engine, open_database
from db.errors import DatabaseTooNew, LedgerError
from db.models import Base


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_connection_pragmas(database):
    with database.engine.connect() as c:
        got = {p: c.exec_driver_sql(f"PRAGMA {p}").scalar() for p in
               ("foreign_keys", "journal_mode", "synchronous", "busy_timeout", "secure_delete")}
    assert got == {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 2, "busy_timeout": 5000,
                   "secure_delete": 1}


def test_revision_list_matches_the_migration_scripts():
    from alembic.script import ScriptDirectory

    from db.migrations import HEAD, REVISIONS
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD
    assert [r.revision for r in script.walk_revisions()][::-1] == list(REVISIONS)


def test_models_and_migrations_agree(database):
    with database.engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_migrations_go_down_and_up_again(database):
    cfg = alembic_config(database.engine)
    command.downgrade(cfg, "base")
    with database.engine.connect() as c:
        tables = c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'").scalars().all()
    assert set(tables) <= {"alembic_version"}
    command.upgrade(cfg, "head")
    with database.engine.connect() as c:
        assert MigrationContext.configure(c).get_current_revision() == head_revision()


def test_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "new.sqlite3"
    open_database(path).dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(DatabaseTooNew, match="更新版本"):
        open_database(path)
    assert digest(path) == before


def test_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"PK\x03\x04 not sqlite at all")
    with pytest.raises(LedgerError, match="不是数据库文件"):
        open_database(path)
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    with pytest.raises(LedgerError, match="不是助学台账的数据库"):
        open_database(other)


def test_network_share_is_refused():
    with pytest.raises(LedgerError, match="网络共享"):
        open_database(r"\\server\share\ledger.sqlite3")


def test_upgrade_takes_a_verified_backup_first(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as c:
        c.exec_driver_sql("INSERT INTO school(name, county, township, stages, code, officer, headmaster, phone)"
                          " VALUES ('老学校', '', '', '小学', '', '', '', '')")
    engine.dispose()
    db = open_database(path)
    try:
        assert db.backup_path is not None and db.backup_path.exists()
        con = sqlite3.connect(db.backup_path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT name FROM school").fetchone()[0] == "老学校"
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        con.close()
    finally:
        db.dispose()
    again = open_database(path)           # already at head: no second backup
    assert again.backup_path is None
    again.dispose()
