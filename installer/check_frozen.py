"""Start the frozen build and drive it as a school would; fail on the first thing that does not work.

    .venv/bin/python installer/check_frozen.py [dist/ZhuxueLedger]

Run by installer/check_frozen.sh (which builds first) from .ci/run. Every run of the frozen app goes
through strace: a file that the app looked for in the build folder, did not find there, and that
exists in the source tree or in the build's packages (.venv-build) fails the check, even when the app
carried on without it (an icon, a translation, a pinyin table).
The source tree's .venv is used only to write input files and read the outputs.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from db.migrations import HEAD  # noqa: E402 (the source tree, on the path above)
from db.pinyin import pinyin_keys  # noqa: E402
from tests.db.exchange.files import HEAD as LIST_HEAD  # noqa: E402
from tests.db.exchange.files import bad_check, student_row, write_xlsx  # noqa: E402
from tests.db.test_release_fixture import facts  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "db" / "release-0.1.0.sqlite3"
TIMEOUT = 180
BASE14 = {"/Helvetica", "/Helvetica-Bold", "/Times-Roman", "/Courier", "/ZapfDingbats", "/Symbol"}

SITE = next((ROOT / ".venv-build" / "lib").glob("python3*/site-packages"), None)
# Probes that are never a missing data file: the dynamic loader's search (libraries, hwcaps),
# bytecode caches, and the sources of modules that live in the archive (Alembic's scripts are
# read as sources, so they stay in).
NOISE = re.compile(r"(\.so(\.\d+)*|\.avx2|\.pyc|/__pycache__/.*)$|/(tls|x86_64|haswell|glibc-hwcaps)/")
ARCHIVED_SOURCE = re.compile(r"\.py$")
ALEMBIC_SCRIPTS = re.compile(r"^_internal/db/migrations/")
TRACE = re.compile(r'^\d+\s+(?:open|openat|stat|newfstatat|lstat|access|faccessat2?)\((?:AT_FDCWD, )?"([^"]+)".*'
                   r"= -1 ENOENT")


class Frozen:
    def __init__(self, folder: Path, work: Path):
        self.folder = folder.resolve()
        self.work = work
        exe = ".exe" if sys.platform == "win32" else ""
        self.gui = self.folder / f"zhuxue{exe}"
        self.cli = self.folder / f"zhuxue-cli{exe}"
        self.missing: set[str] = set()
        self.runs = 0
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        self.env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(work / "config"),
                        XDG_DATA_HOME=str(work / "data"), HOME=str(work / "home"))

    def run(self, exe: Path, *args: str, env: dict | None = None, ok: bool = True) -> subprocess.CompletedProcess:
        self.runs += 1
        trace = self.work / f"trace-{self.runs}.txt"
        cmd = ["strace", "-f", "-qq", "-e", "trace=open,openat,stat,newfstatat,lstat,access,faccessat2",
               "-e", "status=failed", "-o", str(trace), str(exe), *args]
        r = subprocess.run(cmd, env={**self.env, **(env or {})}, capture_output=True, timeout=TIMEOUT,
                           cwd=self.work)
        self._collect(trace)
        if ok and r.returncode != 0:
            fail(f"{exe.name} {' '.join(args)} exited {r.returncode}:\n{err(r)}")
        return r

    def _collect(self, trace: Path) -> None:
        prefix = str(self.folder) + "/"
        for line in trace.read_text("utf-8", "replace").splitlines():
            m = TRACE.match(line)
            if m and m.group(1).startswith(prefix):
                rel = m.group(1)[len(prefix):]
                if not NOISE.search(rel) and shipped_elsewhere(rel):
                    self.missing.add(rel)

    def cli_json(self, *args: str):
        return json.loads(self.run(self.cli, *args).stdout.decode("utf-8"))


def shipped_elsewhere(rel: str) -> bool:
    """True when the file exists where the build takes its files from: the source tree, the build's
    packages. A probe for a file that exists nowhere (an optional config, an icon the code falls back
    from) is not a hole in the build."""
    inner = rel.removeprefix("_internal/")
    if ARCHIVED_SOURCE.search(inner) and not ALEMBIC_SCRIPTS.match(rel):
        return False
    return any((base / inner).is_file() for base in (ROOT, SITE) if base is not None)


def err(r: subprocess.CompletedProcess) -> str:
    return (r.stderr or b"").decode("utf-8", "replace")[-3000:]


def fail(message: str) -> None:
    print(f"FAILED: {message}", file=sys.stderr)
    raise SystemExit(1)


def check(cond: bool, message: str) -> None:
    if not cond:
        fail(message)


def step(name: str) -> None:
    print(f"- {name}", flush=True)


def revision(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def migrations_shipped(f: Frozen) -> None:
    step("every migration file is in the build (Alembic finds head by reading the folder)")
    src = ROOT / "db" / "migrations"
    wanted = {p.relative_to(src) for p in src.rglob("*")
              if p.suffix in (".py", ".mako") and "__pycache__" not in p.parts}
    shipped = f.folder / "_internal" / "db" / "migrations"
    absent = sorted(str(p) for p in wanted if not (shipped / p).is_file())
    check(not absent, f"migration files missing from the build: {absent}")


def smoke(f: Frozen) -> None:
    step("--smoke-test offscreen on a new database (all migrations, translations, icons)")
    db = f.work / "smoke.sqlite3"
    r = f.run(f.gui, "--smoke-test", "--db", str(db))
    check(b"smoke-test ok" in r.stdout, f"no smoke-test line: {r.stdout!r} {err(r)}")
    check(revision(db) == HEAD, f"a new database got revision {revision(db)}, not {HEAD}")


def cli_search(f: Frozen) -> str:
    step("zhuxue-cli demo, then students --search … --json")
    db = f.work / "demo.sqlite3"
    f.run(f.cli, "demo", "--students", "60", "--db", str(db))
    everyone = f.cli_json("students", "--json", "--limit", "100", "--db", str(db))
    check(len(everyone) == 60, f"demo made {len(everyone)} students, not 60")
    name = everyone[7]["name"]
    found = f.cli_json("students", "--search", name, "--json", "--db", str(db))
    check(any(r["name"] == name for r in found), f"searching {name} did not find them")
    check(not re.search(r"\d{17}[\dX]", json.dumps(found)), "an unmasked ID number in the output")
    r = f.run(f.cli)                           # without a command: help, not a window
    check("命令" in r.stdout.decode("utf-8"), "zhuxue-cli without a command did not show its help")
    return name


def code_page(f: Frozen, name: str) -> None:
    step("zhuxue-cli under a GBK locale (a Chinese Windows code page): output readable")
    locales = f.work / "locales"
    locales.mkdir(exist_ok=True)
    subprocess.run(["localedef", "-i", "zh_CN", "-f", "GBK", str(locales / "zh_CN.GBK")],
                   check=True, capture_output=True, timeout=TIMEOUT)
    env = {"LOCPATH": str(locales), "LC_ALL": "zh_CN.GBK", "LANG": "zh_CN.GBK"}
    db = str(f.work / "demo.sqlite3")
    # arguments arrive in the locale's encoding too: pass the name as GBK bytes
    r = f.run(f.cli, "students", "--search", os.fsdecode(name.encode("gbk")), "--json", "--db", db,
              env=env)
    text = r.stdout.decode("gb18030")
    check(name in text and any(row["name"] == name for row in json.loads(text)),
          f"{name} not readable in GB18030 output: {r.stdout[:200]!r}")
    check(name.encode("gbk") in r.stdout and name.encode("utf-8") not in r.stdout,
          "the output was not in the console's code page")
    bad = f.work / "not-a-db.sqlite3"
    bad.write_bytes(b"not a database at all")
    r = f.run(f.cli, "students", "--db", str(bad), env=env, ok=False)
    check(r.returncode == 2 and "不是数据库文件" in r.stderr.decode("gb18030"),
          f"the error was not readable Chinese: {r.stderr!r}")


def county_import(f: Frozen) -> None:
    step("zhuxue-cli import of a county list (title row, a rejected row), then a pinyin search")
    rows = [LIST_HEAD] + [student_row(i) for i in range(1, 31)]
    rows[5][6] = bad_check(rows[5][6])
    path = write_xlsx(f.work / "县名单.xlsx", rows, title="2020年秋季资助名单", sheet_name="学生")
    db = str(f.work / "county.sqlite3")
    d = json.loads(f.run(f.cli, "import", str(path), "--json", "--db", db).stdout.decode("utf-8"))
    check(d["imported"] == 29 and [x["row"] for x in d["rejected"]] == [7],
          f"import result: imported {d['imported']}, rejected {d['rejected']}")
    name = rows[3][4]
    found = f.cli_json("students", "--search", pinyin_keys(name)[1], "--json", "--db", db)
    check(any(r["name"] == name for r in found), f"pinyin initials did not find {name}")


def workbook_export(f: Frozen) -> None:
    step("zhuxue-cli export workbook (the county submission workbook)")
    out = f.work / "报送.xlsx"
    f.run(f.cli, "export", "workbook", str(out), "--db", str(f.work / "demo.sqlite3"))
    wb = openpyxl.load_workbook(out, read_only=True)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    wb.close()
    ids = [c for c in cells if isinstance(c, str) and re.fullmatch(r"\d{17}[\dX]", c)]
    check(len(ids) >= 60, f"the workbook holds {len(ids)} ID numbers as text, expected 60")


def upgrade(f: Frozen) -> None:
    step("a database made by release 0.1.0 opens and is migrated to the current schema")
    db = f.work / "release-0.1.0.sqlite3"
    shutil.copyfile(FIXTURE, db)
    before = facts(db)
    rows = f.cli_json("students", "--json", "--limit", "100", "--db", str(db))
    check(len(rows) == before[0][0][0], f"{len(rows)} students listed, the old database has {before[0]}")
    check(revision(db) == HEAD, f"the database is at revision {revision(db)}, not {HEAD}")
    check(facts(db) == before, "data changed during the upgrade")
    f.run(f.gui, "--smoke-test", "--db", str(db))


def pdf(f: Frozen) -> None:
    step("zhuxue-cli print: a PDF from the document layer, Chinese text readable, fonts embedded")
    db = str(f.work / "demo.sqlite3")
    f.run(f.cli, "aid", "plan", "--term", "2020秋", "--db", db)
    out = f.work / "公示.pdf"
    f.run(f.cli, "print", "notice", "--term", "2020秋", "--all", "--out", str(out), "--db", db)
    reader = PdfReader(out)
    text = "".join(page.extract_text() for page in reader.pages)
    names = [r["name"] for r in f.cli_json("students", "--json", "--limit", "100", "--db", db)]
    check("公示" in text and any(n in text for n in names), f"the notice PDF reads: {text[:200]!r}")
    fonts = [font.get_object() for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()]
    descriptors = [(fo["/DescendantFonts"][0].get_object() if "/DescendantFonts" in fo else fo)
                   .get("/FontDescriptor") for fo in fonts if fo.get("/BaseFont") not in BASE14]
    check(bool(descriptors) and all(d is not None and "/FontFile2" in d.get_object() for d in descriptors),
          f"a CJK font of the PDF is not embedded: {[fo.get('/BaseFont') for fo in fonts]}")


def run_checks(f: Frozen) -> None:
    migrations_shipped(f)
    smoke(f)
    name = cli_search(f)
    code_page(f, name)
    county_import(f)
    workbook_export(f)
    upgrade(f)
    pdf(f)


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "ZhuxueLedger")
    check(shutil.which("strace") is not None, "strace is needed (installer/check_frozen.sh installs it)")
    with tempfile.TemporaryDirectory(prefix="zhuxue-frozen-") as tmp:
        f = Frozen(folder, Path(tmp))
        check(f.gui.exists() and f.cli.exists(), f"no frozen build in {folder} (bash installer/build.sh)")
        run_checks(f)
        check(not f.missing, "files the frozen app looked for and did not find:\n  "
              + "\n  ".join(sorted(f.missing)))
        print(f"frozen build OK: {f.runs} runs, no data file missing", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
