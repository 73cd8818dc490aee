"""The student form: every field of db.registry.dto.StudentForm.

A logged-in user sees the ID, 学籍号, card and phone numbers masked (read-only) until they press
显示完整号码 — only roles that may (管理员, 资助专干) have the button, and each use is audited. A
number left masked keeps its stored value when the form is saved (db.registry.service). A database
without users shows the numbers in full, as before."""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QWidget

from db import enums
from db.access.roles import Perm, allowed
from db.changes import Changes
from db.errors import ValidationError
from db.registry.dto import StudentForm
from db.registry.rules import student_warnings
from db.validators import check_bank_card
from desktop.context import AppContext
from desktop.dialogs.assessments import AssessmentsDialog
from desktop.dialogs.household_form import HouseholdFormDialog
from desktop.errors import show_error
from widgets.check_group import CheckGroup
from widgets.choice_picker import ChoicePicker
from widgets.combos import NONE_TEXT, choice_combo, set_combo
from widgets.date_edit import DateEdit
from widgets.form_base import FormBase
from widgets.id_field import IdField


class StudentFormDialog(FormBase):
    householdsChanged = Signal(object)        # Changes: a household was created from here

    def __init__(self, ctx: AppContext, student_id: int | None = None, parent=None):
        super().__init__("新建学生" if student_id is None else "编辑学生", parent)
        self.ctx = ctx
        self._id = student_id
        reg = ctx.registry
        f = self.add_field
        self.name = f("name", "姓名", QLineEdit(), 0, 0)
        self.name.setMaxLength(30)
        self.gender = f("gender", "性别", choice_combo(enums.values(enums.Gender)), 0, 1)
        self.ethnicity = f("ethnicity", "民族", choice_combo(enums.ETHNICITIES, empty=None), 0, 2)
        self.id_number = f("id_number", "身份证号", IdField(pupil=True), 1, 0, span=2)
        self.birth_date = f("birth_date", "出生日期", DateEdit(allow_empty=True, placeholder="由身份证号自动填写"), 1, 2)
        self.student_no = f("student_no", "学籍号", QLineEdit(), 2, 0)
        self.student_no.setPlaceholderText("G+身份证号，或 L/J 字头")
        self.student_no.setMaxLength(24)
        self.stage = f("stage", "学段", choice_combo(enums.values(enums.Stage)), 2, 1)
        self.grade = f("grade", "年级", choice_combo([]), 2, 2)
        self.class_name = f("class_name", "班级", QLineEdit(), 3, 0)
        self.class_name.setPlaceholderText("如 3班")
        self.residence = f("residence", "寄宿/走读", choice_combo(enums.values(enums.Residence)), 3, 1)
        self.enrolment = f("enrolment", "在校状态", choice_combo(enums.values(enums.Enrolment), empty=None), 3, 2)
        self.study_location = f("study_location", "就读地", choice_combo(enums.values(enums.StudyLocation)), 4, 0)
        self.study_school = f("study_school", "就读学校", QLineEdit(), 4, 1, span=2)
        self.study_school.setPlaceholderText("在外就读时填写")
        # the family
        self.household = ChoicePicker(reg.find_households, reg.household_label, title="选择家庭",
                                      placeholder="输入户主姓名、村、户编号或户主身份证号")
        self.new_household_button = QPushButton("新建家庭…")
        self.new_household_button.clicked.connect(self._new_household)
        hbox = QWidget()
        hl = QHBoxLayout(hbox)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.household, 1)
        hl.addWidget(self.new_household_button)
        f("household_id", "所属家庭", hbox, 5, 0, span=2, value_widget=self.household)
        self.relation = f("relation_to_head", "与户主关系", choice_combo(enums.RELATIONS_TO_HEAD), 5, 2)
        self.phone = f("phone", "联系电话", QLineEdit(), 6, 0)
        # issue 9: the 认定 is a history per school year, edited in its own dialog; the form shows the latest
        self.difficulty = QLineEdit()
        self.difficulty.setReadOnly(True)
        self.assess_button = QPushButton("困难认定…")
        self.assess_button.clicked.connect(self.open_assessments)
        abox = QWidget()
        al = QHBoxLayout(abox)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(self.difficulty, 1)
        al.addWidget(self.assess_button)
        f("difficulty_level", "认定等级", abox, 6, 1, value_widget=self.difficulty)
        self.hukou = f("hukou", "户籍性质", choice_combo(enums.values(enums.Hukou)), 6, 2)
        self.categories = f("categories", "资助对象类别", CheckGroup(enums.values(enums.Category), columns=6), 7, 0,
                            span=3)
        # bank card
        self.card = f("bank_card_no", "银行卡号", QLineEdit(), 8, 0)
        self.card.setPlaceholderText("16–19 位数字")
        self.card.setValidator(QRegularExpressionValidator(r"^[0-9０-９ \-]{0,30}$"))
        self.bank_name = f("bank_name", "开户银行", choice_combo(enums.BANKS, editable=True), 8, 1)
        self.card_holder = f("card_holder", "持卡人", QLineEdit(), 8, 2)
        self.card_confirm = f("card_confirm", "再次输入卡号", QLineEdit(), 9, 0)
        self.card_confirm.setValidator(QRegularExpressionValidator(r"^[0-9０-９ \-]{0,30}$"))
        self.card_confirm.setPlaceholderText("请再输入一次卡号")
        self.holder_relation = f("card_holder_relation", "持卡人关系",
                                 choice_combo(enums.CARD_HOLDER_RELATIONS), 9, 1)
        self.major = f("major", "专业（中职）", QLineEdit(), 10, 0)
        self.agri_major = f("agri_major", "涉农专业", choice_combo(["是", "否"]), 10, 1)
        self.notes = f("notes", "备注", QLineEdit(), 11, 0, span=3)
        for col in (1, 3, 5):
            self.grid.setColumnStretch(col, 1)

        self.stage.currentIndexChanged.connect(self._stage_changed)
        self.enrolment.currentIndexChanged.connect(self._enrolment_changed)
        self.id_number.changed.connect(self._id_changed)
        self.card.textChanged.connect(self._card_changed)
        self._set_confirm_visible(False)
        self._auto: tuple[str, str] | None = None     # (birth date, gender) the ID filled in
        self._auto_no: str | None = None              # the 学籍号 the ID filled in
        self.reveal_button = QPushButton("显示完整号码")
        self.reveal_button.setToolTip("显示完整的身份证号、学籍号、银行卡号和电话（会记入操作日志）")
        self.reveal_button.clicked.connect(self.reveal_numbers)
        self.buttons.addButton(self.reveal_button, self.buttons.ButtonRole.ActionRole)
        self._tab_order()
        self.load(reg.get_student(student_id) if student_id is not None else StudentForm())
        self.resize(1100, self.sizeHint().height())
        self.name.setFocus()

    # ---- loading --------------------------------------------------------------------------------
    def load(self, form: StudentForm) -> None:
        self._loading = True
        try:
            self._id = form.id
            self.name.setText(form.name)
            self.id_number.setText(form.id_number)
            set_combo(self.gender, form.gender)
            set_combo(self.ethnicity, form.ethnicity)
            self.birth_date.set_value(form.birth_date)
            self.student_no.setText(form.student_no)
            set_combo(self.stage, form.stage)
            self._stage_changed()
            set_combo(self.grade, form.grade)
            self.class_name.setText(form.class_name)
            set_combo(self.residence, form.residence)
            set_combo(self.enrolment, form.enrolment or enums.Enrolment.IN_SCHOOL.value)
            set_combo(self.study_location, form.study_location)
            self.study_school.setText(form.study_school)
            self.household.set_value(form.household_id)
            set_combo(self.relation, form.relation_to_head)
            self.phone.setText(form.phone)
            self.difficulty.setText(form.difficulty_level or "未认定")
            self.assess_button.setEnabled(form.id is not None)
            self.assess_button.setToolTip("" if form.id is not None else "保存学生后再录入困难认定")
            set_combo(self.hukou, form.hukou)
            self.major.setText(form.major)
            set_combo(self.agri_major, {True: "是", False: "否"}.get(form.agri_major, ""))
            self.categories.set_value(form.categories)
            self.card.setText(form.bank_card_no)
            self.card_confirm.clear()
            set_combo(self.bank_name, form.bank_name)
            self.card_holder.setText(form.card_holder)
            set_combo(self.holder_relation, form.card_holder_relation)
            self.notes.setText(form.notes)
            self._enrolment_changed()
        finally:
            self._loading = False
        self._set_masked(form)
        self.clear_errors()
        self.mark_clean()

    # ---- numbers shown masked ----------------------------------------------------------------------
    def _set_masked(self, form: StudentForm | None) -> None:
        """Masked numbers cannot be edited (they are kept as stored); the button shows them in full.
        `form` None: nothing is masked any more."""
        fields = {"id_number": self.id_number.edit, "student_no": self.student_no, "bank_card_no": self.card,
                  "phone": self.phone}
        masked = False
        for name, w in fields.items():
            hidden = form is not None and "*" in (getattr(form, name) or "")
            masked = masked or hidden
            w.setReadOnly(hidden)
            w.setStyleSheet("background: #f0f0f0; color: #555;" if hidden else "")
            w.setToolTip("号码已隐藏，保存时保持不变" if hidden else "")
        actor = self.ctx.ctx.actor
        may_reveal = bool(actor.role) and allowed(actor.role, Perm.FULL_NUMBERS)
        if masked:                       # say why the numbers are grey, where a teacher looks
            self.id_number.note.setText("号码只显示部分，保存时保持不变；" + (
                "点下方“显示完整号码”可查看和修改（记入操作日志）" if may_reveal else "需要更正请找资助专干或管理员"))
            self.id_number.note.setStyleSheet("color: #555;")
        self.reveal_button.setVisible(masked and may_reveal)
        self.assess_button.setVisible(allowed(actor.role, Perm.WRITE))   # 困难认定 is the officer's decision

    def reveal_numbers(self) -> None:
        """Show the full numbers (audited by the service); edits made so far stay."""
        if self._id is None:
            return
        try:
            full = self.ctx.registry.get_student(self._id, reveal=True)
        except Exception as e:
            show_error(self, e, "显示完整号码")
            return
        was_clean = not self.is_dirty()
        self._loading = True
        try:
            self.id_number.setText(full.id_number)
            self.student_no.setText(full.student_no)
            self.card.setText(full.bank_card_no)
            self.phone.setText(full.phone)
        finally:
            self._loading = False
        self._set_masked(None)
        if was_clean:
            self.mark_clean()

    def _tab_order(self) -> None:
        chain = [self.name, self.gender, self.ethnicity, self.id_number.edit, self.birth_date.edit, self.student_no,
                 self.stage, self.grade, self.class_name, self.residence, self.enrolment, self.study_location,
                 self.study_school, self.household.choose_button, self.household.clear_button,
                 self.new_household_button, self.relation, self.phone, self.assess_button, self.hukou,
                 *self.categories.widgets(), self.card, self.card_confirm, self.bank_name, self.card_holder,
                 self.holder_relation, self.major, self.agri_major, self.notes, self.save_button]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    # ---- field logic ----------------------------------------------------------------------------
    def _stage_changed(self, *_a) -> None:
        stage = self.stage.currentData() or ""
        current = self.grade.currentData() or ""
        grades = enums.GRADES.get(enums.Stage(stage), ()) if stage else ()
        self.grade.blockSignals(True)
        self.grade.clear()
        self.grade.addItem(NONE_TEXT, "")
        for g in grades:
            self.grade.addItem(g, g)
        self.grade.setCurrentIndex(max(self.grade.findData(current), 0))
        self.grade.blockSignals(False)
        vocational = stage in ("", enums.Stage.VOCATIONAL.value)     # 专业/涉农: 中职 only
        self.major.setEnabled(vocational)
        self.agri_major.setEnabled(vocational)
        self._on_change()

    def _enrolment_changed(self, *_a) -> None:
        elsewhere = self.enrolment.currentData() == enums.Enrolment.ELSEWHERE.value
        self.study_location.setEnabled(elsewhere)
        self.study_school.setEnabled(elsewhere)

    def _id_changed(self) -> None:
        """A valid ID fills 出生日期 and 性别 (and 学籍号 with G + ID when it is empty); when the ID
        stops being valid (a wrong check character after a 15-digit reading) what it filled goes."""
        if self._loading:
            return
        info = self.id_number.info
        if info is None:
            if self._auto and (self.birth_date.text(), self.gender.currentData()) == self._auto:
                self.birth_date.set_value(None)
                set_combo(self.gender, "")
            if self.student_no.text() == self._auto_no:
                self.student_no.clear()
            self._auto = self._auto_no = None
            return
        set_combo(self.gender, info.gender.value)
        self.birth_date.set_value(info.birth_date)
        self._auto = (self.birth_date.text(), info.gender.value)
        if not self.student_no.text().strip() or self.student_no.text() == self._auto_no:
            self.student_no.setText(f"G{info.number}")      # saved as shown; the officer may change it
            self._auto_no = self.student_no.text()

    def _card_changed(self, text: str) -> None:
        try:
            card = check_bank_card(text)
        except ValueError:
            return
        if not card.luhn_passed:
            self._set_confirm_visible(True)

    def _set_confirm_visible(self, visible: bool) -> None:
        self.card_confirm.setVisible(visible)
        self._labels["card_confirm"].setVisible(visible)
        if not visible:
            self._errors["card_confirm"].hide()

    def confirm_visible(self) -> bool:
        return not self.card_confirm.isHidden()

    def _new_household(self) -> None:
        dlg = HouseholdFormDialog(self.ctx, None, self)
        if dlg.exec() and dlg.result_value is not None:
            self.household.set_value(dlg.result_value.id)
            self.householdsChanged.emit(Changes(frozenset({"household"}), frozenset({dlg.result_value.id})))

    def open_assessments(self) -> None:
        if self._id is None:
            return
        dlg = AssessmentsDialog(self.ctx, self._id, self.name.text(), self)
        dlg.changed.connect(self._assessed)
        dlg.exec()

    def _assessed(self, student_id: int) -> None:
        self.difficulty.setText(self.ctx.registry.get_student(student_id).difficulty_level or "未认定")
        self.householdsChanged.emit(Changes(frozenset({"student"}), frozenset({student_id})))

    # ---- saving ---------------------------------------------------------------------------------
    def collect(self) -> tuple[StudentForm, dict[str, str]]:
        problems: dict[str, str] = {}
        birth = None
        if self.birth_date.text().strip() and not self.id_number.text():
            birth = self.birth_date.value()
            if birth is None:
                problems["birth_date"] = self.birth_date.error
        form = StudentForm(
            id=self._id, household_id=self.household.value(), name=self.name.text(),
            gender=self.gender.currentData() or "", ethnicity=self.ethnicity.currentData() or "",
            id_number=self.id_number.text(), student_no=self.student_no.text(), birth_date=birth,
            stage=self.stage.currentData() or "", grade=self.grade.currentData() or "",
            class_name=self.class_name.text(), residence=self.residence.currentData() or "",
            enrolment=self.enrolment.currentData() or "",
            study_location=(self.study_location.currentData() or "") if self.study_location.isEnabled() else "",
            study_school=self.study_school.text() if self.study_school.isEnabled() else "",
            relation_to_head=self.relation.currentData() or "",
            categories=self.categories.value(), hukou=self.hukou.currentData() or "",
            major=self.major.text() if self.major.isEnabled() else "",
            agri_major=({"是": True, "否": False}.get(self.agri_major.currentData() or "")
                        if self.major.isEnabled() else None),
            phone=self.phone.text(), bank_card_no=self.card.text(), bank_name=self.bank_name.currentText().strip(),
            card_holder=self.card_holder.text(), card_holder_relation=self.holder_relation.currentData() or "",
            notes=self.notes.text())
        return form, problems

    def submit(self) -> StudentForm:
        form, problems = self.collect()
        if problems:
            raise ValidationError(problems)
        info = self.id_number.info
        birth = info.birth_date if info else form.birth_date
        doubts = student_warnings(dataclasses.replace(form, birth_date=birth), self.ctx.ctx.clock.today())
        if doubts and QMessageBox.question(
                self, "请核对出生日期", "\n".join(doubts) + "\n\n确定保存吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            raise ValidationError({"id_number" if info else "birth_date": doubts[0]})
        confirm = self.card_confirm.text() if self.confirm_visible() else None
        return self.ctx.registry.save_student(form, card_confirm=confirm)

    def show_errors(self, problems: dict[str, str]) -> None:
        if "再次输入" in problems.get("bank_card_no", ""):
            self._set_confirm_visible(True)
        if "id_number" in problems:
            self.id_number.clear_note()       # the message below the field says it
        super().show_errors(problems)
