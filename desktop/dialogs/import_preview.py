"""The preview step of the import wizard (预览): counts, problems, duplicates, the questions the
importer asks instead of guessing, what each column and value was taken to mean, and the students
that would be updated (one check box each). Also the small table helpers the exchange screens share."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.validators import mask_id

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



class PreviewStep:
    """The wizard's second page, as a mixin of ImportWizard (it shares the wizard's state)."""

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
        self.question_table = make_table(["需要您确定的问题", "您的回答"], [760, 200])
        self.question_table.setWordWrap(True)
        self.columns_label = QLabel()
        self.columns_label.setWordWrap(True)
        self.meaning_table = make_table(["列", "文件中的写法", "导入为", "行数"], [200, 220, 360, 60])
        cols = QWidget()
        cl = QVBoxLayout(cols)
        cl.setContentsMargins(4, 4, 4, 4)
        cl.addWidget(self.columns_label)
        cl.addWidget(self.meaning_table, 1)
        self.tabs.addTab(self.question_table, "待确认")
        self.tabs.addTab(cols, "列与取值")
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
            + (f"　无变化 {p.unchanged} 人" if p.unchanged else "")
            + (f"<br><b style='color:#e65100'>有 {len(p.questions)} 个问题需要您确定（见“待确认”）</b>"
               if p.questions else ""))
        self._show_school_year(p)
        self._fill_problems(p)
        self._fill_duplicates(p)
        self._fill_updates(p)
        self.notes_label.setText("\n".join(p.notes) or "没有提示。")
        self.tabs.setTabText(0, f"问题（{len(p.problems)}）")
        self.tabs.setTabText(1, f"重复（{len(p.duplicates)}）")
        self.tabs.setTabText(2, f"更新已有学生（{len(p.updates)}）")
        self._fill_questions(p)
        self._fill_columns(p)
        self.tabs.setTabText(3, f"待确认（{len(p.questions)}）")
        self.tabs.setTabText(4, f"列与取值（未导入 {len(p.unused_columns)} 列）")
        self.tabs.setTabText(5, f"文件提示（{len(p.notes)}）")
        self.tabs.setCurrentIndex(3 if p.questions else 0 if p.problems or not p.updates else 2)
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
            if u.household_changes:
                changes += ("；" if changes else "") + "家庭：" + "；".join(
                    f"{ch.label}：{shown_value(ch.field, ch.old) or '（空）'} → {shown_value(ch.field, ch.new)}"
                    for ch in u.household_changes)
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

    def _fill_questions(self, p) -> None:
        """One row per question, with a choice box; the choice is the answer the import uses."""
        t = self.question_table
        t.setRowCount(len(p.questions))
        self.answer_combos: list[QComboBox] = []
        for r, q in enumerate(p.questions):
            t.setItem(r, 0, item(q.text))
            combo = QComboBox()
            for answer, label in q.choices:
                combo.addItem(label, answer)
            combo.setCurrentIndex(max(combo.findData(q.answer), 0))
            combo.currentIndexChanged.connect(lambda _i, q=q, combo=combo: setattr(q, "answer", combo.currentData()))
            t.setCellWidget(r, 1, combo)
            self.answer_combos.append(combo)
        t.resizeRowsToContents()

    def answer(self, row: int, answer: str) -> None:
        combo = self.answer_combos[row]
        combo.setCurrentIndex(max(combo.findData(answer), 0))

    def _fill_columns(self, p) -> None:
        self.columns_label.setText(
            f"以下列没有导入（不对应台账的任何字段）：{'、'.join(p.unused_columns)}。如其中有需要的，请返回上一步指定。"
            if p.unused_columns else "文件的每一列都已对应到台账字段。")
        t = self.meaning_table
        t.setRowCount(len(p.value_meanings))
        for r, v in enumerate(p.value_meanings):
            warn = "#e65100" if "待您确定" in v.meaning or "不能识别" in v.meaning else None
            for c, x in enumerate((v.column, v.value, v.meaning, v.rows)):
                t.setItem(r, c, item(x, color=warn if c == 2 else None, align_right=c == 3))
