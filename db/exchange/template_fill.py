"""Fill a county's own template with the roster (openpyxl keeps its title rows, styles, column order).

The header row is found with the importer's own header matching (db.exchange.reader/mapping), so a
header the importer would recognise is filled here; every other non-empty header is reported.
A '序号' column gets 1, 2, 3 …; rows under the header are written from the first row below it,
copying that row's cell styles down. Example rows the template may hold under the header are
replaced; a footer (合计, 填表人/审核人 …) is moved down below the data with its merges and styles.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from db.context import ServiceContext
from db.errors import LedgerError
from db.exchange import roster
from db.exchange.dto import SheetInfo, WorkbookResult
from db.exchange.mapping import normalize_header
from db.exchange.read_guard import check_zip
from db.exchange.reader import _FOOTER, _TOTAL, HEADER_SCAN, _fill_merged, _find_header
from db.sheets import Cancelled, atomic_output, save_openpyxl, set_openpyxl

_SEQUENCE = {"序号", "编号", "序"}


def _find_template_header(wb):
    best = None
    for ws in [wb.active] + [w for w in wb.worksheets if w is not wb.active]:
        if ws.sheet_state != "visible":
            continue
        grid_raw = [list(r) for r in ws.iter_rows(min_row=1, max_row=HEADER_SCAN, values_only=True)]
        merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        grid = _fill_merged(grid_raw, merged)
        h, _up, mapping, texts = _find_header(grid, roster.FIELDS)
        if h >= 0 and (best is None or len(mapping) > len(best[2])):
            best = (ws, h, mapping, texts)
    return best


def fill_template(ctx: ServiceContext, template: Path, out: Path, *,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None):
    wb = _open_template(template)
    found = _find_template_header(wb)
    if found is None:
        raise LedgerError(f"模板“{template.name}”的前 {HEADER_SCAN} 行中找不到可识别的表头"
                          "（至少要有“姓名”“身份证号”等两列）")
    ws, h, mapping, texts = found
    header_row = h + 1                               # 1-based
    seq_cols = [c for c, t in enumerate(texts) if c not in mapping and normalize_header(t) in _SEQUENCE]
    unmapped = [t for c, t in enumerate(texts) if t and c not in mapping and c not in seq_cols]
    footer = _take_footer(ws, header_row + 1)
    n = _write_rows(ctx, ws, header_row, len(texts), mapping, seq_cols, progress, cancelled)
    _put_footer(ws, footer, header_row + n + 2)
    with atomic_output(out) as tmp:
        save_openpyxl(wb, tmp)            # openpyxl's own save writes each sheet to TMPDIR first
    return WorkbookResult(out, n, [SheetInfo(ws.title, n)], ws.title, header_row, unmapped)


def _open_template(template: Path):
    from openpyxl import load_workbook  # noqa: PLC0415 - start-up: loaded only when used

    if not template.exists():
        raise LedgerError(f"找不到模板文件“{template}”")
    if template.suffix.lower() not in (".xlsx", ".xlsm"):
        raise LedgerError(f"模板“{template.name}”不是 xlsx 文件；请在 Excel/WPS 中另存为 .xlsx 后再用")
    check_zip(template).close()              # refuses broken files and zip bombs with a plain message
    try:
        return load_workbook(template)
    except Exception as e:
        raise LedgerError(f"模板“{template.name}”无法打开（{type(e).__name__}）；未生成文件") from None


def _write_rows(ctx: ServiceContext, ws, header_row: int, width: int, mapping: dict[int, str],
                seq_cols: list[int], progress, cancelled) -> int:
    """The roster under the header, each row styled like the template's first row; returns the count."""
    cols = [(c + 1, roster.FIELDS.index(f), roster.KINDS[roster.FIELDS.index(f)]) for c, f in mapping.items()]
    first = header_row + 1
    styles = {c: copy.copy(ws.cell(first, c)._style) for c in range(1, width + 1) if ws.cell(first, c).has_style}
    total = roster.count_students(ctx)
    n = 0
    for n, row in enumerate(roster.roster_rows(ctx, cancelled), 1):
        r = header_row + n
        if r != first:
            for c, st in styles.items():
                ws.cell(r, c)._style = copy.copy(st)
        for c in seq_cols:
            ws.cell(r, c + 1).value = n
        for c, i, kind in cols:
            set_openpyxl(ws.cell(r, c), row[i], text=kind == "text")
        if not n % 2000:
            if progress:
                progress(n, total)
            if cancelled and cancelled():
                raise Cancelled()
    if progress:
        progress(total, total)
    return n


def _lead(ws, r: int) -> str:
    for c in range(1, min(ws.max_column, 60) + 1):
        v = ws.cell(r, c).value
        if v not in (None, ""):
            return "".join(str(v).split())
    return ""


def _take_footer(ws, first: int) -> list:
    """Lift every row from the first 合计/落款 row down (values, styles, heights, merges) and clear the
    rows under the header, so that the data can be written there and the footer put back below."""
    last = ws.max_row
    start = next((r for r in range(first, last + 1) if _TOTAL.match(_lead(ws, r)) or _FOOTER.match(_lead(ws, r))),
                 None)
    merges = [m for m in list(ws.merged_cells.ranges) if m.min_row >= first]
    for m in merges:
        ws.unmerge_cells(str(m))
    rows = []
    if start is not None:
        for r in range(start, last + 1):
            cells = [(c, ws.cell(r, c).value, copy.copy(ws.cell(r, c)._style), ws.cell(r, c).has_style)
                     for c in range(1, ws.max_column + 1)]
            rows.append((r - start, ws.row_dimensions[r].height, cells))
        merges = [(m.min_row - start, m.min_col, m.max_row - start, m.max_col) for m in merges if m.min_row >= start]
    else:
        merges = []
    from openpyxl.styles.cell_style import StyleArray  # noqa: PLC0415 - start-up: loaded only when used
    for r in range(first, last + 1):
        in_footer = start is not None and r >= start
        for c in range(1, ws.max_column + 1):
            cell = ws.cell(r, c)
            cell.value = None
            if in_footer:                       # its look goes with it; data rows get the first row's
                cell._style = StyleArray()
        if in_footer:
            ws.row_dimensions[r].height = None
    return [rows, merges]


def _put_footer(ws, footer: list, at: int) -> None:
    rows, merges = footer
    for off, height, cells in rows:
        for c, value, style, has_style in cells:
            cell = ws.cell(at + off, c)
            if has_style:
                cell._style = copy.copy(style)
            if value is not None:
                set_openpyxl(cell, value) if isinstance(value, str) else setattr(cell, "value", value)
        if height:
            ws.row_dimensions[at + off].height = height
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(start_row=at + r0, start_column=c0, end_row=at + r1, end_column=c1)
