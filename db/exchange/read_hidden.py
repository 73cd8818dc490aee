"""Hidden rows and columns of an xlsx sheet, which python-calamine does not report.

The sheet XML is streamed once with a byte search for `hidden=` (cheap: no XML parsing of cells);
only the few tags around a hit are looked at. workbook.xml and its rels are small and parsed with
ElementTree after read_guard has refused any DTD.
"""
from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|col)\b([^<>]*)$")
_ATTR = re.compile(rb'\b(r|min|max|hidden)\s*=\s*"([^"]*)"')
_CHUNK = 1 << 20


@dataclass
class Hidden:
    rows: set[int] = field(default_factory=set)       # 1-based sheet row numbers
    columns: set[int] = field(default_factory=set)    # 0-based column indexes


def sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member holding the named sheet ('xl/worksheets/sheet1.xml'), or None."""
    try:
        wb = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for el in wb.iter():
        if el.tag.endswith("}sheet") and el.get("name") == sheet_name:
            target = targets.get(el.get(_NS_REL))
            if not target:
                return None
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def hidden_in_sheet(zf: zipfile.ZipFile, part: str) -> Hidden:
    out = Hidden()
    tail = b""
    try:
        with zf.open(part) as f:
            while chunk := f.read(_CHUNK):
                buf = tail + chunk
                start = 0
                while (i := buf.find(b"hidden=", start)) >= 0:
                    start = i + 7
                    end = buf.find(b">", i)
                    if end < 0:
                        break                       # the tag continues in the next chunk
                    lt = buf.rfind(b"<", 0, i)
                    m = _TAG.match(buf[lt:i]) if lt >= 0 else None
                    if not m:
                        continue
                    attrs = dict(_ATTR.findall(buf[lt:end]))
                    if attrs.get(b"hidden") not in (b"1", b"true"):
                        continue
                    if m.group(1) == b"row" and attrs.get(b"r", b"").isdigit():
                        out.rows.add(int(attrs[b"r"]))
                    elif m.group(1) == b"col" and attrs.get(b"min", b"").isdigit():
                        lo, hi = int(attrs[b"min"]), int(attrs.get(b"max", attrs[b"min"]))
                        if hi - lo < 16384:
                            out.columns.update(range(lo - 1, hi))
                cut = buf.rfind(b"<")              # the last tag may be incomplete: keep it
                tail = buf[cut:] if cut >= 0 else b""
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return out
    return out
