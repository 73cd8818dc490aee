"""The forms of a file's records: assessment, placement, exemption (plain RecordForms), the plan with its
goals table, and the 送教上门 visit with its photos (added as attachments when the visit is saved)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QImageReader
from PySide6.QtWidgets import (
    QFileDialog,
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
from db.special import rules
from db.special.dto import GoalLine, HomeVisitForm, PlanForm
from desktop.context import AppContext
from desktop.dialogs.special_forms import Field, RecordForm
from widgets.combos import choice_combo, set_combo
from widgets.form_base import ERROR_STYLE
from widgets.thumb_list import ThumbItem, ThumbList

ASSESSMENT = [Field("assessed_on", "评估日期", "date"), Field("next_review", "下次复评日期", "date"),
              Field("members", "评估专家", wide=True, hint="县残疾人教育专家委员会成员，用、分隔"),
              Field("physical", "身体状况", "long"), Field("learning", "学习能力", "long"),
              Field("adaptability", "适应能力", "long"), Field("conclusion", "评估结论", "long"),
              Field("recommended", "建议安置方式", "choice", rules.PLACEMENTS),
              Field("guardian_signed_on", "监护人签字日期", "date"),
              Field("guardian_opinion", "监护人意见", wide=True, hint="如 同意评估意见")]
EXEMPTION = [Field("school_year", "有效学年", hint="如 2020-2021"), Field("review_due", "复核到期日", "date",
                                                                        hint="默认学年末 8 月 31 日"),
             Field("hospital", "诊断医院"), Field("diagnosed_on", "诊断日期", "date"),
             Field("diagnosis", "诊断结论", "long"), Field("assessed_on", "评估日期", "date"),
             Field("assessment_conclusion", "评估结论"), Field("applied_on", "监护人申请日期", "date"),
             Field("approved_by", "审批单位", "combo", ("县教育局", "县残疾人教育专家委员会")),
             Field("approved_on", "审批日期", "date"), Field("reviewed_on", "复核日期", "date"),
             Field("review_result", "复核结果", wide=True, hint="如 继续免于学习 / 转为送教上门")]
VISIT = [Field("visit_date", "送教日期", "date"), Field("minutes", "时长（分钟）", "int", hint="留空为统一设置"),
         Field("teacher1", "送教教师一"), Field("teacher2", "送教教师二"), Field("content", "送教内容", "long"),
         Field("progress", "目标进展", "long", hint="个别化教育方案目标的进展"),
         Field("parent_remarks", "家长意见", wide=True), Field("parent_signed", "家长已签字", "tri")]
PLAN = [Field("term", "学期", hint="如 2020秋"), Field("made_on", "制定日期", "date"),
        Field("teachers", "负责教师", wide=True, hint="如 张红梅、李建华"), Field("baseline", "现有水平", "long"),
        Field("review_on", "复查日期", "date"), Field("reviewed_on", "实际复查日期", "date"),
        Field("review_notes", "复查意见", "long")]


def placement_fields(assessments) -> list[Field]:
    picks = [(f"{a.assessed_on:%Y-%m-%d} 建议{a.recommended}", a.id) for a in assessments]
    return [Field("placement", "安置方式", "choice", rules.PLACEMENTS), Field("since", "安置日期", "date"),
            Field("decided_by", "决定单位", "combo", rules.DECIDERS), Field("place", "安置学校/机构"),
            Field("assessment_id", "依据的评估", "pick", picks, wide=True), Field("reason", "依据/原因", "long")]


class PlanDialog(RecordForm):
    """A plan and its goals: one row per goal (领域, 目标, 措施, 负责教师, 达成情况)."""

    def __init__(self, ctx: AppContext, plan: PlanForm, parent=None):
        super().__init__("个别化教育方案", PLAN, plan, ctx.special.save_plan, parent, width=900)
        self.table = QTableWidget(0, 5, self.body)
        self.table.setHorizontalHeaderLabels(["领域", "目标", "措施", "负责教师", "达成情况"])
        self.table.verticalHeader().setVisible(False)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        self.table.itemChanged.connect(lambda _i: self._update_save())
        add, remove = QPushButton("添加目标"), QPushButton("删除选中目标")
        add.clicked.connect(lambda: self.add_goal(GoalLine(area=rules.PLAN_AREAS[0])))
        remove.clicked.connect(self.remove_goal)
        err = QLabel(self.body)
        err.setStyleSheet(ERROR_STYLE)
        err.hide()
        self._errors["goals"] = err
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("教育目标（按领域）："))
        buttons.addStretch(1)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        r = 2 * self.next_row
        self.grid.addLayout(buttons, r, 0, 1, 4)
        self.grid.addWidget(self.table, r + 1, 0, 1, 4)
        self.grid.addWidget(err, r + 2, 0, 1, 4)
        for g in plan.goals or [GoalLine(area=a) for a in rules.PLAN_AREAS[:3]]:
            self.add_goal(g)
        self._goals_clean = self.goals()
        self._update_save()
        self.resize(900, 700)

    def add_goal(self, g: GoalLine) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, combo_values, value in ((0, rules.PLAN_AREAS, g.area), (4, rules.GOAL_RESULTS, g.result)):
            combo = choice_combo(combo_values, empty="" if c == 4 else None)
            set_combo(combo, value)
            combo.currentIndexChanged.connect(lambda _i: self._update_save())
            self.table.setCellWidget(r, c, combo)
        for c, value in ((1, g.goal), (2, g.measures), (3, g.teacher)):
            self.table.setItem(r, c, QTableWidgetItem(value))
        self._update_save()

    def remove_goal(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            self._update_save()

    def goals(self) -> list[GoalLine]:
        def text(r, c):
            item = self.table.item(r, c)
            return item.text().strip() if item else ""
        return [GoalLine(self.table.cellWidget(r, 0).currentData() or "", text(r, 1), text(r, 2), text(r, 3),
                         self.table.cellWidget(r, 4).currentData() or "") for r in range(self.table.rowCount())]

    def is_dirty(self) -> bool:
        return super().is_dirty() or (hasattr(self, "_goals_clean") and self.goals() != self._goals_clean)

    def built(self) -> PlanForm:
        return dataclasses.replace(super().built(), goals=self.goals())


class VisitDialog(RecordForm):
    """A 送教上门 visit; photos chosen here (or dropped on the list) are added to the file as
    送教照片 of this visit once the visit is saved."""

    def __init__(self, ctx: AppContext, visit: HomeVisitForm, parent=None):
        super().__init__("送教上门记录", VISIT, visit, ctx.special.save_home_visit, parent, width=820)
        self.ctx = ctx
        self.photos: list[str] = []
        self.photo_list = ThumbList(self.body)
        self.photo_list.setFixedHeight(150)
        self.photo_list.filesDropped.connect(self.add_photos)
        pick = QPushButton("添加照片…")
        pick.clicked.connect(self.choose_photos)
        note = QLabel("照片会缩小到 2000 像素以内并存为 JPEG（去掉拍摄地点等信息）；也可以把照片拖到这里。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        box = QWidget(self.body)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(note, 1)
        row.addWidget(pick)
        lay.addLayout(row)
        lay.addWidget(self.photo_list)
        self.grid.addWidget(QLabel("本次照片"), 2 * self.next_row, 0)
        self.grid.addWidget(box, 2 * self.next_row, 1, 1, 3)
        self.failed: list[str] = []
        self.resize(820, 720)

    def choose_photos(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, "选择送教照片", str(Path.home()), "图片 (*.jpg *.jpeg *.png)")
        self.add_photos(paths)

    def add_photos(self, paths: list[str]) -> None:
        self.photos += [p for p in paths if p not in self.photos]
        self.photo_list.set_items([ThumbItem(p, Path(p).name, _small(p)) for p in self.photos])
        self._update_save()

    def is_dirty(self) -> bool:
        return super().is_dirty() or bool(getattr(self, "photos", None))

    def submit(self):
        row = super().submit()
        self.failed = []
        for p in self.photos:
            try:
                self.ctx.special.add_attachment(row.file_id, p, kind="送教照片", doc_date=row.visit_date, visit_id=row.id)
            except LedgerError as e:
                self.failed.append(str(e))
        if self.failed:
            QMessageBox.warning(self, "部分照片未添加", "送教记录已保存，但以下照片没有添加：\n\n" + "\n".join(self.failed))
        return row


def _small(path: str) -> bytes | None:
    """A thumbnail of a photo on disk, for the list (Qt reads it; nothing is stored yet)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > 240:
        reader.setScaledSize(size.scaled(240, 240, Qt.AspectRatioMode.KeepAspectRatio))
    img = reader.read()
    if img.isNull():
        return None
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(buf.data())
