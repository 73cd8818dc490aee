"""Reading a county list (xlsx, xls, csv) into rows keyed by registry field.

    table = read_table("名单.xlsx")            # finds the sheet, the header row, the columns
    for r in table.rows: r.row, r.values["id_number"]

The reader does not judge values (that is the importer's job); it finds where the data is and hands
back raw cells: str, float, int, bool, datetime.date/datetime. It copes with title rows, a 填报单位
row, two-row headers, merged cells, blank rows, a 合计 row, hidden rows/columns and instruction
sheets, and refuses broken or hostile files with a plain message (see read_guard).
`open_table` streams the rows for big files; `read_table` collects them.
"""
from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from db.context import Cancel
from db.errors import LedgerError
from db.exchange import read_guard
from db.exchange.mapping import STUDENT_FIELDS, auto_mapping, normalize_header, signature
from db.exchange.read_sources import _calamine_sheets, _csv_sheet, _Sheet, _XlsxExtras

HEADER_SCAN = 30            # the header is within the first 30 rows
MAX_ROWS = 200_000          # data rows; a school or county list is far smaller
BLANK_STOP = 1000           # this many blank rows in a row: the rest is formatting, not data
_TOTAL = re.compile(r"^(合计|总计|小计|累计|共计)")
_FOOTER = re.compile(r"^(填表人|制表人|审核人|负责人|单位负责人|经办人|校长签字|签字|盖章|备注[:：])")
_INFO = re.compile(r"填报单位|填表单位|报送单位|学校名称[:：]|单位[:：]|日期[:：]|填报日期|填表日期|制表日期|单位\(盖章\)")

# a mapping, or a function of (sheet layout signature, column count) that may recall one
MappingArg = dict[int, str] | Callable[[str, int], dict[int, str] | None] | None


class Cancelled(LedgerError):
    def __init__(self, msg: str = "已取消，未做任何更改"):
        super().__init__(msg)


@dataclass
class SourceRow:
    row: int                                    # the sheet's own 1-based row number
    values: dict[str, object]                   # field -> raw cell value (mapped columns only)
    cells: tuple = ()                           # every cell under the headers, for "导出问题行"


@dataclass
class Table:
    file: str
    sheet: str
    header_row: int                             # 1-based; the lower row of a two-row header
    headers: list[str]                          # header text per column (index 0 = column A)
    mapping: dict[int, str]                     # column index -> field
    unmapped: list[str]                         # non-empty headers that name no field
    rows: list[SourceRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (row, why) e.g. a 合计 row
    sheets: list[str] = field(default_factory=list)
    signature: str = ""
    rows_hint: int = 0                          # the sheet's last used row (for a progress bar)
    uppers: list[str] = field(default_factory=list)   # the upper row of a two-row header, per column

    @property
    def unused_columns(self) -> list[str]:
        """'家庭人口（F列）' for each named column that no field takes."""
        return [f"{t}（{column_letter(c)}列）" for c, t in enumerate(self.headers) if t and c not in self.mapping]

    def column_of(self, fld: str) -> int | None:
        return next((c for c, f in self.mapping.items() if f == fld), None)

    def column_label(self, fld: str) -> str:
        """'身份证号码（C列）' for messages."""
        c = self.column_of(fld)
        return "" if c is None else f"{self.headers[c]}（{column_letter(c)}列）"


def column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


# ---- header detection ---------------------------------------------------------------------
def _text(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _fill_merged(head: list[list], merged) -> list[list[str]]:
    width = max((len(r) for r in head), default=0)
    grid = [[_text(v) for v in r] + [""] * (width - len(r)) for r in head]
    for r0, c0, r1, c1 in merged:
        if r0 >= len(grid) or c0 >= width:
            continue
        v = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                if not grid[r][c]:
                    grid[r][c] = v
    return grid


def _title_like(cells: list[str]) -> bool:
    vals = {c for c in cells if c}
    return len(vals) <= 1 or any(_INFO.search(normalize_header(c)) for c in vals)


def _find_header(grid: list[list[str]], fields) -> tuple[int, list[str] | None, dict[int, str], list[str]]:
    """(header row index, texts of the upper header row or None, mapping, header texts); row -1 if none."""
    def score(i: int, up: int | None) -> tuple[dict[int, str], list[str], list[str] | None]:
        lower = grid[i]
        if up is None:
            return auto_mapping(lower, fields), list(lower), None
        upper = grid[up]
        texts = [lo or u for lo, u in zip(lower, upper)]
        return auto_mapping(lower, fields, uppers=upper), texts, list(upper)

    for i in range(len(grid)):
        m, texts, _ = score(i, None)
        if len(m) < 2:
            continue
        if i + 1 < len(grid):                       # case: this row is the upper of two
            m2, t2, u2 = score(i + 1, i)
            if len(m2) > len(m):
                return i + 1, u2, m2, t2
        if i > 0 and not _title_like(grid[i - 1]):  # case: a group row above this one
            m2, t2, u2 = score(i, i - 1)
            if len(m2) >= len(m):
                return i, u2, m2, t2
        return i, None, m, texts
    return -1, None, {}, []


def _is_number_row(cells: list) -> bool:
    """The '1 2 3 4 …' column-number row some forms put under the header."""
    nums = [_text(c) for c in cells if _text(c)]
    return len(nums) >= 3 and all(n.isdigit() for n in nums) and \
        [int(n) for n in nums] == list(range(int(nums[0]), int(nums[0]) + len(nums)))


# ---- the public API -----------------------------------------------------------------------
def open_table(path, *, sheet: str | None = None, fields=STUDENT_FIELDS, mapping: MappingArg = None,
               cancelled: Cancel = None) -> tuple[Table, RowStream]:
    """Find the sheet and header; return the Table (without rows) and an iterator over its rows."""
    path = Path(path)
    names, sheets, extras = _open_sheets(path, sheet)
    try:
        sh, h, uppers, auto, texts = _best_sheet(path, sheets, sheet, fields, cancelled)
        table = _table(path, sh, h, uppers, auto, texts, names, fields, mapping)
        if sh.hidden is not None:
            _note_hidden(table, sh.hidden.result(), h)
        return table, RowStream(table, _rows(table, sh, h, cancelled))
    finally:
        if extras is not None:
            extras.close()


def _open_sheets(path: Path, sheet: str | None) -> tuple[list[str], Iterator[_Sheet], _XlsxExtras | None]:
    kind = read_guard.sniff(path)
    if kind == "csv":
        return [path.stem], iter([_csv_sheet(path)]), None
    names, sheets, extras = _calamine_sheets(path, kind, sheet)
    if sheet is not None and sheet not in names:
        if extras:
            extras.close()
        raise LedgerError(f"文件“{path.name}”中没有名为“{sheet}”的工作表（有：{'、'.join(names)}）")
    return names, sheets, extras


def _best_sheet(path: Path, sheets: Iterator[_Sheet], sheet: str | None, fields, cancelled: Cancel) -> tuple:
    """The sheet whose header names the most fields (a visible one, unless asked for by name)."""
    best = None
    for sh in sheets:
        if cancelled and cancelled():
            raise Cancelled()
        sh.head = [r for _, r in zip(range(HEADER_SCAN), sh.rows)]
        h, up, m, texts = _find_header(_fill_merged(sh.head, sh.merged), fields)
        key = (len(m) >= 2 and (sh.visible or sheet is not None), len(m))
        if h >= 0 and (best is None or key > best[0]):
            best = (key, sh, h, up, m, texts)
    if best is None:
        where = f"工作表“{sheet}”" if sheet else "任何工作表"
        raise LedgerError(f"在文件“{path.name}”的{where}前 {HEADER_SCAN} 行中找不到表头"
                          "（至少要有“姓名”“身份证号”等两列可识别的列名）")
    return best[1:]


def _table(path: Path, sh: _Sheet, h: int, uppers: list[str] | None, auto: dict[int, str], texts: list[str],
           names: list[str], fields, mapping: MappingArg) -> Table:
    headers = list(texts)
    while headers and not headers[-1]:
        headers.pop()
    ups = (uppers or [""] * len(headers))[:len(headers)]
    layout = signature(headers, ups)
    chosen = mapping(layout, len(headers)) if callable(mapping) else mapping
    final = {c: f for c, f in (chosen or auto).items() if f in fields and c < max(len(headers), 1)}
    if not final:
        raise LedgerError(f"文件“{path.name}”没有一列能对应到台账的字段")
    return Table(file=path.name, sheet=sh.name, header_row=h + 1, headers=headers, mapping=final,
                 unmapped=[t for c, t in enumerate(headers) if t and c not in final], sheets=names,
                 signature=layout, rows_hint=max(sh.height - h - 1, 0), uppers=ups)


def _note_hidden(table: Table, hid, h: int) -> None:
    headers = table.headers
    table.hidden_columns = sorted(c for c in hid.columns if c < len(headers) and headers[c])
    table.hidden_rows = sorted(r for r in hid.rows if r > h + 1)
    for c in table.hidden_columns:
        table.warnings.append(f"第 {column_letter(c)} 列（{headers[c]}）是隐藏列，已照常读取，请核对")
    if table.hidden_rows:
        shown = "、".join(str(r) for r in table.hidden_rows[:10])
        more = " 等" if len(table.hidden_rows) > 10 else ""
        table.warnings.append(f"有 {len(table.hidden_rows)} 行是隐藏行（第 {shown}{more} 行），已照常读取，请核对")


class RowStream:
    """The data rows under the header, read once. Iterating gives SourceRow objects; batches()
    gives the same rows column by column (field -> cells), which is how the importer checks them."""

    def __init__(self, table: Table, raw: Iterator[tuple[int, list, tuple]]) -> None:
        self._raw = raw                   # (sheet row number, cells, cells of the mapped columns)
        self._width = len(table.headers)
        self._fields = [f for _, f in sorted(table.mapping.items())]

    def __iter__(self) -> RowStream:
        return self

    def __next__(self) -> SourceRow:
        n, row, picked = next(self._raw)
        return SourceRow(n, dict(zip(self._fields, picked)), tuple(row[:self._width]))

    def close(self) -> None:
        """Stop reading early and free the parsed sheet."""
        self._raw.close()

    def batches(self, size: int = 2000) -> Iterator[tuple[list[int], dict[str, tuple]]]:
        while chunk := list(itertools.islice(self._raw, size)):
            yield [n for n, _, _ in chunk], dict(zip(self._fields, zip(*[p for _, _, p in chunk])))


class _Merges:
    """Merged cells below the header (one 乡镇 for many rows): each value carried down its rows."""

    def __init__(self, merged, h: int, width: int) -> None:
        self.starts: dict[int, list[tuple[int, int, int]]] = {}
        for r0, c0, r1, c1 in merged:
            if r0 > h and r1 > r0 and c0 < width:
                self.starts.setdefault(r0, []).append((c0, min(c1, width - 1), r1))
        self.active: list[tuple[int, int, int, object]] = []

    def __bool__(self) -> bool:
        return bool(self.starts or self.active)

    def fill(self, i: int, row: list) -> list:
        """The row (0-based sheet row i) with the merged values of the ranges it lies in."""
        if self.active:
            self.active = [a for a in self.active if a[2] >= i]
            if self.active:
                row = list(row)
                for c0, c1, _, v in self.active:
                    for c in range(c0, c1 + 1):
                        if row[c] == "" or row[c] is None:
                            row[c] = v
        for c0, c1, r1 in self.starts.pop(i, ()):
            self.active.append((c0, c1, r1, row[c0]))
        return row


def _has_value(cells) -> bool:
    for v in cells:  # noqa: SIM110 - a plain loop: any() over a generator is slower, and this runs per row
        if v is not None and v != "" and (v.__class__ is not str or v.strip()):
            return True
    return False


def _not_a_pupil(row: list, lead_width: int) -> str | None:
    """Why a row is a 合计 or signature line, from its first text, else None."""
    for c in range(lead_width):
        v = row[c]
        if v.__class__ is str and v:
            if v.lstrip()[:1] in _LEAD_CHARS:
                lead = _WS.sub("", v)
                if _TOTAL.match(lead) or _FOOTER.match(lead):
                    return f"“{lead[:10]}”行（合计/落款），不是学生"
            return None
    return None


def _picker(table: Table):
    cols = sorted(table.mapping.items())
    pick = operator.itemgetter(*[c for c, _ in cols])
    if len(cols) == 1:
        one = pick
        return lambda row: (one(row),)
    return pick


def _rows(table: Table, sh: _Sheet, h: int, cancelled: Cancel) -> Iterator[tuple[int, list, tuple]]:
    """(sheet row number, cells, cells of the mapped columns) of each data row. Blank rows are
    passed over (a blank row that only a merged cell reaches is one skipped row); a '1 2 3 …' row
    right under the header, 合计 and signature lines are skipped and noted."""
    width, pick = len(table.headers), _picker(table)
    merges = _Merges(sh.merged, h, width)
    blanks = data_rows = 0
    first = True
    lead_width = min(width, 4)
    rows = itertools.islice(itertools.chain(sh.head, sh.rows), h + 1, None)
    for i, row in enumerate(rows, h + 1):
        if (i & 1023) == 0 and cancelled and cancelled():
            raise Cancelled()
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        picked = pick(row)
        blank = not _has_value(picked)
        if merges:
            filled = merges.fill(i, row)
            if filled is not row:
                row, picked = filled, pick(filled)
                if blank and _has_value(picked):
                    table.skipped.append((i + 1, "空行（只有合并单元格延伸到这一行）"))
        if blank:
            blanks += 1
            if blanks >= BLANK_STOP:
                break
            continue
        blanks = 0
        why = "列序号行" if first and _is_number_row(row[:width]) else _not_a_pupil(row, lead_width)
        first = False
        if why:
            table.skipped.append((i + 1, why))
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise LedgerError(f"文件“{table.file}”的数据超过 {MAX_ROWS} 行，不像是一份学校名单；请拆分后再导入")
        yield i + 1, row, picked


_LEAD_CHARS = frozenset("合总小累共填制审负经校签盖备")     # first characters of _TOTAL and _FOOTER
_WS = re.compile(r"\s+")


def read_table(path, *, sheet: str | None = None, fields=STUDENT_FIELDS, mapping: MappingArg = None,
               cancelled: Cancel = None) -> Table:
    """Read the whole list. See the module docstring."""
    table, rows = open_table(path, sheet=sheet, fields=fields, mapping=mapping, cancelled=cancelled)
    table.rows = list(rows)
    return table
