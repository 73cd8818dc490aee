"""First start on an empty database: the school's details, and an offer of demonstration data."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox

from db import enums
from db.registry.dto import SchoolInfo
from desktop.context import AppContext
from widgets.check_group import CheckGroup
from widgets.form_base import FormBase

DEMO_STUDENTS = 300


class FirstRunDialog(FormBase):
    save_text = "开始使用"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__("欢迎使用助学台账", parent)
        self.ctx = ctx
        intro = QLabel("第一次使用，请先填写本校信息（以后可以在“设置”中修改）。带 * 的必须填写。")
        intro.setWordWrap(True)
        self.grid.addWidget(intro, 0, 0, 1, 2)
        f = self.add_field
        self.name = f("name", "学校名称 *", QLineEdit(), 1)
        self.name.setPlaceholderText("如 阚疃镇中心学校")
        self.county = f("county", "所在县（区）", QLineEdit(), 2)
        self.township = f("township", "所在乡镇", QLineEdit(), 3)
        self.stages = f("stages", "办学学段 *", CheckGroup(enums.values(enums.Stage), columns=5), 4)
        self.officer = f("officer", "资助专干", QLineEdit(), 5)
        self.headmaster = f("headmaster", "校长", QLineEdit(), 6)
        self.phone = f("phone", "联系电话", QLineEdit(), 7)
        self.demo = QCheckBox("同时载入演示数据（虚构学生，只按本校的办学学段生成，可用于熟悉软件）")
        self.demo_size = QSpinBox()
        self.demo_size.setRange(10, 100_000)
        self.demo_size.setSingleStep(100)
        self.demo_size.setValue(DEMO_STUDENTS)
        self.demo_size.setSuffix(" 名学生")
        self.demo_size.setEnabled(False)
        self.demo.toggled.connect(self.demo_size.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.demo)
        row.addWidget(self.demo_size)
        row.addStretch(1)
        self.grid.addLayout(row, 16, 1)
        self.grid.setColumnStretch(1, 1)
        self.mark_clean()
        self.resize(620, self.sizeHint().height())

    def collect(self) -> SchoolInfo:
        return SchoolInfo(name=self.name.text(), county=self.county.text(), township=self.township.text(),
                          stages=self.stages.value(), officer=self.officer.text(),
                          headmaster=self.headmaster.text(), phone=self.phone.text())

    def submit(self) -> SchoolInfo:
        return self.ctx.school.save(self.collect())

    @property
    def load_demo(self) -> bool:
        return self.demo.isChecked()

    @property
    def demo_students(self) -> int:
        return self.demo_size.value()
