"""T15: malformed import files, made here, each imported by the real command in a child process with a
memory limit (2 GB) and a timeout: refused or reported by row in Chinese, nothing written on refusal,
no hang, no running out of memory, no traceback."""
from __future__ import annotations

import resource
import subprocess
import sys
import zipfile

import pytest

from tests.db.exchange.files import (
    HEAD,
    SHEET_OPEN,
    billion_laughs_sheet,
    inline_row,
    make_id,
    million_formatted_rows_sheet,
    raw_xlsx,
    student_row,
    write_xlsx,
)
from tests.faults.conftest import ROOT, child_env, no_traceback
from tests.faults.scenario import counts, make_ledger

MEMORY = 2 * 1024**3


def limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("xl/workbook.xml", b"<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(SHEET_OPEN + b"<sheetData>")
            for _ in range(1100):
                f.write(b" " * (1 << 20))
            f.write(b"</sheetData></worksheet>")
    return path


def make(kind: str, tmp_path):
    p = tmp_path / f"{kind}.xlsx"
    if kind == "truncated":
        good = write_xlsx(tmp_path / "good.xlsx", [HEAD] + [student_row(i) for i in range(1, 20)])
        p.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "xls_renamed":
        p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"not really a workbook" * 100)
    elif kind == "html_renamed":
        p = tmp_path / "html_renamed.xls"
        p.write_text("<html><body><table><tr><td>姓名</td><td>身份证号</td></tr></table></body></html>", encoding="utf-8")
    elif kind == "empty_zip":
        zipfile.ZipFile(p, "w").close()
    elif kind == "zip_bomb":
        bomb(p)
    elif kind == "billion_laughs":
        raw_xlsx(p, billion_laughs_sheet())
    elif kind == "external_entity":
        xxe = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&x;</t></si></sst>')
        raw_xlsx(p, SHEET_OPEN + ("<sheetData>" + inline_row(1, ["姓名", "身份证号"]) + "</sheetData></worksheet>").encode(),
                 {"xl/sharedStrings.xml": xxe})
    elif kind == "million_rows":
        raw_xlsx(p, million_formatted_rows_sheet())
    elif kind == "huge_cells":
        write_xlsx(p, [["姓名", "性别", "身份证号"], ["张" * 40_000, "男", make_id()],
                       ["李四", "男" * 40_000, make_id(seq=2)]])
    return p


KINDS = ["truncated", "xls_renamed", "html_renamed", "empty_zip", "zip_bomb", "billion_laughs", "external_entity",
         "million_rows", "huge_cells"]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return make_ledger(tmp_path_factory.mktemp("t15") / "ledger.sqlite3", 20, plan=False)


@pytest.mark.parametrize("kind", KINDS)
def test_malformed_file_is_refused_or_reported(kind, ledger, tmp_path):
    src = make(kind, tmp_path)
    before = counts(ledger)
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(src), "--db", str(ledger)], cwd=ROOT,
                       env=child_env(), capture_output=True, text=True, encoding="utf-8", timeout=120,
                       preexec_fn=limited)
    no_traceback(r)
    chinese = lambda s: any("\u4e00" <= ch <= "\u9fff" for ch in s)
    if r.returncode == 2:
        assert chinese(r.stderr) and src.name in r.stderr, r.stderr    # names the file
        assert counts(ledger) == before                                  # nothing written
    else:
        assert r.returncode == 0, r.stderr
        assert "行" in r.stdout + r.stderr and chinese(r.stdout + r.stderr)   # reported by row
