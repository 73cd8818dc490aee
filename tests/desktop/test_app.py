"""Start-up: the smoke test as a whole process, one instance per database, refused databases."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.context import ServiceContext
from db.demo import fill_demo
from db.engine import open_database
from desktop.app import ALREADY_OPEN, acquire_lock, lock_path

ROOT = Path(__file__).resolve().parents[2]


def run_main(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.fixture
def demo_file(tmp_path) -> Path:
    path = tmp_path / "demo.sqlite3"
    db = open_database(path)
    fill_demo(ServiceContext(db.session_factory), 300)
    db.dispose()
    return path


@pytest.mark.slow
def test_smoke_test_process_exits_zero(demo_file):
    r = run_main("--smoke-test", "--db", str(demo_file))
    assert r.returncode == 0, r.stderr
    assert "smoke-test ok: 300 students" in r.stdout
    assert not lock_path(demo_file).exists()          # released on exit


@pytest.mark.slow
def test_smoke_test_on_a_new_empty_database(tmp_path):
    r = run_main("--smoke-test", "--db", str(tmp_path / "new.sqlite3"))
    assert r.returncode == 0, r.stderr
    assert "smoke-test ok: 0 students" in r.stdout


@pytest.mark.slow
def test_second_instance_is_refused(demo_file):
    lock = acquire_lock(demo_file)
    assert lock is not None
    try:
        r = run_main("--smoke-test", "--db", str(demo_file))
    finally:
        lock.unlock()
    assert r.returncode == 2
    assert ALREADY_OPEN in r.stderr and "Traceback" not in r.stderr


def test_second_lock_on_the_same_database_is_refused(tmp_path):
    path = tmp_path / "x.sqlite3"
    first = acquire_lock(path)
    assert first is not None
    assert acquire_lock(path) is None
    first.unlock()
    again = acquire_lock(path)
    assert again is not None
    again.unlock()


@pytest.mark.slow
def test_not_a_database_is_refused_in_chinese(tmp_path):
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_bytes(b"this is not sqlite at all, just text" * 10)
    r = run_main("--smoke-test", "--db", str(bogus))
    assert r.returncode == 2
    assert "不是数据库文件" in r.stderr and "Traceback" not in r.stderr
    assert bogus.read_bytes().startswith(b"this is not sqlite")
