"""导入学生名单: a two-step wizard on the Qt-free importer.

Step 1 (对应列): the sheet, the detected header row, and a combo per source column (the remembered or
guessed field pre-filled). Step 2 (预览): counts, problems, duplicates, students that would be updated
(one check box each), then 导入 as one background transaction with progress and 取消.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.changes import Changes
from db.exchange.mapping import FIELD_LABELS
from db.exchange.reader import Cancelled, column_letter
from desktop.context import AppContext
from desktop.dialogs.import_preview import PreviewStep, item, make_table, shown_value
from desktop.errors import show_error

__all__ = ["ImportWizard", "item", "make_table", "shown_value"]

IGNORE = ""                       # combo data of 不导入


class ImportWizard(PreviewStep, QDialog):
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

    # ---- step 2: preview (PreviewStep) -----------------------------------------------------------
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
