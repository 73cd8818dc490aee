"""Benchmark: the special-needs ledger at a county's size, and what an attachment costs.

    .venv/bin/python bench/special.py [--files 2000] [--photos 10]

Builds a database with `--files` files (a quarter placed 送教上门 with a term of weekly visits, every
file with an assessment and a placement), then measures:

list_s       = SpecialService.list_files() (every open file with its derived facts and alerts)
alerts_s     = SpecialService.alerts()      (what the home page will call)
due_s        = SpecialService.home_teaching_due()
report_s     = SpecialService.report("2020秋")
photo_s      = add_attachment of one 12-megapixel phone photo (check, turn, reduce, thumbnail, store)
photo_raw_s  = the baseline in the same run: reading the same photo with Pillow and saving it as a JPEG
               of the same size, no database
photo_peak_mb = peak Python memory (tracemalloc) of one add_attachment
verify_s     = verify_attachments() over the `--photos` stored photos
Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw

from db.clock import FixedClock
from db.context import Actor, ServiceContext
from db.demo import make_id
from db.engine import open_database
from db.models.special import SpecialAssessment, SpecialFile, SpecialHomeVisit, SpecialPlacement
from db.special import rules
from db.special.service import SpecialService

TODAY = dt.date(2020, 12, 18)


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def build(ctx: ServiceContext, n: int) -> None:
    rng = random.Random(13)
    used: set[str] = set()
    with ctx.write() as s:
        for i in range(n):
            birth = dt.date(2006 + rng.randrange(10), rng.randrange(1, 13), rng.randrange(1, 28))
            placement = rules.HOME if i % 4 == 0 else rng.choice(rules.PLACEMENTS)
            f = SpecialFile(name=f"儿童{i}", id_number=make_id(rng, "341623", birth, i % 2 == 0, used),
                            category=rng.choice(rules.CATEGORIES), grade=rng.choice(rules.GRADES),
                            placement=placement, placement_since=dt.date(2020, 9, 1), registered_poor=i % 3 == 0)
            s.add(f)
            s.flush()
            s.add(SpecialAssessment(file_id=f.id, assessed_on=dt.date(2020, 8, 25), conclusion="…",
                                    recommended=placement, next_review=dt.date(2021, 8, 31 - i % 20)))
            s.add(SpecialPlacement(file_id=f.id, placement=placement, since=dt.date(2020, 9, 1), decided_by="县教育局"))
            if placement == rules.HOME:
                day = dt.date(2020, 9, 8)
                while day <= TODAY:
                    s.add(SpecialHomeVisit(file_id=f.id, visit_date=day, term_key=2020 * 2 + 1, teacher1="张",
                                           teacher2="李", minutes=60, content="认知"))
                    day += dt.timedelta(days=7)


def phone_photo() -> bytes:
    img = Image.new("RGB", (4032, 3024), (210, 200, 180))
    d = ImageDraw.Draw(img)
    rng = random.Random(5)
    for _ in range(400):                       # detail, so the JPEG is photo-sized
        x, y = rng.randrange(4000), rng.randrange(3000)
        d.ellipse((x, y, x + rng.randrange(20, 200), y + rng.randrange(20, 200)),
                  fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92)
    return out.getvalue()


def raw_reduce(raw: bytes) -> float:
    t = time.perf_counter()
    img = Image.open(io.BytesIO(raw))
    img.thumbnail((2000, 2000))
    img.save(io.BytesIO(), "JPEG", quality=85)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--photos", type=int, default=10)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-special-"))
    db = open_database(folder / "ledger.sqlite3")
    ctx = ServiceContext(db.session_factory, Actor("bench"), FixedClock(dt.datetime(2020, 12, 18, 2), TODAY))
    svc = SpecialService(ctx)
    _, build_s = timed(lambda: build(ctx, args.files))
    rows, list_s = timed(svc.list_files)
    alerts, alerts_s = timed(svc.alerts)
    due, due_s = timed(svc.home_teaching_due)
    _, report_s = timed(lambda: svc.report("2020秋"))
    raw = phone_photo()
    photo_raw_s = min(raw_reduce(raw) for _ in range(3))
    times = []
    for _ in range(args.photos):
        _, t = timed(lambda: svc.add_attachment(rows[0].id, raw, name="IMG.jpg", kind="照片"))
        times.append(t)
    tracemalloc.start()
    svc.add_attachment(rows[0].id, raw, name="IMG.jpg", kind="照片")
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    (n, bad), verify_s = timed(svc.verify_attachments)
    db.dispose()
    out = {"files": args.files, "visits_files": len(due), "alerts": len(alerts), "build_s": round(build_s, 2),
           "list_s": round(list_s, 3), "alerts_s": round(alerts_s, 3), "due_s": round(due_s, 3),
           "report_s": round(report_s, 3), "photo_bytes": len(raw), "photo_s": round(min(times), 3),
           "photo_raw_s": round(photo_raw_s, 3), "photo_ratio": round(min(times) / photo_raw_s, 2),
           "photo_peak_mb": round(peak, 1), "verify_s": round(verify_s, 3), "verified": n, "damaged": len(bad),
           "db_mb": round((folder / "ledger.sqlite3").stat().st_size / 1024 / 1024, 1)}
    for k, v in out.items():
        print(f"{k:14} {v}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
