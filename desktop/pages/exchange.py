"""名单交换: county lists in (import wizard, pushed-list reconciliation) and the workbooks out."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from db.changes import Changes
from db.home import Link
from desktop.context import AppContext
from desktop.dialogs.import_wizard import ImportWizard
from desktop.pages.base import Page
from desktop.pages.exchange_export import export_notice_action, export_workbook_action
from desktop.pages.exchange_recon import LIST_FILTER, ReconcilePanel
from widgets.file_drop import SUFFIXES, dropped_file


class ExchangePage(Page):
    title = "名单交换"
    icon = "exchange"
    ledger = "exchange"
    accepts_files = True
    settings_key = "exchange"

    wizardOpened = Signal(object)         # the ImportWizard, before it is shown

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.wizard = None
        self.setAcceptDrops(True)

        self.import_button = QPushButton("导入学生名单…")
        self.import_button.setMinimumHeight(34)
        self.import_button.clicked.connect(self.choose_file)
        self.drop_label = QLabel("也可以把 Excel / WPS 表格（.xlsx .xls .csv）直接拖到这里。"
                                 "导入前会先预览：哪些行能导入、哪些有问题、哪些学生的信息会被更新。")
        self.drop_label.setWordWrap(True)
        box_in = QGroupBox("导入县里或班主任的学生名单")
        li = QHBoxLayout(box_in)
        li.addWidget(self.import_button)
        li.addWidget(self.drop_label, 1)

        self.workbook_button = QPushButton("导出报送工作簿…")
        self.notice_button = QPushButton("导出公示名单…")
        self.workbook_button.clicked.connect(self.export_workbook)
        self.notice_button.clicked.connect(self.export_notice)
        box_out = QGroupBox("报送与公示")
        lo = QHBoxLayout(box_out)
        lo.addWidget(self.workbook_button)
        lo.addWidget(self.notice_button)

        top = QHBoxLayout()
        top.addWidget(box_in, 3)
        top.addWidget(box_out, 1)

        self.recon = ReconcilePanel(ctx, self)
        self.recon.studentChanged.connect(self.changed.emit)
        self.recon.caseOpened.connect(lambda case_id: self.changed.emit(
            Changes(frozenset({"dropout", "student"}), frozenset({case_id}))))
        box_recon = QGroupBox("系统推送名单核对（按身份证号与本校名册逐人比对）")
        lr = QVBoxLayout(box_recon)
        lr.setContentsMargins(6, 6, 6, 6)
        lr.addWidget(self.recon)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(top)
        lay.addWidget(box_recon, 1)
        self._started = False

    def open_link(self, link: Link) -> bool:
        """From the home page: a group of the reconciliation (group=not_at_school / not_on_list / different)."""
        keys = list(self.recon.tables)
        if link.arg("group") in keys:
            self.recon.tabs.setCurrentIndex(keys.index(link.arg("group")))
        return True

    def start(self) -> None:
        if not self._started:
            self._started = True
            self.recon.refresh_lists()

    def showEvent(self, event) -> None:
        self.start()
        super().showEvent(event)

    def on_changes(self, changes: Changes) -> None:
        if self._started and changes.entities & {"student", "household", "county_list"}:
            self.recon.refresh_lists()

    # ---- import ---------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, "选择学生名单", "", LIST_FILTER)
        if path:
            self.open_file(path)

    def open_file(self, path) -> None:
        """Open the import wizard on a file (from the button, a drop on this page or on the window)."""
        p = Path(path)
        if not p.is_file():
            QMessageBox.warning(self, "导入学生名单", f"找不到文件“{p}”")
            return
        if p.suffix.lower() not in SUFFIXES:
            QMessageBox.warning(self, "导入学生名单", f"“{p.name}”不是表格文件，只能导入 .xlsx、.xls 或 .csv 文件")
            return
        self.wizard = ImportWizard(self.ctx, p, self)
        self.wizard.changed.connect(self.changed.emit)
        self.wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.wizard.destroyed.connect(self._wizard_gone)
        self.wizardOpened.emit(self.wizard)
        self.wizard.open()

    def _wizard_gone(self, *_a) -> None:
        self.wizard = None

    def dragEnterEvent(self, event) -> None:
        if dropped_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event) -> None:
        path = dropped_file(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.open_file(path)

    # ---- export ---------------------------------------------------------------------------------
    def export_workbook(self):
        return export_workbook_action(self.ctx, self)

    def export_notice(self):
        return export_notice_action(self.ctx, self)

