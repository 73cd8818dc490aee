"""学生名册: the student list. Filtering, sorting and paging happen in SQL on a worker thread."""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from db import enums
from db.changes import Changes
from db.docs.kinds import Selection
from db.errors import LedgerError
from db.home import Link
from db.registry.dto import FilterOptions, StudentQuery, StudentRow
from db.registry.service import SORT_COLUMNS
from desktop.context import AppContext
from desktop.dialogs.assessment_gaps import AssessmentGapsDialog
from desktop.dialogs.household_form import HouseholdFormDialog
from desktop.dialogs.student_form import StudentFormDialog
from desktop.errors import show_error
from desktop.pages.base import Page
from desktop.printing import print_document, print_menu_button
from resources.qt import icon
from widgets.search_box import SearchBox
from widgets.table_model import PAGE_SIZE, LazyTableModel
from widgets.table_view import LedgerTableView

COLUMNS = [
    ("name", "姓名"), ("gender", "性别"), ("id_number", "身份证号"), ("student_no", "学籍号"),
    ("birth_date", "出生年月"), ("stage", "学段"), ("grade", "年级"), ("class_name", "班级"),
    ("residence", "寄宿/走读"), ("enrolment", "在校状态"), ("difficulty_level", "认定等级"),
    ("categories", "资助对象类别"), ("head_name", "户主"), ("relation_to_head", "与户主关系"),
    ("township", "乡镇"), ("village", "村（社区）"), ("phone", "联系电话"), ("bank_name", "开户银行"),
    ("bank_card_no", "银行卡号"),
]
HIDDEN_BY_DEFAULT = {"student_no", "birth_date", "residence", "relation_to_head", "phone", "bank_name",
                     "bank_card_no"}
WIDTHS = {"name": 80, "gender": 44, "id_number": 165, "student_no": 175, "birth_date": 76, "stage": 64,
          "grade": 80, "class_name": 52, "residence": 72, "enrolment": 72, "difficulty_level": 76,
          "categories": 150, "head_name": 70, "township": 80, "village": 80, "phone": 110,
          "bank_card_no": 170}
# (StudentQuery field, label shown when nothing is chosen)
FILTERS = [("stage", "全部学段"), ("grade", "全部年级"), ("class_name", "全部班级"), ("township", "全部乡镇"),
           ("village", "全部村"), ("category", "全部类别"), ("difficulty_level", "全部等级"),
           ("enrolment", "全部状态")]
PLACEHOLDER = "姓名 / 身份证号 / 学籍号 / 户主 / 村，拼音首字母也可"


class StudentsPage(Page):
    title = "学生名册"
    icon = "students"
    ledger = "registry"
    settings_key = "students"

    rowsLoaded = Signal(int)          # first page of a query is in the model (its length)
    countLoaded = Signal(int)

    def __init__(self, ctx: AppContext, parent=None, *, sort_keys=None):
        super().__init__(ctx, parent)
        if sort_keys is None:
            sort_keys = SORT_COLUMNS.keys()
        self._token = 0
        self._keep: int | None = None       # the student to select after the next load
        self._query = StudentQuery()
        self.total: int | None = None

        self.search = SearchBox(PLACEHOLDER, self)
        self.search.setMinimumWidth(360)
        self.search.search.connect(self.search_now)
        self.new_button = QPushButton(icon("new"), "新建学生")
        self.edit_button = QPushButton(icon("edit"), "编辑")
        self.delete_button = QPushButton(icon("delete"), "删除")
        self.household_button = QPushButton(icon("household"), "新建家庭")
        self.new_button.clicked.connect(self.new_item)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.household_button.clicked.connect(self.new_household)
        self.print_button = print_menu_button(self, [("学生资助档案封面及目录", lambda: self.print_current("cover")),
                                                     ("家庭经济困难学生认定表", lambda: self.print_current("assessment"))])
        self.print_button.setToolTip("打印选中学生的文书；未选中时打印筛选出的班级")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for b in (self.new_button, self.edit_button, self.delete_button, self.household_button, self.print_button):
            top.addWidget(b)

        self.filters: dict[str, QComboBox] = {}
        frow = QHBoxLayout()
        frow.addWidget(QLabel("筛选："))
        for key, empty in FILTERS:
            combo = QComboBox(self)
            combo.addItem(empty, "")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(5)
            combo.currentIndexChanged.connect(self._filters_changed)
            self.filters[key] = combo
            frow.addWidget(combo)
        self.clear_filters_button = QPushButton("清除筛选")
        self.clear_filters_button.clicked.connect(self.clear_filters)
        frow.addWidget(self.clear_filters_button)
        frow.addStretch(1)
        self._fill_static_filters()

        self.model = LazyTableModel(COLUMNS, sortable=sort_keys, page_size=PAGE_SIZE, parent=self)
        self.model.sortRequested.connect(self._sort_requested)
        self.view = LedgerTableView(self)
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._header_clicked)
        self.view.copyRequested.connect(self.copy_selected)
        self.view.openRequested.connect(self.edit_selected)
        self.view.deleteRequested.connect(self.delete_selected)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        for i, (key, _h) in enumerate(COLUMNS):
            self.view.setColumnWidth(i, WIDTHS.get(key, 90))
            self.view.setColumnHidden(i, key in HIDDEN_BY_DEFAULT)

        self.count_label = QLabel("正在查询……")
        self.count_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        hint = QLabel("双击或按回车打开；Ctrl+C 复制选中行（可直接粘贴到 Excel/WPS）")
        hint.setStyleSheet("color: #555;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(hint)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(top)
        lay.addLayout(frow)
        lay.addWidget(self.view, 1)
        lay.addLayout(bottom)
        self.setFocusProxy(self.search)
        self._update_buttons()

    # ---- filters --------------------------------------------------------------------------------
    def _fill_static_filters(self) -> None:
        for key, values in (("stage", enums.values(enums.Stage)), ("category", enums.values(enums.Category)),
                            ("difficulty_level", enums.values(enums.DifficultyLevel)),
                            ("enrolment", enums.values(enums.Enrolment))):
            self._set_options(key, values)

    def _set_options(self, key: str, values) -> None:
        combo = self.filters[key]
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for v in values:
            combo.addItem(v, v)
        i = combo.findData(current)
        combo.setCurrentIndex(max(i, 0))
        combo.blockSignals(False)

    def load_filter_options(self) -> None:
        self.ctx.tasks.query(self.ctx.registry.filter_options, self._apply_filter_options,
                             self._show_error)

    def _apply_filter_options(self, opts: FilterOptions) -> None:
        self._set_options("grade", opts.grades)
        self._set_options("class_name", opts.classes)
        self._set_options("township", opts.townships)
        self._set_options("village", opts.villages)

    def _filters_changed(self, *_a) -> None:
        self.search_now()

    def clear_filters(self) -> None:
        for combo in self.filters.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_now()

    def set_filter(self, key: str, value: str) -> None:
        combo = self.filters[key]
        i = combo.findData(value)
        if i < 0:
            combo.addItem(value, value)
            i = combo.count() - 1
        combo.setCurrentIndex(i)

    # ---- querying -------------------------------------------------------------------------------
    def current_query(self, text: str | None = None) -> StudentQuery:
        q = dataclasses.replace(self._query, text=self.search.text().strip() if text is None else text)
        for key, combo in self.filters.items():
            setattr(q, key, combo.currentData() or "")
        return q

    def start(self) -> None:
        """First load: the first page, then (once the list is showing) the filter options."""
        def after_first(_n: int) -> None:
            self.countLoaded.disconnect(after_first)
            self.load_filter_options()
        self.countLoaded.connect(after_first)
        self.search_now()

    def search_now(self, text: str | None = None) -> int:
        """Run the query at once (no debounce). Returns its token; older results are dropped."""
        self._token += 1
        token = self._token
        q = self._query = self.current_query(text)
        self.count_label.setText("正在查询……")
        registry = self.ctx.registry
        self.ctx.tasks.query(lambda: registry.page(q, 0, PAGE_SIZE),
                             lambda rows: self._on_page(token, q, rows), self._show_error)
        return token

    def _on_page(self, token: int, q: StudentQuery, rows: list[StudentRow]) -> None:
        if token != self._token:
            return        # the user typed on: a newer query is running
        registry = self.ctx.registry
        self.model.reset_source(lambda off, lim: registry.page(q, off, lim), rows)
        self._select_kept()
        self.rowsLoaded.emit(len(rows))
        if len(rows) < PAGE_SIZE:       # the whole result is here: no need to count in SQL
            self._on_count(token, len(rows))
        else:
            self.ctx.tasks.query(lambda: registry.count(q), lambda n: self._on_count(token, n),
                                 self._show_error)

    def _select_kept(self, pages: int = 10) -> None:
        """After a save, the saved student stays selected (looked for in the first pages)."""
        keep, self._keep = self._keep, None
        if keep is None:
            return
        for _ in range(pages):
            row = next((i for i, r in enumerate(self.model.loaded_rows()) if r.id == keep), None)
            if row is not None:
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
                return
            if not self.model.canFetchMore():
                return
            self.model.fetchMore()

    def _on_count(self, token: int, n: int) -> None:
        if token != self._token:
            return
        self.total = n
        filtered = bool(self._query.text) or any(getattr(self._query, k) for k, _ in FILTERS)
        self.count_label.setText(f"共 {n:,} 人" + ("（已筛选）" if filtered else ""))
        self.countLoaded.emit(n)

    def _header_clicked(self, column: int, order: Qt.SortOrder) -> None:
        if self.model.is_sortable(column):
            self.model.sort(column, order)
            return
        keys = self.model.keys      # not sortable in SQL: put the indicator back
        h = self.view.horizontalHeader()
        h.blockSignals(True)
        h.setSortIndicator(keys.index(self._query.sort) if self._query.sort in keys else 0,
                           Qt.SortOrder.DescendingOrder if self._query.descending else Qt.SortOrder.AscendingOrder)
        h.blockSignals(False)
        self.status("该列不能排序")

    def _sort_requested(self, key: str, descending: bool) -> None:
        self._query = dataclasses.replace(self._query, sort=key, descending=descending)
        self.search_now()

    def _show_error(self, exc: BaseException) -> None:
        show_error(self, exc, "查询学生")

    def on_changes(self, changes: Changes) -> None:
        if changes.entities & {"student", "household", "school"}:
            self.load_filter_options()
            self.search_now()

    # ---- actions --------------------------------------------------------------------------------
    def selected_rows(self) -> list[StudentRow]:
        return self.view.selected_items()

    def _current_row(self) -> StudentRow | None:
        return self.view.current_item()

    def _update_buttons(self, *_a) -> None:
        has = bool(self.view.selected_rows())
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def main_table(self) -> LedgerTableView:
        return self.view

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def new_item(self) -> bool:
        self._open_student(None)
        return True

    def edit_selected(self) -> None:
        row = self._current_row()
        if row is not None:
            self._open_student(row.id)

    def _open_student(self, student_id: int | None) -> None:
        try:
            dlg = StudentFormDialog(self.ctx, student_id, self)
        except LedgerError as e:
            QMessageBox.warning(self, "无法打开", str(e))
            self.search_now()
            return
        dlg.householdsChanged.connect(self.changed.emit)
        if dlg.exec() and dlg.result_value is not None:
            self._keep = dlg.result_value.id            # selected again once the list is reloaded
            self.changed.emit(Changes(frozenset({"student"}), frozenset({dlg.result_value.id})))

    def open_link(self, link: Link) -> bool:
        """From the home page or 自查: a student's form (student=ID), the school year's 认定 still to do
        (assess=2020, state=未认定), or the list filtered (enrolment=转出, category=…, search=…)."""
        if link.arg("assess"):
            dlg = AssessmentGapsDialog(self.ctx, int(link.arg("assess")), self)
            dlg.state.setCurrentIndex(max(dlg.state.findData(link.arg("state")), 0))
            dlg.changed.connect(lambda sid: self.changed.emit(Changes(frozenset({"student"}), frozenset({sid}))))
            dlg.exec()
        elif link.arg("student"):
            self._open_student(int(link.arg("student")))
        else:
            for key in self.filters:
                if link.arg(key):
                    self.set_filter(key, link.arg(key))
            self.search.setText(link.arg("search"))
            self.search_now()
        return True

    def new_household(self) -> None:
        dlg = HouseholdFormDialog(self.ctx, None, self)
        if dlg.exec() and dlg.result_value is not None:
            self.changed.emit(Changes(frozenset({"household"}), frozenset({dlg.result_value.id})))

    def delete_selected(self) -> None:
        row = self._current_row()
        if row is None:
            return
        blocker = self.ctx.registry.deletion_blocker(row.id)
        if blocker:
            QMessageBox.information(self, "不能删除", blocker)
            return
        who = f"{row.name}（{row.id_number or '无身份证号'}，{row.grade}{row.class_name}）"
        answer = QMessageBox.question(
            self, "删除学生", f"确定删除学生 {who} 吗？\n\n删除记录会保存在操作日志中。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            changes = self.ctx.registry.delete_student(row.id)
        except LedgerError as e:
            QMessageBox.warning(self, "无法删除", str(e))
            return
        self.changed.emit(changes)

    # ---- printing -------------------------------------------------------------------------------
    def print_selection(self):
        """The selected students, else the class chosen in the filters; None (and a hint) otherwise."""
        rows = self.selected_rows()
        if rows:
            return Selection(student_ids=tuple(r.id for r in rows))
        grade, cls = self.filters["grade"].currentData(), self.filters["class_name"].currentData()
        if grade and cls:
            return Selection(class_name=f"{grade}{cls}")
        QMessageBox.information(self, "打印", "请先选中学生（可按住 Ctrl 或 Shift 多选），或在筛选中选择年级和班级。")
        return None

    def print_current(self, kind_name: str = "cover"):
        """Ctrl+P: the archive cover (or `kind_name`) of the selected students or the filtered class."""
        sel = self.print_selection()
        return print_document(self, self.ctx, kind_name, sel) if sel else None

    # ---- remembered layout ----------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue(f"{self.settings_key}/header", self.view.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        super().restore_state(settings)
        state = settings.value(f"{self.settings_key}/header")
        h = self.view.horizontalHeader()
        if state is not None:
            h.blockSignals(True)
            ok = h.restoreState(state)
            h.blockSignals(False)
            if ok and h.count() == len(COLUMNS) and self.model.is_sortable(h.sortIndicatorSection()):
                self._query = dataclasses.replace(
                    self._query, sort=COLUMNS[h.sortIndicatorSection()][0],
                    descending=h.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)
            else:
                h.blockSignals(True)
                h.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
                h.blockSignals(False)
