"""`python main.py import FILE [--sheet] [--dry-run] [--json] [--update-existing]`."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.db.exchange.files import HEAD, bad_check, student_row, write_xlsx

ROOT = Path(__file__).resolve().parents[3]
KEYS = {"file", "sheet", "header_row", "rows_read", "importable", "imported", "rejected", "warnings", "duplicates"}


def run(*args, db):
    cmd = [sys.executable, "main.py", "import", *map(str, args), "--db", str(db)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)


def messy(tmp_path):
    rows = [HEAD] + [student_row(i) for i in range(1, 6)]
    rows[2][6] = bad_check(rows[2][6])                  # row 4 rejected
    rows[3][5] = "女" if rows[3][5] == "男" else "男"     # row 5 warning
    rows.append(student_row(1))                         # row 8: the same person as row 3
    return write_xlsx(tmp_path / "名单.xlsx", rows, title="2020年秋季名单", sheet_name="学生")


def test_json_schema_and_masked_numbers(tmp_path):
    db = tmp_path / "l.sqlite3"
    r = run(messy(tmp_path), "--json", db=db)
    assert r.returncode == 0, r.stderr
    out = r.stdout.strip()
    assert out.count("\n") == 0                          # exactly one JSON object
    d = json.loads(out)
    assert set(d) >= KEYS
    assert (d["file"], d["sheet"], d["header_row"], d["rows_read"]) == ("名单.xlsx", "学生", 2, 6)
    assert d["importable"] == 4 and d["imported"] == 4
    assert [x["row"] for x in d["rejected"]] == [4]
    assert set(d["rejected"][0]) == {"row", "column", "value", "reason"}
    assert "校验位" in d["rejected"][0]["reason"] and "G列" in d["rejected"][0]["column"]
    assert all(set(w) == {"row", "column", "reason"} for w in d["warnings"])
    assert 5 in [w["row"] for w in d["warnings"]]
    assert d["duplicates"] == [{"rows": [3, 8], "id_number": d["duplicates"][0]["id_number"],
                                "kind": "same_person"}]
    assert "*" in d["duplicates"][0]["id_number"]
    assert not re.search(r"\d{17}[\dX]", out)           # no full ID number anywhere


def test_dry_run_writes_nothing_then_real_run_and_update(tmp_path):
    db = tmp_path / "l.sqlite3"
    f = messy(tmp_path)
    d = json.loads(run(f, "--json", "--dry-run", db=db).stdout)
    assert d["importable"] == 4 and d["imported"] == 0
    d = json.loads(run(f, "--json", db=db).stdout)
    assert d["imported"] == 4
    d = json.loads(run(f, "--json", db=db).stdout)        # again: nothing new
    assert d["importable"] == 0 and d["imported"] == 0
    rows = [HEAD, student_row(1)]
    rows[1][8] = "五年级"
    f2 = write_xlsx(tmp_path / "改.xlsx", rows)
    r = run(f2, db=db)
    assert r.returncode == 0 and "年级：四年级 → 五年级" in r.stdout and "--update-existing" in r.stdout
    d = json.loads(run(f2, "--json", "--update-existing", db=db).stdout)
    assert d["imported"] == 1 and d["updated"] == 1


def test_readable_chinese_summary(tmp_path):
    r = run(messy(tmp_path), "--dry-run", "--problems", tmp_path / "问题行.xlsx", db=tmp_path / "l.sqlite3")
    assert r.returncode == 0
    assert "读取 6 行" in r.stdout and "拒绝 1 行" in r.stdout and "试运行" in r.stdout
    assert "第 4 行" in r.stdout and (tmp_path / "问题行.xlsx").exists()


def test_refused_file_exits_2_with_chinese_message(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    r = run(bad, "--json", db=tmp_path / "l.sqlite3")
    assert r.returncode == 2 and r.stdout == ""
    assert "坏.xlsx" in r.stderr and "损坏" in r.stderr and "Traceback" not in r.stderr
    r = run(messy(tmp_path), "--sheet", "没有这张", db=tmp_path / "l.sqlite3")
    assert r.returncode == 2 and "没有名为" in r.stderr
