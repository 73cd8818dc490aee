"""db.backup: the check of a backup can fail (a damaged copy is refused, never trusted), the thinning
policy, the list for `backup list --json`, and the commands."""
from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db import backup as backups
from db.backup import BackupInvalid
from db.errors import LedgerError

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2024, 6, 1, 10, 0)


def fill_settings(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executemany("INSERT INTO setting (key, value) VALUES (?, ?)", [(f"k{i}", "v" * 40) for i in range(60)])
    con.commit()
    con.close()


def damage_a_page(path: Path) -> None:
    """Garbage in the `setting` table's page: every read the backup's facts make still works, only
    integrity_check can see it — so this test fails if the check were skipped."""
    con = sqlite3.connect(path)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'setting'").fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    rng = random.Random(3)
    start = (root - 1) * page + 8
    data[start:start + 300] = bytes(rng.randrange(256) for _ in range(300))
    path.write_bytes(bytes(data))


def test_a_damaged_backup_never_passes_verification(database):
    fill_settings(database.path)
    good = backups.backup(database.path, "auto", now=NOW)
    assert backups.verify(good).schema
    damage_a_page(good)
    with pytest.raises(BackupInvalid, match="完整性检查|已损坏"):
        backups.verify(good)
    assert backups.newest_verified(database.path) is None        # never offered for a restore


def test_a_damaged_source_leaves_no_backup_with_a_final_name(database, tmp_path):
    database.dispose()
    fill_settings(database.path)
    damage_a_page(database.path)
    folder = backups.folder_of(database.path)
    before = sorted(p.name for p in folder.glob("*")) if folder.exists() else []
    with pytest.raises(LedgerError):
        backups.backup(database.path, "manual", now=NOW)
    after = sorted(p.name for p in backups.folder_of(database.path).glob("*"))
    assert [n for n in after if n.endswith(".sqlite3")] == [n for n in before if n.endswith(".sqlite3")]
    assert not [n for n in after if n.startswith(".~")]


def test_thinning_policy():
    today = dt.date(2024, 6, 1)
    times = [dt.datetime(2024, 6, 1, h) for h in (9, 10, 11)]                     # today: all kept
    times += [dt.datetime.combine(today - dt.timedelta(days=d), dt.time(h)) for d in range(1, 400) for h in (9, 17)]
    keep = backups.thin(times, today)
    assert {t for t in times if t.date() == today} <= keep
    daily = sorted((t for t in keep if t.date() < today), reverse=True)
    assert [t.date() for t in daily[:12]] == [today - dt.timedelta(days=d) for d in range(1, 13)]
    assert all(t.hour == 17 for t in daily)                                         # the newest of each day
    assert len(keep) == 3 + 12 + 10 + 9
    assert max(today - t.date() for t in keep) <= backups.MAX_AGE
    assert backups.thin([dt.datetime(2020, 1, 1)], today) == {dt.datetime(2020, 1, 1)}   # the only one stays


def test_backup_list_json_and_verify_commands(database, tmp_path):
    fill_settings(database.path)
    backups.backup(database.path, "auto", now=NOW)
    database.dispose()
    run = lambda *a: subprocess.run([sys.executable, "main.py", *a, "--db", str(database.path)], cwd=ROOT,
                                    capture_output=True, text=True, encoding="utf-8", timeout=120)
    r = run("backup", "create", "--to", str(tmp_path))
    assert r.returncode == 0 and "已备份并校验" in r.stdout, r.stderr
    r = run("backup", "list", "--json")
    items = json.loads(r.stdout)
    assert {"path", "time", "size", "verified"} <= set(items[0])
    assert items[0]["verified"] is True and items[0]["time"] == "2024-06-01T10:00:00"
    r = run("backup", "verify", items[0]["path"])
    assert r.returncode == 0 and "备份完好" in r.stdout
    damage_a_page(Path(items[0]["path"]))
    r = run("backup", "verify", items[0]["path"])
    assert r.returncode == 2 and "Traceback" not in r.stderr
