"""A database made by release 0.1.0 opens with today's code: migrated to head, nothing lost."""
import shutil
import sqlite3
from pathlib import Path

from db.engine import open_database
from db.migrations import HEAD

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "db" / "release-0.1.0.sqlite3"
COUNTS = ("SELECT count(*) FROM student", "SELECT count(*) FROM household",
          "SELECT count(*), sum(amount_fen) FROM disbursement WHERE status = '已发放'",
          "SELECT name FROM school")


def facts(path: Path) -> list:
    con = sqlite3.connect(path)
    try:
        return [con.execute(q).fetchall() for q in COUNTS]
    finally:
        con.close()


def test_fixture_is_release_0_1_0():
    con = sqlite3.connect(FIXTURE)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()


def test_release_0_1_0_database_upgrades_and_keeps_its_data(tmp_path):
    db = tmp_path / "school.sqlite3"
    shutil.copyfile(FIXTURE, db)
    before = facts(db)
    assert before[0] == [(40,)] and before[2][0][1] > 0
    database = open_database(db)
    database.dispose()
    con = sqlite3.connect(db)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    con.close()
    assert facts(db) == before
    if HEAD != "0003":        # an upgrade happened: it was preceded by a verified backup
        assert database.backup_path is not None and facts(database.backup_path) == before
