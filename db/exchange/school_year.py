"""Which school year an imported list's 认定等级 belongs to (issue 9).

A county list that carries 认定等级 records them as assessments of one school year, which the officer
confirms: the default is the year the sheet's title names ("2020年秋季学期" → 2020, i.e. 2020-2021;
"2021年春季学期" → 2020; "2020-2021学年" → 2020), else the current one. The title is what stands above
the header row (read again here, only those few rows)."""
from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path

from db.terms import school_year_of

_TERM = re.compile(r"(20\d{2})\s*年?\s*(春|秋)\s*季?\s*学期")
_YEARS = re.compile(r"(20\d{2})\s*[-－—~至]\s*(20\d{2})\s*学年")


def school_year_in(texts: list[str]) -> int | None:
    """The school year a title names, or None."""
    for text in texts:
        s = re.sub(r"\s+", "", str(text))
        m = _YEARS.search(s)
        if m and int(m.group(2)) == int(m.group(1)) + 1:
            return int(m.group(1))
        m = _TERM.search(s)
        if m:
            year = int(m.group(1))
            return year if m.group(2) == "秋" else year - 1
    return None


def title_texts(path: Path, sheet: str, header_row: int) -> list[str]:
    """The non-empty cells above the header row (a title, a 填报单位 line); [] when unreadable."""
    rows = max(header_row - 1, 0)
    if not rows:
        return []
    with contextlib.suppress(Exception):       # a hint only: the reader has already judged the file
        if path.suffix.lower() == ".csv":
            return _csv_titles(path, rows)
        import python_calamine as pc  # noqa: PLC0415 - start-up: loaded only when used
        data = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(nrows=rows)
        return [str(c) for row in data for c in row if str(c).strip()]
    return []


def _csv_titles(path: Path, rows: int) -> list[str]:
    with open(path, "rb") as f:
        head = f.read(8192)
    for enc in ("utf-8-sig", "gb18030"):
        with contextlib.suppress(UnicodeDecodeError):
            return [c for line in head.decode(enc).splitlines()[:rows] for c in line.split(",") if c.strip()]
    return []


def default_school_year(path: Path, sheet: str, header_row: int, today: dt.date) -> tuple[int, str]:
    """(school year, where it came from) for a list."""
    named = school_year_in(title_texts(path, sheet, header_row))
    if named is not None:
        return named, "表格标题"
    return school_year_of(today), "当前学年"
