"""T05: random I/O errors. The scripted workload (tests/faults/workload.py) runs under fiu-run with
random failures of write, pwrite, fsync, read and pread switched on around each step (fixed seeds).
No exception escapes unhandled, each failure is reported in Chinese and rolled back, and afterwards
the file is whole and the money reconciles."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest

from tests.faults.conftest import ROOT, child_env, need
from tests.faults.scenario import integrity, make_ledger, money_reconciles


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return make_ledger(tmp_path_factory.mktemp("t05") / "ledger.sqlite3", 60)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_io_errors(seed, ledger, tmp_path):
    fiu_run = need("fiu-run")
    db = tmp_path / "ledger.sqlite3"
    shutil.copy(ledger, db)
    r = subprocess.run([fiu_run, "-x", sys.executable, "-m", "tests.faults.workload", str(db), str(seed), "fiu"],
                       cwd=ROOT, env=child_env(), capture_output=True, text=True, encoding="utf-8", timeout=300)
    lines = r.stdout.splitlines()
    assert r.returncode == 0 and lines[-1].startswith("done"), r.stdout[-2000:] + r.stderr[-2000:]
    failed = [line for line in lines if line.startswith("failed ")]
    assert failed, "no I/O error was injected: the fault was not set up"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in failed)     # told in Chinese
    assert "Traceback" not in r.stdout + r.stderr
    acked = {int(line.split()[2]) for line in lines if line.startswith("ack ")}
    assert integrity(db) == ("ok", [])
    assert money_reconciles(db)
    con = sqlite3.connect(db)
    present = {row[0] for row in con.execute("SELECT id FROM household WHERE village = '测试村'")}
    con.close()
    assert acked <= present
