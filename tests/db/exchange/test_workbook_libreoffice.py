"""Every exported workbook opens in LibreOffice with the same values (the real client, headless).

Converts each sheet to CSV with `soffice --headless --convert-to csv` ("as shown" formatting) and
compares every cell with what openpyxl reads; IDs must come back as the same 18 characters.
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest

from db.aid.service import AidService
from db.demo import fill_demo
from db.exchange.reconcile import ReconcileService
from db.exchange.workbook import export_workbook
from tests.db.exchange.test_reconcile import build_roll, pushed_list
from tests.db.exchange.test_workbook import ID1, add_people

# installer/setup.sh --test installs libreoffice-calc-nogui: a missing soffice is a failed setup, not a skip
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
# 44=',' 34='"' 76=UTF-8, line 1, …, token 9 true = "as shown" (money as 0.00), token 12 -1 = every sheet to its own file
FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
pytestmark = [pytest.mark.slow]


def libreoffice_sheets(path, tmp_path) -> dict[str, list[list[str]]]:
    outdir = tmp_path / f"lo-{path.stem}"
    outdir.mkdir()
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", FILTER,
                    "--outdir", str(outdir), str(path)], check=True, capture_output=True, timeout=180)
    sheets = {}
    for f in outdir.glob("*.csv"):
        name = f.stem[len(path.stem) + 1:] if f.stem.startswith(path.stem + "-") else ""
        with open(f, encoding="utf-8", newline="") as fh:
            sheets[name] = _trim(list(csv.reader(fh)))
    return sheets


def shown(cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and cell.number_format == "0.00":
        return f"{v:.2f}"
    if isinstance(v, int) and cell.number_format == "0.00":
        return f"{v}.00"
    return str(v)


def _trim(rows: list[list[str]]) -> list[list[str]]:
    rows = [list(r) for r in rows]
    for r in rows:
        while r and r[-1] == "":
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def openpyxl_sheets(path) -> dict[str, list[list[str]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: _trim([[shown(c) for c in row] for row in ws.iter_rows()]) for ws in wb.worksheets}


def same_values(path, tmp_path) -> dict[str, list[list[str]]]:
    ours = openpyxl_sheets(path)
    theirs = libreoffice_sheets(path, tmp_path)
    if len(ours) == 1 and list(theirs) == [""]:
        theirs = {next(iter(ours)): theirs[""]}
    assert set(theirs) == set(ours)
    for name in ours:
        assert theirs[name] == ours[name], name
    return theirs


def test_submission_workbook_in_libreoffice(sctx, sf, tmp_path):
    add_people(sf)
    fill_demo(sctx, 150)
    ReconcileService(sctx).import_pushed_list(pushed_list(tmp_path / "p.xlsx"), list_date="2020-09-01")
    out = tmp_path / "报送.xlsx"
    export_workbook(sctx, out, filled_by="李老师")
    sheets = same_values(out, tmp_path)
    roster = sheets["学生名册"]
    col = roster[0].index("身份证号")
    ids = [r[col] for r in roster[1:]]
    assert ID1 in ids and all(len(i) == 18 for i in ids)
    assert any("=1+1" in r for r in roster)                  # stays text in LibreOffice too
    assert "核对结果" in sheets


def test_template_fill_in_libreoffice(sctx, sf, tmp_path):
    from tests.db.exchange.test_workbook_template import make_template
    add_people(sf)
    tpl = tmp_path / "模板.xlsx"
    make_template(tpl)
    out = tmp_path / "填好.xlsx"
    export_workbook(sctx, out, template=tpl)
    same_values(out, tmp_path)


def test_notice_and_reconciliation_in_libreoffice(sctx, sf, tmp_path):
    build_roll(sf)
    svc = ReconcileService(sctx)
    lid = svc.import_pushed_list(pushed_list(tmp_path / "p.xlsx"), list_date="2020-09-01").list_id
    same_values(svc.export_reconciliation(lid, tmp_path / "核对.xlsx"), tmp_path)
    out = tmp_path / "公示.xlsx"
    fill_demo(sctx, 40)
    aid = AidService(sctx)
    aid.plan("2020秋")
    aid.export_notice(out, start=dt.date(2020, 9, 7), end=dt.date(2020, 9, 11))
    same_values(out, tmp_path)
