"""导出报送工作簿 / 导出公示名单: small option dialogs; the writing runs as a background task."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import ValidationError
from db.terms import parse_term, term_of
from desktop.context import AppContext
from desktop.errors import show_error

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


def _buttons(dlg: QDialog, ok_text: str) -> QDialogButtonBox:
    bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    bb.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    bb.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    bb.accepted.connect(dlg.accept)
    bb.rejected.connect(dlg.reject)
    return bb


def _term_edit(today: dt.date) -> QLineEdit:
    e = QLineEdit(term_of(today).short)
    e.setPlaceholderText("如 2020秋、2021春")
    e.setMaxLength(16)
    return e


class WorkbookOptions(QDialog):
    def __init__(self, parent=None, *, officer: str = "", today: dt.date | None = None):
        super().__init__(parent)
        self.setWindowTitle("导出报送工作簿")
        self.term_edit = _term_edit(today or dt.date.today())
        self.template_edit = QLineEdit()
        self.template_edit.setPlaceholderText("不选则按标准格式导出")
        self.template_edit.setMinimumWidth(320)
        browse = QPushButton("选择模板…")
        browse.clicked.connect(self._browse)
        clear = QPushButton("不用模板")
        clear.clicked.connect(self.template_edit.clear)
        trow = QHBoxLayout()
        trow.addWidget(self.template_edit, 1)
        trow.addWidget(browse)
        trow.addWidget(clear)
        self.filled_by_edit = QLineEdit(officer)
        form = QFormLayout()
        form.addRow("学期：", self.term_edit)
        form.addRow("县里的模板（可选）：", trow)
        form.addRow("填表人：", self.filled_by_edit)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel("工作簿包括封面汇总、学生名册、名单核对等工作表；身份证号、卡号均为文本格式。"))
        lay.addWidget(_buttons(self, "导出…"))

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "选择县里下发的模板", "", "Excel 工作簿 (*.xlsx)")
        if path:
            self.template_edit.setText(path)

    def values(self) -> tuple[str, str | None, str]:
        return self.term_edit.text().strip(), self.template_edit.text().strip() or None, \
            self.filled_by_edit.text().strip()


class NoticeOptions(QDialog):
    def __init__(self, parent=None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.setWindowTitle("导出公示名单")
        today = today or dt.date.today()
        self.term_edit = _term_edit(today)
        self.start_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.end_edit = QDateEdit(QDate(today.year, today.month, today.day).addDays(6))
        for e in (self.start_edit, self.end_edit):
            e.setCalendarPopup(True)
            e.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout()
        form.addRow("学期：", self.term_edit)
        form.addRow("公示开始日期：", self.start_edit)
        form.addRow("公示结束日期：", self.end_edit)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel("公示名单只含本学期有发放记录的学生：姓名、学校、年级、班级、资助项目、档次和金额，\n"
                             "不含资助对象类别、身份证号、住址、电话、银行卡号。\n"
                             "公示期不少于 5 个工作日（法定节假日不计，调休上班日计入）。"))
        lay.addWidget(_buttons(self, "导出…"))

    def values(self) -> tuple[str, dt.date, dt.date]:
        return self.term_edit.text().strip(), self.start_edit.date().toPython(), self.end_edit.date().toPython()


def _save_path(parent: QWidget, title: str, name: str) -> str:
    out, _f = QFileDialog.getSaveFileName(parent, title, name, XLSX_FILTER)
    if out and not out.lower().endswith(".xlsx"):
        out += ".xlsx"
    return out


def _check_term(parent: QWidget, term: str) -> str | None:
    try:
        return parse_term(term).short
    except (ValidationError, ValueError) as e:
        show_error(parent, e if isinstance(e, ValidationError) else ValidationError({"term": str(e)}), "学期")
        return None


def export_workbook_action(ctx: AppContext, parent: QWidget):
    """Ask for options and a file, then write the workbook in the background. Returns the Task."""
    info = ctx.school.get()
    dlg = WorkbookOptions(parent, officer=(info.officer if info else ""))
    if not dlg.exec():
        return None
    term, template, filled_by = dlg.values()
    term = _check_term(parent, term)
    if term is None:
        return None
    out = _save_path(parent, "导出报送工作簿", f"{(info.name if info else '') or '学校'}_{term}_资助报送.xlsx")
    if not out:
        return None
    def work(progress, cancelled):
        return ctx.exchange.export_workbook(out, term=term, template=template, filled_by=filled_by,
                                            progress=progress, cancelled=cancelled)

    def done(r) -> None:
        msg = f"已导出到：\n{r.path}\n\n学生 {r.students} 人。"
        if r.unmapped_headers:
            msg += f"\n\n模板中以下列无法对应，已留空：{'、'.join(r.unmapped_headers)}"
        QMessageBox.information(parent, "导出报送工作簿", msg)
    return ctx.tasks.run(work, parent=parent, title="正在导出报送工作簿……", write=False, on_done=done,
                         on_error=lambda e: show_error(parent, e, "导出报送工作簿"))


def export_notice_action(ctx: AppContext, parent: QWidget):
    dlg = NoticeOptions(parent)
    if not dlg.exec():
        return None
    term, start, end = dlg.values()
    term = _check_term(parent, term)
    if term is None:
        return None
    out = _save_path(parent, "导出公示名单", f"资助公示名单_{term}.xlsx")
    if not out:
        return None
    def done(r) -> None:
        QMessageBox.information(parent, "导出公示名单", f"已导出到：\n{r.path}\n\n共 {r.students} 人、{r.lines} 项；"
                                f"公示期 {r.working_days} 个工作日。")
    return ctx.tasks.run(lambda progress, cancelled: ctx.aid.export_notice(out, start=start, end=end, term=term),
                         parent=parent, title="正在导出公示名单……", write=False, cancellable=False, on_done=done,
                         on_error=lambda e: show_error(parent, e, "导出公示名单"))
