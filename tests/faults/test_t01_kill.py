"""T01: kill -9 during writes. A child runs the real write loop (tests/faults/workload.py) and is
killed after a random 0.2–1.0 s (20 fixed seeds); every acknowledged step must be there, the file
whole, the money reconciled."""
from __future__ import annotations

import random
import shutil
import subprocess
import sys

import pytest

from db import sqlite
from db.access import login
from tests.faults.conftest import ROOT, child_env, kill_after
from tests.faults.scenario import integrity, make_ledger, money_reconciles

SEEDS = range(20)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return make_ledger(tmp_path_factory.mktemp("t01") / "ledger.sqlite3", 60)


@pytest.fixture(scope="module")
def encrypted_ledger(tmp_path_factory):
    path = make_ledger(tmp_path_factory.mktemp("t01e") / "ledger.sqlite3", 60)
    return path, login.first_admin(path, "王老师", "Zhuxue#2020").key


@pytest.mark.parametrize("seed", SEEDS)
def test_kill_during_writes(seed, ledger, tmp_path):
    db = tmp_path / "ledger.sqlite3"
    shutil.copy(ledger, db)
    _kill_and_check(db, seed, None)


@pytest.mark.parametrize("seed", SEEDS[:5])
def test_kill_during_writes_on_an_encrypted_ledger(seed, encrypted_ledger, tmp_path):
    src, key = encrypted_ledger
    db = tmp_path / "ledger.sqlite3"
    shutil.copy(src, db)
    assert not db.read_bytes().startswith(b"SQLite format 3")
    _kill_and_check(db, seed, key)


def _kill_and_check(db, seed: int, key: bytes | None) -> None:
    env = child_env(**({"ZHUXUE_TEST_KEY": key.hex()} if key else {}))
    proc = subprocess.Popen([sys.executable, "-m", "tests.faults.workload", str(db), str(seed)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # wait until the loop writes (start-up takes a while), then kill at a random moment
    first = proc.stdout.readline()
    if not first.startswith("ack"):
        kill_after(proc, 0)
        pytest.fail(f"the write loop did not start: {first}{proc.stderr.read()[-2000:]}")
    kill_after(proc, random.Random(seed).uniform(0.2, 1.0))
    acked = [first] + proc.stdout.read().splitlines()
    proc.stdout.close()
    proc.stderr.close()
    ids = [int(line.split()[2]) for line in acked if line.startswith("ack ")]
    assert len(ids) >= 1
    assert integrity(db, key) == ("ok", [])
    con = sqlite.connect(db, key=key)
    try:
        present = {r[0] for r in con.execute("SELECT id FROM household WHERE village = '测试村'")}
    finally:
        con.close()
    assert set(ids) <= present, f"lost acknowledged steps: {sorted(set(ids) - present)[:5]}"
    assert money_reconciles(db, key)
