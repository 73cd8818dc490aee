"""T02: a crash at every step of the multi-step operations. Each crash point the code declares
(db.crash.POINTS) is reached in a child process that then dies at once; afterwards nothing with a
final name is partial, the previous export/backup is byte-identical, and the app starts without help."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from db import backup as backups
from db.crash import ENV, EXIT_CODE, POINTS
from db.engine import open_database
from db.migrations import HEAD
from tests.faults.conftest import ROOT, child_env, digest, run_py
from tests.faults.scenario import counts, integrity, make_ledger

NOW = dt.datetime(2024, 6, 1, 10, 0)

IMPORT = """
import sys
from db.cli.common import services
from types import SimpleNamespace
with services(SimpleNamespace(db=sys.argv[1])) as sv:
    sv.exchange.run(sv.exchange.preview(sys.argv[2]))
"""
MIGRATE = "import sys; from db.engine import open_database; open_database(sys.argv[1]).dispose()"
BACKUP = "import sys; from db.backup import backup; backup(sys.argv[1], 'manual')"
THIN = "import sys, datetime as dt; from db.backup import thin_folder; thin_folder(sys.argv[1], dt.date(2024, 6, 1))"
RESTORE = "import sys; from db.restore import restore; restore(sys.argv[1], sys.argv[2])"
EXPORT = """
import sys
from db.cli.common import services
from types import SimpleNamespace
with services(SimpleNamespace(db=sys.argv[1])) as sv:
    sv.exchange.export_workbook(sys.argv[2], term="2020秋")
"""


def crash(point: str, code: str, *args, tmpdir: Path | None = None):
    env = child_env(**{ENV: point}, **({"TMPDIR": str(tmpdir)} if tmpdir else {}))
    r = run_py(code, *map(str, args), env=env)
    assert r.returncode == EXIT_CODE, f"{point} was not reached: {r.returncode} {r.stderr[-2000:]}"
    return r


def final_backups(db: Path) -> dict[str, str]:
    return {p.name: digest(p) for p in backups.folder_of(db).glob("*.sqlite3")}


def starts(db: Path) -> None:
    """The app opens the database without help, and it is whole."""
    open_database(db).dispose()
    assert integrity(db) == ("ok", [])


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    return make_ledger(tmp_path_factory.mktemp("ledger") / "ledger.sqlite3")


@pytest.fixture
def db(ledger, tmp_path) -> Path:
    target = tmp_path / "data" / "ledger.sqlite3"
    target.parent.mkdir()
    shutil.copy(ledger, target)
    backups.backup(target, "auto", now=NOW - dt.timedelta(days=1))
    return target


def at_import(db: Path, tmp_path: Path, point: str) -> None:
    from tests.db.exchange.files import HEAD, student_row, write_xlsx
    src = write_xlsx(tmp_path / "list.xlsx", [HEAD] + [student_row(i) for i in range(1, 6)])
    before = counts(db)
    crash(point, IMPORT, db, src)
    assert counts(db) == before                         # all or nothing
    starts(db)


def at_migration(db: Path, tmp_path: Path, point: str) -> None:
    old = tmp_path / "old" / "ledger.sqlite3"
    old.parent.mkdir()
    r = run_py("import sys; from alembic import command; from db.engine import alembic_config, make_engine;"
               "e = make_engine(sys.argv[1]); command.upgrade(alembic_config(e), '0004'); e.dispose()", str(old))
    assert r.returncode == 0, r.stderr
    before = digest(old)
    for _ in range(12):                                  # a start that fails again and again
        crash(point, MIGRATE, old)
        assert _revision(old) == "0004"
    kept = list(backups.folder_of(old).glob("*.sqlite3"))
    assert len(kept) == 1 and backups.verify(kept[0]).schema == "0004"   # never rotated away
    assert digest(old) == before or _revision(old) == "0004"
    starts(old)
    assert _revision(old) == HEAD


def content(path: Path) -> str:
    """A digest of every row (the file's bytes change when only its journal mode does)."""
    import hashlib
    import sqlite3
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


def _revision(path: Path) -> str:
    import sqlite3
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def at_backup(db: Path, tmp_path: Path, point: str) -> None:
    before = final_backups(db)
    crash(point, BACKUP, db)
    assert final_backups(db) == before                  # no new final name, earlier ones identical
    backups.backup(db, "manual")                         # the next backup works and sweeps the leftover
    assert not [p for p in backups.folder_of(db).iterdir() if p.name.startswith(".~")]
    starts(db)


def at_thinning(db: Path, tmp_path: Path, point: str) -> None:
    for days in (2, 3, 4):                              # three a day: the older two of each day go
        for hours in (1, 2, 3):
            backups.backup(db, "auto", now=NOW - dt.timedelta(days=days, hours=hours))
    listed = backups.list_backups(db)
    keep = backups.thin((b.time for b in listed), NOW.date())
    assert len(keep) < len(listed) - 1, "the scenario must delete at least two backups"
    crash(point + "@2", THIN, db)
    left = backups.list_backups(db)
    assert len(left) == len(listed) - 1                  # one deleted, then the crash
    assert keep <= {b.time for b in left}                # nothing the policy keeps was deleted
    for b in left:
        backups.verify(b.path)
    starts(db)


def at_restore(db: Path, tmp_path: Path, point: str) -> None:
    source = backups.list_backups(db)[0].path
    before_db, before_backups = content(db), final_backups(db)
    crash(point, RESTORE, db, source)
    assert content(db) == before_db                      # the old database is still in place
    after = final_backups(db)
    assert {k: v for k, v in after.items() if k in before_backups} == before_backups
    for name in set(after) - set(before_backups):        # a before-restore backup, if made, is whole
        backups.verify(backups.folder_of(db) / name)
    starts(db)


def at_export(db: Path, tmp_path: Path, point: str) -> None:
    from types import SimpleNamespace

    from db.cli.common import services
    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    system_tmp = tmp_path / "systmp"
    system_tmp.mkdir()
    out = out_dir / "报送.xlsx"
    out.write_bytes(b"an older export")
    crash(point, EXPORT, db, out, tmpdir=system_tmp)
    assert out.read_bytes() == b"an older export"         # the previous export byte-identical
    assert list(system_tmp.iterdir()) == []               # nothing (full IDs) left in TMPDIR
    with services(SimpleNamespace(db=str(db))) as sv:     # the next export sweeps what the kill left
        sv.exchange.export_workbook(out, term="2020秋")
    assert sorted(p.name for p in out_dir.iterdir()) == ["报送.xlsx"]


ENCRYPT = "import sys; from db.access.login import first_admin; first_admin(sys.argv[1], '王老师', 'Zhuxue#2020')"


def at_encryption(db: Path, tmp_path: Path, point: str) -> None:
    """The first administrator encrypts a plain ledger: killed after the key file was written but
    before the encrypted copy replaced the plain file, the ledger is still plain, whole and open (no
    users), and making the administrator again works."""
    from db.access import login
    from db.access.detect import is_encrypted
    before = content(db)
    crash(point, ENCRYPT, db)
    assert content(db) == before and not is_encrypted(db)
    starts(db)
    setup = login.first_admin(db, "王老师", "Zhuxue#2020")
    assert is_encrypted(db) and login.unlock(db, "王老师", "Zhuxue#2020") == setup.key
    assert not [p for p in db.parent.iterdir() if p.name.startswith(".~")]
    open_database(db, key=setup.key).dispose()


SCENARIOS = {
    "import.rows_written": at_import,
    "migration.step": at_migration,
    "backup.copied": at_backup,
    "backup.verified": at_backup,
    "backup.thinning": at_thinning,
    "restore.saved_current": at_restore,
    "restore.copied": at_restore,
    "restore.journal_retired": at_restore,
    "export.written": at_export,
    "encrypt.keys_written": at_encryption,
}


def test_every_declared_point_has_a_scenario_and_is_called_in_the_code():
    assert set(SCENARIOS) == set(POINTS)
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "db").rglob("*.py"))
    for point in POINTS:
        assert f'crash_point("{point}")' in code, point
    import re
    called = set(re.findall(r'crash_point\("([^"]+)"\)', code))
    assert called <= set(POINTS), called - set(POINTS)


@pytest.mark.parametrize("point", sorted(POINTS))
def test_crash_at(point, db, tmp_path):
    SCENARIOS[point](db, tmp_path, point)
