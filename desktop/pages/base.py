"""What every page of the main window is: a `Page`.

The window builds a page the first time it is shown, connects its `changed` signal to the broadcast
and the broadcast to `on_changes`, calls `start()` once the window is up, and asks it to save and
restore its layout. The menu's common actions (新建, 查找, 复制, 列设置, 导出当前列表, 打印) call the page;
each returns False when the page has nothing of the kind, and the window says so in the status bar.
A page with a main list (students, aid lines) names it in `main_table()` and gets 复制, 列设置 and
导出当前列表 for free.

The home page and the self-inspection send the officer to the list that fixes something: a `db.home.Link`
names the page (its `settings_key`) and what to show there; the window shows that page and calls its
`open_link`. F1 opens the user guide at the page's `help_topic` (its `settings_key` when not set).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from db.changes import Changes
from db.home import Link
from db.sheets import write_rows_xlsx
from desktop.context import AppContext
from desktop.errors import show_error
from desktop.pages import concerns
from widgets.column_chooser import choose_columns
from widgets.table_view import LedgerTableView


class Page(QWidget):
    title = ""                 # 学生名册 — the navigation entry
    icon = ""                  # resources/icons/<icon>.svg
    ledger = ""                # the ledger it shows (db.ledgers); tests/test_ledgers.py checks every ledger has one
    accepts_files = False      # a county list dropped on the window goes to the first page that accepts files
    settings_key = ""          # the page's name in QSettings and in a db.home.Link
    help_topic = ""            # its section of the user guide (resources/help/guide.html); "" = settings_key
    changed = Signal(object)   # Changes made here, for the window to broadcast
    linkRequested = Signal(object)   # a db.home.Link to open (the window shows that page)

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.settings: QSettings | None = None     # the window's, given with restore_state

    # Whether the page concerns this school at all, as "service.method" on the AppContext ("" = always);
    # the window hides it otherwise (营养改善计划 outside pilot schools, 中职毕业生就业 without a 中职 stage).
    applies_when = ""

    @classmethod
    def applies(cls, ctx: AppContext) -> bool:
        return concerns(cls.applies_when, ctx)

    # ---- life cycle -------------------------------------------------------------------------------
    def start(self) -> None:
        """The window is shown: load the data."""

    def on_changes(self, changes: Changes) -> None:
        """Something changed elsewhere (another page, an import): refresh what depends on it."""

    def save_state(self, settings: QSettings) -> None:
        """Remember the layout (column widths and order, splitters)."""

    def restore_state(self, settings: QSettings) -> None:
        self.settings = settings

    # ---- common actions -----------------------------------------------------------------------------
    def main_table(self) -> LedgerTableView | None:
        """The page's main list, if it has one."""
        return None

    def new_item(self) -> bool:
        return False

    def focus_search(self) -> bool:
        return False

    def copy_selected(self) -> bool:
        table = self.main_table()
        if table is None:
            return False
        _text, n = table.copy_selected()
        if n:
            self.status(f"已复制 {n} 行")
        return True

    def choose_columns(self) -> bool:
        table = self.main_table()
        if table is None:
            return False
        choose_columns(table.horizontalHeader(), table.model().headers, self)
        return True

    def print_current(self) -> bool:
        return False

    def open_link(self, link: Link) -> bool:
        """Show what `link` asks for (filters, a dialog); False when the page has nothing of the kind
        (it is shown all the same)."""
        return False

    @property
    def help_anchor(self) -> str:
        return self.help_topic or self.settings_key

    def open_file(self, path: str) -> bool:
        return False

    def export_view(self, path: str | None = None) -> bool:
        """导出当前列表: every row of the main list as filtered and sorted now, the visible columns,
        numbers masked as on screen (an xlsx, written in the background)."""
        table = self.main_table()
        if table is None:
            return False
        model = table.model()
        fetch, headers, keys = model.source()
        if fetch is None:
            return False
        columns = table.visible_columns()
        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, "导出当前列表", str(self.save_folder() / f"{self.title}.xlsx"),
                                                   "Excel 工作簿 (*.xlsx)")
            if not path:
                return True
        out = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        self.remember_folder(out.parent)
        head = [headers[c] for c in columns]
        wanted = [keys[c] for c in columns]

        def work(progress, cancelled):
            def rows():
                offset = 0
                while True:
                    page = fetch(offset, 2000)
                    for row in page:
                        yield ["" if getattr(row, k, None) is None else str(getattr(row, k)) for k in wanted]
                    offset += len(page)
                    progress(offset, 0)
                    if len(page) < 2000 or cancelled():
                        return
            return write_rows_xlsx(out, self.title, head, rows())
        self.ctx.tasks.run(work, parent=self, title="正在导出……", write=False,
                           on_done=lambda n: QMessageBox.information(self, "导出当前列表", f"已导出 {n} 行到：\n{out}"),
                           on_error=lambda e: show_error(self, e, "导出当前列表"))
        return True

    # ---- helpers ----------------------------------------------------------------------------------
    def status(self, message: str, ms: int = 3000) -> None:
        win = self.window()
        if hasattr(win, "statusBar"):
            win.statusBar().showMessage(message, ms)

    def save_folder(self) -> Path:
        """Where a save dialog opens: the folder used last, else Documents — never the program folder."""
        last = self.settings.value("export/folder") if self.settings is not None else None
        if last and Path(str(last)).is_dir():
            return Path(str(last))
        docs = Path.home() / "Documents"
        return docs if docs.is_dir() else Path.home()

    def remember_folder(self, folder: Path) -> None:
        if self.settings is not None:
            self.settings.setValue("export/folder", str(folder))
