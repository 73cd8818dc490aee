"""中职毕业生就业 (schools with a 中职 stage only; hidden elsewhere — see Page.applies): the registered-
poor graduates, their intention and outcome, guidance and proof; employed ÷ those who want a job."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QMessageBox, QPushButton, QSplitter, QVBoxLayout

from db.changes import Changes
from db.docs.kinds import Selection
from db.employment.dto import EmploymentReport, GraduateRow
from desktop.context import AppContext
from desktop.dialogs.employment_forms import CandidatesDialog, GraduateDialog, GuidanceDialog
from desktop.errors import show_error
from desktop.pages.base import Page
from desktop.printing import print_document
from widgets.simple_table import bar, fill, list_table, selected_key

HEADERS = ["毕业年份", "姓名", "专业", "就业意向", "去向", "就业单位", "地点", "岗位", "入职日期", "证明", "指导",
           "未就业原因 / 下一步"]

DETAIL_HINT = "选中一名毕业生，这里显示他的就业指导记录和已上传的证明文件。"


class EmploymentPage(Page):
    title = "中职毕业生就业"
    icon = "employment"
    ledger = "employment"
    settings_key = "employment"
    applies_when = "employment.applies"

    loaded = Signal(object)          # EmploymentReport

    def __init__(self, ctx: AppContext, parent=None, *, today: Callable[[], dt.date] | None = None):
        super().__init__(ctx, parent)
        self.today = today or ctx.ctx.clock.today      # the one clock (a test or the demo may fix it)
        self.rows: list[GraduateRow] = []
        self.year_combo = QComboBox()
        self.year_combo.addItem("全部", None)
        for y in range(self.today().year, self.today().year - 6, -1):
            self.year_combo.addItem(f"{y} 届", y)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.load())
        buttons = []
        for text, slot, tip in (("登记毕业生…", self.add_graduates, "从名册中选建档立卡家庭的中职三年级或已毕业学生"),
                                ("编辑…", self.edit, "意向、去向、单位、岗位、证明、未就业原因和下一步"),
                                ("就业指导…", self.add_guidance, "讲座、推荐岗位、技能培训"),
                                ("上传证明…", self.attach, "劳动合同、就业协议的扫描件或照片（PDF/JPG/PNG）"),
                                ("打印登记表", self.print_current, "选中毕业生（未选中时为全部）的就业帮扶登记表")):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _c=False, fn=slot: fn())
            buttons.append(b)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.table = list_table(HEADERS, [64, 70, 110, 64, 60, 170, 44, 90, 86, 70, 40], self)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.itemSelectionChanged.connect(self.show_detail)
        self.detail = QLabel(DETAIL_HINT)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([560, 70])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(bar("毕业年份：", self.year_combo, None, *buttons))
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)

    def start(self) -> None:
        self.load()

    def load(self) -> None:
        year, svc = self.year_combo.currentData(), self.ctx.employment
        self.ctx.tasks.query(lambda: (svc.graduates(year), svc.report(year)), lambda r: self._on_loaded(*r),
                             lambda e: show_error(self, e, "查询"))

    def _on_loaded(self, rows: list[GraduateRow], rep: EmploymentReport) -> None:
        self.rows = rows
        missing = "、".join(r.name for r in rep.without_job) or "无"
        self.summary.setText(f"建档立卡中职毕业生 {rep.graduates} 人；有就业意向的已就业 <b>{rep.rate_text}</b>；"
                             f"<span style='color:#c62828'>有意向未就业：{missing}</span>"
                             + (f"；缺少就业证明 {len(rep.no_proof)} 人" if rep.no_proof else ""))
        colors = {i: "red" for i, r in enumerate(rows) if r.intention == "就业" and r.status not in ("已就业", "创业")}
        fill(self.table, [[r.grad_year, r.name, r.major, r.intention, r.status, r.employer, r.place, r.job,
                           r.start_date, r.contract or (f"{r.files} 个文件" if r.files else ""), r.guidance or "",
                           "；".join(x for x in (r.reason, r.next_action) if x)] for r in rows],
             [r.id for r in rows], colors=colors)
        self.loaded.emit(rep)

    def show_detail(self) -> None:
        gid = selected_key(self.table)
        if gid is None:
            self.detail.setText(DETAIL_HINT)
            return
        guidance = self.ctx.employment.guidance(gid)
        files = self.ctx.employment.files(gid)
        guided = "；".join(f"{g.given_on} {g.kind} {g.by} {g.content}" for g in guidance)
        self.detail.setText("就业指导：" + (guided or "无")
                            + "\n证明文件：" + ("；".join(f"{f.filename}（{f.size // 1024 + 1} KB）" for f in files)
                                                or "无"))

    def on_changes(self, changes: Changes) -> None:
        if changes.entities & {"employment", "student"}:
            self.load()

    # ---- actions --------------------------------------------------------------------------------
    def _changed(self) -> None:
        self.changed.emit(Changes(frozenset({"employment"})))

    def add_graduates(self) -> bool:
        year = self.year_combo.currentData() or self.today().year
        dlg = CandidatesDialog(self.ctx, year, self)
        if not dlg.exec() or not dlg.chosen():
            return False
        n = self.ctx.employment.add_graduates(dlg.year.value(), dlg.chosen())
        self.status(f"已登记 {n} 名毕业生")
        self._changed()
        return True

    def new_item(self) -> bool:
        return self.add_graduates()

    def _selected(self) -> int | None:
        gid = selected_key(self.table)
        if gid is None:
            QMessageBox.information(self, self.title, "请先在列表中选中一名毕业生。")
        return gid

    def edit(self) -> bool:
        gid = self._selected()
        if gid is None:
            return False
        if GraduateDialog(self.ctx, self.ctx.employment.get(gid), self).exec():
            self._changed()
            return True
        return False

    def add_guidance(self) -> bool:
        gid = self._selected()
        if gid is None:
            return False
        if GuidanceDialog(self.ctx, gid, self, today=self.today()).exec():
            self._changed()
            return True
        return False

    def attach(self, path: str | None = None) -> bool:
        gid = self._selected()
        if gid is None:
            return False
        if path is None:
            path, _f = QFileDialog.getOpenFileName(self, "上传就业证明", str(self.save_folder()),
                                                   "合同扫描件或照片 (*.pdf *.jpg *.jpeg *.png)")
            if not path:
                return False
        try:
            self.ctx.employment.attach(gid, Path(path).name, Path(path).read_bytes())
        except Exception as e:
            show_error(self, e, "上传证明")
            return False
        self._changed()
        return True

    def print_current(self):
        rows = self.table.selectionModel().selectedRows()
        ids = [self.rows[i.row()].student_id for i in rows] or [r.student_id for r in self.rows]
        if not ids:
            QMessageBox.information(self, "打印", "还没有登记毕业生。")
            return None
        return print_document(self, self.ctx, "employment", Selection(student_ids=tuple(ids), today=self.today()))
