"""T04: the USB stick is full, or pulled out, during an export or a backup to it. The message is clear,
the older file on the stick is byte-identical, and no temporary file is left there."""
from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from db import backup as backups
from db import sheets
from db.errors import LedgerError
from tests.faults.conftest import digest, remount
from tests.faults.scenario import make_ledger

NOW = dt.datetime(2024, 6, 1, 10, 0)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return make_ledger(tmp_path_factory.mktemp("t04") / "ledger.sqlite3", 300)


@pytest.fixture
def services(ledger):
    from types import SimpleNamespace

    from db.cli.common import services as open_services
    with open_services(SimpleNamespace(db=str(ledger))) as sv:
        yield sv


def fill(folder, leave: int) -> None:
    """Fill the stick until `leave` bytes are free."""
    import os
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    (folder / "照片.bin").write_bytes(b"\1" * max(free - leave, 0))


def leftovers(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".~")]


def test_export_to_a_full_stick(tmpfs, services):
    usb = tmpfs("2m", "usb")
    old = usb / "报送.xlsx"
    old.write_bytes(b"last week's export")
    fill(usb, 12_000)
    with pytest.raises(LedgerError, match="磁盘空间不足") as e:
        services.exchange.export_workbook(old, term="2020秋")
    assert "原有文件未改动" in str(e.value)
    assert old.read_bytes() == b"last week's export"
    assert leftovers(usb) == []


def test_backup_to_a_full_stick(tmpfs, ledger):
    usb = tmpfs("2m", "usb")
    older = backups.backup_to(ledger, usb, now=NOW - dt.timedelta(days=7)).path
    before = digest(older)
    fill(usb, 8_000)
    with pytest.raises(LedgerError, match="磁盘空间不足"):
        backups.backup_to(ledger, usb, now=NOW)
    assert digest(older) == before
    assert leftovers(usb) == [] and sorted(p.name for p in usb.glob("*.sqlite3")) == [older.name]


@pytest.mark.parametrize("how", ["write-protected", "pulled"])
def test_stick_lost_midway_through_an_export(tmpfs, services, monkeypatch, how):
    usb = tmpfs("8m", "usb")
    old = usb / "报送.xlsx"
    old.write_bytes(b"last week's export")

    def lose_the_stick(name: str) -> None:           # at the crash point: the workbook is complete
        assert name == "export.written"
        if how == "pulled":
            subprocess.run(["umount", "-l", str(usb)], check=True)
        else:
            remount(usb, "ro")
    monkeypatch.setattr(sheets, "crash_point", lose_the_stick)
    with pytest.raises(LedgerError) as e:
        services.exchange.export_workbook(old, term="2020秋")
    assert ("U盘已拔出" if how == "pulled" else "只读") in str(e.value)
    assert "原有文件未改动" in str(e.value)
    if how == "pulled":
        assert not old.exists()                         # the stick is gone with its files
        return
    assert old.read_bytes() == b"last week's export"
    remount(usb, "rw")
    monkeypatch.undo()
    services.exchange.export_workbook(old, term="2020秋")   # plugged in again: works, sweeps the leftover
    assert leftovers(usb) == []
