"""T09: rolling backups over 400 days with a moved clock. Backups only when something changed; the
thinning keeps all of today, 12 daily, 10 weekly, 9 monthly; each kept backup opens and passes
integrity_check; restoring the newest gives the live data."""
from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time

import pytest

from db import backup as backups
from db.backup_schedule import BackupScheduler
from db.clock import Clock
from db.context import Actor, ServiceContext
from db.engine import open_database
from db.registry.dto import HouseholdForm
from db.registry.service import RegistryService
from db.restore import restore
from tests.faults.scenario import make_ledger
from tests.faults.workload import letters

START = dt.datetime(2023, 1, 2, 1, 0)          # UTC; 09:00 in Anhui


class MovingClock(Clock):
    def __init__(self, now: dt.datetime):
        self.at = now

    def now(self) -> dt.datetime:
        return self.at

    def today(self) -> dt.date:
        return (self.at + dt.timedelta(hours=8)).date()


def dump(path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [line for line in con.iterdump() if "alembic_version" not in line]
    finally:
        con.close()


@pytest.fixture
def anhui_time(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_rolling_backups_over_400_days(tmp_path, anhui_time):
    db_path = make_ledger(tmp_path / "ledger.sqlite3", 20, plan=False)
    clock = MovingClock(START)
    db = open_database(db_path)
    reg = RegistryService(ServiceContext(db.session_factory, Actor("李老师"), clock))
    rng = random.Random(9)
    sched = BackupScheduler(db_path, clock)
    made: list[dt.date] = []
    edit_days: set[dt.date] = set()
    n = 0
    for day in range(400):
        clock.at = START + dt.timedelta(days=day)
        edits = rng.random() < 0.4
        for tick in range(48):                              # 8 hours, a tick every 10 minutes
            if edits and tick in (3, 20):
                n += 1
                reg.save_household(HouseholdForm(head_name=f"户主{letters(n)}", village="前进村"))
                edit_days.add(clock.today())
            if sched.tick():
                made.append(clock.today())
            clock.at += dt.timedelta(minutes=10)
        if sched.at_close():
            made.append(clock.today())
    sched.close()
    db.dispose()
    today = clock.today()
    assert made[0] == START.date() or made[0] in edit_days  # the first: no backup existed yet
    assert set(made[1:]) <= edit_days                        # afterwards only when something changed
    assert edit_days <= set(made)                            # and every day with changes has one
    kept = backups.list_backups(db_path)
    older = sorted({b.time.date() for b in kept if b.time.date() < today}, reverse=True)
    assert len([b for b in kept if b.time.date() < today]) == len(older)      # one a day at most before today
    assert len(older) <= backups.KEEP_DAILY + backups.KEEP_WEEKLY + backups.KEEP_MONTHLY
    recent_edit_days = sorted((d for d in edit_days if d < today), reverse=True)[:backups.KEEP_DAILY]
    assert set(recent_edit_days) <= set(older)               # the 12 latest days are all kept
    assert (today - older[-1]).days > 200                    # monthly backups reach far back
    assert backups.thin((b.time for b in kept), today) == {b.time for b in kept}   # nothing more to thin
    for b in kept:
        assert backups.verify(b.path).schema
    live = dump(db_path)
    restore(db_path, kept[0].path)
    assert dump(db_path) == live
