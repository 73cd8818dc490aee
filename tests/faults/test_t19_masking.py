"""T19: masking and the 公示 allow-list. The public outputs (the notice workbook and its PDF, read back
with pdftotext), the masked command output and the log file hold no 18-digit ID, no card run, no mobile
number, no birth date, no village address and no category (孤儿, 残疾, 低保 …)."""
from __future__ import annotations

import re
import sqlite3
import subprocess

import pytest
from python_calamine import CalamineWorkbook

from db import logs
from tests.faults.conftest import need, run_main
from tests.faults.scenario import make_ledger

ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
CARD = re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
CATEGORIES = ("孤儿", "残疾", "低保", "特困", "建档立卡", "事实无人抚养")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return make_ledger(tmp_path_factory.mktemp("t19") / "ledger.sqlite3", 200)


def facts(path):
    con = sqlite3.connect(path)
    try:
        births = {f"{n[6:10]}-{n[10:12]}-{n[12:14]}" for (n,) in con.execute("SELECT id_number FROM student")}
        villages = {v for (v,) in con.execute("SELECT DISTINCT village FROM household WHERE village <> ''")}
        return births, villages
    finally:
        con.close()


def leaks(text: str, births: set[str], villages: set[str], *, public: bool) -> list[str]:
    found = [f"ID {m}" for m in ID.findall(text)] + [f"card {m}" for m in CARD.findall(text)]
    found += [f"mobile {m}" for m in MOBILE.findall(text)]
    if public:
        found += [f"birth {b}" for b in births if b in text] + [f"village {v}" for v in villages if v in text]
        found += [f"category {c}" for c in CATEGORIES if c in text]
    return found


def test_public_notice_workbook_and_pdf(ledger, tmp_path):
    births, villages = facts(ledger)
    xlsx, pdf = tmp_path / "公示.xlsx", tmp_path / "公示.pdf"
    r = run_main("export", "notice", str(xlsx), "--start", "2020-09-07", "--end", "2020-09-11", "--db", str(ledger))
    assert r.returncode == 0, r.stderr
    r = run_main("print", "notice", "--term", "2020秋", "--all", "--start", "2020-09-07", "--end", "2020-09-11",
                 "--out", str(pdf), "--db", str(ledger))
    assert r.returncode == 0, r.stderr
    sheet = " ".join(str(c) for row in CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
                     for c in row)
    text = subprocess.run([need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert len(sheet) > 1000 and len(text) > 1000                       # the lists are really there
    assert leaks(sheet, births, villages, public=True) == []
    assert leaks(text, births, villages, public=True) == []


def test_masked_command_output_and_the_log(ledger, tmp_path):
    births, villages = facts(ledger)
    r = run_main("students", "--json", "--limit", "200", "--db", str(ledger))
    assert r.returncode == 0 and len(r.stdout) > 1000
    assert leaks(r.stdout, births, villages, public=False) == []
    con = sqlite3.connect(ledger)
    number, card = con.execute("SELECT id_number, bank_card_no FROM student WHERE bank_card_no IS NOT NULL").fetchone()
    con.close()
    path = logs.setup(tmp_path / "logs")
    try:
        raise ValueError(f"INSERT ... parameters: ('{number}', '{card}', '13912345678')")
    except ValueError as e:
        logs.unexpected("保存学生", e)
    logged = path.read_text(encoding="utf-8")
    assert "ValueError" in logged and number[:4] in logged              # the line is there, masked
    assert leaks(logged, births, villages, public=False) == []
