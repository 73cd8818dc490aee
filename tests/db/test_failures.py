"""Database and file errors become Chinese sentences without data (db.failures), in the CLI too: a
database locked by another writer for more than 5 s, a corrupt zip inside an xlsx, SQL parameters
never shown."""
from __future__ import annotations

import errno
import sqlite3
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from db import failures

ROOT = Path(__file__).resolve().parents[2]
ID = "34162320100503001X"


@pytest.mark.parametrize("exc, words", [
    (OSError(errno.ENOSPC, "No space left on device", "/u/报送.xlsx"), "磁盘空间不足（报送.xlsx）"),
    (OSError(errno.EROFS, "Read-only file system"), "只读"),
    (OSError(errno.EIO, "Input/output error"), "U盘已拔出"),
    (sqlite3.OperationalError("database or disk is full"), "磁盘空间不足"),
    (sqlite3.OperationalError("database is locked"), "另一个程序使用"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "只读"),
    (sqlite3.DatabaseError("database disk image is malformed"), "已损坏"),
    (zlib.error("Error -3 while decompressing data"), "文件已损坏"),
    (zipfile.BadZipFile("File is not a zip file"), "文件已损坏"),
    (NotImplementedError("zip file version 11.6"), "文件已损坏"),
])
def test_errors_become_plain_chinese(exc, words):
    message = failures.user_message(exc, "导入")
    assert words in message and str(exc) not in message


def test_sql_parameters_are_never_shown(database):
    with pytest.raises(IntegrityError) as e, database.engine.begin() as c:
        c.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": "x", "v": ID})
        c.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": "x", "v": ID})
    assert ID not in str(e.value)                               # hide_parameters on the engine
    assert ID not in failures.user_message(e.value, "保存")


def test_a_database_locked_by_another_writer_is_told_in_the_cli(database, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None);"
        "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(20)"), str(database.path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t = time.monotonic()
        r = subprocess.run([sys.executable, "main.py", "demo", "--students", "5", "--db", str(database.path)], cwd=ROOT,
                           capture_output=True, text=True, encoding="utf-8", timeout=120)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert r.returncode == 2 and "另一个程序使用" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and time.monotonic() - t < 60
