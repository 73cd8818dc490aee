"""Benchmark of the student list at 100,000 students (run by hand; the last line is JSON).

    python bench/registry.py [--students 100000] [--keep PATH]

Figures:
- search_p50_ms / search_p95_ms: a search string set on the real StudentsPage (offscreen, debounce
  skipped) until its first page of rows is in the model, over 30 strings (names, ID prefixes,
  学籍号, villages, household heads, pinyin initials).
- startup_ratio: `main.py --smoke-test` on that database ÷ a bare QApplication + QMainWindow shown
  and quit; both as whole processes, median of 3 each.
- first_paint_ratio: `main.py --exit-after-first-paint` (start, paint the splash, exit) ÷ a bare
  QApplication + QMainWindow that exits after its first paint; whole processes, median of 5 each.
- frozen_*: the same start-ups from the frozen build (dist/ZhuxueLedger, or --frozen DIR; skipped
  with a note when it has not been built: bash installer/build.sh).
- rss_mb: peak RSS of the smoke-test process.
Targets: p50 ≤ 50, p95 ≤ 100, startup_ratio ≤ 3 (≤ 6 for now), first_paint_ratio ≤ 1.5, rss_mb ≤ 250.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow()
w.resize(1280, 720)
w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""
# the bare window again, this time exiting after its first paint (BARE above exits before painting)
BARE_PAINT = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
class Window(QMainWindow):
    def paintEvent(self, event):
        super().paintEvent(event)
        QTimer.singleShot(0, app.quit)
app = QApplication([])
w = Window()
w.resize(1280, 720)
w.show()
app.exec()
"""
# the same bare window after importing the core the app cannot start without (Qt + SQLAlchemy ORM +
# the registry's models and service): the floor that no start-up work of ours can go below
FLOOR = "import sqlalchemy.orm, db.models, db.registry.service\n" + BARE
# peak RSS of exactly one child: this wrapper has no other children
RSS = """
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], capture_output=True)
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(r.returncode, kb)
"""


def env() -> dict:
    # An installed app runs from compiled bytecode: let the warm-up run write it (this sandbox sets
    # PYTHONDONTWRITEBYTECODE, which would recompile every module of the app on every start).
    e = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    return e


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, env=env(), capture_output=True)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"failed: {cmd}\n{r.stderr.decode('utf-8', 'replace')}")
    return elapsed


def median_of(n: int, cmd: list[str]) -> float:
    return statistics.median(timed(cmd) for _ in range(n))


def measure_frozen(folder: Path, db_path: Path) -> dict:
    exe = folder / ("zhuxue.exe" if sys.platform == "win32" else "zhuxue")
    if not exe.exists():
        print(f"frozen build: none at {folder} (bash installer/build.sh builds it)", flush=True)
        return {}
    smoke = [str(exe), "--smoke-test", "--db", str(db_path)]
    first = [str(exe), "--exit-after-first-paint", "--db", str(db_path)]
    try:
        timed(smoke), timed(first)
    except SystemExit as e:                 # e.g. a build older than the database's schema
        print(f"frozen build at {folder} not timed: {e}", flush=True)
        return {}
    smoke_t, first_t = median_of(3, smoke), median_of(5, first)
    print(f"frozen build: smoke test {smoke_t:.2f} s, first paint {first_t:.3f} s", flush=True)
    return {"frozen_smoke_s": round(smoke_t, 2), "frozen_first_paint_s": round(first_t, 3)}


def search_strings(ctx) -> list[str]:
    """30 strings a school officer would type, taken from the database itself."""
    from db.pinyin import pinyin_keys
    from db.registry.dto import StudentQuery
    reg = ctx.registry
    rows = reg.page(StudentQuery(), 0, 2000)[::97][:8]
    full = [reg.get_student(r.id) for r in rows]
    out: list[str] = []
    out += [r.name for r in rows[:6]]                                  # full names
    out += [r.name[:1] for r in rows[:2]]                              # a surname alone
    out += [f.id_number[:n] for f, n in zip(full, (6, 8, 10, 12, 14, 18))]   # ID prefixes
    out += ["G" + full[6].id_number[:12], full[7].student_no]          # 学籍号
    out += sorted({r.village for r in rows})[:4]                       # villages
    out += [r.head_name for r in rows[:3]]                             # household heads
    out += [pinyin_keys(r.name)[1] for r in rows[:5]]                  # pinyin initials
    out += ["zh", "wang"]                                              # short pinyin
    return out[:30]


def measure_search(db_path: Path) -> tuple[list[float], int]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from db.engine import open_database
    from desktop.context import AppContext
    from desktop.pages.students import StudentsPage

    app = QApplication.instance() or QApplication([])
    db = open_database(db_path)
    ctx = AppContext.build(db)
    page = StudentsPage(ctx)
    page.resize(1200, 650)
    page.show()

    def wait(signal, ms=30_000):
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        signal.disconnect(loop.quit)

    page.start()
    wait(page.countLoaded)
    total = page.total or 0
    strings = search_strings(ctx)
    times = []
    counted: list[int] = []
    page.countLoaded.connect(counted.append)
    for text in strings:
        counted.clear()
        loop = QEventLoop()
        page.rowsLoaded.connect(loop.quit)
        t = time.perf_counter()
        page.search_now(text)
        loop.exec()
        times.append((time.perf_counter() - t) * 1000)
        page.rowsLoaded.disconnect(loop.quit)
        if not counted:                     # let the count finish before the next string
            wait(page.countLoaded)
        print(f"  {text!r:24} {times[-1]:7.1f} ms  {page.total} rows", flush=True)
    ctx.tasks.wait()
    page.close()
    db.dispose()
    del app
    return times, total


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100_000)
    ap.add_argument("--keep", metavar="PATH", help="reuse/keep the database at PATH")
    ap.add_argument("--frozen", metavar="DIR", default=str(ROOT / "dist" / "ZhuxueLedger"),
                    help="the frozen build to time as well")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db_path = Path(args.keep) if args.keep else Path(tmp.name) / "bench.sqlite3"
    py = sys.executable
    if not db_path.exists():
        t = timed([py, "main.py", "demo", "--students", str(args.students), "--db", str(db_path)])
        print(f"demo database: {args.students} students in {t:.1f} s", flush=True)

    times, total = measure_search(db_path)
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    print(f"search over {len(times)} strings on {total} students: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"max {max(times):.1f} ms", flush=True)

    smoke = [py, "main.py", "--smoke-test", "--db", str(db_path)]
    bare = [py, "-c", BARE]
    floor = [py, "-c", FLOOR]
    timed(bare), timed(smoke), timed(floor)            # warm the file cache and bytecode once
    smoke_t = statistics.median(timed(smoke) for _ in range(3))
    bare_t = statistics.median(timed(bare) for _ in range(3))
    floor_t = statistics.median(timed(floor) for _ in range(3))
    print(f"start-up: smoke test {smoke_t:.2f} s, bare window {bare_t:.2f} s, "
          f"bare window + core imports {floor_t:.2f} s", flush=True)
    first = [py, "main.py", "--exit-after-first-paint", "--db", str(db_path)]
    bare_paint = [py, "-c", BARE_PAINT]
    timed(first), timed(bare_paint)
    first_t = median_of(5, first)
    bare_paint_t = median_of(5, bare_paint)
    print(f"first paint: {first_t:.3f} s; a bare window's first paint {bare_paint_t:.3f} s", flush=True)
    frozen = measure_frozen(Path(args.frozen), db_path)
    r = subprocess.run([py, "-c", RSS, *smoke], cwd=ROOT, env=env(), capture_output=True, text=True)
    code, kb = r.stdout.split()
    if code != "0":
        raise SystemExit(f"smoke test failed: {r.stderr}")
    rss_mb = int(kb) / 1024
    print(f"smoke-test peak RSS: {rss_mb:.0f} MB", flush=True)
    result = {"students": total, "search_p50_ms": round(p50, 1), "search_p95_ms": round(p95, 1),
              "startup_ratio": round(smoke_t / bare_t, 2), "smoke_s": round(smoke_t, 2),
              "bare_s": round(bare_t, 2), "floor_s": round(floor_t, 2),
              "floor_ratio": round(floor_t / bare_t, 2), "rss_mb": round(rss_mb, 1),
              "first_paint_ratio": round(first_t / bare_paint_t, 2), "first_paint_s": round(first_t, 3),
              "bare_paint_s": round(bare_paint_t, 3), **frozen}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
