"""T24: a time-boxed fuzz run of the importer's entry point, and static checks (bandit, pip-audit).

The fuzz run mutates real xlsx and csv files (byte flips, truncation, inserted runs, a part of the zip
replaced) with a fixed seed for FUZZ_SECONDS (env ZHUXUE_FUZZ_SECONDS, default 60): only the
importer's own LedgerError may escape, and no input may take more than 5 s."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from db.errors import LedgerError
from db.exchange.importer import preview_import
from tests.db.exchange.files import HEAD, student_row, write_csv, write_xlsx
from tests.faults.conftest import ROOT

FUZZ_SECONDS = float(os.environ.get("ZHUXUE_FUZZ_SECONDS", "60"))
PER_INPUT_S = 5.0


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    kind = rng.randrange(5)
    if kind == 0:
        for _ in range(rng.randint(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == 1:
        del b[rng.randrange(1, len(b)):]
    elif kind == 2:
        at = rng.randrange(len(b))
        b[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    elif kind == 3:
        at = rng.randrange(len(b))
        b[at:at + rng.randint(1, 400)] = b""
    else:
        b = bytearray(data.replace(b"PK\x03\x04", b"PK\x03\x04" if rng.random() < 0.5 else b"PK\x05\x06", 1))
        b[rng.randrange(len(b))] ^= 0xFF
    return bytes(b)


def replace_part(src: Path, dst: Path, rng: random.Random) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        victim = rng.choice(names)
        for name in names:
            data = zin.read(name)
            zout.writestr(name, mutate(data, rng) if name == victim and data else data)


def test_fuzz_the_importer(sctx, tmp_path):
    rows = [HEAD] + [student_row(i) for i in range(1, 30)]
    seeds = [write_xlsx(tmp_path / "seed.xlsx", rows), write_csv(tmp_path / "seed.csv", rows, "gbk")]
    rng = random.Random(24)
    deadline = time.monotonic() + FUZZ_SECONDS
    tried, slowest, escaped = 0, 0.0, []
    while time.monotonic() < deadline:
        seed = rng.choice(seeds)
        case = tmp_path / f"case{seed.suffix}"
        if seed.suffix == ".xlsx" and rng.random() < 0.5:
            replace_part(seed, case, rng)
        else:
            case.write_bytes(mutate(seed.read_bytes(), rng))
        t = time.monotonic()
        try:
            preview_import(sctx, case)
        except LedgerError:
            pass
        except BaseException as e:
            escaped.append(f"{type(e).__module__}.{type(e).__name__}: {str(e)[:120]}")
            (tmp_path / f"escaped-{len(escaped)}{seed.suffix}").write_bytes(case.read_bytes())
        slowest = max(slowest, time.monotonic() - t)
        tried += 1
    assert tried > 50, f"only {tried} inputs in {FUZZ_SECONDS} s"
    assert escaped == [], f"{len(escaped)} of {tried} inputs escaped: {sorted(set(escaped))[:10]}"
    assert slowest < PER_INPUT_S, f"an input took {slowest:.1f} s"


def test_bandit_finds_nothing_of_high_severity():
    r = subprocess.run([sys.executable, "-m", "bandit", "-q", "-r", "db", "desktop", "widgets", "resources",
                        "main.py", "-f", "json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.stdout.strip(), f"bandit did not run: {r.stderr[-1000:]}"
    high = [f"{x['filename']}:{x['line_number']} {x['test_id']} {x['issue_text']}"
            for x in json.loads(r.stdout)["results"] if x["issue_severity"] == "HIGH"]
    assert high == []
