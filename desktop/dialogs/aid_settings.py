"""The school's aid settings, a box in the 资助标准 dialog until the settings page (issue 16): whether
the school is a pilot of the 营养改善计划 (county, daily standard), and what happens to 低保/特困/孤儿/
残疾 students without a 认定 for the year."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QPushButton

from db.aid.dto import AidSettings
from db.errors import ValidationError
from db.money import format_yuan
from desktop.context import AppContext

PRESUMED = {False: "不纳入发放，列为“认定信息不全”，认定后再纳入", True: "视同特别困难（按最高档）"}


class AidSettingsBox(QGroupBox):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__("本校资助设置", parent)
        self.ctx = ctx
        a = ctx.aid.aid_settings()
        self.pilot = QCheckBox("本校为营养改善计划试点学校")
        self.pilot.setChecked(a.nutrition_pilot)
        self.county = QLineEdit(a.nutrition_county)
        self.county.setPlaceholderText("试点县，如 利辛县")
        self.daily = QLineEdit(format_yuan(a.nutrition_daily_fen) if a.nutrition_daily_fen else "")
        self.daily.setPlaceholderText("空 = 按标准表")
        self.daily.setMaximumWidth(110)
        self.presumed = QComboBox()
        for value, label in PRESUMED.items():
            self.presumed.addItem(label, value)
        self.presumed.setCurrentIndex(self.presumed.findData(a.presumed_special))
        self.save_button = QPushButton("保存设置")
        self.save_button.clicked.connect(self.save)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        g = QGridLayout(self)
        g.addWidget(self.pilot, 0, 0, 1, 2)
        g.addWidget(QLabel("县："), 0, 2)
        g.addWidget(self.county, 0, 3)
        g.addWidget(QLabel("每生每天（元）："), 0, 4)
        g.addWidget(self.daily, 0, 5)
        g.addWidget(QLabel("未认定等级的低保、特困、孤儿、残疾学生："), 1, 0, 1, 2)
        g.addWidget(self.presumed, 1, 2, 1, 3)
        g.addWidget(self.save_button, 1, 5)
        g.addWidget(self.error, 2, 0, 1, 6)

    def value(self) -> AidSettings:
        return AidSettings(self.pilot.isChecked(), self.county.text(), self.daily.text().strip() or 0,
                           bool(self.presumed.currentData()))

    def save(self) -> bool:
        try:
            got = self.ctx.aid.save_aid_settings(self.value())
        except ValidationError as e:
            self.error.setText("；".join(e.problems.values()))
            return False
        self.error.setText("已保存。营养改善计划只在试点学校计算；请“生成/刷新本学期名单”使设置生效。")
        self.daily.setText(format_yuan(got.nutrition_daily_fen) if got.nutrition_daily_fen else "")
        self.saved.emit()
        return True
