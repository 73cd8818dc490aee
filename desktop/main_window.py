"""The main window: navigation on the left, one page per module, menus, status bar."""
from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from db.changes import Changes
from db.home import Link
from desktop.context import AppContext
from desktop.pages import PAGES, PageRef
from desktop.pages.base import Page
from resources.qt import icon
from widgets.file_drop import dropped_file

APP_TITLE = "助学台账"
APP_VERSION = "0.1.0"


class MainWindow(QMainWindow):
    changed = Signal(object)          # db.registry.dto.Changes, broadcast to every page

    def __init__(self, ctx: AppContext, settings: QSettings, pages=None, parent=None):
        """`pages`: PageRefs or Page classes (default: every page, desktop.pages.PAGES)."""
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(icon("app"))

        self.nav = QListWidget()
        self.nav.setIconSize(QSize(24, 24))
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        # Pages are imported and built when first shown: start-up does only the first page's work,
        # however much data (and code) the other ledgers have.
        self.refs = [p if isinstance(p, PageRef) else PageRef.of(p) for p in (PAGES if pages is None else pages)]
        self.page_allowed = lambda ref: True     # the acting user's role may narrow it
        self._pages: dict[int, QWidget] = {}
        self._started = False
        self._help = None
        for ref in self.refs:
            self.stack.addWidget(QWidget())          # a stand-in until the page is first shown
            self.nav.addItem(QListWidgetItem(icon(ref.icon), ref.title))
        # as wide as the longest title (中职毕业生就业), never a horizontal scroll bar
        widest = max(self.nav.fontMetrics().horizontalAdvance(r.title) for r in self.refs) if self.refs else 80
        self.nav.setFixedWidth(widest + 24 + 36)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(0)
        self.refresh_pages()
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.school_label = QLabel()
        self.path_label = QLabel(str(ctx.database.path))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.school_label)
        self.statusBar().addPermanentWidget(self.path_label)
        self.refresh_school()
        self.changed.connect(self._on_changes)
        self._build_menus()
        self.setAcceptDrops(True)        # a county list dropped anywhere opens the import wizard
        self.resize(1280, 720)
        self.restore_state()

    # ---- menus ----------------------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        self.new_action = self._action(m, "新建…", lambda: self._page_call("new_item", "本页不能新建"),
                                       QKeySequence.StandardKey.New)
        self._action(m, "导出当前列表…", lambda: self._page_call("export_view", "本页没有可导出的列表"),
                     QKeySequence("Ctrl+E"))
        self.print_action = self._action(m, "打印…", self.print_current, QKeySequence.StandardKey.Print)
        m.addSeparator()
        self._action(m, "退出", self.close, QKeySequence("Ctrl+Q"))
        m = mb.addMenu("编辑(&E)")
        self.copy_action = self._action(m, "复制选中行", lambda: self._page_call("copy_selected", "本页没有可复制的列表"),
                                        QKeySequence.StandardKey.Copy)
        # Ctrl+C belongs to the focused widget (a search box copies its own text): the table
        # handles it itself, so the menu entry only shows the shortcut.
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._action(m, "查找", lambda: self._page_call("focus_search", "本页没有查找框"), QKeySequence.StandardKey.Find)
        m = mb.addMenu("视图(&V)")
        self._action(m, "列设置…", lambda: self._page_call("choose_columns", "本页没有可设置的列"))
        m = mb.addMenu("帮助(&H)")
        self.help_action = self._action(m, "使用说明", lambda: self.show_help(), QKeySequence.StandardKey.HelpContents)
        self._action(m, "学年工作日历", lambda: self.show_help("calendar"))
        self._action(m, "导入县里的名单", lambda: self.show_help("import"))
        self._action(m, "备份与恢复", lambda: self.show_help("backup"))
        m.addSeparator()
        self._action(m, "操作日志", lambda: self.open_link(Link("oplog")))
        m.addSeparator()
        self._action(m, "关于", self.about)

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def _page_call(self, action: str, nothing: str):
        """A menu action on the current page (a Page); says so when the page has none of it."""
        page = self.current_page()
        result = getattr(page, action)() if isinstance(page, Page) else False
        if result is False:
            self.statusBar().showMessage(nothing, 4000)
        return result

    def print_current(self):
        """Ctrl+P: the current page prints what it shows."""
        return self._page_call("print_current", "本页没有可打印的文书")

    def show_help(self, topic: str | None = None):
        """F1: the user guide at `topic`, else at the current page's section (one window, reused)."""
        from desktop.dialogs.help import HelpDialog  # noqa: PLC0415 - start-up: loaded only when used
        if self._help is None:
            self._help = HelpDialog(self)
        page = self.current_page()
        self._help.show_topic(topic if topic is not None else page.help_anchor if isinstance(page, Page) else "")
        self._help.show()
        self._help.raise_()
        return self._help

    def open_link(self, link: Link) -> Page | None:
        """Show the page a db.home.Link names and ask it to show what the link says."""
        index = next((i for i, r in enumerate(self.refs) if r.settings_key == link.page), None)
        if index is None:
            self.statusBar().showMessage("没有可以处理这一项的页面", 4000)
            return None
        if not self.page_allowed(self.refs[index]):
            self.statusBar().showMessage(f"当前用户不能使用“{self.refs[index].title}”页面", 4000)
            return None
        self.nav.setCurrentRow(index)
        page = self.page_at(index)
        page.open_link(link)
        return page

    def about(self) -> None:
        QMessageBox.about(self, "关于助学台账",
                          f"<b>{APP_TITLE}</b> {APP_VERSION}<br>学校资助工作台账：学生名册、资助发放、"
                          f"走访核实等。<br>数据只保存在本机：{self.ctx.database.path}")

    # ---- changes --------------------------------------------------------------------------------
    def broadcast(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def _on_changes(self, changes: Changes) -> None:
        if "school" in changes.entities:
            self.refresh_school()
        if changes.entities & {"school", "aid"}:         # the stages, the 营养改善计划 pilot setting
            self.refresh_pages()

    def refresh_pages(self) -> None:
        """Hide the pages that do not concern this school (Page.applies_when) or the acting user's role;
        ticking the pilot box or adding the 中职 stage shows them at once."""
        for i, ref in enumerate(self.refs):
            self.nav.item(i).setHidden(not ref.concerns(self.ctx) or not self.page_allowed(ref))
        current = self.nav.currentItem()
        if current is not None and current.isHidden():     # the first page left (a role may hide 工作台)
            self.nav.setCurrentRow(next((i for i in range(self.nav.count()) if not self.nav.item(i).isHidden()), 0))

    def refresh_school(self) -> None:
        info = self.ctx.school.get()
        self.school_label.setText(info.name if info else "（未设置学校）")

    # ---- pages ----------------------------------------------------------------------------------
    @property
    def pages(self) -> list[QWidget]:
        """The pages built so far, in navigation order (the first is built at once)."""
        return [self._pages[i] for i in sorted(self._pages)]

    def page_at(self, index: int) -> Page:
        if index not in self._pages:
            page = self.refs[index].load()(self.ctx)
            stand_in = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
            self._pages[index] = page
            page.changed.connect(self.broadcast)
            page.linkRequested.connect(self.open_link)
            self.changed.connect(page.on_changes)
            page.restore_state(self.settings)
            if self._started:
                page.start()
        return self._pages[index]

    def index_of(self, page) -> int:
        """The navigation row of a page (its class, or its class name)."""
        name = page if isinstance(page, str) else page.__name__
        return next(i for i, r in enumerate(self.refs) if r.name == name)

    def page_of(self, cls) -> QWidget:
        return self.page_at(self.index_of(cls))

    def _show_page(self, index: int) -> None:
        if index >= 0:
            self.page_at(index)
            self.stack.setCurrentIndex(index)

    def start(self) -> None:
        self._started = True
        for page in self.pages:
            page.start()

    # ---- a file dropped on the window --------------------------------------------------------------
    def _drop_index(self) -> int | None:
        return next((i for i, r in enumerate(self.refs) if r.accepts_files and self.page_allowed(r)), None)

    def dragEnterEvent(self, event) -> None:
        if self._drop_index() is not None and dropped_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event) -> None:
        index, path = self._drop_index(), dropped_file(event.mimeData())
        if index is None or not path:
            event.ignore()
            return
        event.acceptProposedAction()
        self.nav.setCurrentRow(index)
        self.page_at(index).open_file(path)

    # ---- remembered layout ----------------------------------------------------------------------
    def restore_state(self) -> None:
        geo = self.settings.value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        for page in self.pages:
            page.restore_state(self.settings)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        for page in self.pages:
            page.save_state(self.settings)
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.save_state()
        super().closeEvent(event)
