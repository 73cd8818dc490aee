"""导出报送工作簿 / 导出公示名单: small option dialogs; the writing runs as a background task."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
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

from db.aid.notice import notice_period_problem
from db.errors import ValidationError
from db.terms import parse_term, term_of
from desktop.context import AppContext
from desktop.errors import show_error
from desktop.pages.base import Page
from widgets.date_edit import DateEdit
from widgets.form_base import ERROR_STYLE

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
TERM_KEY = "export/term"


def _buttons(dlg: QDialog, ok_text: str) -> QDialogButtonBox:
    bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    bb.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    bb.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    bb.accepted.connect(dlg.accept)
    bb.rejected.connect(dlg.reject)
    return bb


def _term_edit(today: dt.date, last: str = "") -> QLineEdit:
    e = QLineEdit(last or term_of(today).short)
    e.setPlaceholderText("如 2020秋、2021春")
    e.setMaxLength(16)
    return e


class _Options(QDialog):
    """An options dialog that checks what it can before it closes (the file dialog comes after)."""

    def _error_label(self) -> QLabel:
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        return self.error

    def problem(self) -> str | None:
        try:
            parse_term(self.term_edit.text().strip())
        except (ValidationError, ValueError) as e:
            return "；".join(e.problems.values()) if isinstance(e, ValidationError) else str(e)
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        super().accept()


class WorkbookOptions(_Options):
    def __init__(self, parent=None, *, officer: str = "", today: dt.date | None = None, last_term: str = ""):
        super().__init__(parent)
        self.setWindowTitle("导出报送工作簿")
        self.term_edit = _term_edit(today or dt.date.today(), last_term)
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
        lay.addWidget(self._error_label())
        lay.addWidget(_buttons(self, "导出…"))

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "选择县里下发的模板", "", "Excel 工作簿 (*.xlsx)")
        if path:
            self.template_edit.setText(path)

    def values(self) -> tuple[str, str | None, str]:
        return self.term_edit.text().strip(), self.template_edit.text().strip() or None, \
            self.filled_by_edit.text().strip()


class NoticeOptions(_Options):
    def __init__(self, parent=None, *, today: dt.date | None = None, last_term: str = ""):
        super().__init__(parent)
        self.setWindowTitle("导出公示名单")
        today = today or dt.date.today()
        self.term_edit = _term_edit(today, last_term)
        self.start_edit = DateEdit(today)
        self.end_edit = DateEdit(today + dt.timedelta(days=6))
        form = QFormLayout()
        form.addRow("学期：", self.term_edit)
        form.addRow("公示开始日期：", self.start_edit)
        form.addRow("公示结束日期：", self.end_edit)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel("公示名单只含本学期有发放记录的学生：姓名、学校、年级、班级、资助项目、档次和金额，\n"
                             "不含资助对象类别、身份证号、住址、电话、银行卡号。\n"
                             "公示期不少于 5 个工作日（法定节假日不计，调休上班日计入）。"))
        lay.addWidget(self._error_label())
        lay.addWidget(_buttons(self, "导出…"))

    def problem(self) -> str | None:
        start, end = self.start_edit.value(), self.end_edit.value()
        if start is None or end is None or self.start_edit.error or self.end_edit.error:
            return f"公示日期：{self.start_edit.error or self.end_edit.error}"
        return super().problem() or notice_period_problem(start, end)

    def values(self) -> tuple[str, dt.date, dt.date]:
        return self.term_edit.text().strip(), self.start_edit.value(), self.end_edit.value()


def _last_term(parent: QWidget) -> str:
    settings = parent.settings if isinstance(parent, Page) else None
    return str(settings.value(TERM_KEY) or "") if settings is not None else ""


def _remember_term(parent: QWidget, term: str) -> None:
    if isinstance(parent, Page) and parent.settings is not None:
        parent.settings.setValue(TERM_KEY, term)


def _save_path(parent: QWidget, title: str, name: str) -> str:
    """The save dialog opens in the folder used last (else Documents), never the program folder."""
    folder = parent.save_folder() if isinstance(parent, Page) else Path.home()
    out, _f = QFileDialog.getSaveFileName(parent, title, str(folder / name), XLSX_FILTER)
    if out and not out.lower().endswith(".xlsx"):
        out += ".xlsx"
    if out and isinstance(parent, Page):
        parent.remember_folder(Path(out).parent)
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
    dlg = WorkbookOptions(parent, officer=(info.officer if info else ""), last_term=_last_term(parent))
    if not dlg.exec():
        return None
    term, template, filled_by = dlg.values()
    term = _check_term(parent, term)
    if term is None:
        return None
    _remember_term(parent, term)
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
    dlg = NoticeOptions(parent, last_term=_last_term(parent))
    if not dlg.exec():
        return None
    term, start, end = dlg.values()
    term = _check_term(parent, term)
    if term is None:
        return None
    _remember_term(parent, term)
    out = _save_path(parent, "导出公示名单", f"资助公示名单_{term}.xlsx")
    if not out:
        return None
    def done(r) -> None:
        QMessageBox.information(parent, "导出公示名单", f"已导出到：\n{r.path}\n\n共 {r.students} 人、{r.lines} 项；"
                                f"公示期 {r.working_days} 个工作日。")
    return ctx.tasks.run(lambda progress, cancelled: ctx.aid.export_notice(out, start=start, end=end, term=term),
                         parent=parent, title="正在导出公示名单……", write=False, cancellable=False, on_done=done,
                         on_error=lambda e: show_error(parent, e, "导出公示名单"))
