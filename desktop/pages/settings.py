"""设置: the school's details and the settings the ledgers read,
saved together with one click (validated all at once, audited): 营养改善计划, 公示天数, 函件回复期限 and
送教上门频次 — and the school-year rollover."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db import enums
from db.changes import Changes
from db.context import Actor
from db.errors import LedgerError, ValidationError
from db.office.dto import OfficeConfig
from desktop.context import AppContext
from desktop.dialogs.rollover import RolloverDialog
from desktop.errors import show_error
from desktop.pages.base import Page
from widgets.check_group import CheckGroup
from widgets.form_base import ERROR_STYLE, change_signal, widget_value
from widgets.money_field import MoneyField

SCHOOL = [("name", "学校名称 *", "如 阚疃镇中心学校"), ("county", "所在县（区）", ""), ("township", "所在乡镇", ""),
          ("code", "学校标识码", "10 位，可不填"), ("officer", "资助专干", "操作日志中记为此人"),
          ("headmaster", "校长", "打印文书的签字栏"), ("phone", "学校监督电话", "印在公示名单和明白卡上"),
          ("county_hotline", "县资助中心电话", "印在公示名单和明白卡上")]


class SettingsPage(Page):
    title = "设置"
    icon = "settings"
    ledger = "office"
    settings_key = "settings"

    saved = Signal(object)          # OfficeConfig

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(ctx, parent)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._clean: dict = {}
        self._loading = False
        school = QGroupBox("学校信息")
        g = QGridLayout(school)
        for i, (name, label, hint) in enumerate(SCHOOL):
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            self._add(g, name, label, edit, i // 2, i % 2)
        self._add(g, "stages", "办学学段 *", CheckGroup(enums.values(enums.Stage), columns=5), 4, 0, span=2)

        aid = QGroupBox("资助与文书")
        a = QGridLayout(aid)
        self._add(a, "nutrition_pilot", "营养改善计划", QCheckBox("本校是试点学校（膳食补助不发放现金）"), 0, 0)
        self._add(a, "nutrition_county", "试点县", QLineEdit(), 0, 1)
        money = MoneyField()
        money.setPlaceholderText("0.00 = 按资助标准表")
        self._add(a, "nutrition_daily_fen", "每生每天(元)", money, 1, 0)
        notice = QSpinBox()
        notice.setRange(5, 30)
        notice.setSuffix(" 个工作日")
        self._add(a, "notice_days", "公示天数", notice, 1, 1)
        reply = QSpinBox()
        reply.setRange(1, 365)
        reply.setSuffix(" 天")
        self._add(a, "reply_days", "省外函件回复期限", reply, 2, 0)
        visits = QSpinBox()
        visits.setRange(1, 60)
        visits.setPrefix("每 ")
        visits.setSuffix(" 天一次")
        self._add(a, "visit_every_days", "送教上门频次", visits, 2, 1)

        self.save_button = QPushButton("保存设置")
        self.save_button.clicked.connect(lambda: self.save())
        self.undo_button = QPushButton("撤销修改")
        self.undo_button.clicked.connect(lambda: self.load())
        self.general_error = QLabel("")
        self.general_error.setStyleSheet(ERROR_STYLE)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_error, 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.save_button)

        year = QGroupBox("学年结转")
        y = QHBoxLayout(year)
        self.year_label = QLabel("")
        self.year_label.setWordWrap(True)
        self.rollover_button = QPushButton("学年结转…")
        self.rollover_button.setToolTip("每学年一次：全体学生升一个年级，毕业年级标记为毕业；先预览，再结转（先自动备份）")
        self.rollover_button.clicked.connect(lambda: self.open_rollover())
        y.addWidget(self.year_label, 1)
        y.addWidget(self.rollover_button)

        inner = QWidget()
        inner.setMaximumWidth(1000)          # a form, not a banner: fields keep a readable width
        lay = QVBoxLayout(inner)
        for w in (school, aid):
            lay.addWidget(w)
        lay.addLayout(buttons)
        lay.addWidget(year)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 4)
        outer.addWidget(scroll)
        self._update_buttons()

    def _add(self, grid: QGridLayout, name: str, label: str, widget: QWidget, row: int, col: int, span: int = 1) -> None:
        lab = QLabel(label)
        lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        err = QLabel("")
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.hide()
        grid.addWidget(lab, 2 * row, 2 * col)
        grid.addWidget(widget, 2 * row, 2 * col + 1, 1, 2 * span - 1)
        grid.addWidget(err, 2 * row + 1, 2 * col + 1, 1, 2 * span - 1)
        self.fields[name], self.errors[name] = widget, err
        change_signal(widget).connect(lambda *_a: self._update_buttons())

    # ---- loading and saving -----------------------------------------------------------------------
    def start(self) -> None:
        self.load()

    def load(self) -> None:
        svc, roll = self.ctx.config, self.ctx.rollover
        self.ctx.tasks.query(lambda: (svc.get(), roll.roll_year(), roll.history()), lambda res: self._fill(*res),
                             lambda e: show_error(self, e, "读取设置"))

    def _fill(self, cfg: OfficeConfig, roll_year: int, history) -> None:
        self._loading = True
        for name, w in self.fields.items():
            value = getattr(cfg, name)
            if isinstance(w, MoneyField):
                w.set_value(value or None)
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value))
            elif isinstance(w, CheckGroup):
                w.set_value(value)
            else:
                w.setText(str(value or ""))
        self._loading = False
        self._clean = self.values()
        self._show_errors({})
        last = f"上次结转：{history[0].done_on:%Y-%m-%d}（{history[0].actor}）" if history else "还没有做过学年结转"
        self.year_label.setText(f"名册中的年级属于 {roll_year}-{roll_year + 1} 学年；{last}。"
                                f"下一次结转到 {roll_year + 1}-{roll_year + 2} 学年（{roll_year + 1} 年 6 月起可做）。")
        self._update_buttons()

    def values(self) -> dict:
        return {name: widget_value(w) for name, w in self.fields.items()}

    def is_dirty(self) -> bool:
        return bool(self._clean) and self.values() != self._clean

    def _update_buttons(self) -> None:
        if not self._loading:
            dirty = self.is_dirty()
            self.save_button.setEnabled(dirty)
            self.undo_button.setEnabled(dirty)

    def collect(self) -> OfficeConfig:
        v = self.values()
        money = self.fields["nutrition_daily_fen"]
        v["nutrition_daily_fen"] = money.text().strip() if money.error() else (money.value() or 0)
        return OfficeConfig(**v)

    def save(self) -> bool:
        try:
            cfg = self.ctx.config.save(self.collect())
        except ValidationError as e:
            self._show_errors(e.problems)
            return False
        except LedgerError as e:
            self._show_errors({"": str(e)})
            return False
        if cfg.officer:
            self.ctx.ctx.set_actor(Actor(cfg.officer))      # later changes are recorded under this name
        self._fill(cfg, self.ctx.rollover.roll_year(), self.ctx.rollover.history())
        self.status("设置已保存")
        self.changed.emit(Changes(frozenset({"school", "settings"})))
        self.saved.emit(cfg)
        return True

    def _show_errors(self, problems: dict[str, str]) -> None:
        for name, lab in self.errors.items():
            lab.setText(problems.get(name, ""))
            lab.setVisible(name in problems)
        loose = [m for k, m in problems.items() if k not in self.errors]
        self.general_error.setText("；".join(loose) or ("请改正标红的项目后再保存" if problems else ""))

    # ---- rollover ---------------------------------------------------------------------------------
    def open_rollover(self) -> bool:
        if self.is_dirty():
            QMessageBox.information(self, "学年结转", "请先保存或撤销对设置的修改。")
            return False
        dlg = RolloverDialog(self.ctx, self)
        dlg.rolled.connect(lambda _r: self.changed.emit(Changes(frozenset({"student", "rollover"}))))
        dlg.exec()
        self.load()
        return True
