"""导入学生名单: a two-step wizard on the Qt-free importer.

Step 1 (对应列): the sheet, the detected header row, and a combo per source column (the remembered or
guessed field pre-filled). Step 2 (预览): counts, problems, duplicates, students that would be updated
(one check box each), then 导入 as one background transaction with progress and 取消.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.changes import Changes
from db.exchange.mapping import FIELD_LABELS
from db.exchange.reader import Cancelled, column_letter
from db.validators import mask_id
from desktop.context import AppContext
from desktop.errors import show_error

IGNORE = ""                       # combo data of 不导入
SHOW_LIMIT = 2000                 # rows listed in a preview table (the export has them all)
KIND_LABELS = {"rejected": "拒绝", "warning": "警告", "conflict": "冲突", "same_person": "重复"}
KIND_COLORS = {"rejected": "#c62828", "conflict": "#c62828", "warning": "#e65100", "same_person": "#1565c0"}
_ID_FIELDS = {"id_number", "head_id_number"}
_SECRET_FIELDS = {"id_number", "head_id_number", "bank_card_no"}


def shown_value(fld: str, value: object) -> str:
    """A cell value for a table: ID and card numbers masked (a destroyed '3.41623E+17' stays readable)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)
    text = str(value)
    if fld in _SECRET_FIELDS and len(text) >= 15 and "E" not in text.upper().replace("X", ""):
        return mask_id(text)
    return text


def item(text: object, *, color: str | None = None, align_right: bool = False) -> QTableWidgetItem:
    it = QTableWidgetItem("" if text is None else str(text))
    if len(it.text()) > 16:
        it.setToolTip(it.text())
    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if color:
        it.setForeground(QColor(color))
    if align_right:
        it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return it


def make_table(headers: list[str], widths: list[int] | None = None) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setVisible(False)
    t.verticalHeader().setDefaultSectionSize(24)
    t.horizontalHeader().setStretchLastSection(True)
    for i, w in enumerate(widths or []):
        t.setColumnWidth(i, w)
    return t


class ImportWizard(QDialog):
    changed = Signal(object)          # db.registry.dto.Changes after a successful import
    tableLoaded = Signal()            # step 1 filled
    previewReady = Signal(object)     # ImportPreview
    importFinished = Signal(object)   # ImportResult, or the exception (cancel / failure)

    def __init__(self, ctx: AppContext, path, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.path = Path(path)
        self.table = None             # db.exchange.reader.Table of step 1 (no rows)
        self.preview = None           # ImportPreview of step 2
        self.import_result = None
        self.task = None
        self._closing = False
        self.setWindowTitle(f"导入学生名单 — {self.path.name}")
        self.resize(1180, 680)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_mapping_step())
        self.stack.addWidget(self._build_preview_step())
        self.back_button = QPushButton("上一步")
        self.next_button = QPushButton("下一步：预览")
        self.problems_button = QPushButton("导出问题行…")
        self.import_button = QPushButton("导入")
        self.close_button = QPushButton("关闭")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.run_preview)
        self.problems_button.clicked.connect(self.export_problems)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        self.next_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for b in (self.problems_button, self.next_button, self.import_button, self.close_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(self.stack, 1)
        lay.addLayout(buttons)
        self._show_step(0)
        self.load_table()

    # ---- step 1: sheet, header, mapping ---------------------------------------------------------
    def _build_mapping_step(self) -> QWidget:
        w = QWidget()
        self.file_label = QLabel(f"文件：<b>{self.path.name}</b>")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumContentsLength(12)
        self.sheet_combo.activated.connect(lambda _i: self.load_table(self.sheet_combo.currentText()))
        self.header_label = QLabel("正在读取表头……")
        self.mapping_hint = QLabel()
        self.mapping_hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.file_label)
        row.addSpacing(16)
        row.addWidget(QLabel("工作表："))
        row.addWidget(self.sheet_combo)
        row.addSpacing(16)
        row.addWidget(self.header_label)
        row.addStretch(1)
        self.mapping_table = make_table(["列", "文件中的列名", "导入为（台账字段）", "示例"], [50, 260, 220, 300])
        self.mapping_table.verticalHeader().setDefaultSectionSize(30)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(QLabel("请核对每一列要导入到哪个字段；不需要的列选“不导入”。下次导入同样格式的文件会自动使用这次的选择。"))
        lay.addWidget(self.mapping_table, 1)
        lay.addWidget(self.mapping_hint)
        return w

    def load_table(self, sheet: str | None = None) -> None:
        """Find the sheet and header (and the remembered mapping) on a worker thread."""
        exchange, path = self.ctx.exchange, self.path

        def work(progress, cancelled):
            return exchange.read_header(path, sheet=sheet, cancelled=cancelled)
        self.header_label.setText("正在读取表头……")
        self.task = self._run(work, parent=self, title="正在读取名单……", write=False,
                                       on_done=self._table_loaded, on_error=self._table_failed)

    def _table_loaded(self, res) -> None:
        self.table, sample = res
        t = self.table
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(t.sheets)
        self.sheet_combo.setCurrentText(t.sheet)
        self.sheet_combo.setEnabled(len(t.sheets) > 1)
        self.sheet_combo.blockSignals(False)
        self.header_label.setText(f"表头在第 <b>{t.header_row}</b> 行，共 {len(t.headers)} 列")
        cells = sample.cells if sample is not None else ()
        self.mapping_table.setRowCount(0)
        self.combos: list[QComboBox] = []
        for c, header in enumerate(t.headers):
            r = self.mapping_table.rowCount()
            self.mapping_table.insertRow(r)
            self.mapping_table.setItem(r, 0, item(column_letter(c)))
            hidden = "（隐藏列）" if c in t.hidden_columns else ""
            self.mapping_table.setItem(r, 1, item((header or "（无列名）") + hidden,
                                                  color="#e65100" if hidden else None))
            combo = QComboBox()
            combo.addItem("不导入", IGNORE)
            for fld, label in FIELD_LABELS.items():
                combo.addItem(label, fld)
            combo.setCurrentIndex(max(combo.findData(t.mapping.get(c, IGNORE)), 0))
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.combos.append(combo)
            self.mapping_table.setCellWidget(r, 2, combo)
            fld = t.mapping.get(c, "")
            self.mapping_table.setItem(r, 3, item(shown_value(fld, cells[c]) if c < len(cells) else ""))
        self._mapping_changed()
        self.tableLoaded.emit()

    def _table_failed(self, exc) -> None:
        self.header_label.setText("无法读取")
        show_error(self, exc, "读取名单")
        if self.table is None:
            self.reject()
            return
        self.sheet_combo.setCurrentText(self.table.sheet)     # keep showing the sheet that worked
        self.header_label.setText(f"表头在第 <b>{self.table.header_row}</b> 行，共 {len(self.table.headers)} 列")

    def mapping(self) -> dict[int, str]:
        return {c: combo.currentData() for c, combo in enumerate(getattr(self, "combos", []))
                if combo.currentData()}

    def set_field(self, column: int, fld: str) -> None:
        """Choose the field of a source column (`""` = 不导入)."""
        self.combos[column].setCurrentIndex(max(self.combos[column].findData(fld), 0))

    def _mapping_changed(self, *_a) -> None:
        m = self.mapping()
        fields = list(m.values())
        dup = sorted({FIELD_LABELS[f] for f in fields if fields.count(f) > 1})
        missing = []
        if "name" not in fields:
            missing.append("缺少“姓名”列")
        if not {"id_number", "student_no"} & set(fields):
            missing.append("缺少“身份证号”或“学籍号”列")
        if dup:
            missing.append(f"“{'”“'.join(dup)}”被选了不止一次")
        self.mapping_hint.setText(f"<span style='color:#c62828'>{'；'.join(missing)}</span>" if missing else
                                  f"将导入 {len(m)} 列。")
        self.next_button.setEnabled(not missing and self.table is not None)

    # ---- step 2: preview ------------------------------------------------------------------------
    def _build_preview_step(self) -> QWidget:
        w = QWidget()
        self.counts_label = QLabel()
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.setStyleSheet("font-size: 14px;")
        self.tabs = QTabWidget()
        self.problem_table = make_table(["工作表", "行", "列", "值", "类型", "原因"], [90, 50, 150, 170, 50, 560])
        self.dup_table = make_table(["行", "身份证号", "姓名", "情况"], [120, 170, 160, 400])
        self.update_table = make_table(["同意", "行", "姓名", "身份证号", "将要修改的内容（原值 → 新值）"],
                                       [44, 50, 80, 170, 600])
        self.update_table.setWordWrap(True)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.agree_all = QCheckBox("全部同意更新")
        self.agree_all.toggled.connect(self._agree_all)
        upd = QWidget()
        ul = QVBoxLayout(upd)
        ul.setContentsMargins(4, 4, 4, 4)
        ul.addWidget(QLabel("以下学生已在台账中，文件里的信息与台账不同。只更新勾选的学生；不勾选则保留台账原样。"))
        ul.addWidget(self.agree_all)
        ul.addWidget(self.update_table, 1)
        self.tabs.addTab(self.problem_table, "问题")
        self.tabs.addTab(self.dup_table, "重复")
        self.tabs.addTab(upd, "更新已有学生")
        self.tabs.addTab(self.notes_label, "文件提示")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet("color: #2e7d32; font-size: 14px;")
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.counts_label)
        lay.addWidget(self._build_school_year_row())
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.result_label)
        return w

    # issue 9: a list's 认定等级 are recorded as the assessments of a school year the officer confirms
    def _build_school_year_row(self) -> QWidget:
        self.school_year_box = QWidget()
        row = QHBoxLayout(self.school_year_box)
        row.setContentsMargins(0, 0, 0, 0)
        self.school_year = QSpinBox()
        self.school_year.setRange(2000, 2100)
        self.school_year.valueChanged.connect(lambda y: self.school_year.setSuffix(f"-{y + 1} 学年"))
        self.school_year_note = QLabel()
        row.addWidget(QLabel("名单中的“认定等级”记为"))
        row.addWidget(self.school_year)
        row.addWidget(QLabel("的家庭经济困难认定"))
        row.addWidget(self.school_year_note, 1)
        self.school_year_box.hide()
        return self.school_year_box

    def _show_school_year(self, p) -> None:
        self.school_year_box.setVisible(p.has_levels)
        if p.has_levels:
            self.school_year.setValue(p.school_year)
            self.school_year_note.setText(f"（默认取自{p.school_year_from}，请确认）")

    def run_preview(self) -> None:
        if self.table is None:
            return
        exchange, path, sheet, mapping = self.ctx.exchange, self.path, self.table.sheet, self.mapping()

        def work(progress, cancelled):
            return exchange.preview(path, sheet=sheet, mapping=mapping, cancelled=cancelled, progress=progress)
        self.next_button.setEnabled(False)
        self.task = self._run(work, parent=self, title="正在检查名单……", write=False,
                                       on_done=self._preview_done, on_error=self._preview_failed)

    def _preview_failed(self, exc) -> None:
        self._mapping_changed()
        show_error(self, exc, "检查名单")

    def _preview_done(self, p) -> None:
        self.preview = p
        self.import_result = None
        self.result_label.clear()
        dups = sum(len(d.rows) - 1 for d in p.duplicates if d.kind == "same_person")
        conflicts = sum(1 for d in p.duplicates if d.kind == "conflict")
        self.counts_label.setText(
            f"工作表“{p.sheet}”，表头第 {p.header_row} 行　　读取 <b>{p.rows_read}</b> 行　"
            f"可导入 <b style='color:#2e7d32'>{p.importable}</b> 人（新增 {len(p.new)}"
            + (f"，待确认更新 {len(p.updates)}" if p.updates else "") + "）　"
            f"有问题 <b style='color:#c62828'>{p.rejected}</b> 行　警告 <b style='color:#e65100'>{p.warnings}</b> 条　"
            f"重复 <b>{dups}</b> 行" + (f"　冲突 <b style='color:#c62828'>{conflicts}</b> 处" if conflicts else "")
            + (f"　无变化 {p.unchanged} 人" if p.unchanged else ""))
        self._show_school_year(p)
        self._fill_problems(p)
        self._fill_duplicates(p)
        self._fill_updates(p)
        self.notes_label.setText("\n".join(p.notes) or "没有提示。")
        self.tabs.setTabText(0, f"问题（{len(p.problems)}）")
        self.tabs.setTabText(1, f"重复（{len(p.duplicates)}）")
        self.tabs.setTabText(2, f"更新已有学生（{len(p.updates)}）")
        self.tabs.setTabText(3, f"文件提示（{len(p.notes)}）")
        self.tabs.setCurrentIndex(0 if p.problems or not p.updates else 2)
        self._show_step(1)
        self.previewReady.emit(p)

    def _fill_problems(self, p) -> None:
        t = self.problem_table
        shown = p.problems[:SHOW_LIMIT]
        t.setRowCount(len(shown))
        for r, pr in enumerate(shown):
            color = KIND_COLORS.get(pr.kind)
            col = f"{pr.column}（{pr.column_letter}列）" if pr.column else ""
            for c, v in enumerate((pr.sheet, pr.row, col, shown_value(pr.field, pr.value),
                                   KIND_LABELS.get(pr.kind, pr.kind), pr.reason)):    # the reason stretches
                t.setItem(r, c, item(v, color=color if c in (4, 5) else None, align_right=c == 1))
        if len(p.problems) > SHOW_LIMIT:
            self.result_label.setText(f"问题太多，只列出前 {SHOW_LIMIT} 条；点“导出问题行…”可得到全部被拒绝的行和原因。")

    def _fill_duplicates(self, p) -> None:
        t = self.dup_table
        t.setRowCount(len(p.duplicates))
        for r, d in enumerate(p.duplicates):
            what = ("同一人出现多次，只导入一次" if d.kind == "same_person"
                    else "身份证号相同但姓名不同，均未导入，请核对后改正")
            for c, v in enumerate(("、".join(map(str, d.rows)), mask_id(d.id_number),
                                   "、".join(dict.fromkeys(d.names)), what)):
                t.setItem(r, c, item(v, color="#c62828" if d.kind == "conflict" and c == 3 else None))

    def _fill_updates(self, p) -> None:
        t = self.update_table
        self.agree_all.blockSignals(True)
        self.agree_all.setChecked(False)
        self.agree_all.blockSignals(False)
        self.agree_all.setEnabled(bool(p.updates))
        self.agree_all.setText(f"全部同意更新（{len(p.updates)} 人）")
        t.setEnabled(True)
        t.setRowCount(min(len(p.updates), SHOW_LIMIT))
        for r, u in enumerate(p.updates[:SHOW_LIMIT]):
            box = QTableWidgetItem()
            box.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            box.setCheckState(Qt.CheckState.Unchecked)
            t.setItem(r, 0, box)
            changes = "；".join(f"{ch.label}：{shown_value(ch.field, ch.old) or '（空）'} → "
                               f"{shown_value(ch.field, ch.new)}" for ch in u.changes)
            for c, v in enumerate((u.row, u.name, mask_id(u.id_number), changes), 1):
                t.setItem(r, c, item(v))
        t.resizeRowsToContents()

    def _agree_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for r in range(self.update_table.rowCount()):
            self.update_table.item(r, 0).setCheckState(state)

    def agreed_updates(self) -> set[int]:
        """Student ids whose update the officer agreed to."""
        if self.preview is None:
            return set()
        shown = self.update_table.rowCount()      # rows past SHOW_LIMIT follow 全部同意
        return {u.student_id for r, u in enumerate(self.preview.updates)
                if (self.update_table.item(r, 0).checkState() == Qt.CheckState.Checked if r < shown
                    else self.agree_all.isChecked())}

    def set_agreed(self, row: int, on: bool = True) -> None:
        self.update_table.item(row, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    # ---- actions --------------------------------------------------------------------------------
    def export_problems(self) -> None:
        p = self.preview
        if p is None or not p.rejected_rows:
            QMessageBox.information(self, "导出问题行", "没有被拒绝的行。")
            return
        default = str(self.path.with_name(f"{self.path.stem}_问题行.xlsx"))
        out, _f = QFileDialog.getSaveFileName(self, "导出问题行", default, "Excel 工作簿 (*.xlsx)")
        if not out:
            return
        if not out.lower().endswith(".xlsx"):
            out += ".xlsx"
        self.task = self._run(lambda progress, cancelled: self.ctx.exchange.export_problems(p, out), parent=self,
                                       title="正在导出问题行……", write=False, cancellable=False,
                                       on_done=lambda n: QMessageBox.information(
                                           self, "导出问题行", f"已导出 {n} 行到：\n{out}\n\n改正后可再次导入。"),
                                       on_error=lambda e: show_error(self, e, "导出问题行"))

    def start_import(self):
        p = self.preview
        if p is None or self.import_result is not None:
            return None
        if p.importable == 0:
            QMessageBox.information(self, "导入", "没有可导入的行。")
            return None
        agreed = self.agreed_updates()
        exchange = self.ctx.exchange
        year = self.school_year.value() if p.has_levels else None

        def work(progress, cancelled):
            return exchange.run(p, apply_updates=agreed, cancelled=cancelled, progress=progress, school_year=year)
        self.import_button.setEnabled(False)
        self.back_button.setEnabled(False)
        self.task = self._run(work, parent=self, title="正在导入……", write=True,
                                       on_done=self._import_done, on_error=self._import_failed)
        return self.task

    def _import_done(self, r) -> None:
        self.import_result = r
        msg = (f"导入完成：新增 {r.imported} 人，更新 {r.updated} 人，新建家庭 {r.households_created} 户"
               + (f"；记入 {r.school_year}-{r.school_year + 1} 学年认定 {r.assessments} 人" if r.assessments else "")
               + (f"；{r.rejected} 行有问题未导入（可点“导出问题行…”改正后再导入）" if r.rejected else "") + "。")
        self.result_label.setText(msg)
        self.back_button.setEnabled(True)
        self.update_table.setEnabled(False)
        self.agree_all.setEnabled(False)
        self.close_button.setText("完成")
        self.changed.emit(Changes(frozenset({"student", "household"}), frozenset(r.changed_ids)))
        self.importFinished.emit(r)
        QMessageBox.information(self, "导入完成", msg)

    def _import_failed(self, exc) -> None:
        self.import_button.setEnabled(True)
        self.back_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self.result_label.setText("已取消导入，台账没有任何改动。")
            QMessageBox.information(self, "导入", "已取消，台账没有任何改动。")
        else:
            show_error(self, exc, "导入")
        self.importFinished.emit(exc)

    def _run(self, fn, *, on_done, on_error, **kw):
        """ctx.tasks.run, but a close asked for meanwhile waits until the task has ended (its
        callbacks need this dialog alive); the work itself is cancelled."""
        def wrap(cb):
            def call(value):
                if self._closing:
                    QDialog.reject(self)
                else:
                    cb(value)
            return call
        return self.ctx.tasks.run(fn, on_done=wrap(on_done), on_error=wrap(on_error), **kw)

    def busy(self) -> bool:
        return self.task is not None and not self.task.finished

    def reject(self) -> None:
        if self.busy():
            self._closing = True
            self.task.cancel()
            return
        super().reject()

    def go_back(self) -> None:
        self._show_step(0)

    def _show_step(self, i: int) -> None:
        self.stack.setCurrentIndex(i)
        self.back_button.setVisible(i == 1)
        self.next_button.setVisible(i == 0)
        self.problems_button.setVisible(i == 1)
        self.import_button.setVisible(i == 1)
        self.import_button.setEnabled(i == 1 and self.import_result is None)
        if i == 0:
            self._mapping_changed() if self.table is not None else self.next_button.setEnabled(False)
