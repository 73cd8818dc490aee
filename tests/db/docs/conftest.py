"""Helpers for PDF tests: real PDFs checked with poppler's pdffonts and pdftotext."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from db.aid.service import AidService
from db.demo import fill_demo


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:     # installer/setup.sh --test installs poppler-utils: a missing tool is a setup error
        raise RuntimeError(f"{name} not found: run bash installer/setup.sh --test")
    return path


def pdf_fonts(path) -> list[dict]:
    """pdffonts' table: one dict per font with name, type, emb."""
    out = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5]})
    return rows


def pdf_text(path, first: int | None = None, last: int | None = None) -> str:
    args = [_tool("pdftotext"), "-layout"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def assert_embedded_truetype(path) -> None:
    fonts = pdf_fonts(path)
    assert fonts, "no font in the PDF"
    for f in fonts:
        assert f["emb"] == "yes", f"font {f['name']} is not embedded"
        assert f["type"] == "TrueType", f"font {f['name']} is {f['type']}"


@pytest.fixture
def paid(sctx):
    """The service context of 300 demo students; 2020秋 planned and paid on 2020-09-20, 2021春 planned."""
    fill_demo(sctx, 300)
    svc = AidService(sctx)
    svc.plan("2020秋")
    svc.pay("2020秋", dt.date(2020, 9, 20))
    svc.plan("2021春")
    return sctx
