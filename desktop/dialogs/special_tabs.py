"""The tabs of a special-needs file under the child's tab: each a list of records with 新增/编辑/删除
(assessments, placement history, plans, 送教上门 visits, 免于学习), and the attachments' thumbnails.
Each record is saved by its own form at once (the audit log has one entry per record)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import LedgerError
from db.special.dto import AssessmentForm, ExemptionForm, HomeVisitForm, PlacementForm, PlanForm
from db.special.rules import school_year_of
from db.terms import term_of
from desktop.context import AppContext
from desktop.dialogs.special_forms import RecordForm
from desktop.dialogs.special_records import ASSESSMENT, EXEMPTION, PlanDialog, VisitDialog, placement_fields
from desktop.errors import show_error

Column = tuple[str, Callable[[object], str], int]          # header, text of a row, width


def d(day) -> str:
    return f"{day:%Y-%m-%d}" if isinstance(day, dt.date) else (day or "")


class RecordTab(QWidget):
    """A list of one kind of record of the file, with its buttons."""
    changed = Signal()

    def __init__(self, columns: Sequence[Column], load: Callable[[], list], edit: Callable[[object | None], bool],
                 delete: Callable[[object], None], what: str, note: str = "", parent=None):
        super().__init__(parent)
        self.columns, self._load, self._edit, self._delete, self.what = list(columns), load, edit, delete, what
        self.rows: list = []
        self.table = QTableWidget(0, len(self.columns), self)
        self.table.setHorizontalHeaderLabels([c[0] for c in self.columns])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        for i, (_h, _f, w) in enumerate(self.columns):
            self.table.setColumnWidth(i, w)
        self.table.horizontalHeader().setSectionResizeMode(len(self.columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.new_button, self.edit_button, self.delete_button = QPushButton(f"新增{what}…"), QPushButton("编辑…"), \
            QPushButton("删除")
        self.new_button.clicked.connect(lambda: self.edit(new=True))
        self.edit_button.clicked.connect(lambda: self.edit())
        self.delete_button.clicked.connect(self.delete)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.note, 1)
        for b in (self.new_button, self.edit_button, self.delete_button):
            self.buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(self.buttons)
        lay.addWidget(self.table, 1)

    def reload(self) -> None:
        try:
            self.rows = self._load()
        except LedgerError as e:
            show_error(self, e, "查询")
            return
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, (_h, text, _w) in enumerate(self.columns):
                item = QTableWidgetItem(text(row))
                item.setToolTip(item.text())
                self.table.setItem(r, c, item)

    def current(self):
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def edit(self, *, new: bool = False) -> bool:
        row = None if new else self.current()
        if not new and row is None:
            return False
        if self._edit(row):
            self.reload()
            self.changed.emit()
            return True
        return False

    def delete(self) -> bool:
        row = self.current()
        if row is None:
            return False
        answer = QMessageBox.question(self, f"删除{self.what}",
                                      f"确定删除选中的{self.what}吗？删除后只在操作日志中留有记录。",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self._delete(row)
        except LedgerError as e:
            show_error(self, e, "删除")
            return False
        self.reload()
        self.changed.emit()
        return True


def _run(dialog) -> bool:
    return bool(dialog.exec() and dialog.result_value is not None)


def assessments_tab(ctx: AppContext, file_id: int, parent) -> RecordTab:
    svc = ctx.special
    return RecordTab(
        [("评估日期", lambda a: d(a.assessed_on), 90), ("建议安置", lambda a: a.recommended, 130),
         ("下次复评", lambda a: d(a.next_review), 90), ("评估专家", lambda a: a.members, 200),
         ("评估结论", lambda a: a.conclusion, 200)],
        lambda: svc.assessments(file_id),
        lambda a: _run(RecordForm("评估记录", ASSESSMENT, a or AssessmentForm(file_id=file_id), svc.save_assessment,
                                  parent)),
        lambda a: svc.delete_assessment(a.id), "评估", "县残疾人教育专家委员会的评估，每次一条（可多年）。", parent)


def placements_tab(ctx: AppContext, file_id: int, parent) -> RecordTab:
    svc = ctx.special

    def edit(p):
        fields = placement_fields(svc.assessments(file_id))
        return _run(RecordForm("安置决定", fields, p or PlacementForm(file_id=file_id), svc.save_placement, parent))
    return RecordTab(
        [("安置日期", lambda p: d(p.since), 90), ("安置方式", lambda p: p.placement, 140),
         ("安置学校/机构", lambda p: p.place, 150), ("决定单位", lambda p: p.decided_by, 170),
         ("依据/原因", lambda p: p.reason, 200)],
        lambda: svc.placements(file_id), edit, lambda p: svc.delete_placement(p.id), "安置",
        "最上面一条是现在的安置方式；变更安置时新增一条，原来的保留为历史。", parent)


def plans_tab(ctx: AppContext, file_id: int, parent, today: dt.date) -> RecordTab:
    svc = ctx.special
    new = PlanForm(file_id=file_id, term=term_of(today).short, made_on=today)
    return RecordTab(
        [("学期", lambda p: p.term, 70), ("制定日期", lambda p: d(p.made_on), 90), ("负责教师", lambda p: p.teachers, 130),
         ("复查日期", lambda p: d(p.review_on), 90), ("已复查", lambda p: d(p.reviewed_on), 90),
         ("目标", lambda p: "；".join(f"{g.area}：{g.goal}" for g in p.goals), 300)],
        lambda: svc.plans(file_id), lambda p: _run(PlanDialog(ctx, p or new, parent)),
        lambda p: svc.delete_plan(p.id), "方案",
        "个别化教育方案，每学期一份：按领域写目标、措施和负责教师，学期末复查。", parent)


def visits_tab(ctx: AppContext, file_id: int, parent, today: dt.date) -> RecordTab:
    svc = ctx.special
    tab = RecordTab(
        [("日期", lambda v: d(v.visit_date), 90), ("学期", lambda v: v.term, 120),
         ("送教教师", lambda v: f"{v.teacher1}、{v.teacher2}", 130), ("时长", lambda v: f"{v.minutes} 分钟", 60),
         ("照片", lambda v: str(v.photos) if v.photos else "", 40), ("家长签字", lambda v: {True: "已签", False: "未签"}.get(
             v.parent_signed, ""), 60), ("送教内容", lambda v: v.content, 260)],
        lambda: svc.home_visits(file_id),
        lambda v: _edit_visit(ctx, file_id, v, parent, today), lambda v: svc.delete_home_visit(v.id), "送教记录",
        "", parent)
    tab.refresh_note = lambda: tab.note.setText(_visit_note(ctx, file_id, today))
    tab.changed.connect(tab.refresh_note)
    tab.refresh_note()
    return tab


def _edit_visit(ctx: AppContext, file_id: int, v, parent, today: dt.date) -> bool:
    if v is None:
        form = HomeVisitForm(file_id=file_id, visit_date=today)
    else:
        form = HomeVisitForm(v.id, v.file_id, v.visit_date, v.teacher1, v.teacher2, v.minutes, v.content, v.progress,
                             v.parent_remarks, v.parent_signed)
    return _run(VisitDialog(ctx, form, parent))


def _visit_note(ctx: AppContext, file_id: int, today: dt.date) -> str:
    due = next((x for x in ctx.special.home_teaching_due(today) if x.file_id == file_id), None)
    if due is None:
        return "这名儿童现在不是送教上门安置；送教记录仍可登记。"
    late = f"，已逾期 {due.overdue_days} 天" if due.overdue_days else ""
    return (f"每 {due.every_days} 天送教一次；本学期已送教 {due.done} 次（应约 {due.expected} 次，缺 {due.missed} 次），"
            f"下次应在 {due.next_due:%Y-%m-%d}{late}。")


def exemptions_tab(ctx: AppContext, file_id: int, parent, today: dt.date) -> RecordTab:
    svc = ctx.special
    new = ExemptionForm(file_id=file_id, school_year=school_year_of(today))
    return RecordTab(
        [("学年", lambda x: x.school_year, 90), ("诊断医院", lambda x: x.hospital, 140),
         ("审批单位", lambda x: x.approved_by, 120), ("审批日期", lambda x: d(x.approved_on), 90),
         ("复核到期", lambda x: d(x.review_due), 90), ("复核结果", lambda x: x.review_result, 200)],
        lambda: svc.exemptions(file_id),
        lambda x: _run(RecordForm("免于学习", EXEMPTION, x or new, svc.save_exemption, parent)),
        lambda x: svc.delete_exemption(x.id), "学年",
        "免于学习须有医院诊断、专家委员会评估和监护人申请，经审批后登记；每学年复核一次。", parent)
