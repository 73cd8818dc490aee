import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args, db=None):
    cmd = [sys.executable, "main.py", *args] + (["--db", str(db)] if db else [])
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_demo_then_search_json(tmp_path):
    db = tmp_path / "cli.sqlite3"
    r = run("demo", "--students", "40", db=db)
    assert r.returncode == 0, r.stderr
    assert "40" in r.stdout
    r = run("students", "--search", "村", "--json", db=db)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert 0 < len(rows) <= 40
    assert all("村" in row["village"] or "村" in row["name"] or "村" in row["head_name"] for row in rows)
    # personal numbers are masked in command output too
    assert not re.search(r"\d{17}[\dX]", r.stdout)


def test_errors_are_chinese_on_stderr_with_status_2(tmp_path):
    bad = tmp_path / "x.sqlite3"
    bad.write_text("not a database", encoding="utf-8")
    r = run("students", db=bad)
    assert r.returncode == 2
    assert "不是数据库文件" in r.stderr and "Traceback" not in r.stderr
    r = run("demo", "--students", "0", db=tmp_path / "y.sqlite3")
    assert r.returncode == 2 and "之间" in r.stderr


def test_unknown_option_exits_2(tmp_path):
    r = run("students", "--nonsense", db=tmp_path / "z.sqlite3")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_the_static_command_list_matches_the_registered_commands():
    from db.cli import COMMANDS, command_names
    assert command_names() == COMMANDS
