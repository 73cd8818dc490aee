"""A spreadsheet dragged onto a widget: which local file it is (the county lists come as xlsx/xls/csv)."""
from __future__ import annotations

SUFFIXES = (".xlsx", ".xls", ".csv")


def dropped_file(mime) -> str | None:
    """The first local .xlsx/.xls/.csv file of a drag, or None."""
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(SUFFIXES):
            return url.toLocalFile()
    return None
