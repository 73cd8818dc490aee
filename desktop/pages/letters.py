"""省外就读: letters to the schools where registered-poor children study out of province (make, send,
reply, phone follow-ups, print — one by one or all in one batch), and the 应发函 list of children who
still need one."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.changes import Changes
from db.docs.kinds import Selection
from db.errors import LedgerError
from db.home import Link
from db.letters.dto import STATUSES, UNSENT, DueRow, LetterDetail, LetterQuery, LetterRow
from desktop.context import AppContext
from desktop.dialogs.letter_forms import CallDialog, LetterFormDialog, LetterSettingsDialog, ReplyDialog, SendDialog
from desktop.errors import show_error
from desktop.pages.base import Page
from desktop.pages.cases_html import LETTER_COLORS, letter_html
from desktop.printing import print_document, print_menu_button
from widgets.search_box import SearchBox
from widgets.table_model import LazyTableModel
from widgets.table_view import LedgerTableView

COLUMNS = [("number", "函号"), ("letter_date", "发函日期"), ("child_name", "学生"), ("child_id_number", "身份证号"),
           ("stage_grade", "学段年级"), ("to_school", "就读学校"), ("to_place", "所在地"), ("status", "状态"),
           ("sent", "发出"), ("reply_due", "回复期限"), ("days_late", "逾期天数"), ("reply", "回复"), ("calls", "电话跟进")]
WIDTHS = {"number": 140, "letter_date": 84, "child_name": 64, "child_id_number": 160, "stage_grade": 84,
          "to_school": 180, "to_place": 126, "status": 70, "sent": 120, "reply_due": 84, "days_late": 64, "reply": 240}
DUE_COLUMNS = [("name", "学生"), ("id_number", "身份证号"), ("stage", "学段"), ("grade", "年级"),
               ("study_school", "就读学校"), ("head_name", "户主"), ("village", "村"), ("poverty_status", "建档立卡类型"),
               ("last_letter", "上次函件")]
DUE_WIDTHS = {"name": 70, "id_number": 160, "stage": 60, "grade": 70, "study_school": 220, "head_name": 70, "village": 80,
              "poverty_status": 96}


class LetterModel(LazyTableModel):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and self.keys[index.column()] in ("status",
                                                                                                       "days_late"):
            return QColor(LETTER_COLORS.get(self.row_at(index.row()).status, "#000000"))
        return super().data(index, role)


def _table(model: LazyTableModel, columns, widths, parent) -> LedgerTableView:
    view = LedgerTableView(parent)
    view.setModel(model)
    view.horizontalHeader().setSortIndicatorShown(False)
    for i, (key, _h) in enumerate(columns):
        view.setColumnWidth(i, widths.get(key, 80))
    return view


class LettersPage(Page):
    title = "省外就读"
    icon = "letters"
    ledger = "letters"
    settings_key = "letters"

    rowsLoaded = Signal(int, int)           # letters, students due
    letterShown = Signal(object)            # LetterDetail

    def __init__(self, ctx: AppContext, parent=None, *, today: Callable[[], dt.date] | None = None):
        super().__init__(ctx, parent)
        self.today = today or ctx.ctx.clock.today      # the one clock (a test or the demo may fix it)
        self._token = self._detail_token = 0
        self.rows: list[LetterRow] = []
        self.due_rows: list[DueRow] = []
        self.letter: LetterDetail | None = None

        self.search = SearchBox("学生姓名 / 身份证号 / 学校 / 函号", self)
        self.search.search.connect(lambda _t: self.load())
        self.status_combo = QComboBox()
        self.status_combo.addItem("全部状态", "")
        for st in STATUSES:
            self.status_combo.addItem(st, st)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.buttons = {}
        for key, text, slot in (("new", "新建函件(&N)…", lambda: self.new_item()),
                                ("edit", "修改(&E)…", lambda: self.edit_selected()),
                                ("send", "登记发出(&S)…", lambda: self.track(SendDialog)),
                                ("reply", "登记回复(&R)…", lambda: self.track(ReplyDialog)),
                                ("call", "电话跟进(&T)…", lambda: self.track(CallDialog)),
                                ("void", "作废…", lambda: self.void_selected()),
                                ("settings", "设置…", lambda: self.edit_settings())):
            self.buttons[key] = QPushButton(text)
            self.buttons[key].clicked.connect(slot)
        self.print_button = print_menu_button(self, [("打印选中的函件", lambda: self.print_current()),
                                                     ("打印全部待发出的函件", lambda: self.print_unsent())])
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status_combo)
        for b in self.buttons.values():
            top.addWidget(b)
        top.addWidget(self.print_button)

        self.model = LetterModel(COLUMNS, parent=self)
        self.view = _table(self.model, COLUMNS, WIDTHS, self)
        self.view.openRequested.connect(lambda: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.detail = QTextBrowser(self)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(self.view)
        self.split.addWidget(self.detail)
        self.split.setSizes([460, 140])
        letters_tab = QWidget()
        ll = QVBoxLayout(letters_tab)
        ll.setContentsMargins(4, 4, 4, 4)
        ll.addLayout(top)
        ll.addWidget(self.split, 1)

        self.due_model = LazyTableModel(DUE_COLUMNS, parent=self)
        self.due_view = _table(self.due_model, DUE_COLUMNS, DUE_WIDTHS, self)
        self.due_view.openRequested.connect(lambda: self.new_for_selected_due())
        self.due_new = QPushButton("为选中学生新建函件…")
        self.due_new.clicked.connect(lambda: self.new_for_selected_due())
        self.due_all = QPushButton("为全部应发函学生生成函件并打印")
        self.due_all.clicked.connect(lambda: self.make_all())
        dtop = QHBoxLayout()
        dtop.addWidget(QLabel("在省外就读、还没有发函（或回复“不在该校”）的建档立卡学生："))
        dtop.addStretch(1)
        dtop.addWidget(self.due_new)
        dtop.addWidget(self.due_all)
        due_tab = QWidget()
        dl = QVBoxLayout(due_tab)
        dl.setContentsMargins(4, 4, 4, 4)
        dl.addLayout(dtop)
        dl.addWidget(self.due_view, 1)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(letters_tab, "函件")
        self.tabs.addTab(due_tab, "应发函")
        self.count_label = QLabel("")
        self.count_label.setTextFormat(Qt.TextFormat.RichText)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.count_label)
        self.setFocusProxy(self.search)
        self._update_buttons()

    # ---- loading --------------------------------------------------------------------------------
    def start(self) -> None:
        self.load()

    def open_link(self, link: Link) -> bool:
        """From the home page: letters by status (status=逾期未复) or the students still to write to (tab=due)."""
        if link.arg("status"):
            self.tabs.setCurrentIndex(0)
            self.status_combo.setCurrentIndex(max(self.status_combo.findData(link.arg("status")), 0))
        if link.arg("tab") == "due":
            self.tabs.setCurrentIndex(1)
        return True

    def load(self, keep: int | None = None) -> None:
        self._token += 1
        token, svc, today = self._token, self.ctx.letters, self.today()
        q = LetterQuery(self.search.text().strip(), self.status_combo.currentData())
        keep = keep if keep is not None else (self.letter.id if self.letter else None)
        self.ctx.tasks.query(lambda: (svc.letters(q, today=today), svc.due(today), svc.overdue(today)),
                             lambda res: self._loaded(token, *res, keep), lambda exc: show_error(self, exc, "查询"))

    def _loaded(self, token: int, rows, due, overdue, keep) -> None:
        if token != self._token:
            return
        self.rows, self.due_rows = rows, due
        self.model.reset_source(lambda off, lim: rows[off:off + lim], rows[:200])
        self.model.fetch_all()
        self.due_model.reset_source(lambda off, lim: due[off:off + lim], due[:200])
        self.due_model.fetch_all()
        self.tabs.setTabText(1, f"应发函（{len(due)}）")
        late = f"　<b style='color:#c62828'>逾期未复 {len(overdue)} 份</b>" if overdue else ""
        self.count_label.setText(f"函件 {len(rows)} 份{late}　应发函 {len(due)} 人")
        index = next((i for i, r in enumerate(rows) if r.id == keep), 0 if rows else None)
        if index is not None:
            self.view.selectRow(index)
            self._row_changed(index)
        else:
            self._show(None)
        self.due_all.setEnabled(bool(due))
        self.rowsLoaded.emit(len(rows), len(due))

    def _selection_changed(self) -> None:
        rows = self.view.selected_rows()
        if rows:
            self._row_changed(rows[0])

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self._detail_token += 1
            token, letter_id, svc = self._detail_token, self.rows[row].id, self.ctx.letters
            self.ctx.tasks.query(lambda: svc.get_letter(letter_id),
                                 lambda x: self._show(x) if token == self._detail_token else None,
                                 lambda exc: show_error(self, exc, "查询"))

    def _show(self, letter: LetterDetail | None) -> None:
        self.letter = letter
        self.detail.setHtml(letter_html(letter) if letter else "<p style='color:#616161'>还没有函件。</p>")
        self._update_buttons()
        self.letterShown.emit(letter)

    def _update_buttons(self) -> None:
        x = self.letter
        live = x is not None and x.status != "已作废"
        unsent = live and x.status == UNSENT
        self.buttons["edit"].setEnabled(unsent)
        self.buttons["send"].setEnabled(unsent)
        self.buttons["reply"].setEnabled(live and not unsent)
        self.buttons["call"].setEnabled(live and not unsent)
        self.buttons["void"].setEnabled(live)

    def on_changes(self, changes: Changes) -> None:
        if changes.entities & {"letter", "student", "household", "dropout"}:
            self.load()

    # ---- actions ----------------------------------------------------------------------------------
    def main_table(self) -> LedgerTableView:
        return self.view if self.tabs.currentIndex() == 0 else self.due_view

    def focus_search(self) -> bool:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def _done(self, dlg) -> bool:
        if dlg.exec() and dlg.result_value is not None:
            self.changed.emit(Changes(frozenset({"letter"}), frozenset({dlg.result_value.id})))
            self.tabs.setCurrentIndex(0)
            self.load(keep=dlg.result_value.id)
            return True
        return False

    def new_item(self, student_id: int | None = None) -> bool:
        return self._done(LetterFormDialog(self.ctx, None, self, student_id=student_id, today=self.today()))

    def new_for_selected_due(self) -> bool:
        row = self.due_view.current_item()
        return row is not None and self.new_item(row.student_id)

    def edit_selected(self) -> bool:
        if self.letter is None:
            return False
        if self.letter.status != UNSENT:
            self.status("已发出或作废的函件不能修改内容；可登记回复或电话跟进")
            return False
        return self._done(LetterFormDialog(self.ctx, self.letter, self, today=self.today()))

    def track(self, dialog) -> bool:
        return self.letter is not None and self._done(dialog(self.ctx, self.letter, self, today=self.today()))

    def void_selected(self) -> bool:
        if self.letter is None:
            return False
        reason, ok = QInputDialog.getText(self, "作废函件", f"作废 {self.letter.number} 的原因：")
        if not ok:
            return False
        try:
            self.ctx.letters.void_letter(self.letter.id, reason)
        except LedgerError as e:
            show_error(self, e, "作废函件")
            return False
        self.changed.emit(Changes(frozenset({"letter"})))
        self.load()
        return True

    def edit_settings(self) -> bool:
        dlg = LetterSettingsDialog(self.ctx, self)
        return bool(dlg.exec() and dlg.result_value)

    def make_all(self):
        """A letter for every student in the 应发函 list, then all of them printed in one batch."""
        try:
            result = self.ctx.letters.make_for_due(self.today())
        except LedgerError as e:
            show_error(self, e, "生成函件")
            return None
        if result.skipped:
            QMessageBox.information(self, "生成函件", "以下学生没有生成函件：\n" +
                                    "\n".join(f"{name}：{why}" for name, why in result.skipped))
        self.changed.emit(Changes(frozenset({"letter"})))
        self.load()
        if not result.made:
            return None
        return print_document(self, self.ctx, "letter", Selection(record_ids=tuple(x.id for x in result.made),
                                                                  today=self.today()))

    # ---- printing ---------------------------------------------------------------------------------
    def print_current(self):
        ids = tuple(r.id for r in self.view.selected_items()) or ((self.letter.id,) if self.letter else ())
        if not ids:
            QMessageBox.information(self, "打印", "请先在列表中选中函件（可按住 Ctrl 多选）。")
            return None
        return print_document(self, self.ctx, "letter", Selection(record_ids=ids, today=self.today()))

    def print_unsent(self):
        return print_document(self, self.ctx, "letter", Selection(all=True, today=self.today()))

    # ---- remembered layout ------------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue(f"{self.settings_key}/header", self.view.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        super().restore_state(settings)
        state = settings.value(f"{self.settings_key}/header")
        if state is not None:
            self.view.horizontalHeader().restoreState(state)
