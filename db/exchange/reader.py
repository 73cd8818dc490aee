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

import csv
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from db.context import Cancel
from db.errors import LedgerError
from db.exchange import read_guard
from db.exchange.mapping import STUDENT_FIELDS, auto_mapping, normalize_header, signature
from db.exchange.read_hidden import hidden_in_sheet, sheet_part

HEADER_SCAN = 30            # the header is within the first 30 rows
MAX_ROWS = 200_000          # data rows; a school or county list is far smaller
BLANK_STOP = 1000           # this many blank rows in a row: the rest is formatting, not data
MAX_COLUMNS = 500
MAX_CSV_BYTES = 100 * 1024 * 1024
_TOTAL = re.compile(r"^(合计|总计|小计|累计|共计)")
_FOOTER = re.compile(r"^(填表人|制表人|审核人|负责人|单位负责人|经办人|校长签字|签字|盖章|备注[:：])")
_INFO = re.compile(r"填报单位|填表单位|报送单位|学校名称[:：]|单位[:：]|日期[:：]|填报日期|填表日期|制表日期|单位\(盖章\)")

MappingArg = dict[int, str] | Callable[[list[str]], dict[int, str] | None] | None


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


# ---- sources: one sheet as rows of cells ----------------------------------------------------
@dataclass
class _Sheet:
    name: str
    rows: Iterator[list]                  # each row padded from column A
    merged: list[tuple[int, int, int, int]]   # (r0, c0, r1, c1), 0-based inclusive
    visible: bool = True
    head: list[list] = field(default_factory=list)
    hidden: object = None                 # Future of read_hidden.Hidden (xlsx only)
    height: int = 0


class _XlsxExtras:
    """The xlsx zip opened by read_guard, and a thread that scans each sheet's XML for hidden rows
    and columns while python-calamine (which releases the GIL) parses the same sheet."""

    def __init__(self, zf) -> None:
        self.zf = zf
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="hidden-scan")

    def scan(self, sheet_name: str):
        part = sheet_part(self.zf, sheet_name)
        return self._pool.submit(hidden_in_sheet, self.zf, part) if part else None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)     # no scan may outlive the zip
        self.zf.close()


def _calamine_sheets(path: Path, kind: str, want: str | None) -> tuple[list[str], Iterator[_Sheet], object]:
    import python_calamine as pc  # noqa: PLC0415 - start-up: loaded only when used
    zf = read_guard.check_zip(path) if kind == "xlsx" else None
    extras = _XlsxExtras(zf) if zf else None
    try:
        if path.suffix.lower() == f".{kind}":
            wb = pc.CalamineWorkbook.from_path(str(path))     # reads from disk: no copy of the file in memory
        else:                                                 # calamine picks by extension; the content decides
            with open(path, "rb") as f:
                wb = pc.CalamineWorkbook.from_filelike(f)
    except pc.PasswordError:
        raise read_guard.refuse(path, "工作簿设置了打开密码。请在 Excel/WPS 中打开后另存为不带密码的文件再导入") from None
    except (pc.CalamineError, OSError, ValueError) as e:
        if extras:
            extras.close()
        raise read_guard.refuse(path, f"文件已损坏或格式不对，Excel 内容无法解析（{_short(e)}）") from None
    metas = [m for m in wb.sheets_metadata if str(m.typ).endswith("WorkSheet")]
    names = [m.name for m in metas]

    def gen() -> Iterator[_Sheet]:
        for m in metas:
            if want is not None and m.name != want:
                continue
            hidden = extras.scan(m.name) if extras else None
            try:
                sh = wb.get_sheet_by_name(m.name)
            except pc.PasswordError:
                raise read_guard.refuse(
                    path, "工作簿设置了密码，请在 Excel/WPS 中打开后另存为不带密码的文件再导入") from None
            except pc.CalamineError as e:
                raise read_guard.refuse(path, f"工作表“{m.name}”无法解析（{_short(e)}）") from None
            if sh.start is None:
                rows: Iterator[list] = iter(())
            else:
                off = sh.start[1]
                if sh.end[1] - off >= MAX_COLUMNS:
                    raise read_guard.refuse(path, f"工作表“{m.name}”的列数异常（超过 {MAX_COLUMNS} 列）")
                rows = (([""] * off + r) for r in sh.iter_rows()) if off else sh.iter_rows()
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sh.merged_cell_ranges or [])]
            yield _Sheet(m.name, rows, merged, str(m.visible).endswith("Visible"), hidden=hidden,
                         height=(sh.end[0] + 1) if sh.end else 0)
    return names, gen(), extras


def _short(e: Exception) -> str:
    return str(e).splitlines()[0][:120] if str(e) else type(e).__name__


def _csv_sheet(path: Path) -> _Sheet:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise read_guard.refuse(path, f"CSV 文件太大（超过 {MAX_CSV_BYTES // 1024 // 1024} MB），不像是一份名单")
    data = path.read_bytes()
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    first_error = None
    for enc in encodings:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError as e:
            first_error = first_error or e
            continue
    else:   # bytes that are text in no encoding we know: say where (RELIABILITY.md T16)
        line = data.count(b"\n", 0, first_error.start) + 1 if first_error else 0
        raise read_guard.refuse(path, f"第 {line} 行有无法识别的文字（文件的文字编码应为 UTF-8 或 GBK），"
                                      "请在 Excel/WPS 中另存为“CSV UTF-8”后再导入")
    del data
    sample = text[:20000]
    lines = sample.splitlines()[:30]
    delim = max(",\t;", key=lambda d: sum(line.count(d) for line in lines))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    return _Sheet(path.stem, (list(r) for r in reader), [])


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


def _find_header(grid: list[list[str]], fields) -> tuple[int, int | None, dict[int, str], list[str]]:
    """(header row index, upper header row index or None, mapping, header texts); row -1 if none."""
    def score(i: int, up: int | None) -> tuple[dict[int, str], list[str]]:
        lower = grid[i]
        if up is None:
            return auto_mapping(lower, fields), list(lower)
        upper = grid[up]
        texts = [lo or u for lo, u in zip(lower, upper)]
        return auto_mapping(lower, fields, uppers=upper), texts

    for i in range(len(grid)):
        m, texts = score(i, None)
        if len(m) < 2:
            continue
        if i + 1 < len(grid):                       # case: this row is the upper of two
            m2, t2 = score(i + 1, i)
            if len(m2) > len(m):
                return i + 1, i, m2, t2
        if i > 0 and not _title_like(grid[i - 1]):  # case: a group row above this one
            m2, t2 = score(i, i - 1)
            if len(m2) >= len(m):
                return i, i - 1, m2, t2
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
    kind = read_guard.sniff(path)
    extras = None
    if kind == "csv":
        names, sheets = [path.stem], iter([_csv_sheet(path)])
    else:
        names, sheets, extras = _calamine_sheets(path, kind, sheet)
        if sheet is not None and sheet not in names:
            if extras:
                extras.close()
            raise LedgerError(f"文件“{path.name}”中没有名为“{sheet}”的工作表（有：{'、'.join(names)}）")
    try:
        best = None
        for sh in sheets:
            if cancelled and cancelled():
                raise Cancelled()
            sh.head = [r for _, r in zip(range(HEADER_SCAN), sh.rows)]
            grid = _fill_merged(sh.head, sh.merged)
            h, up, m, texts = _find_header(grid, fields)
            key = (len(m) >= 2 and (sh.visible or sheet is not None), len(m))
            if h >= 0 and (best is None or key > best[0]):
                best = (key, sh, h, up, m, texts)
        if best is None:
            where = f"工作表“{sheet}”" if sheet else "任何工作表"
            raise LedgerError(f"在文件“{path.name}”的{where}前 {HEADER_SCAN} 行中找不到表头"
                              "（至少要有“姓名”“身份证号”等两列可识别的列名）")
        _, sh, h, up, auto, texts = best
        headers = [t for t in texts]
        while headers and not headers[-1]:
            headers.pop()
        chosen = mapping(headers) if callable(mapping) else mapping
        final = {c: f for c, f in (chosen or auto).items() if f in fields and c < max(len(headers), 1)}
        table = Table(file=path.name, sheet=sh.name, header_row=h + 1, headers=headers, mapping=final,
                      unmapped=[t for c, t in enumerate(headers) if t and c not in final], sheets=names,
                      signature=signature(headers), rows_hint=max(sh.height - h - 1, 0))
        if not final:
            raise LedgerError(f"文件“{path.name}”没有一列能对应到台账的字段")
        if sh.hidden is not None:
            hid = sh.hidden.result()
            table.hidden_columns = sorted(c for c in hid.columns if c < len(headers) and headers[c])
            table.hidden_rows = sorted(r for r in hid.rows if r > h + 1)
            for c in table.hidden_columns:
                table.warnings.append(f"第 {column_letter(c)} 列（{headers[c]}）是隐藏列，已照常读取，请核对")
            if table.hidden_rows:
                shown = "、".join(str(r) for r in table.hidden_rows[:10])
                more = " 等" if len(table.hidden_rows) > 10 else ""
                table.warnings.append(f"有 {len(table.hidden_rows)} 行是隐藏行（第 {shown}{more} 行），"
                                      "已照常读取，请核对")
        return table, RowStream(table, _rows(table, sh, h, cancelled))
    finally:
        if extras is not None:
            extras.close()


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


def _rows(table: Table, sh: _Sheet, h: int, cancelled: Cancel) -> Iterator[tuple[int, list, tuple]]:
    width = len(table.headers)
    cols = sorted(table.mapping.items())
    pick = operator.itemgetter(*[c for c, _ in cols])
    if len(cols) == 1:
        one = pick
        pick = lambda row: (one(row),)
    starts: dict[int, list[tuple[int, int, int]]] = {}
    for r0, c0, r1, c1 in sh.merged:
        if r0 > h and r1 > r0 and c0 < width:
            starts.setdefault(r0, []).append((c0, min(c1, width - 1), r1))
    active: list[tuple[int, int, int, object]] = []
    blanks = data_rows = 0
    first = True
    lead_width = min(width, 4)
    rows = itertools.islice(itertools.chain(sh.head, sh.rows), h + 1, None)
    for i, row in enumerate(rows, h + 1):
        if (i & 1023) == 0 and cancelled and cancelled():
            raise Cancelled()
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        if starts or active:
            if active:
                active = [a for a in active if a[2] >= i]
                if active:
                    row = list(row)
                    for c0, c1, _, v in active:
                        for c in range(c0, c1 + 1):
                            if row[c] == "" or row[c] is None:
                                row[c] = v
            for c0, c1, r1 in starts.pop(i, ()):
                active.append((c0, c1, r1, row[c0]))
        picked = pick(row)
        for v in picked:
            if v is not None and v != "" and (v.__class__ is not str or v.strip()):
                break
        else:
            blanks += 1
            if blanks >= BLANK_STOP:
                break
            continue
        blanks = 0
        if first:
            first = False
            if _is_number_row(row[:width]):
                table.skipped.append((i + 1, "列序号行"))
                continue
        lead = ""
        for c in range(lead_width):         # the row's first text: could it start a 合计 or signature line?
            v = row[c]
            if v.__class__ is str and v:
                if v.lstrip()[:1] in _LEAD_CHARS:
                    lead = _WS.sub("", v)
                break
        if lead and (_TOTAL.match(lead) or _FOOTER.match(lead)):
            table.skipped.append((i + 1, f"“{lead[:10]}”行（合计/落款），不是学生"))
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise LedgerError(f"文件“{table.file}”的数据超过 {MAX_ROWS} 行，不像是一份学校名单；"
                              "请拆分后再导入")
        yield i + 1, row, picked


_LEAD_CHARS = frozenset("合总小累共填制审负经校签盖备")     # first characters of _TOTAL and _FOOTER
_WS = re.compile(r"\s+")


def read_table(path, *, sheet: str | None = None, fields=STUDENT_FIELDS, mapping: MappingArg = None,
               cancelled: Cancel = None) -> Table:
    """Read the whole list. See the module docstring."""
    table, rows = open_table(path, sheet=sheet, fields=fields, mapping=mapping, cancelled=cancelled)
    table.rows = list(rows)
    return table
