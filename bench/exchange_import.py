"""Benchmark: importing a 100,000-row county list (xlsx) with every column a county list carries.

    .venv/bin/python bench/exchange_import.py [--rows 100000] [--keep DIR] [--repeat 3] [--encrypted]

limit_s      = python-calamine reading the file (every cell) + raw sqlite3 executemany of the same
               rows into a table of as many text columns (same pragmas as the app: WAL, synchronous=FULL), one commit
import_s     = preview_import + run_import into a fresh migrated database (validated and committed)
import_ratio = import_s / limit_s (target <= 2)
import_ratio_indexed: the same against a limit whose table has six indexes like the student table
Each side runs in its own subprocess; peak RSS is that process's ru_maxrss (target < 400 MB).
The three are run --repeat times, interleaved, and each counts with its fastest run (a shared
machine's noise only ever adds time).
--encrypted: both sides on SQLCipher (sqlcipher3, the driver of an encrypted ledger) with the same
raw 256-bit key: the ledger is created encrypted, the limit's table is in an encrypted file too.
Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Every column a county list carries, worded as county lists word them: 村组（社区） for the village,
# 贫困类型 with values the importer maps (and one it asks about), 学籍号, bank cards of which some fail
# the Luhn check, the household's number, head, phone, address, poverty status and helper, notes.
HEADERS = ["序号", "乡镇", "村组（社区）", "组", "户编号", "户主姓名", "户主身份证号", "与户主关系", "姓名", "性别",
           "民族", "身份证号", "学籍号", "出生日期", "学段", "年级", "班级", "寄宿/走读", "在校状态", "贫困类型",
           "认定等级", "联系电话", "银行卡号", "开户银行", "持卡人", "持卡人与学生关系", "家庭住址", "脱贫属性",
           "脱贫年度", "家庭联系电话", "帮扶责任人", "备注"]
POVERTY_TYPES = ("建档立卡脱贫户", "建档立卡", "农村低保", "特困供养", "低保户", "监测户", "建档立卡、残疾人子女",
                 "其他困难", "城市低保")
CARD_LUHN_FAILS = 0.03          # rural credit co-operative passbooks without a Luhn check digit


def make_file(path: Path, rows: int, seed: int = 7) -> None:
    import xlsxwriter

    from db.demo import COUNTIES, GIVEN, SURNAMES, VILLAGE_WORDS, make_card, make_id
    rng = random.Random(seed)
    used: set[str] = set()
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("学生名册")
    text = wb.add_format({"num_format": "@"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, HEADERS)
    grades = [("小学", g) for g in ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")] + \
             [("初中", g) for g in ("七年级", "八年级", "九年级")]
    r = 1
    hh = 0
    while r <= rows:
        hh += 1
        region = rng.choice(list(COUNTIES))
        town = rng.choice(COUNTIES[region][1])
        village = rng.choice(VILLAGE_WORDS) + "村"
        group = f"{rng.randrange(1, 12)}组"
        surname = rng.choice(SURNAMES)
        head = surname + rng.choice(GIVEN) + rng.choice(GIVEN)
        head_id = make_id(rng, region, dt.date(rng.randrange(1965, 1990), rng.randrange(1, 13),
                                               rng.randrange(1, 29)), True, used)
        poverty = rng.choice(("脱贫户", "脱贫户", "监测户", ""))
        exit_year = rng.randrange(2014, 2021) if poverty == "脱贫户" else ""
        home_phone = f"15{rng.randrange(5, 10)}{rng.randrange(10**8):08d}"
        helper = rng.choice(SURNAMES) + rng.choice(GIVEN)
        for _ in range(min(rng.choice((1, 2, 2, 3)), rows - r + 1)):
            male = rng.random() < 0.5
            stage, grade = rng.choice(grades)
            birth = dt.date(rng.randrange(2006, 2015), rng.randrange(1, 13), rng.randrange(1, 29))
            sid = make_id(rng, region, birth, male, used)
            name = surname + rng.choice(GIVEN) + rng.choice(GIVEN)
            card = make_card(rng)
            if rng.random() < CARD_LUHN_FAILS:
                card = card[:-1] + str((int(card[-1]) + 1) % 10)
            ws.write_number(r, 0, r)
            ws.write_row(r, 1, [town, village, group])
            ws.write_string(r, 4, f"{region}{hh:010d}", text)
            ws.write_string(r, 5, head)
            ws.write_string(r, 6, head_id, text)
            ws.write_row(r, 7, ["之子" if male else "之女", name, "男" if male else "女", "汉族"])
            ws.write_string(r, 11, sid, text)
            ws.write_string(r, 12, "G" + sid, text)
            ws.write_datetime(r, 13, dt.datetime(birth.year, birth.month, birth.day), date)
            ws.write_row(r, 14, [stage, grade, f"{rng.randrange(1, 7)}班", rng.choice(("寄宿", "走读")), "在校",
                                 rng.choice(POVERTY_TYPES), rng.choice(("特别困难", "困难", "一般困难"))])
            ws.write_string(r, 21, f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}", text)
            ws.write_string(r, 22, card, text)
            ws.write_row(r, 23, ["中国农业银行", head, "父子" if male else "父女",
                                 f"{town}{village}{group}{rng.randrange(1, 80)}号", poverty])
            ws.write(r, 28, exit_year)
            ws.write_string(r, 29, home_phone, text)
            ws.write_row(r, 30, [helper, "" if rng.random() < 0.9 else "家中有病人，需重点关注"])
            r += 1
    wb.close()


# The student table carries six indexes besides its key; the indexed limit gives the raw table six
# on comparable columns (name, phone, household no., grade+class, unique ID, unique 学籍号).
_INDEXES = ("CREATE INDEX ix_a ON t (c8)", "CREATE INDEX ix_b ON t (c21)", "CREATE INDEX ix_c ON t (c4)",
            "CREATE INDEX ix_d ON t (c15, c16)", "CREATE UNIQUE INDEX ix_e ON t (c11)",
            "CREATE UNIQUE INDEX ix_f ON t (c12)")


BENCH_KEY = bytes(range(32))          # a fixed data key: the benchmark measures the cipher, not the KDF


def child_limit(path: str, db: str, indexed: bool = False, encrypted: bool = False) -> dict:
    import python_calamine as pc

    from db import sqlite
    t = time.perf_counter()
    with open(path, "rb") as f:
        sheet = pc.CalamineWorkbook.from_filelike(f).get_sheet_by_index(0)
    rows = iter(sheet.iter_rows())
    next(rows)
    data = [tuple(str(v) if isinstance(v, (dt.date, dt.datetime)) else v for v in row) for row in rows]
    read_s = time.perf_counter() - t
    key = BENCH_KEY if encrypted else None
    conn = sqlite.driver(key).connect(db)                    # the app's driver: sqlite3, or sqlcipher3 with a key
    sqlite.apply_key(conn, key)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    n = len(HEADERS)
    cols = ", ".join(f"c{i} TEXT" for i in range(n))
    conn.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {cols})")
    for ddl in _INDEXES if indexed else ():
        conn.execute(ddl)
    with conn:
        conn.executemany(f"INSERT INTO t ({', '.join(f'c{i}' for i in range(n))}) VALUES ({', '.join('?' * n)})",
                         data)
    conn.close()
    return {"seconds": time.perf_counter() - t, "read_s": read_s, "rows": len(data)}


def child_ours(path: str, db: str, encrypted: bool = False) -> dict:
    from db.context import ServiceContext
    from db.engine import open_database
    from db.exchange.import_write import run_import
    from db.exchange.importer import preview_import
    database = open_database(db, key=BENCH_KEY if encrypted else None)     # migrated before the clock starts
    ctx = ServiceContext(database.session_factory)
    t = time.perf_counter()
    p = preview_import(ctx, path)
    preview_s = time.perf_counter() - t
    r = run_import(ctx, p)
    total = time.perf_counter() - t
    database.engine.dispose()
    return {"seconds": total, "preview_s": preview_s, "rows": p.rows_read, "imported": r.imported,
            "rejected": p.rejected, "warnings": p.warnings}


def run_child(which: str, path: Path, db: Path, encrypted: bool = False) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", which, str(path), str(db),
                          *(["--encrypted"] if encrypted else [])], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs=3, metavar=("WHICH", "FILE", "DB"))
    ap.add_argument("--encrypted", action="store_true", help="both sides on SQLCipher with the same key")
    a = ap.parse_args()
    if a.child:
        import resource
        which, path, db = a.child
        if which == "ours":
            res = child_ours(path, db, a.encrypted)
        else:
            res = child_limit(path, db, indexed=which == "limit_indexed", encrypted=a.encrypted)
        res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(res))
        return
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"list-{a.rows}.xlsx"
    if not path.exists():
        t = time.perf_counter()
        make_file(path, a.rows)
        print(f"generated {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    best: dict[str, dict] = {}
    for i in range(a.repeat):
        for which in ("limit", "limit_indexed", "ours"):
            for f in work.glob("*.sqlite3*"):
                f.unlink()
            r = run_child(which, path, work / f"{which}.sqlite3", a.encrypted)
            print(f"  run {i + 1} {which:14s} {r['seconds']:6.2f} s  peak {r['peak_rss_mb']} MB")
            if which not in best or r["seconds"] < best[which]["seconds"]:
                best[which] = r
    limit, indexed, ours = best["limit"], best["limit_indexed"], best["ours"]
    print(f"limit: {limit['seconds']:.2f} s (calamine read {limit['read_s']:.2f} s), peak {limit['peak_rss_mb']} MB")
    print(f"limit with six indexes like the student table: {indexed['seconds']:.2f} s")
    print(f"ours:  {ours['seconds']:.2f} s (preview {ours['preview_s']:.2f} s), peak {ours['peak_rss_mb']} MB, "
          f"imported {ours['imported']}, rejected {ours['rejected']}")
    result = {"rows": a.rows, "columns": len(HEADERS), "encrypted": a.encrypted, "limit_s": round(limit["seconds"], 3),
              "import_s": round(ours["seconds"], 3), "preview_s": round(ours["preview_s"], 3),
              "import_ratio": round(ours["seconds"] / limit["seconds"], 3),
              "limit_indexed_s": round(indexed["seconds"], 3),
              "import_ratio_indexed": round(ours["seconds"] / indexed["seconds"], 3),
              "peak_rss_mb": ours["peak_rss_mb"], "limit_peak_rss_mb": limit["peak_rss_mb"],
              "imported": ours["imported"], "rejected": ours["rejected"]}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
