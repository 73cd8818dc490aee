"""The county exchange as one service: reading a county list (header, mapping, preview), importing it
in one transaction, the problem rows, and the submission workbook. Pushed lists and reconciliation
are `ReconcileService` (db.exchange.reconcile)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from db.context import Cancel, Progress, ServiceContext
from db.exchange.dto import ImportPreview, ImportResult
from db.exchange.import_problems import export_problem_rows
from db.exchange.import_write import run_import
from db.exchange.importer import check_unchanged, preview_import
from db.exchange.mapping import recall_mapping
from db.exchange.reader import SourceRow, Table, open_table
from db.exchange.workbook import WorkbookResult, export_workbook


class ExchangeService:
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    def read_header(self, path: Path | str, *, sheet: str | None = None,
                    cancelled: Cancel = None) -> tuple[Table, SourceRow | None]:
        """The sheet, its header row and the mapping (remembered for this kind of file, else guessed),
        with the first data row as a sample. Reads only the top of the file."""
        table, rows = open_table(path, sheet=sheet, mapping=lambda layout, width: recall_mapping(self._ctx, layout, width),
                                 cancelled=cancelled)
        try:
            return table, next(rows, None)
        finally:
            rows.close()

    def preview(self, path: Path | str, *, sheet: str | None = None, mapping: dict[int, str] | None = None,
                cancelled: Cancel = None, progress: Progress = None) -> ImportPreview:
        """Read and check the whole list; writes nothing."""
        return preview_import(self._ctx, path, sheet=sheet, mapping=mapping, cancelled=cancelled, progress=progress)

    def run(self, preview: ImportPreview, *, apply_updates=False, cancelled: Cancel = None,
            progress: Progress = None, school_year: int | None = None) -> ImportResult:
        """Import the preview's new students (and the agreed updates) in one transaction; the list's
        认定等级 go to `school_year` (default: the one the preview proposes)."""
        check_unchanged(preview)
        return run_import(self._ctx, preview, apply_updates=apply_updates, cancelled=cancelled, progress=progress,
                          school_year=school_year)

    def export_problems(self, preview: ImportPreview, out: Path | str) -> int:
        return export_problem_rows(preview, out)

    def export_workbook(self, out: Path | str, *, term: str = "2020秋", template: Path | str | None = None,
                        filled_by: str = "", today: dt.date | None = None, progress: Progress = None,
                        cancelled: Cancel = None) -> WorkbookResult:
        return export_workbook(self._ctx, out, term=term, template=template, filled_by=filled_by,
                               today=today or self._ctx.clock.today(), progress=progress, cancelled=cancelled)
