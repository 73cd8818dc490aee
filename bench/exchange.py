"""Benchmark of the county exchange (issue 3): import and export of 100,000 students.

    .venv/bin/python bench/exchange.py [--rows 100000] [--repeat 3] [--encrypted]

Runs bench/exchange_import.py and bench/exchange_export.py (each can also be run on its own and
explains its limit), prints their figures, and ends with one JSON object holding both:
import_ratio (target <= 2), export_ratio (target <= 1.3) and the peak RSS of each (target < 400 MB).
--encrypted: the import is run a second time with both sides on SQLCipher (an encrypted ledger; its
limit on the same driver and key), reported beside the plain figures: import_encrypted_s,
import_encrypted_ratio (against the encrypted limit) and encryption_cost (encrypted / plain import).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(f"  {line}")
    return json.loads(lines[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--encrypted", action="store_true")
    a = ap.parse_args()
    print("import:")
    imp = run("exchange_import.py", "--rows", str(a.rows), "--repeat", str(a.repeat))
    enc = {}
    if a.encrypted:
        print("import, encrypted (SQLCipher on both sides):")
        e = run("exchange_import.py", "--rows", str(a.rows), "--repeat", str(a.repeat), "--encrypted")
        enc = {"import_encrypted_s": e["import_s"], "import_encrypted_limit_s": e["limit_s"],
               "import_encrypted_ratio": e["import_ratio"],
               "encryption_cost": round(e["import_s"] / imp["import_s"], 3)}
    print("export:")
    exp = run("exchange_export.py", "--students", str(a.rows), "--repeat", str(a.repeat))
    print(json.dumps({"rows": a.rows, "import_ratio": imp["import_ratio"], "import_s": imp["import_s"],
                      "import_limit_s": imp["limit_s"], "import_peak_rss_mb": imp["peak_rss_mb"],
                      "export_ratio": exp["export_ratio"], "export_s": exp["export_seconds"],
                      "export_baseline_s": exp["baseline_seconds"], "export_peak_rss_mb": exp["export_peak_rss_mb"],
                      "full_workbook_s": exp["full_workbook_seconds"], **enc}))


if __name__ == "__main__":
    main()
