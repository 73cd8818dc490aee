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
    wanted = set(preview.rejected_rows)
    reasons: dict[int, list[str]] = {}
    for p in preview.problems:
        if p.row in wanted and p.kind in ("rejected", "conflict"):
            where = f"{p.column}（{p.column_letter}列）：" if p.column else ""
            reasons.setdefault(p.row, []).append(where + p.reason)
    table, rows = open_table(preview.path, sheet=preview.sheet, mapping=preview.mapping)
    text_cols = {c for c, f in table.mapping.items() if f in _TEXT_FIELDS}
    written = 0
    with atomic_output(out_path) as tmp:
        wb = open_workbook(tmp)
        with closing_on_error(wb):
            written = _write_rows(wb, table, rows, wanted, reasons, text_cols)
    return written


def _write_rows(wb, table, rows, wanted: set[int], reasons: dict[int, list[str]], text_cols: set[int]) -> int:
    written = 0
    ws = wb.add_worksheet("问题行")
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = wb.add_format({"num_format": "@"})
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    reason_fmt = wb.add_format({"font_color": "#C00000", "text_wrap": True})
    # mapped columns get the canonical header, so the fixed file maps the same way again
    headers = [FIELD_LABELS[table.mapping[c]] if c in table.mapping else h for c, h in enumerate(table.headers)]
    ws.write_row(0, 0, headers + ["原行号", REASON_HEADER], head)
    ws.freeze_panes(1, 0)
    for c in range(len(headers)):
        ws.set_column(c, c, 20 if c in text_cols else 12, text if c in text_cols else None)
    ws.set_column(len(headers) + 1, len(headers) + 1, 60)
    for src in rows:
        if src.row not in wanted:
            continue
        written += 1
        for c, v in enumerate(src.cells):
            if v is None or v == "":
                continue
            if c in text_cols:
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    v = f"{v:.6G}" if abs(v) >= 1e11 else f"{v:.0f}"   # shown as Excel showed it:
                    # a destroyed ID must look destroyed, never like a plausible number
                ws.write_string(written, c, str(v), text)
            elif isinstance(v, (dt.date, dt.datetime)):
                ws.write_datetime(written, c, v if isinstance(v, dt.datetime)
                                  else dt.datetime(v.year, v.month, v.day), datefmt)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(written, c, v)
            else:
                ws.write_string(written, c, str(v))
        ws.write_number(written, len(headers), src.row)
        ws.write_string(written, len(headers) + 1, "；".join(reasons.get(src.row, ["未通过检查"])), reason_fmt)
    return written
