"""Benchmark: the dropout and letters ledgers on a county-sized school.

    .venv/bin/python bench/dropout.py [--students 20000] [--cases 1000] [--letters 300] [--db PATH] [--keep]

case_write_ms   = one case taken through open + 辍学 + two attempts (劝返中), per case: 4 audited writes
household_ms    = baseline, same run: one audited registry write (save_household), per write
write_ratio     = case_write_ms / (4 * household_ms)   (the case machinery's cost over plain audited writes)
list_ms         = the case list of every case (CaseQuery state "", rows with escalation and overdue)
overdue_ms      = DropoutService.overdue() (what the home page will call)
report_ms       = the month's report (by stage, from every case's transitions)
roster_page_ms  = baseline, same run: the registry's first page of 200 students
letters_ms      = LettersService.letters() + due() on --letters letters
notices_s       = 200 劝返复学通知书 into one PDF;  letters_pdf_s = 100 letters into one PDF
peak_mb         = the Python heap's peak while the list, overdue and report are built (tracemalloc)
Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, update

from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.demo import fill_demo
from db.docs.kinds import Selection, kind
from db.docs.render import render_batch
from db.dropout.dto import AttemptForm, CaseForm, CaseQuery, Move, Person, State
from db.dropout.service import DropoutService
from db.engine import open_database
from db.letters.service import LettersService
from db.models.registry import Student, StudentCategory
from db.registry.dto import HouseholdForm, StudentQuery
from db.registry.service import RegistryService

TODAY = dt.date(2020, 12, 20)


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    t = time.perf_counter()
    for _ in range(repeat):
        out = fn()
    return (time.perf_counter() - t) / repeat * 1000, out


def make_cases(ctx: ServiceContext, n: int) -> float:
    svc = DropoutService(ctx)
    with ctx.read() as s:
        ids = list(s.scalars(select(Student.id).where(Student.stage.in_(("小学", "初中")), Student.enrolment == "在校")
                             .order_by(Student.id).limit(n)))
    people = [Person("刘老师", "班主任", "13912345678")]
    t = time.perf_counter()
    for sid in ids:
        c = svc.open_case(CaseForm(student_id=sid, state=State.SUSPECTED, opened_on=dt.date(2020, 9, 20),
                                   last_at_school=dt.date(2020, 9, 1), reason="外出务工"))
        svc.move(c.id, Move(State.DROPPED, dt.date(2020, 10, 5)))
        svc.record_attempt(AttemptForm(c.id, dt.date(2020, 10, 6), people=people, result="拒绝返校"))
        svc.record_attempt(AttemptForm(c.id, dt.date(2020, 10, 20), people=people, result="拒绝返校",
                                       next_step="上报乡镇", next_date=dt.date(2020, 11, 1)))
    return (time.perf_counter() - t) * 1000 / max(1, len(ids))


def make_letters(ctx: ServiceContext, n: int) -> None:
    with ctx.write() as s:
        poor = select(StudentCategory.student_id).where(StudentCategory.category == "建档立卡")
        ids = list(s.scalars(select(Student.id).where(Student.id.in_(poor), Student.enrolment == "在校")
                             .order_by(Student.id.desc()).limit(n)))
        s.execute(update(Student).where(Student.id.in_(ids)).values(
            enrolment="在外就读", study_location="省外", study_school="昆山市玉山镇第一中心小学"))
    LettersService(ctx).make_for_due(TODAY)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=20000)
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--letters", type=int, default=300)
    ap.add_argument("--db", default="")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    path = Path(a.db) if a.db else Path(tempfile.mkdtemp()) / "bench-dropout.sqlite3"
    db = open_database(path)
    ctx = ServiceContext(db.session_factory, Actor("bench"), FixedClock(dt.datetime(2020, 12, 20, 2), TODAY))
    fill_demo(ctx, a.students)
    reg = RegistryService(ctx)
    t = time.perf_counter()
    for i in range(200):
        reg.save_household(HouseholdForm(head_name="王大山", township="阚疃镇", village=f"{i}村"))
    household_ms = (time.perf_counter() - t) * 1000 / 200
    case_ms = make_cases(ctx, a.cases)
    make_letters(ctx, a.letters)
    svc, letters = DropoutService(ctx), LettersService(ctx)
    tracemalloc.start()
    list_ms, rows = timed(lambda: svc.cases(CaseQuery(state="")), 3)
    overdue_ms, late = timed(lambda: svc.overdue(), 3)
    report_ms, report = timed(lambda: svc.month_report("2020-10"), 3)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    roster_ms, _r = timed(lambda: reg.page(StudentQuery(), 0, 200), 3)
    letters_ms, _l = timed(lambda: (letters.letters(), letters.due()), 3)
    out = Path(tempfile.mkdtemp())
    ids = tuple(r.id for r in rows if r.state in (State.DROPPED, State.PERSUADING))[:200]
    t = time.perf_counter()
    render_batch(kind("dropout-notice").sections(ctx, Selection(record_ids=ids, today=TODAY)), out / "n.pdf")
    notices_s = time.perf_counter() - t
    letter_ids = tuple(r.id for r in letters.letters())[:100]
    t = time.perf_counter()
    render_batch(kind("letter").sections(ctx, Selection(record_ids=letter_ids)), out / "l.pdf")
    letters_s = time.perf_counter() - t
    result = {"students": a.students, "cases": len(rows), "letters": len(letter_ids), "overdue_items": len(late),
              "case_write_ms": round(case_ms, 2), "household_ms": round(household_ms, 2),
              "write_ratio": round(case_ms / (4 * household_ms), 2), "list_ms": round(list_ms, 1),
              "overdue_ms": round(overdue_ms, 1), "report_ms": round(report_ms, 1),
              "roster_page_ms": round(roster_ms, 1), "letters_ms": round(letters_ms, 1),
              "notices": len(ids), "notices_s": round(notices_s, 2), "letters_pdf_s": round(letters_s, 2),
              "peak_mb": round(peak, 1), "report_total_persuading": report.total.get("劝返中")[0]}
    for k, v in result.items():
        print(f"{k:24s} {v}", file=sys.stderr)
    db.dispose()
    if not a.keep and not a.db:
        path.unlink(missing_ok=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
