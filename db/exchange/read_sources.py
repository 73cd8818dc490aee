"""Where a county list's cells come from: one sheet of an xlsx/xls workbook (python-calamine, with a
thread that finds hidden rows and columns) or a CSV file (UTF-8, GBK/GB18030 or UTF-16), as rows of
cells padded from column A, with the sheet's merged ranges."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from db.exchange import read_guard
from db.exchange.read_hidden import hidden_in_sheet, sheet_part

MAX_COLUMNS = 500
MAX_CSV_BYTES = 100 * 1024 * 1024


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
    text = _decode_csv(path, path.read_bytes())
    sample = text[:20000]
    lines = sample.splitlines()[:30]
    delim = max(",\t;", key=lambda d: sum(line.count(d) for line in lines))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    return _Sheet(path.stem, (list(r) for r in reader), [])


def _decode_csv(path: Path, data: bytes) -> str:
    """UTF-16 (by its BOM), UTF-8, else GBK/GB18030. A file that is UTF-8 up to a bad byte is UTF-8
    with a damaged line, not GBK: it is refused with the line number, never read as mojibake."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    error: UnicodeDecodeError | None = None
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as e:
            error = e
            if enc == "utf-8-sig" and not data[:e.start].isascii():
                break                           # real UTF-8 text before the bad byte
    assert error is not None
    line = data[:error.start].count(b"\n") + 1
    bad = data[error.start:error.start + 2].hex(" ").upper()
    raise read_guard.refuse(path, f"第 {line} 行有无法识别的字节（{bad}），文件可能已损坏，或不是 UTF-8/GBK 编码；"
                                  "请在 WPS/Excel 中打开后另存为“CSV UTF-8”再导入")
