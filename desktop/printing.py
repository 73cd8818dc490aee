"""Printing from the desktop: a document kind and a selection go to the document layer as a background
task (progress and 取消 after ~0.5 s); the finished PDF opens in the preview window (widgets/pdf_preview),
from which the user prints or saves it.

PDFs are written to `printouts/` beside the database (a local disk, like the data itself) and kept
there, so a printer that fails never loses the document; files older than KEEP_DAYS are removed when
the next document is printed.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from db import audit
from db.docs.kinds import Selection, kind
from desktop.context import AppContext
from desktop.errors import show_error

KEEP_DAYS = 7


def printouts_dir(ctx: AppContext) -> Path:
    folder = ctx.database.path.parent / "printouts"
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP_DAYS * 86400
    for old in folder.glob("*.pdf"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    return folder


def _status(parent: QWidget, text: str) -> None:
    win = parent.window()
    if hasattr(win, "statusBar"):
        win.statusBar().showMessage(text, 5000)


def print_document(parent: QWidget, ctx: AppContext, kind_name: str, sel: Selection, *,
                   on_preview: Callable | None = None):
    """Build `kind_name` for `sel` in the background, then open the preview. Returns the task."""
    k = kind(kind_name)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = printouts_dir(ctx) / f"{stamp}-{k.filename(sel)}"
    # reportlab and pdfium load when the first document is printed, not at start-up
    from db.docs.render import PrintCancelled, render_batch  # noqa: PLC0415 - start-up: loaded only when used
    from widgets.pdf_preview import PdfPreview  # noqa: PLC0415 - start-up: loaded only when used

    def job(progress, cancelled):
        mine = ctx.registry.printable(k, sel)          # a 班主任: own classes only
        return render_batch(k.sections(ctx.ctx, mine), out, progress=progress, cancelled=cancelled)

    def done(result) -> None:
        try:
            audit.log_event(ctx.ctx, "print", k.name, summary=f"生成{k.title}：{result.sections} 份，{result.pages} 页")
        except Exception as e:
            show_error(parent, e, "记录打印")
        preview = PdfPreview(str(result.path), k.title, result.missing_text(), parent.window())
        preview.resize(min(1100, parent.window().width()), parent.window().height())
        preview.show()
        _status(parent, f"已生成{k.title}：{result.sections} 份，共 {result.pages} 页")
        if on_preview:
            on_preview(preview)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, PrintCancelled):
            _status(parent, "已取消打印，没有生成文件")
        else:
            show_error(parent, exc, f"生成{k.title}")

    return ctx.tasks.run(job, parent=parent, title=f"正在生成{k.title}……", on_done=done, on_error=failed,
                         write=False)


def print_menu_button(parent: QWidget, items: list[tuple[str, Callable[[], object]]], text: str = "打印") -> QPushButton:
    """A 打印 button; with several documents, a menu of them."""
    button = QPushButton(text, parent)
    if len(items) == 1:
        button.setText(items[0][0])
        button.clicked.connect(lambda: items[0][1]())
        return button
    menu = QMenu(button)
    for label, fn in items:
        menu.addAction(label, lambda fn=fn: fn())
    button.setMenu(menu)
    return button
