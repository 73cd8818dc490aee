"""`python main.py aid …` end to end on a real database file."""
import json
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[3]


def run(*args, db):
    return subprocess.run([sys.executable, "main.py", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_plan_summary_pay_export(tmp_path):
    db = tmp_path / "aid.sqlite3"
    assert run("demo", "--students", "80", db=db).returncode == 0
    r = run("aid", "plan", "--term", "2020秋", db=db)
    assert r.returncode == 0, r.stderr
    assert "2020年秋季学期" in r.stdout and "新增" in r.stdout
    r = run("aid", "summary", "--term", "2020年秋季学期", "--json", db=db)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    total = data["total"]["fen"]
    assert total > 0 and data["total"]["yuan"] == f"{total // 100}.{total % 100:02d}"
    waived = data["waivers"]["amount"]["fen"]
    for key in ("by_programme", "by_stage", "by_status"):
        assert sum(x["amount"]["fen"] for x in data[key]) == total + waived
        assert all(isinstance(x["amount"]["fen"], int) for x in data[key])
    assert [x["key"] for x in data["by_status"]] == ["待发放", "减免"]
    assert data["waivers"]["lines"] == next(x["lines"] for x in data["by_status"] if x["key"] == "减免") > 0
    assert all({"name", "reason", "kind"} <= set(n) for n in data["no_entitlement"])
    r = run("aid", "pay", "--term", "2020秋", "--date", "2020-09-20", db=db)
    assert r.returncode == 0, r.stderr
    assert "已标记发放" in r.stdout
    data = json.loads(run("aid", "summary", "--term", "2020秋", "--json", db=db).stdout)
    assert "已发放" in [x["key"] for x in data["by_status"]] and data["total"]["fen"] == total
    out = tmp_path / "bank.xlsx"
    r = run("aid", "export-bank", "--term", "2020秋", str(out), db=db)
    assert r.returncode == 0, r.stderr
    last = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))[-1]
    assert last[0] == "合计" and round(float(last[6]) * 100) == total


def test_bad_term_and_date_exit_2_in_chinese(tmp_path):
    db = tmp_path / "aid.sqlite3"
    r = run("aid", "plan", "--term", "2020冬", db=db)
    assert r.returncode == 2 and "无法识别学期" in r.stderr and "Traceback" not in r.stderr
    assert not db.exists()                       # refused before the database was touched
    r = run("aid", "pay", "--term", "2020秋", "--date", "20-9-2020", db=db)
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr
    r = run("aid", "summary", "--term", "2021春", db=db)
    assert r.returncode == 2 and "还没有发放批次" in r.stderr


def test_db_option_before_the_action_and_standards_listing(tmp_path):
    db = tmp_path / "aid.sqlite3"
    r = subprocess.run([sys.executable, "main.py", "aid", "--db", str(db), "standards", "--json"], cwd=ROOT,
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert db.exists() and any(x["programme"] == "中职国家助学金" and x["yearly_fen"] == 200000 for x in rows)
