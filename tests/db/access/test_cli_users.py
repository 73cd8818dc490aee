"""The command line with users: the first administrator encrypts the ledger; then every command logs
in (--user / ZHUXUE_USER, ZHUXUE_PASSWORD); a wrong password exits 2 with 用户名或密码错误; writes are
audited with the user; roles hold on the command line too; a backup restores into a fresh folder with
only the recovery key."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from db.access import keys
from db.access.detect import is_encrypted
from db.engine import open_database
from db.models.core import AuditLog

ROOT = Path(__file__).resolve().parents[3]
ADMIN, PASSWORD = "王校办", "Zhuxue#2020"


def run(*args, db, user=None, password=None, **env):
    e = {k: v for k, v in os.environ.items() if not k.startswith("ZHUXUE_")}
    if user:
        e["ZHUXUE_USER"] = user
    if password is not None:
        e["ZHUXUE_PASSWORD"] = password
    e.update(env)
    return subprocess.run([sys.executable, "main.py", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=180, env=e, stdin=subprocess.DEVNULL)


def test_first_admin_then_every_command_logs_in(tmp_path):
    db = tmp_path / "ledger.sqlite3"
    assert run("demo", "--students", "30", db=db).returncode == 0
    assert run("students", "--json", db=db).returncode == 0              # no users: open
    r = run("user", "add", "李老师", "--role", "班主任", "--classes", "七年级1班", db=db,
            ZHUXUE_NEW_PASSWORD="Teacher#2020")
    assert r.returncode == 2 and "第一个用户必须是管理员" in r.stderr
    pdf = tmp_path / "恢复密钥.pdf"
    r = run("user", "add", ADMIN, "--role", "管理员", "--recovery-pdf", str(pdf), db=db, ZHUXUE_NEW_PASSWORD=PASSWORD)
    assert r.returncode == 0, r.stderr
    recovery = r.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"([A-Z2-7]{4}-){8}[A-Z2-7]{4}", recovery)
    assert is_encrypted(db)
    text = PdfReader(str(pdf)).pages[0].extract_text()
    assert "恢复密钥" in text and recovery.split("-")[0] in text

    r = run("students", "--json", db=db)
    assert r.returncode == 2 and "需要登录" in r.stderr and "Traceback" not in r.stderr
    r = run("students", "--json", db=db, user=ADMIN, password="wrong-password")
    assert r.returncode == 2 and "用户名或密码错误" in r.stderr
    r = run("students", "--json", "--user", ADMIN, db=db, password=PASSWORD)
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 30 and "*" in json.loads(r.stdout)[0]["id_number"]

    r = run("user", "add", "李老师", "--role", "班主任", "--classes", "七年级1班", db=db, user=ADMIN, password=PASSWORD,
            ZHUXUE_NEW_PASSWORD="Teacher#2020")
    assert r.returncode == 0, r.stderr
    r = run("aid", "plan", "--term", "2020秋", db=db, user="李老师", password="Teacher#2020")
    assert r.returncode == 2 and "没有权限" not in r.stdout and "李老师" in r.stderr
    r = run("aid", "plan", "--term", "2020秋", db=db, user=ADMIN, password=PASSWORD)
    assert r.returncode == 0, r.stderr
    r = run("user", "list", "--json", db=db, user=ADMIN, password=PASSWORD)
    assert {u["name"]: u["role"] for u in json.loads(r.stdout)} == {ADMIN: "管理员", "李老师": "班主任"}

    key = keys.data_key_from_recovery(recovery)
    database = open_database(db, key=key)
    with database.session_factory() as s:
        entries = list(s.scalars(select(AuditLog).order_by(AuditLog.id)))
    database.dispose()
    plan = [e for e in entries if e.action == "plan"]
    assert plan and all(e.actor == ADMIN for e in plan)
    assert [e.actor for e in entries if e.action == "login_failed"] and any(
        e.action == "login" and e.actor == "李老师" for e in entries)

    # a backup on a USB stick restores on another computer with only the recovery key
    stick = tmp_path / "usb"
    stick.mkdir()
    r = run("backup", "create", "--to", str(stick), db=db, user=ADMIN, password=PASSWORD)
    assert r.returncode == 0, r.stderr
    file = next(stick.glob("*.sqlite3"))
    fresh = tmp_path / "new-pc" / "ledger.sqlite3"
    r = run("backup", "restore", str(file), "--yes", db=fresh)
    assert r.returncode == 2 and "--recovery-key" in r.stderr
    r = run("backup", "restore", str(file), "--yes", "--recovery-key", db=fresh, ZHUXUE_RECOVERY_KEY=recovery)
    assert r.returncode == 0, r.stderr
    assert "user recover" in r.stdout
    r = run("user", "recover", ADMIN, db=fresh, ZHUXUE_RECOVERY_KEY=recovery, ZHUXUE_NEW_PASSWORD="Fresh#2021")
    assert r.returncode == 0, r.stderr
    r = run("students", "--json", db=fresh, user=ADMIN, password="Fresh#2021")
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 30


def test_lockout_holds_across_processes_and_reads_work_beside_the_window(tmp_path):
    from db.lock import try_lock
    db = tmp_path / "ledger.sqlite3"
    assert run("demo", "--students", "10", db=db).returncode == 0
    assert run("user", "add", ADMIN, "--role", "管理员", db=db, ZHUXUE_NEW_PASSWORD=PASSWORD).returncode == 0
    window = try_lock(db, "窗口")                            # a window holds the ledger: commands may read
    try:
        r = run("students", "--json", db=db, user=ADMIN, password=PASSWORD)
        assert r.returncode == 0, r.stderr
        r = run("aid", "plan", "--term", "2020秋", db=db, user=ADMIN, password=PASSWORD)
        assert r.returncode == 2 and "窗口" in r.stderr
    finally:
        window.release()
    for _ in range(5):
        r = run("students", db=db, user=ADMIN, password="guess-guess")
        assert r.returncode == 2
    assert "已锁定" in r.stderr
    r = run("students", db=db, user=ADMIN, password=PASSWORD)      # a new process: still locked
    assert r.returncode == 2 and "已锁定" in r.stderr and "分钟后再试" in r.stderr
