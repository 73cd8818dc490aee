"""Benchmark of the office's work at 100,000 students (run by hand; the last line is JSON).

    python bench/home.py [--students 100000] [--keep PATH]

Figures (the 2020秋 batch planned and paid, on a fixed clock of 2020-11-20):
- items_s / figures_s: HomeService.items() (every ledger's home items) and figures(), each alone.
- check_s: the whole self-inspection (InspectionService.run) — the 自查 page and `main.py check`.
- preview_s / rollover_s: the rollover's preview, and the rollover itself on a copy (backup included).
- window_shown_s: a MainWindow on that database built and shown (the home page first), offscreen;
  home_loaded_s: until the home page's items and figures are on screen; ui_stall_ms: the longest
  gap between 10 ms timer ticks while they load (how long the window could not answer a click).
- baseline: the same window with the student list as its first page instead (the app before the home
  page), window_shown_s and its first page's count loaded — measured in the same run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = dt.date(2020, 11, 20)


def clocked(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def prepare(path: Path, students: int) -> None:
    from db.clock import FixedClock
    from db.context import Actor, ServiceContext
    from db.demo import fill_demo
    from db.engine import open_database
    from db.services import Services
    db = open_database(path)
    ctx = ServiceContext(db.session_factory, Actor("李老师"), FixedClock(dt.datetime(2020, 11, 20, 2), TODAY))
    sv = Services.build(ctx)
    if sv.school.student_count() == 0:
        fill_demo(ctx, students)
    if not sv.home.figures(TODAY).money:
        sv.aid.plan("2020秋")
        sv.aid.pay("2020秋", dt.date(2020, 9, 20))
    db.dispose()


def services(path: Path):
    from db.clock import FixedClock
    from db.context import Actor, ServiceContext
    from db.engine import open_database
    from db.services import Services
    db = open_database(path)
    ctx = ServiceContext(db.session_factory, Actor("李老师"), FixedClock(dt.datetime(2020, 11, 20, 2), TODAY))
    return db, Services.build(ctx)


def measure_services(path: Path, tmp: Path) -> dict:
    db, sv = services(path)
    report, items_s = clocked(lambda: sv.home.items(TODAY))
    _f, figures_s = clocked(lambda: sv.home.figures(TODAY))
    check, check_s = clocked(lambda: sv.inspection.run(TODAY))
    sv.rollover.set_roll_year(2020) if not sv.rollover.history() else None
    _p, preview_s = clocked(lambda: sv.rollover.preview(2021))
    db.dispose()
    copy = tmp / "rollover.sqlite3"
    shutil.copy(path, copy)
    db2, sv2 = services(copy)
    sv2.ctx.clock = type(sv2.ctx.clock)(dt.datetime(2021, 8, 25, 2), dt.date(2021, 8, 25))
    result, rollover_s = clocked(lambda: sv2.rollover.run(2021))
    db2.dispose()
    print(f"home items {items_s:.2f} s ({len(report.items)} items), figures {figures_s:.2f} s, "
          f"self-inspection {check_s:.2f} s ({check.children} children, {len(check.gaps)} gaps), "
          f"rollover preview {preview_s:.2f} s, rollover {rollover_s:.2f} s "
          f"({result.plan.promoted} promoted, {result.plan.graduated} graduated, backup included)", flush=True)
    return {"items_s": round(items_s, 2), "figures_s": round(figures_s, 2), "check_s": round(check_s, 2),
            "preview_s": round(preview_s, 2), "rollover_s": round(rollover_s, 2), "gaps": len(check.gaps)}


def measure_window(path: Path, first_page: str) -> dict:
    """A window on the database; `first_page` "home" (as shipped) or "students" (as before)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer

    from db.clock import FixedClock
    from db.engine import open_database
    from desktop.boot import make_application
    from desktop.context import AppContext
    from desktop.main_window import MainWindow
    from desktop.pages import PAGES
    from desktop.pages.students import StudentsPage

    app = make_application([])
    db = open_database(path)
    ctx = AppContext.build(db)
    ctx.ctx.clock = FixedClock(dt.datetime(2020, 11, 20, 2), TODAY)
    pages = PAGES if first_page == "home" else [StudentsPage] + [p for p in PAGES if p is not StudentsPage]
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    t0 = time.perf_counter()
    w = MainWindow(ctx, settings, pages=pages)
    w.resize(1366, 768)
    w.show()
    w.start()
    app.processEvents()
    shown = time.perf_counter() - t0
    first = w.current_page()
    signals = [first.itemsLoaded, first.figuresLoaded] if first_page == "home" else [first.countLoaded]
    pending = {id(s) for s in signals}
    loop = QEventLoop()
    stall = {"max": 0.0}
    tick = QElapsedTimer()
    tick.start()

    def on_tick():
        stall["max"] = max(stall["max"], tick.restart())
    timer = QTimer()
    timer.timeout.connect(on_tick)
    timer.start(10)
    def arrived(key: int) -> None:
        pending.discard(key)
        if not pending:
            loop.quit()
    for s in signals:
        key = id(s)
        s.connect(lambda *_a, k=key: arrived(k))
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    loaded = time.perf_counter() - t0
    timer.stop()
    w.close()
    ctx.tasks.wait()
    db.dispose()
    return {"window_shown_s": round(shown, 3), "loaded_s": round(loaded, 3), "ui_stall_ms": round(stall["max"])}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100_000)
    ap.add_argument("--keep", metavar="PATH")
    ap.add_argument("--window", choices=("home", "students"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.window:                       # a child process: one window measured in a fresh interpreter
        print(json.dumps(measure_window(Path(args.keep), args.window)))
        return 0
    tmp = Path(tempfile.mkdtemp())
    path = Path(args.keep) if args.keep else tmp / "bench.sqlite3"
    t = time.perf_counter()
    prepare(path, args.students)
    print(f"database ready in {time.perf_counter() - t:.1f} s: {path}", flush=True)
    figures = measure_services(path, tmp)
    import subprocess
    runs = {}
    for first in ("students", "home", "students", "home"):         # alternate: the second run of each counts
        r = subprocess.run([sys.executable, __file__, "--keep", str(path), "--window", first], capture_output=True,
                           text=True, cwd=ROOT)
        if r.returncode:
            raise SystemExit(r.stderr)
        runs[first] = json.loads(r.stdout.strip().splitlines()[-1])
    home, base = runs["home"], runs["students"]
    print(f"window with the home page: shown {home['window_shown_s']} s, home loaded {home['loaded_s']} s, "
          f"longest UI stall {home['ui_stall_ms']} ms; baseline (student list first): shown "
          f"{base['window_shown_s']} s, list loaded {base['loaded_s']} s, stall {base['ui_stall_ms']} ms", flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({**figures, "window_shown_s": home["window_shown_s"], "home_loaded_s": home["loaded_s"],
                      "ui_stall_ms": home["ui_stall_ms"], "baseline_window_shown_s": base["window_shown_s"],
                      "baseline_list_loaded_s": base["loaded_s"], "baseline_ui_stall_ms": base["ui_stall_ms"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
