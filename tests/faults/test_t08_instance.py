"""T08: one window per database. While a window holds the database (its lock), a second window is
refused and a command may read but never write; a lock left by a process killed with kill -9 is free
again. A read-only folder is told as such, not as "open in another window"."""
from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from db.lock import try_lock
from desktop.app import ALREADY_OPEN
from tests.faults.conftest import ROOT, child_env, digest, no_traceback, remount, run_main
from tests.faults.scenario import make_ledger

HOLD = """
import sys, time
from db.lock import try_lock
lock = try_lock(__import__("pathlib").Path(sys.argv[1]), "窗口")
print("held" if lock else "refused", flush=True)
time.sleep(600)
"""


@pytest.fixture
def ledger(tmp_path):
    return make_ledger(tmp_path / "ledger.sqlite3", 30)


def hold(db) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], cwd=ROOT, env=child_env(), stdout=subprocess.PIPE,
                         text=True)
    assert p.stdout.readline().strip() == "held"
    return p


def test_second_window_and_command_writes_are_refused_then_a_killed_holder_frees_the_lock(ledger):
    holder = hold(ledger)
    try:
        before = digest(ledger)
        r = run_main("--smoke-test", "--db", str(ledger))
        assert r.returncode == 2 and ALREADY_OPEN in r.stderr
        r = run_main("aid", "plan", "--term", "2021春", "--db", str(ledger))
        assert r.returncode == 2 and "窗口中打开" in r.stderr, r.stderr
        no_traceback(r)
        r = run_main("demo", "--students", "5", "--db", str(ledger))
        assert r.returncode == 2 and "不能修改" in r.stderr
        r = run_main("students", "--json", "--db", str(ledger))         # reading is fine
        assert r.returncode == 0, r.stderr
        assert digest(ledger) == before                                  # nothing written
        assert try_lock(ledger) is None
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
    r = run_main("--smoke-test", "--db", str(ledger))                    # the stale lock is detected
    assert r.returncode == 0, r.stderr
    r = run_main("demo", "--students", "5", "--db", str(ledger))
    assert r.returncode == 0, r.stderr


def test_read_only_folder_is_not_open_elsewhere(tmpfs):
    folder = tmpfs("4m", "ro")
    make_ledger(folder / "ledger.sqlite3", 5, plan=False)
    remount(folder, "ro")
    r = run_main("--smoke-test", "--db", str(folder / "ledger.sqlite3"))
    assert r.returncode == 2 and "只读" in r.stderr and ALREADY_OPEN not in r.stderr, r.stderr
    no_traceback(r)
    r = run_main("students", "--db", str(folder / "ledger.sqlite3"))
    assert r.returncode == 2 and "只读" in r.stderr, r.stderr
    no_traceback(r)
