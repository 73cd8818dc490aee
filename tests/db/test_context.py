"""The house: one writer, the acting user on every change, one audit path, UTC stored and local shown."""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from db.clock import FixedClock, local_text
from db.context import Actor, ServiceContext, Writer, WriterBusy
from db.models.core import AuditLog
from db.registry.dto import HouseholdForm
from db.registry.service import RegistryService


def test_two_writes_never_run_at_once(database):
    """Writes from two threads (a form on the GUI thread, an import on a worker) take turns."""
    ctx = ServiceContext(database.session_factory)
    inside, overlaps, barrier = [], [], threading.Barrier(4)

    def writer(n: int) -> None:
        barrier.wait()
        for _ in range(5):
            with ctx.write() as s:
                inside.append(n)
                if len(inside) > 1:
                    overlaps.append(tuple(inside))
                s.execute(text("INSERT INTO setting (key, value) VALUES (:k, '')"), {"k": f"t{n}-{time.perf_counter_ns()}"})
                time.sleep(0.002)
                inside.remove(n)
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []
    with ctx.read() as s:
        assert s.scalar(text("SELECT count(*) FROM setting WHERE key LIKE 't%'")) == 20


def test_a_write_waits_for_the_writer_then_gives_up_with_a_message():
    w = Writer()
    with w.hold():
        got: list[BaseException] = []
        t = threading.Thread(target=lambda: _try(w, got))
        t.start()
        t.join()
    assert isinstance(got[0], WriterBusy) and "请稍后再试" in str(got[0])


def _try(w: Writer, got: list) -> None:
    try:
        with w.hold(wait_s=0.05):
            pass
    except WriterBusy as e:
        got.append(e)


def test_a_write_inside_a_write_is_a_programming_error(database):
    ctx = ServiceContext(database.session_factory)
    with ctx.write(), pytest.raises(RuntimeError, match="nested"), ctx.write():
        pass


def test_every_change_records_who_when_and_what(database):
    clock = FixedClock(dt.datetime(2020, 9, 20, 2, 14))
    ctx = ServiceContext(database.session_factory, Actor("王老师"), clock)
    reg = RegistryService(ctx)
    hh = reg.save_household(HouseholdForm(head_name="张大山", phone="13912345678", head_id_number="34162319800101001X"))
    reg.save_household(HouseholdForm(**{**hh.__dict__, "village": "前进村"}))
    with ctx.read() as s:
        logs = list(s.scalars(select(AuditLog).order_by(AuditLog.id)))
    assert [(x.action, x.entity, x.entity_id, x.actor, x.at) for x in logs] == [
        ("create", "household", hh.id, "王老师", dt.datetime(2020, 9, 20, 2, 14)),
        ("update", "household", hh.id, "王老师", dt.datetime(2020, 9, 20, 2, 14))]
    before, after = json.loads(logs[1].before), json.loads(logs[1].after)
    assert (before["village"], after["village"]) == ("", "前进村")
    # numbers are masked in snapshots: the log may be shown to an inspector
    assert after["phone"] == "139****5678" and "34162319800101001X" not in logs[1].before + logs[1].after


def test_a_failed_change_leaves_no_audit_entry(database):
    ctx = ServiceContext(database.session_factory, Actor("王老师"))
    with pytest.raises(RuntimeError), ctx.write() as s:
        s.add(AuditLog(at=ctx.clock.now(), actor="x", action="create", entity="x"))
        raise RuntimeError("boom")
    with ctx.read() as s:
        assert s.scalar(select(AuditLog.id)) is None


def test_the_audit_log_is_append_only(database):
    ctx = ServiceContext(database.session_factory, Actor("王老师"))
    RegistryService(ctx).save_household(HouseholdForm(head_name="张大山"))
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(IntegrityError, match="append-only"), ctx.write() as s:
            s.execute(text(sql))


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset is POSIX-only")
def test_stored_utc_is_shown_in_local_time(monkeypatch):
    """An adjustment made at 10:14 in Anhui is stored as 02:14 UTC and shown as 10:14."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_text(dt.datetime(2020, 9, 20, 2, 14)) == "2020-09-20 10:14"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert os.environ.get("TZ") is None
