"""资助标准: the editable table of programmes, who they are for (scope) and their periods, amounts, the
payment deadlines, and the school's aid settings (营养改善计划试点, 未认定学生)."""
from __future__ import annotations

import dataclasses

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db import enums
from db.aid.dto import StandardRow
from db.errors import ValidationError
from db.money import format_yuan, parse_yuan
from desktop.context import AppContext
from desktop.dialogs.aid_line import money_value
from desktop.dialogs.aid_settings import AidSettingsBox
from widgets.check_group import CheckGroup
from widgets.form_base import FormBase
from widgets.money_field import MoneyField

HEADERS = ["资助项目", "学段", "执行期间", "资助对象（谁可享受）", "寄宿/走读", "年级", "标准", "春季占比", "方式",
           "来源", "状态", "说明"]
SCOPE_LABELS = {"needy": "认定的困难学生（含建档立卡）", "registered": "建档立卡学生",
                "groups": "非建档立卡困难学生中的所列类别", "agri": "涉农专业学生", "rural": "农业户籍（含县镇）学生",
                "all": "全体在校生"}
KINDS = {"现金": (True, False), "减免（学校不收费，不发现金）": (False, True), "膳食等实物（不发现金）": (False, False)}


def period_text(r: StandardRow) -> str:
    if not r.from_term and not r.to_term:
        return "长期"
    return f"{r.from_term or '…'} 至 {r.to_term or '今'}"


def who_text(r: StandardRow) -> str:
    """"建档立卡学生，或非建档立卡困难学生中的残疾学生、农村低保、特困供养"."""
    parts = []
    for flag in [x for x in SCOPE_LABELS if x in r.scope.split(",")]:
        if flag == "groups":
            parts.append("非建档立卡困难学生中的" + (r.categories.replace(",", "、") or "（未选类别）"))
        else:
            parts.append(SCOPE_LABELS[flag])
    text = "，或".join(parts) or "（未设置）"
    return text + "（仅营养改善计划试点学校）" if not r.cash and not r.waiver else text


def kind_text(r: StandardRow) -> str:
    return "现金" if r.cash else "减免（不发现金）" if r.waiver else "膳食（不发现金）"


def amount_text(r: StandardRow) -> str:
    if r.tiers:
        return "分档 " + " / ".join(format_yuan(t) for t in r.tiers) + " 元/年"
    if r.per_day_fen:
        return f"{format_yuan(r.per_day_fen)} 元/天 × {r.school_days} 天/学期"
    if r.yearly_fen:
        return f"{format_yuan(r.yearly_fen)} 元/年"
    return "（未填写金额）"


class StandardsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.setWindowTitle("资助标准")
        self.ctx = ctx
        self.changed_anything = False
        self.rows: list[StandardRow] = []
        note = QLabel("以下为安徽省标准的<b>可编辑的默认值</b>，请按本县文件核对修改。<b>认定</b>为家庭经济困难"
                      "（建档立卡视同特别困难）才能享受按困难资助的项目；修改标准不会改动已发放、已调整的记录。")
        note.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        for c, w in enumerate((128, 56, 112, 376, 62, 60, 150, 56, 104, 84, 44)):
            self.table.setColumnWidth(c, w)
        self.new_button = QPushButton("新增标准…")
        self.edit_button = QPushButton("编辑…")
        self.toggle_button = QPushButton("停用/启用")
        self.new_button.clicked.connect(self.new_standard)
        self.edit_button.clicked.connect(self.edit_selected)
        self.toggle_button.clicked.connect(self.toggle_selected)
        row = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.toggle_button):
            row.addWidget(b)
        row.addStretch(1)

        box = QGroupBox("发放截止日期（每年）")
        self.spring = QLineEdit()
        self.autumn = QLineEdit()
        for e in (self.spring, self.autumn):
            e.setMaximumWidth(80)
            e.setPlaceholderText("月-日")
        d = ctx.aid.deadlines()
        self.spring.setText(d["春"])
        self.autumn.setText(d["秋"])
        self.deadline_button = QPushButton("保存截止日期")
        self.deadline_button.clicked.connect(self.save_deadlines)
        self.deadline_error = QLabel()
        self.deadline_error.setStyleSheet("color: #c62828;")
        bl = QHBoxLayout(box)
        bl.addWidget(QLabel("春季学期："))
        bl.addWidget(self.spring)
        bl.addWidget(QLabel("秋季学期："))
        bl.addWidget(self.autumn)
        bl.addWidget(self.deadline_button)
        bl.addWidget(self.deadline_error, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addLayout(row)
        lay.addWidget(self.table, 1)
        self.settings_box = AidSettingsBox(ctx, self)
        self.settings_box.saved.connect(self._settings_saved)
        low = QHBoxLayout()
        low.addWidget(box)
        low.addWidget(self.settings_box, 1)
        lay.addLayout(low)
        lay.addWidget(buttons)
        self.resize(1340, 680)
        self.reload()

    def _settings_saved(self) -> None:
        self.changed_anything = True

    def reload(self) -> None:
        self.rows = self.ctx.aid.list_standards()
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            values = [r.programme, r.stage, period_text(r), who_text(r), r.residence or "不限",
                      (r.grades or "全部").replace(",", "、"), amount_text(r), f"{r.spring_share}%",
                      kind_text(r), "默认值（可编辑）" if r.is_default else "已修改",
                      "在用" if r.active else "已停用", r.notes]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                if not r.active:
                    item.setForeground(QBrush(QColor("#9e9e9e")))
                self.table.setItem(i, c, item)

    def selected(self) -> StandardRow | None:
        i = self.table.currentRow()
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def new_standard(self) -> None:
        self._edit(StandardRow(is_default=False))

    def edit_selected(self) -> None:
        r = self.selected()
        if r is not None:
            self._edit(r)

    def _edit(self, row: StandardRow) -> bool:
        dlg = StandardFormDialog(self.ctx, row, self)
        if dlg.exec() and dlg.result_value is not None:
            self.changed_anything = True
            self.reload()
            return True
        return False

    def toggle_selected(self) -> None:
        r = self.selected()
        if r is None:
            return
        self.ctx.aid.set_standard_active(r.id, not r.active)
        self.changed_anything = True
        self.reload()

    def save_deadlines(self) -> bool:
        try:
            self.ctx.aid.set_deadline("春", self.spring.text())
            self.ctx.aid.set_deadline("秋", self.autumn.text())
        except ValidationError as e:
            self.deadline_error.setText("；".join(e.problems.values()))
            return False
        d = self.ctx.aid.deadlines()
        self.spring.setText(d["春"])
        self.autumn.setText(d["秋"])
        self.deadline_error.setText("")
        self.changed_anything = True
        return True


class StandardFormDialog(FormBase):
    """Edit one standard. Saving makes a new version; planned lines keep the version they had."""

    def __init__(self, ctx: AppContext, row: StandardRow, parent=None):
        super().__init__("编辑资助标准" if row.id else "新增资助标准", parent)
        self.ctx, self.row = ctx, row
        f = self.add_field
        self.programme = f("programme", "资助项目", QLineEdit(row.programme), 0)
        self.stage = QComboBox()
        for s in enums.values(enums.Stage):
            self.stage.addItem(s, s)
        self.stage.setCurrentIndex(max(self.stage.findData(row.stage), 0))
        f("stage", "学段", self.stage, 0, 1)
        self.from_term = f("from_term", "起始学期", QLineEdit(row.from_term), 1)
        self.to_term = f("to_term", "截止学期", QLineEdit(row.to_term), 1, 1)
        for e in (self.from_term, self.to_term):
            e.setPlaceholderText("如 2024春；空 = 不限")
        self.scope = CheckGroup(list(SCOPE_LABELS.values()), columns=3)
        self.scope.set_value([SCOPE_LABELS[x] for x in row.scope.split(",") if x in SCOPE_LABELS])
        f("scope", "资助对象（任一）", self.scope, 2, span=2)
        self.categories = CheckGroup([c for c in enums.values(enums.Category) if c != "建档立卡"], columns=6)
        self.categories.set_value([c for c in row.categories.split(",") if c])
        f("categories", "所列类别", self.categories, 3, span=2)
        self.residence = QComboBox()
        for label, v in (("不限", ""), ("寄宿", "寄宿"), ("走读", "走读")):
            self.residence.addItem(label, v)
        self.residence.setCurrentIndex(max(self.residence.findData(row.residence), 0))
        f("residence", "寄宿/走读", self.residence, 4)
        self.grades = f("grades", "年级", QLineEdit(row.grades.replace(",", "、")), 4, 1)
        self.grades.setPlaceholderText("空 = 全部年级；多个用、分隔")
        self.yearly = f("yearly_fen", "每年金额（元）", MoneyField(), 5)
        self.per_day = f("per_day_fen", "每天金额（元）", MoneyField(), 5, 1)
        self.tiers = f("tiers", "分档（元/年）", QLineEdit(" / ".join(format_yuan(t).replace(",", "")
                                                                   for t in row.tiers)), 6)
        self.tiers.setPlaceholderText("有分档时填写，从低到高，如 1000 / 1500 / 2000")
        self.days = QSpinBox()
        self.days.setRange(0, 200)
        self.days.setValue(row.school_days)
        f("school_days", "每学期在校天数", self.days, 6, 1)
        self.share = QSpinBox()
        self.share.setRange(0, 100)
        self.share.setSuffix(" %")
        self.share.setValue(row.spring_share)
        f("spring_share", "春季学期占比", self.share, 7)
        self.kind = QComboBox()
        for label, (cash, waiver) in KINDS.items():
            self.kind.addItem(label, (cash, waiver))
        self.kind.setCurrentIndex(max(self.kind.findData((row.cash, row.waiver)), 0))
        f("waiver", "方式", self.kind, 7, 1)
        self.notes = f("notes", "说明/文件依据", QLineEdit(row.notes), 8, span=2)
        if row.yearly_fen:
            self.yearly.set_value(row.yearly_fen)
        if row.per_day_fen:
            self.per_day.set_value(row.per_day_fen)
        groups = self.scope.boxes[SCOPE_LABELS["groups"]]
        groups.toggled.connect(self.categories.setEnabled)
        self.categories.setEnabled(groups.isChecked())
        hint = QLabel("保存后成为该标准的新版本；已生成的发放记录保留原来的金额和版本，"
                      "之后“生成/刷新本学期名单”时，未调整、未发放的记录按新标准重算。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        self.grid.addWidget(hint, 18, 0, 1, 4)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.mark_clean()
        self.resize(860, 480)

    def submit(self) -> StandardRow:
        p: dict[str, str] = {}
        values = {}
        for name, field in (("yearly_fen", self.yearly), ("per_day_fen", self.per_day)):
            try:
                values[name] = money_value(field, name, required=False) or 0
            except ValidationError as e:
                p.update(e.problems)
        tiers = []
        for part in self.tiers.text().replace("、", "/").replace(",", "/").replace("，", "/").split("/"):
            if part.strip():
                try:
                    tiers.append(parse_yuan(part))
                except ValueError as e:
                    p["tiers"] = str(e)
        if p:
            raise ValidationError(p)
        row = dataclasses.replace(
            self.row, programme=self.programme.text(), stage=self.stage.currentData(),
            from_term=self.from_term.text().strip(), to_term=self.to_term.text().strip(),
            scope=",".join(k for k, label in SCOPE_LABELS.items() if label in self.scope.value()),
            categories=",".join(self.categories.value()) if SCOPE_LABELS["groups"] in self.scope.value() else "",
            residence=self.residence.currentData(),
            grades=",".join(g.strip() for g in self.grades.text().replace("，", "、").replace(",", "、").split("、")
                            if g.strip()),
            yearly_fen=values["yearly_fen"], per_day_fen=values["per_day_fen"], school_days=self.days.value(),
            tiers=tiers, spring_share=self.share.value(), cash=self.kind.currentData()[0],
            waiver=self.kind.currentData()[1], notes=self.notes.text())
        return self.ctx.aid.save_standard(row)


__all__ = ["StandardsDialog", "StandardFormDialog"]
