"""营养改善计划 (pilot schools only; hidden elsewhere — see Page.applies): a term's plan, each month's
funds (meal days × pupils × standard), the real-name list, the 陪餐 log, and the monthly 公示."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from db.changes import Changes
from db.docs.kinds import Selection
from db.money import format_yuan
from db.nutrition.dto import NOT_PILOT, NutritionReport
from db.nutrition.rules import month_label
from db.terms import term_of
from desktop.context import AppContext
from desktop.dialogs.nutrition_forms import MealDialog, PlanDialog
from desktop.errors import show_error
from desktop.pages.aid_common import TermCombo
from desktop.pages.base import Page
from desktop.printing import print_document
from widgets.simple_table import bar, fill, list_table


class NutritionPage(Page):
    title = "营养改善计划"
    icon = "nutrition"
    ledger = "nutrition"
    settings_key = "nutrition"
    applies_when = "nutrition.enabled"

    loaded = Signal(object)          # NutritionReport | None

    def __init__(self, ctx: AppContext, parent=None, *, today: Callable[[], dt.date] | None = None):
        super().__init__(ctx, parent)
        self.today = today or ctx.ctx.clock.today      # the one clock (a test or the demo may fix it)
        self.report: NutritionReport | None = None
        self.term_combo = TermCombo(self, today=self.today())
        self.term_combo.termChanged.connect(lambda _t: self.load())
        plan = QPushButton("本学期安排…")
        plan.setToolTip("供餐方式、每生每天标准、各月供餐天数")
        plan.clicked.connect(lambda: self.edit_plan())
        refresh = QPushButton("更新实名名单")
        refresh.setToolTip("把在校的小学、初中学生加入名单；已不在校的从本月起停止")
        refresh.clicked.connect(lambda: self.refresh_list())
        meal = QPushButton("登记陪餐…")
        meal.clicked.connect(lambda: self.new_meal())
        self.month_combo = QComboBox()
        self.month_combo.setMinimumContentsLength(9)
        self.print_button = QPushButton("打印月度公示")
        self.print_button.clicked.connect(lambda: self.print_current())
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.months = list_table(["月份", "供餐天数", "受益学生(人)", "标准(元/生·天)", "资金(元)"], [90, 70, 90, 100])
        self.pupils = list_table(["年级", "班级", "姓名", "起", "止", "备注"], [70, 50, 80, 70, 70])
        self.meals = list_table(["日期", "负责人", "职务", "餐次", "情况记录"], [90, 80, 80, 50])
        tabs = QTabWidget()
        tabs.addTab(self.pupils, "实名制学生名单")
        tabs.addTab(self.meals, "陪餐记录")
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.months)
        split.addWidget(tabs)
        split.setSizes([480, 720])
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.summary)
        body.addWidget(split, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(bar("学期：", self.term_combo, plan, refresh, meal, None, "月份：", self.month_combo,
                          self.print_button))
        lay.addWidget(self.body, 1)

    def start(self) -> None:
        """The newest planned term, else the current one."""
        if self.term_combo.term() is None:
            try:
                planned = self.ctx.nutrition.planned_terms() if self.ctx.nutrition.enabled() else []
            except Exception as e:
                show_error(self, e, "查询")
                planned = []
            self.term_combo.set_term(planned[0] if planned else term_of(self.today()), emit=False)
        self.load()

    def load(self) -> None:
        term = self.term_combo.term()
        svc = self.ctx.nutrition
        if term is None:
            return
        if not svc.enabled():
            self.summary.setText(NOT_PILOT)
            return

        def work():
            plan = svc.plan(term)
            if plan is None:
                return None, [], [], svc.needs_doing(self.today())
            return svc.report(term), svc.pupils(term), svc.meals(term), svc.needs_doing(self.today())
        self.ctx.tasks.query(work, lambda r: self._on_loaded(*r), lambda e: show_error(self, e, "查询"))

    def _on_loaded(self, rep, pupils, meals, todo) -> None:
        self.report = rep
        if self.term_combo.term() != term_of(self.today()):
            todo = []                                      # the to-do list is the current term's
        todo_text = ("<br><span style='color:#c62828'>待办：" + "；".join(todo) + "</span>") if todo else ""
        if rep is None:
            self.summary.setText(f"{self.term_combo.term().label}还没有安排。点“本学期安排…”填写供餐方式、标准和"
                                 "各月供餐天数，"
                                 f"再点“更新实名名单”。{todo_text}")
            for t in (self.months, self.pupils, self.meals):
                t.setRowCount(0)
            self.month_combo.clear()
            self.loaded.emit(None)
            return
        self.summary.setText(f"<b>{rep.term}</b>：{rep.meal_model}，{format_yuan(rep.daily_fen)} 元/生·天，名单在册 "
                             f"{rep.pupils} 人，本学期资金合计 <b>{format_yuan(rep.total_fen)} 元</b>"
                             "（膳食补助，不发放现金），"
                             f"陪餐记录 {rep.meals_logged} 次。{todo_text}")
        rows = [[month_label(m.month), m.meal_days, m.pupils, format_yuan(m.daily_fen), format_yuan(m.funds_fen)]
                for m in rep.months]
        fill(self.months, rows + [["合计", "", "", "", format_yuan(rep.total_fen)]], right=(1, 2, 3, 4))
        fill(self.pupils, [[p.grade, p.class_name, p.name, p.from_month, p.to_month or "", p.note] for p in pupils])
        fill(self.meals, [[m.meal_date, m.leader, m.role, m.meal, m.remarks] for m in meals])
        self.month_combo.clear()
        for m in rep.months:
            if m.meal_days:
                self.month_combo.addItem(month_label(m.month), m.month)
        self.month_combo.setCurrentIndex(self.month_combo.count() - 1)
        self.loaded.emit(rep)

    def on_changes(self, changes: Changes) -> None:
        if changes.entities & {"nutrition", "student", "aid"}:
            self.load()

    # ---- actions --------------------------------------------------------------------------------
    def edit_plan(self) -> bool:
        term = self.term_combo.term()
        try:
            plan = self.ctx.nutrition.plan(term) or self.ctx.nutrition.default_plan(term)
        except Exception as e:
            show_error(self, e, "营养改善计划")
            return False
        if PlanDialog(self.ctx, plan, self).exec():
            self.changed.emit(Changes(frozenset({"nutrition"})))
            return True
        return False

    def refresh_list(self) -> bool:
        today = self.today()
        term = self.term_combo.term()
        month = f"{today:%Y-%m}"
        try:
            added, ended = self.ctx.nutrition.refresh_list(term, month if month in self._months() else None)
        except Exception as e:
            show_error(self, e, "更新实名名单")
            return False
        self.status(f"实名名单：新增 {added} 人，停止 {ended} 人")
        self.changed.emit(Changes(frozenset({"nutrition"})))
        return True

    def _months(self) -> list[str]:
        return [m.month for m in self.report.months] if self.report else []

    def new_meal(self) -> bool:
        info = self.ctx.school.get()
        dlg = MealDialog(self.ctx, self, today=self.today(), leader=info.headmaster if info else "")
        if dlg.exec():
            self.changed.emit(Changes(frozenset({"nutrition"})))
            return True
        return False

    def new_item(self) -> bool:
        return self.new_meal()

    def print_current(self):
        term, month = self.term_combo.term(), self.month_combo.currentData()
        if term is None or not month:
            QMessageBox.information(self, "打印", "本学期还没有填写供餐天数的月份。")
            return None
        return print_document(self, self.ctx, "nutrition", Selection(term=term.short, month=month, all=True,
                                                                     today=self.today()))
