"""Benchmark: planning a term's aid batch for a 100,000-student demo database.

    .venv/bin/python bench/aid.py [--students 100000] [--db PATH] [--keep]

plan_s     = AidService.plan("2020秋") on a fresh database (entitlements decided + lines inserted)
refresh_s  = the same plan run again (nothing changes, every line compared)
raw_s      = raw sqlite3 executemany of the same number of rows with the same columns into a
             disbursement-shaped table (same CREATE TABLE and indexes) in a scratch file, one commit
plan_ratio = plan_s / raw_s (target <= 3)
Also: summary_s, pay_s (bulk pay), export_s (bank list xlsx). Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.aid.service import AidService
from db.context import Actor, ServiceContext
from db.engine import open_database


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def raw_insert(src: Path, rows: list[tuple], scratch: Path) -> float:
    """The floor: the same rows, same columns, same table definition and indexes, plain sqlite3."""
    con = sqlite3.connect(src)
    ddl = [r[0] for r in con.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'disbursement' AND sql IS NOT NULL")]
    con.close()
    scratch.unlink(missing_ok=True)
    con = sqlite3.connect(scratch)
    for pragma in ("journal_mode=WAL", "synchronous=FULL"):
        con.execute(f"PRAGMA {pragma}")
    # foreign keys cannot be honoured in a scratch file without the parent tables; drop them
    for stmt in ddl:
        con.execute(stmt.replace("REFERENCES", "-- REFERENCES") if "CREATE TABLE" not in stmt
                    else _strip_fks(stmt))
    sql = ("INSERT INTO disbursement (batch_id, student_id, standard_id, standard_version, programme, stage, "
           "computed_fen, amount_fen, adjusted, reason, status, bank_name, card_holder, void_reason, voided_by) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '待发放', '', '', '', '')")
    t = time.perf_counter()
    con.executemany(sql, rows)
    con.commit()
    took = time.perf_counter() - t
    con.close()
    return took


def _strip_fks(ddl: str) -> str:
    parts = [p for p in ddl.split("\n") if "FOREIGN KEY" not in p]
    text = "\n".join(parts).rstrip()
    return text.replace(",\n)", "\n)").replace(", \n)", "\n)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100_000)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="aid-bench-"))
    path = args.db or tmp / "bench.sqlite3"
    if not path.exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--students", str(args.students),
                        "--db", str(path)], check=True, stdout=subprocess.DEVNULL)
        print(f"demo database: {args.students} students in {time.perf_counter() - t:.1f} s")
    else:                                    # a kept benchmark database: start again from no batch
        con = sqlite3.connect(path)
        for table in ("visit_payment", "visit", "disbursement_adjustment", "disbursement", "aid_batch"):
            con.execute(f"DELETE FROM {table}")
        con.commit()
        con.close()
    db = open_database(path)
    svc = AidService(ServiceContext(db.session_factory, Actor("基准测试")))
    svc.list_standards()                     # seed once, outside the timing
    result, plan_s = timed(lambda: svc.plan("2020秋"))
    print(f"plan(2020秋): {result.lines} lines, {result.total_fen / 100:,.2f} yuan in {plan_s:.3f} s")
    _, refresh_s = timed(lambda: svc.plan("2020秋"))
    print(f"refresh (no change): {refresh_s:.3f} s")
    dry, dry_s = timed(lambda: svc.plan("2020秋", dry_run=True))
    print(f"dry run (what a refresh would change: {len(dry.changes)}): {dry_s:.3f} s")
    con = sqlite3.connect(path)
    rows = con.execute("SELECT batch_id, student_id, standard_id, standard_version, programme, stage, "
                       "computed_fen, amount_fen, reason FROM disbursement ORDER BY id").fetchall()
    con.close()
    raw_s = min(raw_insert(path, rows, tmp / "raw.sqlite3") for _ in range(3))
    print(f"raw sqlite3 executemany of {len(rows)} rows: {raw_s:.3f} s")
    summary, summary_s = timed(lambda: svc.summary("2020秋"))
    print(f"summary (+ students without entitlement: {len(summary.no_entitlement)}): {summary_s:.3f} s")
    paid, pay_s = timed(lambda: svc.pay("2020秋", dt.date(2020, 9, 20)))
    print(f"pay: {paid.paid} lines in {pay_s:.3f} s")
    (_, exported), export_s = timed(lambda: svc.export_bank_list("2020秋", tmp / "bank.xlsx"))
    print(f"bank list export: {export_s:.3f} s, total {exported / 100:,.2f} yuan")
    _, page_s = timed(lambda: svc.lines("2020秋", offset=50_000, limit=200))
    print(f"lines page at offset 50000: {page_s * 1000:.1f} ms")
    db.dispose()
    assert exported == result.total_fen
    figures = {"students": args.students, "lines": result.lines, "plan_s": round(plan_s, 3),
               "refresh_s": round(refresh_s, 3), "dry_run_s": round(dry_s, 3), "raw_executemany_s": round(raw_s, 3),
               "plan_ratio": round(plan_s / raw_s, 2), "summary_s": round(summary_s, 3),
               "pay_s": round(pay_s, 3), "export_s": round(export_s, 3), "page_ms": round(page_s * 1000, 1)}
    if not args.keep and not args.db:
        for p in tmp.glob("*"):
            if p.is_file():
                p.unlink()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
