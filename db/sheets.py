"""Safe cells for every workbook the app writes.

- Personal numbers (ID, 学籍号, bank card, phone) are text cells with number format '@', never numbers.
- User text never becomes a formula: xlsxwriter gets `write_string` (never `write`), openpyxl cells get
  data_type 's' after the value is set.
- Dates are real dates formatted yyyy-mm-dd; None stays blank (never 否).
- A workbook is written to a temporary file in the target folder and `os.replace`d when complete, so
  a failure (disk full, USB stick pulled) leaves any earlier file intact.
- Every temporary file of an export — xlsxwriter's parts, openpyxl's sheets, the file itself — lives
  in one private folder beside the target (db.tempfiles: `.~<name>-<pid>-<random>.tmp`), removed when the export
  ends however it ends; one left by a killed process is removed by the next export to that folder.
  Nothing with personal numbers is ever written to the system's TMPDIR.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import os
import unicodedata
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from db import logs, tempfiles
from db.crash import crash_point
from db.errors import LedgerError

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "0.00"
XLSXWRITER_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class Cancelled(LedgerError):
    def __init__(self, msg: str = "已取消导出，原有文件未改动"):
        super().__init__(msg)


def display_width(text: str) -> int:
    """Width in 'characters' as Excel measures a column: CJK and full-width count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(header: str, samples: list[str] = (), *, lo: int = 6, hi: int = 40) -> float:
    w = max([display_width(header)] + [display_width(s) for s in samples])
    return float(min(max(w + 2, lo), hi))


@contextlib.contextmanager
def atomic_output(out_path: Path | str) -> Iterator[Path]:
    """Yield a temporary path in a private folder beside `out_path`; on success replace `out_path`
    with it. The private folder (and whatever a writer put in it) is removed in every case.

    Any failure leaves an earlier `out_path` untouched and is raised as a LedgerError whose Chinese
    message says so."""
    out = Path(out_path)
    folder = out.parent if str(out.parent) else Path(".")
    earlier = "原有文件未改动" if out.exists() else "未生成文件"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfiles.sweep(folder)
        private = tempfiles.claim(folder / tempfiles.name(out.stem))
        private.mkdir()
    except OSError as e:
        raise _told(f"无法在文件夹“{folder}”中写入（{_why(e)}）；{earlier}") from None
    tmp = private / f"output{out.suffix or '.xlsx'}"
    try:
        yield tmp
        crash_point("export.written")
        os.replace(tmp, out)
    except LedgerError as e:
        if isinstance(e, Cancelled) or getattr(e, "file_state_told", False):
            raise
        raise _told(f"{e}；{earlier}") from None
    except OSError as e:
        raise _told(f"写入“{out.name}”失败（{_why(e)}）；{earlier}") from None
    except Exception as e:
        logs.unexpected(f"写入 {out.name}", e)
        raise _told(f"写入“{out.name}”时发生意外错误（详情已记入日志）；{earlier}") from e
    finally:
        tempfiles.remove(private)


def open_workbook(tmp: Path | str, *, constant_memory: bool = False, options: dict | None = None):
    """An xlsxwriter workbook writing to `tmp` (from atomic_output) whose own temporary files go to
    the same private folder, never to TMPDIR."""
    import xlsxwriter  # noqa: PLC0415 - start-up: loaded only when used
    return xlsxwriter.Workbook(str(tmp), {**XLSXWRITER_OPTIONS, **(options or {}), "constant_memory": constant_memory,
                                          "tmpdir": str(Path(tmp).parent)})


def save_openpyxl(wb, path: Path | str) -> None:
    """Save an openpyxl workbook with each sheet's XML kept in memory (openpyxl's own save writes
    every sheet to a file in TMPDIR first)."""
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing  # noqa: PLC0415 - start-up: loaded only when used
    from openpyxl.worksheet._writer import WorksheetWriter  # noqa: PLC0415 - start-up: loaded only when used
    from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415 - start-up: loaded only when used

    class InMemory(ExcelWriter):
        def write_worksheet(self, ws):
            if self.workbook.write_only:
                raise NotImplementedError("write-only workbooks are not used here")
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = WorksheetWriter(ws, out=io.BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.out.getvalue())
            self.manifest.append(ws)

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        InMemory(wb, archive).save()


def _told(message: str) -> LedgerError:
    """An error whose message already says what became of the earlier file (an export nested in
    another keeps it as it is)."""
    e = LedgerError(message)
    e.file_state_told = True
    return e


def _why(e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return "磁盘空间不足"
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "没有写入权限或磁盘只读；如果文件正在 Excel/WPS 中打开，请先关闭"
    if e.errno in (errno.ENOENT, errno.EIO, errno.ENODEV):
        return "文件夹不存在或U盘已拔出"
    return e.strerror or type(e).__name__


@contextlib.contextmanager
def closing_on_error(wb) -> Iterator[None]:
    """Close an xlsxwriter workbook when the block ends; after a failure close it quietly (to
    remove its temporary files) and re-raise the original error. Every file handle the workbook
    holds is closed either way (on Windows an open handle keeps the temporary folder in place)."""
    try:
        yield
    except BaseException:
        try:
            wb.close()
        except Exception as e:
            _abandon_zips(e)
        _close_handles(wb)
        raise
    try:
        wb.close()
    except BaseException as e:
        _close_handles(wb)
        _abandon_zips(e)
        raise


def _abandon_zips(exc: BaseException) -> None:
    """A zip that failed while being written (disk full) would try to finish itself when collected,
    fail again and hold its file open meanwhile: close its file without writing anything more."""
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, zipfile.ZipFile) and value.fp is not None:
                fp, value.fp = value.fp, None
                with contextlib.suppress(Exception):
                    fp.close()
        tb = tb.tb_next


def _close_handles(wb) -> None:
    for ws in wb.worksheets():
        for name in ("row_data_fh", "fh"):
            fh = getattr(ws, name, None)
            if fh is not None and not isinstance(fh, str) and not getattr(fh, "closed", True):
                with contextlib.suppress(Exception):
                    fh.close()


# ---- xlsxwriter ------------------------------------------------------------------------------
class Formats:
    """The few cell formats a workbook needs, created once per xlsxwriter workbook."""

    def __init__(self, wb) -> None:
        self.title = wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.subtitle = wb.add_format({"align": "left"})
        self.header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                     "align": "center", "valign": "vcenter"})
        self.text = wb.add_format({"num_format": TEXT_FORMAT})
        self.date = wb.add_format({"num_format": DATE_FORMAT})
        self.money = wb.add_format({"num_format": MONEY_FORMAT})
        self.bold = wb.add_format({"bold": True})
        self.number = None


def write_value(ws, row: int, col: int, value: object, fmt: Formats, *, text: bool = False) -> None:
    """One cell by xlsxwriter, safely: text as text (never a formula), dates as dates, None blank."""
    if value is None or value == "":
        if text:
            ws.write_blank(row, col, None, fmt.text)
        return
    if text or isinstance(value, str):
        ws.write_string(row, col, str(value), fmt.text if text else None)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt.date)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt.date)
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否")
    elif isinstance(value, Decimal):
        write_money(ws, row, col, int(value * 100), fmt.money)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, str(value))


def write_money(ws, row: int, col: int, fen: int, cell_format) -> None:
    """An amount cell. The one place integer fen becomes a spreadsheet number (an xlsx number is
    a double; every sum is made in integer fen before this)."""
    ws.write_number(row, col, fen / 100, cell_format)


def write_header(ws, row: int, headers: list[str], fmt: Formats, widths: list[float] | None = None,
                 *, text_columns: set[int] = frozenset()) -> None:
    """Header row, frozen below it, columns sized (text columns formatted '@' as a whole)."""
    for c, h in enumerate(headers):
        ws.write_string(row, c, h, fmt.header)
    for c, h in enumerate(headers):
        w = widths[c] if widths else column_width(h)
        ws.set_column(c, c, w, fmt.text if c in text_columns else None)
    ws.freeze_panes(row + 1, 0)


def add_dropdown(ws, first_row: int, last_row: int, col: int, choices: list[str], title: str = "") -> None:
    """A drop-down list (data validation) on a column; a value outside the list is refused by Excel."""
    source = list(choices)
    if sum(len(s) + 1 for s in source) > 250:      # Excel's limit for an inline list
        return
    ws.data_validation(first_row, col, max(last_row, first_row), col, {
        "validate": "list", "source": source, "ignore_blank": True, "error_type": "stop",
        "error_title": title or "输入有误", "error_message": "请从下拉列表中选择",
    })


# ---- openpyxl (templates) --------------------------------------------------------------------
def set_openpyxl(cell, value: object, *, text: bool = False) -> None:
    """Set an openpyxl cell so that text can never become a formula; IDs stay text ('@')."""
    if value is None or value == "":
        cell.value = None
        if text:
            cell.number_format = TEXT_FORMAT
        return
    if text or isinstance(value, str):
        cell.value = str(value)
        cell.data_type = "s"
        if text:
            cell.number_format = TEXT_FORMAT
    elif isinstance(value, (dt.date, dt.datetime)):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = MONEY_FORMAT
    else:
        cell.value = value


def write_rows_xlsx(out: Path | str, sheet: str, headers: list[str], rows) -> int:
    """A plain sheet of text cells (a list as the screen shows it), written atomically; returns the
    number of rows. User text never becomes a formula."""
    n = 0
    with atomic_output(out) as tmp:
        wb = open_workbook(tmp, constant_memory=True)
        with closing_on_error(wb):
            fmt = Formats(wb)
            ws = wb.add_worksheet(sheet[:31])
            write_header(ws, 0, headers, fmt, [column_width(h) for h in headers], text_columns=set(range(len(headers))))
            for n, row in enumerate(rows, 1):
                for c, v in enumerate(row):
                    write_value(ws, n, c, v, fmt, text=True)
    return n
