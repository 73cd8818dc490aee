"""“导出问题行”: the rejected rows of an import, with their original columns and a 问题说明 column,
ready to fix and import again. The source file is read again (the preview keeps no raw cells, to
keep memory small on big files)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from db.exchange.importer import ImportPreview, check_unchanged
from db.exchange.mapping import FIELD_LABELS
from db.exchange.reader import open_table
from db.sheets import atomic_output, closing_on_error, open_workbook

REASON_HEADER = "问题说明"
_TEXT_FIELDS = {"id_number", "head_id_number", "student_no", "bank_card_no", "phone", "household_no"}


def export_problem_rows(preview: ImportPreview, out_path) -> int:
    """Write the rejected rows to `out_path` (xlsx); returns how many rows were written."""
    out_path = Path(out_path)
    check_unchanged(preview)
    reasons = _reasons(preview)
    table, rows = open_table(preview.path, sheet=preview.sheet, mapping=preview.mapping)
    with atomic_output(out_path) as tmp:
        wb = open_workbook(tmp)            # its temporary files beside the target, never in TMPDIR
        with closing_on_error(wb):
            written = _write(wb, table, rows, reasons)
    return written


def _reasons(preview: ImportPreview) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = {r: [] for r in preview.rejected_rows}
    for p in preview.problems:
        if p.row in reasons and p.kind in ("rejected", "conflict"):
            where = f"{p.column}（{p.column_letter}列）：" if p.column else ""
            reasons[p.row].append(where + p.reason)
    return {r: why or ["未通过检查"] for r, why in reasons.items()}


class _Formats:
    def __init__(self, wb) -> None:
        self.head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.text = wb.add_format({"num_format": "@"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.reason = wb.add_format({"font_color": "#C00000", "text_wrap": True})


def _write(wb, table, rows, reasons: dict[int, list[str]]) -> int:
    text_cols = {c for c, f in table.mapping.items() if f in _TEXT_FIELDS}
    ws = wb.add_worksheet("问题行")
    fmt = _Formats(wb)
    # mapped columns get the canonical header, so the fixed file maps the same way again
    headers = [FIELD_LABELS[table.mapping[c]] if c in table.mapping else h for c, h in enumerate(table.headers)]
    ws.write_row(0, 0, headers + ["原行号", REASON_HEADER], fmt.head)
    ws.freeze_panes(1, 0)
    for c in range(len(headers)):
        ws.set_column(c, c, 20 if c in text_cols else 12, fmt.text if c in text_cols else None)
    ws.set_column(len(headers) + 1, len(headers) + 1, 60)
    written = 0
    for src in rows:
        if src.row not in reasons:
            continue
        written += 1
        for c, v in enumerate(src.cells):
            _cell(ws, written, c, v, c in text_cols, fmt)
        ws.write_number(written, len(headers), src.row)
        ws.write_string(written, len(headers) + 1, "；".join(reasons[src.row]), fmt.reason)
    return written


def _cell(ws, r: int, c: int, v, as_text: bool, fmt: _Formats) -> None:
    if v is None or v == "":
        return
    if as_text:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = f"{v:.6G}" if abs(v) >= 1e11 else f"{v:.0f}"   # shown as Excel showed it:
            # a destroyed ID must look destroyed, never like a plausible number
        ws.write_string(r, c, str(v), fmt.text)
    elif isinstance(v, (dt.date, dt.datetime)):
        ws.write_datetime(r, c, v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day), fmt.date)
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        ws.write_number(r, c, v)
    else:
        ws.write_string(r, c, str(v))
