"""T22: the audit log's integrity. Changes and events are recorded; the log is append-only (triggers);
editing, deleting or reordering entries in the file is found by the hash chain (`audit verify` names
the first broken entry); no full ID or card number in the log; the inspector's export is masked."""
from __future__ import annotations

import re
import sqlite3

import pytest
from python_calamine import CalamineWorkbook

from db import audit
from db.audit_export import export_audit_log
from db.context import Actor, ServiceContext
from db.engine import open_database
from db.registry.dto import HouseholdForm
from db.registry.service import RegistryService
from tests.faults.conftest import no_traceback, run_main

FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
CARD = re.compile(r"(?<!\d)\d{16,19}(?!\d)")


@pytest.fixture
def logged(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    db = open_database(path)
    ctx = ServiceContext(db.session_factory, Actor("王老师"))
    reg = RegistryService(ctx)
    hh = reg.save_household(HouseholdForm(head_name="张大山", phone="13912345678", head_id_number="34162319800101001X"))
    reg.save_household(HouseholdForm(**{**hh.__dict__, "village": "前进村"}))
    export_audit_log(ctx, tmp_path / "审计日志.xlsx")
    reg.delete_household(hh.id)
    audit.log_event(ctx, "login_failed", "user", summary="用户 王老师 登录失败")
    db.dispose()
    return path


def tamper(path, *sql) -> None:
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("DROP TRIGGER audit_log_no_delete")
    for statement in sql:
        con.execute(statement)
    con.commit()
    con.close()


def verify(path):
    db = open_database(path)
    try:
        with db.session_factory() as s:
            return audit.verify_chain(s)
    finally:
        db.dispose()


def test_the_log_records_and_verifies(logged):
    report = verify(logged)
    assert report.ok and report.entries == 5
    r = run_main("audit", "verify", "--db", str(logged))
    assert r.returncode == 0 and "完整" in r.stdout


def test_the_log_is_append_only(logged):
    con = sqlite3.connect(logged)
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(sql)
    con.close()


@pytest.mark.parametrize("how, first", [
    ("edit", 2), ("delete", 3), ("reorder", 2), ("tail", None)])
def test_tampering_is_found(logged, how, first):
    if how == "edit":
        tamper(logged, "UPDATE audit_log SET summary = '无事发生' WHERE id = 2")
    elif how == "delete":
        tamper(logged, "DELETE FROM audit_log WHERE id = 2")
    elif how == "reorder":                               # swap the contents of entries 2 and 3
        tamper(logged, "UPDATE audit_log SET id = -2 WHERE id = 2", "UPDATE audit_log SET id = 2 WHERE id = 3",
               "UPDATE audit_log SET id = 3 WHERE id = -2")
    else:
        tamper(logged, "UPDATE audit_log SET hash = 'x' WHERE id = (SELECT max(id) FROM audit_log)")
        first = 5
    report = verify(logged)
    assert not report.ok and report.broken_id == first
    r = run_main("audit", "verify", "--db", str(logged))
    assert r.returncode == 1 and f"第 {first} 号记录" in r.stderr
    no_traceback(r)


def test_no_full_numbers_in_the_log_or_its_export(logged, tmp_path):
    con = sqlite3.connect(logged)
    text = " ".join(" ".join(str(v) for v in row) for row in
                    con.execute("SELECT actor, action, entity, summary, before, after FROM audit_log"))
    con.close()
    assert "34162319800101001X" not in text and not FULL_ID.search(text) and "13912345678" not in text
    assert not CARD.search(text)
    r = run_main("audit", "export", str(tmp_path / "全部.xlsx"), "--db", str(logged))
    assert r.returncode == 0, r.stderr
    rows = CalamineWorkbook.from_path(str(tmp_path / "全部.xlsx")).get_sheet_by_name("审计日志").to_python()
    flat = " ".join(str(c) for row in rows for c in row)
    assert "王老师" in flat and "登录失败" in flat and not FULL_ID.search(flat) and "13912345678" not in flat
