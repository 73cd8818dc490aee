"""The household form: head of household, place, poverty status, liaison officer, its children."""
from __future__ import annotations

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QWidget

from db import enums
from db.errors import ValidationError
from db.registry.dto import HouseholdForm
from desktop.context import AppContext
from widgets.combos import choice_combo, set_combo
from widgets.form_base import FormBase
from widgets.id_field import IdField


class HouseholdFormDialog(FormBase):
    def __init__(self, ctx: AppContext, household_id: int | None = None, parent=None):
        super().__init__("新建家庭" if household_id is None else "编辑家庭", parent)
        self.ctx = ctx
        self._id = household_id
        f = self.add_field
        self.head_name = f("head_name", "户主姓名", QLineEdit(), 0, 0)
        self.head_name.setMaxLength(30)
        self.head_id = f("head_id_number", "户主身份证号", IdField(), 1, 0)
        self.household_no = f("household_no", "户编号", QLineEdit(), 2, 0)
        self.phone = f("phone", "联系电话", QLineEdit(), 3, 0)
        self.poverty_status = f("poverty_status", "建档立卡类型",
                                choice_combo(enums.values(enums.PovertyStatus), empty="（非建档立卡）"), 4, 0)
        self.exit_year = f("poverty_exit_year", "脱贫年度", QLineEdit(), 5, 0)
        self.exit_year.setValidator(QIntValidator(0, 9999, self.exit_year))
        self.exit_year.setPlaceholderText("脱贫户或监测户填写，如 2018")
        self.township = f("township", "乡镇", QLineEdit(), 0, 1)
        self.village = f("village", "村（社区）", QLineEdit(), 1, 1)
        self.group_name = f("group_name", "组", QLineEdit(), 2, 1)
        self.address = f("address", "详细地址", QLineEdit(), 3, 1)
        officers = ctx.registry.list_officers()
        self.officer = choice_combo([], empty="（未指定）")
        for o in officers:
            self.officer.addItem(o.label, o.id)
        f("liaison_officer_id", "联络员", self.officer, 4, 1)
        if not officers:
            self.officer.setEnabled(False)
            self.officer.setToolTip("还没有联络员")
        self.notes = f("notes", "备注", QLineEdit(), 5, 1)
        # issue 9: the government cadre paired with the household is not the school's liaison officer
        self.helper_cadre = f("helper_cadre", "帮扶责任人", QLineEdit(), 6, 0)
        self.helper_cadre.setPlaceholderText("政府结对帮扶干部（不是联络员）")
        self.monitored = f("monitored_type", "监测对象类型",
                           choice_combo(enums.values(enums.MonitoredType), empty="（不是监测对象）"), 6, 1)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)

        self.children = QListWidget(self.body)
        self.children.setMaximumHeight(110)
        self.children.setFocusPolicy(self.children.focusPolicy().NoFocus)
        self.children_label = QLabel("家庭中的学生（只读）：")
        self.grid.addWidget(self.children_label, 12, 0, 1, 4)
        self.grid.addWidget(self.children, 13, 0, 1, 4)

        chain = [self.head_name, self.head_id.edit, self.household_no, self.phone, self.poverty_status,
                 self.exit_year, self.township, self.village, self.group_name, self.address, self.officer,
                 self.notes, self.helper_cadre, self.monitored, self.save_button]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)
        self.poverty_status.currentIndexChanged.connect(self._status_changed)
        self.load(ctx.registry.get_household(household_id) if household_id is not None
                  else HouseholdForm(township=self._default_township()))
        self.resize(860, self.sizeHint().height())

    def _default_township(self) -> str:
        info = self.ctx.school.get()
        return info.township if info else ""

    def load(self, form: HouseholdForm) -> None:
        self._loading = True
        try:
            self._id = form.id
            self.head_name.setText(form.head_name)
            self.head_id.setText(form.head_id_number)
            self.household_no.setText(form.household_no)
            self.phone.setText(form.phone)
            set_combo(self.poverty_status, form.poverty_status)
            self.exit_year.setText(str(form.poverty_exit_year) if form.poverty_exit_year else "")
            self.township.setText(form.township)
            self.village.setText(form.village)
            self.group_name.setText(form.group_name)
            self.address.setText(form.address)
            i = self.officer.findData(form.liaison_officer_id) if form.liaison_officer_id else 0
            self.officer.setCurrentIndex(max(i, 0))
            self.notes.setText(form.notes)
            self.helper_cadre.setText(form.helper_cadre)
            set_combo(self.monitored, form.monitored_type)
            self.children.clear()
            for _sid, name, grade in form.children:
                self.children.addItem(f"{name}　{grade}")
            if not form.children:
                self.children.addItem("（暂无）")
            self._status_changed()
        finally:
            self._loading = False
        self.clear_errors()
        self.mark_clean()

    def _status_changed(self, *_a) -> None:
        self.exit_year.setEnabled(self.poverty_status.currentData() in (enums.PovertyStatus.OUT.value,
                                                                        enums.PovertyStatus.MONITORED.value))

    def collect(self) -> HouseholdForm:
        year_text = self.exit_year.text().strip() if self.exit_year.isEnabled() else ""
        return HouseholdForm(
            id=self._id, household_no=self.household_no.text(), head_name=self.head_name.text(),
            head_id_number=self.head_id.text(), township=self.township.text(), village=self.village.text(),
            group_name=self.group_name.text(), address=self.address.text(), phone=self.phone.text(),
            poverty_status=self.poverty_status.currentData() or "",
            poverty_exit_year=int(year_text) if year_text else None,
            liaison_officer_id=self.officer.currentData() or None, notes=self.notes.text(),
            helper_cadre=self.helper_cadre.text(), monitored_type=self.monitored.currentData() or "")

    def show_errors(self, problems: dict[str, str]) -> None:
        if "head_id_number" in problems:
            self.head_id.clear_note()
        super().show_errors(problems)

    def submit(self) -> HouseholdForm:
        form = self.collect()
        if form.poverty_exit_year is not None and form.poverty_exit_year < 1000:
            raise ValidationError({"poverty_exit_year": "脱贫年度应写四位年份，如 2018"})
        return self.ctx.registry.save_household(form)
