"""T03: the disk under the database fills up (a 1 MB tmpfs). Writes fail with "磁盘空间不足" (no
traceback), what was committed stays, the file stays whole, and after space is freed the next write
succeeds."""
from __future__ import annotations

import pytest

from db import failures
from db.context import Actor, ServiceContext
from db.engine import open_database
from db.registry.dto import HouseholdForm
from db.services import Services
from tests.faults.conftest import no_traceback, run_main
from tests.faults.scenario import integrity
from tests.faults.workload import letters


def test_disk_full_under_the_database(tmpfs):
    folder = tmpfs("2m")                             # room for the new ledger (its log is folded in), then full
    ballast = folder / "ballast.bin"
    ballast.write_bytes(b"\0" * 200_000)             # freed at the end: "the officer deletes a file"
    db = open_database(folder / "ledger.sqlite3")
    sv = Services.build(ServiceContext(db.session_factory, Actor("李老师")))
    saved, error = [], None
    for i in range(100_000):
        try:
            saved.append(sv.registry.save_household(HouseholdForm(head_name=f"户主{letters(i)}",
                                                                   village="很长的村名" * 20, notes="备注" * 300)).id)
        except Exception as e:
            error = e
            break
    if error is None:
        pytest.fail("the 1 MB tmpfs never filled up: the fault was not set up")
    assert "磁盘空间不足" in failures.user_message(error, "保存"), repr(error)
    assert failures.is_file_error(error)
    with sv.ctx.read() as s:
        from sqlalchemy import text
        ids = {r[0] for r in s.execute(text("SELECT id FROM household"))}
    assert set(saved) <= ids                          # everything committed is still there
    ballast.unlink()
    after = sv.registry.save_household(HouseholdForm(head_name="户主新", village="前进村"))
    assert after.id
    db.dispose()
    assert integrity(folder / "ledger.sqlite3") == ("ok", [])


def test_disk_full_from_the_command_line(tmpfs):
    folder = tmpfs("1m")
    r = run_main("demo", "--students", "3000", "--db", str(folder / "ledger.sqlite3"))
    assert r.returncode == 2
    assert not (folder / "ledger.sqlite3").exists() or integrity(folder / "ledger.sqlite3") == ("ok", [])
    assert "磁盘空间不足" in r.stderr, r.stderr
    no_traceback(r)
