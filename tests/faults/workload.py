"""The scripted write loop the kill -9 and I/O-error tests run in a child process:
python -m tests.faults.workload DB SEED [fiu]. Each step is a real service call (households, amount
adjustments, voids and re-issues of aid lines) and prints `ack N HOUSEHOLD_ID` after its commit.
With `fiu`, random I/O failures are switched on around each step (libfiu, under fiu-run) and every
failure must come back as a Chinese message with the step rolled back; anything else is unhandled."""
from __future__ import annotations

import ctypes
import os
import random
import sys

from db import failures
from db.aid.dto import LineQuery
from db.context import Actor, ServiceContext
from db.engine import open_database
from db.errors import LedgerError
from db.registry.dto import HouseholdForm
from db.services import Services

TERM = "2020秋"
FAULTS = (b"posix/io/rw/write", b"posix/io/rw/pwrite", b"posix/io/sync/fsync", b"posix/io/rw/read",
          b"posix/io/rw/pread")


class Faults:
    """libfiu's control, loaded into this process by fiu-run."""

    def __init__(self, seed: int, probability: float):
        self.lib = ctypes.CDLL("libfiu.so.0")
        self.lib.fiu_enable_random.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_float]
        self.lib.fiu_set_prng_seed(ctypes.c_uint(seed))
        self.probability = probability

    def __enter__(self):
        for name in FAULTS:
            self.lib.fiu_enable_random(name, 1, None, self.probability)

    def __exit__(self, *exc):
        for name in FAULTS:
            self.lib.fiu_disable(name)


def letters(i: int) -> str:
    out = ""
    while True:
        i, r = divmod(i, 26)
        out = chr(65 + r) + out
        if not i:
            return out


def step(sv: Services, rng: random.Random, i: int, line_ids: list[int]) -> int:
    hh = sv.registry.save_household(HouseholdForm(head_name=f"户主{letters(i)}", village="测试村"))
    line = rng.choice(line_ids)
    kind = rng.random()
    try:
        if kind < 0.7:
            sv.aid.adjust(line, rng.randrange(100, 300_000), "测试调整")
        elif kind < 0.85:
            sv.aid.void(line, "测试作废")
        else:
            sv.aid.reissue(line, rng.randrange(100, 300_000), "测试补发")
    except LedgerError:
        pass                                    # not 待发放 / already void: the rules said no
    return hh.id


def main(db_path: str, seed: int, fiu: bool) -> int:
    key = os.environ.get("ZHUXUE_TEST_KEY")                 # an encrypted ledger (T01 with encryption)
    db = open_database(db_path, key=bytes.fromhex(key) if key else None)
    sv = Services.build(ServiceContext(db.session_factory, Actor("测试")))
    rng = random.Random(seed)
    line_ids = [row.id for row in sv.aid.lines(TERM, LineQuery(), 0, 10_000)]
    faults = Faults(seed, 0.02) if fiu else None
    steps = 60 if fiu else 10**9
    reported = 0
    for i in range(1, steps + 1):
        try:
            if faults:
                with faults:
                    hid = step(sv, rng, i, line_ids)
            else:
                hid = step(sv, rng, i, line_ids)
        except Exception as e:
            if not failures.is_file_error(e) and not isinstance(e, LedgerError):
                print(f"unhandled {type(e).__name__}", flush=True)
                return 1
            message = failures.report(e, "保存")
            reported += 1
            print(f"failed {i} {message}", flush=True)
            continue
        print(f"ack {i} {hid}", flush=True)
    db.dispose()
    print(f"done reported={reported}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), len(sys.argv) > 3 and sys.argv[3] == "fiu"))
