"""系统推送名单核对: import the county's pushed list, compare it with the roll, record follow-ups."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.changes import Changes
from db.dropout.dto import CaseForm, State
from db.exchange.dto import GROUPS, PENDING, Reconciliation, ReconLine
from db.exchange.reconcile import DEFAULT_KIND
from db.validators import mask_id
from desktop.context import AppContext
from desktop.dialogs.import_wizard import item, make_table
from desktop.dialogs.student_form import StudentFormDialog
from desktop.errors import show_error
from widgets.date_edit import DateEdit

FOLLOW_UP_CASE = "已辍学（转控辍保学）"
LIST_FILTER = "表格文件 (*.xlsx *.xls *.csv);;所有文件 (*)"
# key -> (header, width); each group shows the columns that mean something for it, most useful first
COLUMNS = {"id": ("身份证号", 160), "name": ("姓名（名单）", 92), "school_name": ("本校姓名", 70),
           "grade": ("年级", 80), "class_name": ("班级", 50), "enrolment": ("在校状态", 70),
           "township": ("乡镇", 80), "village": ("村", 80), "head_name": ("户主", 64),
           "list_categories": ("名单类别", 110), "school_categories": ("本校类别", 140),
           "differences": ("差异说明", 300), "follow_up": ("跟进状态", 130), "follow_up_note": ("跟进说明", 220),
           "source_row": ("名单行号", 64)}
GROUP_COLUMNS = {
    "matched": ["id", "name", "grade", "class_name", "enrolment", "head_name", "township", "village",
                "list_categories", "school_categories", "source_row"],
    "not_at_school": ["id", "name", "follow_up", "follow_up_note", "head_name", "township", "village",
                      "list_categories", "differences", "source_row"],
    "not_on_list": ["id", "name", "grade", "class_name", "enrolment", "head_name", "township", "village",
                    "school_categories"],
    "different": ["id", "name", "school_name", "differences", "grade", "class_name", "list_categories",
                  "school_categories", "head_name", "village", "source_row"],
}
GROUP_COLORS = {"matched": "#2e7d32", "not_at_school": "#c62828", "not_on_list": "#e65100",
                "different": "#1565c0"}


def line_value(line: ReconLine, key: str):
    if key == "id":
        return mask_id(line.id_number)
    if key == "differences":
        return "；".join(line.differences)
    if key == "source_row":
        return line.source_row or ""
    return getattr(line, key)


class PushedListDialog(QDialog):
    """File, list date and kind of a pushed list."""

    def __init__(self, parent=None, path: str = ""):
        super().__init__(parent)
        self.setWindowTitle("导入系统推送名单")
        self.file_edit = QLineEdit(path)
        self.file_edit.setMinimumWidth(380)
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        frow = QHBoxLayout()
        frow.addWidget(self.file_edit, 1)
        frow.addWidget(browse)
        self.date_edit = DateEdit(dt.date.today())
        self.kind_combo = QComboBox()
        self.kind_combo.setEditable(True)
        self.kind_combo.addItems([DEFAULT_KIND, "脱贫家庭学龄人口", "农村低保家庭学龄人口", "残疾儿童少年"])
        form = QFormLayout()
        form.addRow("名单文件：", frow)
        form.addRow("名单日期：", self.date_edit)
        form.addRow("名单类型：", self.kind_combo)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.button(QDialogButtonBox.StandardButton.Ok).setText("导入")
        bb.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        bb.accepted.connect(self._accept)
        bb.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel("名单按身份证号与本校名册逐人比对；名单本身会连同日期和来源一起保存。"))
        lay.addWidget(bb)

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "选择县里推送的名单", self.file_edit.text(), LIST_FILTER)
        if path:
            self.file_edit.setText(path)

    def _accept(self) -> None:
        if not Path(self.file_edit.text().strip()).is_file():
            QMessageBox.warning(self, "导入系统推送名单", "请选择名单文件")
            return
        if self.date_edit.value() is None:
            QMessageBox.warning(self, "导入系统推送名单", f"名单日期：{self.date_edit.error}")
            return
        self.accept()

    def values(self) -> tuple[str, dt.date, str]:
        return self.file_edit.text().strip(), self.date_edit.value(), self.kind_combo.currentText()


class ReconcilePanel(QWidget):
    loaded = Signal(object)           # Reconciliation shown
    followUpSaved = Signal(int)       # entry id
    studentChanged = Signal(object)   # Changes: a student was edited from here
    caseOpened = Signal(int)          # dropout case id

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rec: Reconciliation | None = None
        self._reselect: int | None = None
        self.import_button = QPushButton("导入推送名单…")
        self.import_button.clicked.connect(lambda: self.import_list())
        self.list_combo = QComboBox()
        self.list_combo.setMinimumContentsLength(36)
        self.list_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.list_combo.activated.connect(lambda _i: self.load())
        self.export_button = QPushButton("导出核对结果…")
        self.export_button.clicked.connect(self.export)
        self.delete_button = QPushButton("删除名单")
        self.delete_button.setToolTip("删除选中的推送名单及其跟进记录（导错了文件时用）")
        self.delete_button.clicked.connect(self.delete_list)
        top = QHBoxLayout()
        top.addWidget(QLabel("名单："))
        top.addWidget(self.list_combo, 1)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        top.addWidget(self.delete_button)
        self.summary = QLabel("还没有导入县里推送的名单。")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.tabs = QTabWidget()
        self.tables = {}
        for key, title in GROUPS.items():
            keys = GROUP_COLUMNS[key]
            t = make_table([COLUMNS[k][0] for k in keys], [COLUMNS[k][1] for k in keys])
            t.setSortingEnabled(False)
            self.tables[key] = t
            self.tabs.addTab(t, title)
        self.tables["not_at_school"].itemSelectionChanged.connect(self._selection_changed)
        for key, t in self.tables.items():
            t.itemDoubleClicked.connect(lambda it, key=key: self.open_line(key, it.row()))
        self.tabs.currentChanged.connect(lambda _i: self._selection_changed())

        self.follow_box = QGroupBox("跟进（“名单内但不在本校”的孩子：在外地就读、辍学、非本校……）")
        self.status_combo = QComboBox()
        self.status_combo.setMinimumContentsLength(12)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("跟进说明，例如：在江苏昆山某小学就读，已电话核实")
        self.save_button = QPushButton("保存跟进")
        self.save_button.clicked.connect(self.save_follow_up)
        self.case_button = QPushButton("建控辍保学个案")
        self.case_button.setToolTip("这名孩子不在任何学校（失学或辍学）：建立控辍保学个案（辍学），再到“控辍保学”登记劝返")
        self.case_button.clicked.connect(self.open_dropout_case)
        self.who_label = QLabel("请在上表选中一名孩子")
        fl = QHBoxLayout(self.follow_box)
        fl.addWidget(self.who_label)
        fl.addWidget(QLabel("状态："))
        fl.addWidget(self.status_combo)
        fl.addWidget(QLabel("说明："))
        fl.addWidget(self.note_edit, 1)
        fl.addWidget(self.save_button)
        fl.addWidget(self.case_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.follow_box)
        self._selection_changed()

    # ---- lists ----------------------------------------------------------------------------------
    def refresh_lists(self, select_id: int | None = None) -> None:
        svc = self.ctx.reconcile
        self.ctx.tasks.query(lambda: (svc.lists(), svc.follow_up_statuses()),
                             lambda res: self._lists_loaded(*res, select_id),
                             lambda e: show_error(self, e, "读取名单"))

    def _lists_loaded(self, lists, statuses, select_id) -> None:
        keep = select_id if select_id is not None else self.list_combo.currentData()
        self.list_combo.clear()
        for ls in lists:
            self.list_combo.addItem(f"{ls.list_date:%Y-%m-%d}　{ls.kind}　{ls.entries} 人　（{ls.source_file}）", ls.id)
        i = self.list_combo.findData(keep)
        self.list_combo.setCurrentIndex(i if i >= 0 else 0)
        self.status_combo.clear()
        self.status_combo.addItems(statuses)
        self.export_button.setEnabled(bool(lists))
        self.delete_button.setEnabled(bool(lists))
        if lists:
            self.load()
        else:
            self.rec = None
            for i, (key, title) in enumerate(GROUPS.items()):
                self.tables[key].setRowCount(0)
                self.tabs.setTabText(i, title)
            self._selection_changed()
            self.summary.setText("还没有导入县里推送的名单。点“导入推送名单…”选择县里下发的建档立卡等学龄人口名单。")

    def current_list_id(self) -> int | None:
        return self.list_combo.currentData()

    def load(self) -> None:
        list_id = self.current_list_id()
        if list_id is None:
            return
        self.ctx.tasks.query(lambda: self.ctx.reconcile.compare(list_id), self._show,
                             lambda e: show_error(self, e, "核对名单"))

    def _show(self, rec: Reconciliation) -> None:
        self.rec = rec
        counts = rec.counts
        parts = [f"{GROUPS[g]} <b style='color:{GROUP_COLORS[g]}'>{n}</b> 人" for g, n in counts.items()]
        pending = sum(1 for x in rec.not_at_school if x.follow_up == PENDING)
        self.summary.setText(f"{rec.list.kind}（{rec.list.list_date:%Y-%m-%d}，共 {rec.list.entries} 人）：　"
                             + "　".join(parts) + (f"　　<span style='color:#c62828'>待核实 {pending} 人</span>"
                                                    if pending else "")
                             + f"<br>“{GROUPS['not_on_list']}”只列名单所含类别（{rec.covers_text}）的学生；"
                               "双击一行打开该学生。")
        for i, (key, title, lines) in enumerate(rec.groups()):
            t = self.tables[key]
            t.setRowCount(len(lines))
            for r, line in enumerate(lines):
                for c, k in enumerate(GROUP_COLUMNS[key]):
                    v = line_value(line, k)
                    it = item(v, color="#c62828" if k == "follow_up" and v == PENDING else None)
                    if c == 0:
                        it.setData(Qt.ItemDataRole.UserRole, line.entry_id)
                    t.setItem(r, c, it)
            self.tabs.setTabText(i, f"{title}（{len(lines)}）")
        row, self._reselect = self._reselect, None
        if row is not None and row < len(rec.not_at_school):
            self.select_row("not_at_school", row)
        self._selection_changed()
        self.loaded.emit(rec)

    # ---- opening a student ----------------------------------------------------------------------
    def open_line(self, group: str, row: int) -> None:
        """Double-click: the student at our school opens in the student form; a child not at our
        school goes to the follow-up note."""
        lines = getattr(self.rec, group, []) if self.rec is not None else []
        line = lines[row] if 0 <= row < len(lines) else None
        if line is None:
            return
        if line.student_id is None:
            self.note_edit.setFocus()
            return
        dlg = StudentFormDialog(self.ctx, line.student_id, self)
        if dlg.exec() and dlg.result_value is not None:
            self.studentChanged.emit(Changes(frozenset({"student"}), frozenset({line.student_id})))
            self.load()

    # ---- follow-up ------------------------------------------------------------------------------
    def selected_line(self) -> ReconLine | None:
        if self.rec is None or self.tabs.currentWidget() is not self.tables["not_at_school"]:
            return None
        rows = {i.row() for i in self.tables["not_at_school"].selectedIndexes()}
        return self.rec.not_at_school[min(rows)] if rows else None

    def cell(self, group: str, row: int, key: str) -> str:
        """The text shown in a group's table, by column key (for tests and copying)."""
        return self.tables[group].item(row, GROUP_COLUMNS[group].index(key)).text()

    def select_row(self, group: str, row: int) -> None:
        self.tabs.setCurrentWidget(self.tables[group])
        self.tables[group].selectRow(row)

    def _selection_changed(self) -> None:
        line = self.selected_line()
        for w in (self.status_combo, self.note_edit, self.save_button, self.case_button):
            w.setEnabled(line is not None)
        self.follow_box.setVisible(self.tabs.currentWidget() is self.tables["not_at_school"])
        if line is None:
            self.who_label.setText("请在上表选中一名孩子")
            return
        self.who_label.setText(f"<b>{line.name}</b>（{mask_id(line.id_number)}）")
        i = self.status_combo.findText(line.follow_up)
        if i >= 0:
            self.status_combo.setCurrentIndex(i)
        self.note_edit.setText(line.follow_up_note)

    def save_follow_up(self) -> None:
        line = self.selected_line()
        if line is None or line.entry_id is None:
            return
        try:
            self.ctx.reconcile.set_follow_up(line.entry_id, self.status_combo.currentText(), self.note_edit.text())
        except Exception as e:
            show_error(self, e, "保存跟进")
            return
        self._reselect = self.rec.not_at_school.index(line)
        self.followUpSaved.emit(line.entry_id)
        self.load()

    def open_dropout_case(self) -> None:
        """名单上有、本校无: open a dropout case for the child in one action (辍学 from today) and mark the
        follow-up "已辍学（转控辍保学）" when that status is in use."""
        line = self.selected_line()
        if line is None or line.entry_id is None:
            return
        try:
            case = self.ctx.dropout.open_case(CaseForm(county_entry_id=line.entry_id, state=State.DROPPED,
                                                       opened_on=self.ctx.ctx.clock.today()))
        except Exception as e:
            show_error(self, e, "建立控辍保学个案")
            return
        self.caseOpened.emit(case.id)
        if FOLLOW_UP_CASE in self.ctx.reconcile.follow_up_statuses():
            try:
                note = f"已建控辍保学个案 {case.id}（{case.state}）"
                self.ctx.reconcile.set_follow_up(line.entry_id, FOLLOW_UP_CASE, note)
            except Exception as e:
                show_error(self, e, "保存跟进")
        QMessageBox.information(self, "建控辍保学个案", f"已为{case.name}建立控辍保学个案（{case.state}）。\n"
                                "请到“控辍保学”页面补充监护人、原因，并登记劝返。")
        self._reselect = self.rec.not_at_school.index(line)
        self.load()

    def delete_list(self) -> None:
        list_id = self.current_list_id()
        if list_id is None:
            return
        answer = QMessageBox.question(
            self, "删除名单", f"确定删除名单“{self.list_combo.currentText()}”吗？\n\n名单中的跟进状态和说明也会一起删除；"
            "本校名册不受影响。", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ctx.reconcile.delete_list(list_id)
        except Exception as e:
            show_error(self, e, "删除名单")
            return
        self.refresh_lists()

    # ---- import / export ------------------------------------------------------------------------
    def import_list(self, path: str = "") -> None:
        dlg = PushedListDialog(self, path)
        if not dlg.exec():
            return
        path, date, kind = dlg.values()
        self.start_import(path, date, kind)

    def start_import(self, path: str, date: dt.date, kind: str):
        svc = self.ctx.reconcile
        return self.ctx.tasks.run(
            lambda progress, cancelled: svc.import_pushed_list(path, list_date=date, kind=kind, cancelled=cancelled),
            parent=self, title="正在导入推送名单……", on_done=self._imported,
            on_error=lambda e: show_error(self, e, "导入推送名单"))

    def _imported(self, r) -> None:
        lines = [f"已导入 {r.imported} 人（文件“{r.file}”，工作表“{r.sheet}”，读取 {r.rows_read} 行）。"]
        if r.rejected:
            lines.append(f"\n{len(r.rejected)} 行未导入：")
            lines += [f"  第 {p.row} 行 {p.column}：{p.value}　{p.reason}" for p in r.rejected[:15]]
        if r.duplicates:
            lines.append(f"\n{len(r.duplicates)} 行重复：")
            lines += [f"  第 {p.row} 行：{p.reason}" for p in r.duplicates[:10]]
        if r.warnings:
            lines.append("\n提示：")
            lines += [f"  {w}" for w in r.warnings[:10]]
        QMessageBox.information(self, "导入推送名单", "\n".join(lines))
        self.refresh_lists(r.list_id)

    def export(self) -> None:
        list_id = self.current_list_id()
        if list_id is None:
            return
        name = f"名单核对结果_{dt.date.today():%Y%m%d}.xlsx"
        out, _f = QFileDialog.getSaveFileName(self, "导出核对结果", name, "Excel 工作簿 (*.xlsx)")
        if not out:
            return
        if not out.lower().endswith(".xlsx"):
            out += ".xlsx"
        svc = self.ctx.reconcile
        self.ctx.tasks.run(lambda progress, cancelled: svc.export_reconciliation(list_id, out), parent=self,
                           title="正在导出核对结果……", write=False, cancellable=False,
                           on_done=lambda p: QMessageBox.information(self, "导出核对结果", f"已导出到：\n{p}"),
                           on_error=lambda e: show_error(self, e, "导出核对结果"))
