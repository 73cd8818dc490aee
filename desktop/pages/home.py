"""工作台 (the home page, first in the navigation): what is due and late — each item opens the list that
fixes it — and the school's figures with charts. Nothing is read while the window is built: the page
asks for its items and figures on worker threads once it is on screen, and refreshes after changes."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.changes import Changes
from db.home import DUE, LATE, LEVEL_LABELS, HomeItem
from db.money import format_yuan
from db.office.dto import Figures, HomeReport
from db.terms import term_of
from desktop.context import AppContext
from desktop.errors import show_error
from desktop.pages.base import Page
from widgets.charts import BarChart, HBarChart

LEVEL_COLORS = {LATE: "#c62828", DUE: "#d9822b"}
INFO_COLOR = "#2f6fb0"
REFRESH_MS = 600


def yuan(fen: int) -> str:
    return format_yuan(fen)


def short_yuan(fen: int) -> str:
    """A chart label: 12.3 万 for large sums, else whole yuan."""
    return f"{fen / 1_000_000:.1f} 万" if fen >= 1_000_000 else f"{fen // 100:,}"


class ItemCard(QFrame):
    """One thing to do: its level, title and detail, and a button that opens the list that fixes it."""

    def __init__(self, item: HomeItem, on_open, parent=None):
        super().__init__(parent)
        self.item = item
        self.setFrameShape(QFrame.Shape.StyledPanel)
        color = LEVEL_COLORS.get(item.level, INFO_COLOR)
        self.setStyleSheet(f"ItemCard {{ border: 1px solid #d8dee6; border-left: 5px solid {color};"
                           " background: #ffffff; border-radius: 3px; }")
        badge = QLabel(LEVEL_LABELS.get(item.level, "提示"))
        badge.setStyleSheet(f"color: white; background: {color}; border-radius: 3px; padding: 1px 6px;")
        title = QLabel(f"<b>{item.title}</b>")
        detail = QLabel(item.detail)
        detail.setWordWrap(True)
        detail.setStyleSheet("color: #33475b;")
        self.button = QPushButton("去处理 →")
        self.button.setEnabled(item.link is not None)
        self.button.clicked.connect(lambda: on_open(item))
        head = QHBoxLayout()
        head.addWidget(badge)
        head.addWidget(title, 1)
        head.addWidget(self.button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 8, 6)
        lay.setSpacing(2)
        lay.addLayout(head)
        lay.addWidget(detail)

    def mouseDoubleClickEvent(self, _event) -> None:
        if self.item.link is not None:
            self.button.click()


class HomePage(Page):
    title = "工作台"
    icon = "home"
    ledger = "office"
    settings_key = "home"

    itemsLoaded = Signal(object)        # HomeReport
    figuresLoaded = Signal(object)      # Figures

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self._started = self._loaded = False
        self._token = 0
        self.report: HomeReport | None = None
        self.figures: Figures | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)

        self.heading = QLabel("")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold; color: #1f3b57;")
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.refresh_button)

        self.todo_box = QGroupBox("待办事项")
        self.cards = QWidget()
        self.cards_layout = QVBoxLayout(self.cards)
        self.cards_layout.setContentsMargins(2, 2, 2, 2)
        self.cards_layout.setSpacing(6)
        self.cards_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.cards)
        QVBoxLayout(self.todo_box).addWidget(scroll)

        self.summary = QLabel("正在统计……")
        self.summary.setWordWrap(True)
        self.stage_chart = BarChart("学生人数（按学段）", ["在校学生", "其中困难学生"])
        self.category_chart = HBarChart("困难学生类别（在校，人）", color="#3c9a5f")
        self.money_chart = BarChart("资助金额（按学期，元）", ["现金发放", "减免"], short_yuan)
        self.programmes = QTableWidget(0, 4)
        self.programmes.setHorizontalHeaderLabels(["资助项目", "现金(元)", "减免(元)", "笔数"])
        self.programmes.verticalHeader().setVisible(False)
        self.programmes.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        head = self.programmes.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            head.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.programmes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.programmes_label = QLabel("")
        fig_box = QGroupBox("本校概况")
        grid = QGridLayout(fig_box)
        grid.addWidget(self.summary, 0, 0, 1, 2)
        grid.addWidget(self.stage_chart, 1, 0)
        grid.addWidget(self.category_chart, 1, 1)
        grid.addWidget(self.money_chart, 2, 0)
        side = QVBoxLayout()
        side.addWidget(self.programmes_label)
        side.addWidget(self.programmes, 1)
        grid.addLayout(side, 2, 1)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(2, 1)

        body = QHBoxLayout()
        body.addWidget(self.todo_box, 5)
        body.addWidget(fig_box, 6)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(top)
        lay.addLayout(body, 1)

    # ---- loading: after the window is on screen, on worker threads ------------------------------
    def start(self) -> None:
        self._started = True
        self._load_when_shown()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._load_when_shown()

    def _load_when_shown(self) -> None:
        if self._started and not self._loaded and self.isVisible():
            self._loaded = True
            QTimer.singleShot(0, self.refresh)       # after this paint: the page shows at once, then fills in

    def refresh(self) -> None:
        self._token += 1
        token, home, today = self._token, self.ctx.home, self.ctx.ctx.clock.today()
        school = self.ctx.school.get()
        self.heading.setText(f"{school.name if school else '（未设置学校）'}　·　{term_of(today).label}　·　"
                             f"今天 {today:%Y-%m-%d}")
        # owner: a refresh after a change may still be reading when the window closes
        self.ctx.tasks.query(lambda: home.items(today), lambda r: self._on_items(token, r),
                             lambda e: show_error(self, e, "读取待办事项"), owner=self)
        self.ctx.tasks.query(lambda: home.figures(today), lambda f: self._on_figures(token, f),
                             lambda e: show_error(self, e, "统计"), owner=self)

    def on_changes(self, changes: Changes) -> None:
        if self._loaded:
            self._refresh_timer.start()

    # ---- showing --------------------------------------------------------------------------------
    def _on_items(self, token: int, report: HomeReport) -> None:
        if token != self._token:
            return
        self.report = report
        while self.cards_layout.count() > 1:
            w = self.cards_layout.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        shown = list(report.items) + [HomeItem("", "无法读取", p, level="info") for p in report.problems]
        for i, item in enumerate(shown):
            self.cards_layout.insertWidget(i, ItemCard(item, self.open_item, self.cards))
        if not shown:
            done = QLabel("目前没有待办事项。")
            done.setStyleSheet("color: #3c9a5f; padding: 12px;")
            self.cards_layout.insertWidget(0, done)
        late = sum(1 for x in report.items if x.level == LATE)
        self.todo_box.setTitle(f"待办事项（{len(report.items)} 项" + (f"，其中逾期 {late} 项）" if late else "）"))
        self.itemsLoaded.emit(report)

    def _on_figures(self, token: int, f: Figures) -> None:
        if token != self._token:
            return
        self.figures = f
        needy = sum(c.value for c in f.needy_by_stage)
        self.summary.setText(f"在校学生 <b>{f.students}</b> 人，其中困难学生 <b>{needy}</b> 人。"
                             "金额为有效记录（不含已作废），减免不发放现金，单独列出。")
        needy_of = {c.key: c.value for c in f.needy_by_stage}
        self.stage_chart.set_data([c.key for c in f.by_stage], [[c.value, needy_of.get(c.key, 0)] for c in f.by_stage])
        self.category_chart.set_data([(c.key, c.value) for c in f.by_category])
        terms = list(reversed(f.terms()))
        self.money_chart.set_data([t.replace("季学期", "") for t, _c, _w in terms], [[c, w] for _t, c, w in terms])
        self._fill_programmes(f)
        self.figuresLoaded.emit(f)

    def _fill_programmes(self, f: Figures) -> None:
        latest = f.money[0].term if f.money else ""
        rows = [m for m in f.money if m.term == latest]
        self.programmes_label.setText(f"{latest}各项目金额：" if latest else "还没有生成任何学期的资助名单。")
        self.programmes.setRowCount(len(rows) + (1 if rows else 0))
        total = [0, 0, 0]
        for r, m in enumerate(rows):
            self._set_row(r, m.programme, m.cash_fen, m.waiver_fen, m.lines)
            total = [total[0] + m.cash_fen, total[1] + m.waiver_fen, total[2] + m.lines]
        if rows:
            self._set_row(len(rows), "合计", *total)

    def _set_row(self, r: int, name: str, cash: int, waiver: int, lines: int) -> None:
        for c, text in enumerate((name, yuan(cash), yuan(waiver), str(lines))):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.programmes.setItem(r, c, item)

    # ---- going to the fix -----------------------------------------------------------------------
    def open_item(self, item: HomeItem) -> None:
        if item.link is not None:
            self.linkRequested.emit(item.link)

    def cards_shown(self) -> list[ItemCard]:
        return [self.cards_layout.itemAt(i).widget() for i in range(self.cards_layout.count())
                if isinstance(self.cards_layout.itemAt(i).widget(), ItemCard)]
