"""A child's special-needs file (一人一案) in one window: the child's tab (saved with 保存) and a tab for
each kind of record — assessments, placement, plans, 送教上门, 免于学习, attachments — whose records are
saved one by one as they are entered. A new file is saved first; then the other tabs open."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QTabWidget

from db import enums
from db.docs.kinds import Selection
from db.special import rules
from db.special.dto import FileForm
from db.terms import term_of
from desktop.context import AppContext
from desktop.dialogs.special_attachments import AttachmentsTab
from desktop.dialogs.special_forms import Field, RecordForm, set_widget
from desktop.dialogs.special_tabs import assessments_tab, exemptions_tab, placements_tab, plans_tab, visits_tab
from desktop.printing import print_document, print_menu_button

ROLL_FIELDS = ("name", "id_number", "gender", "birth_date")       # a student's: from the roll, not edited here
CHILD = [Field("name", "姓名"), Field("gender", "性别", "choice", enums.values(enums.Gender)),
         Field("id_number", "身份证号"), Field("birth_date", "出生日期", "date", hint="有身份证号时自动得出"),
         Field("category", "残疾类别", "choice", rules.CATEGORIES), Field("grade", "残疾等级", "choice", rules.GRADES),
         Field("card_no", "残疾人证号", hint="20 位：身份证号 + 类别代码 + 等级代码；未办证留空"),
         Field("card_issued_on", "发证日期", "date"), Field("guardian_name", "监护人"),
         Field("guardian_relation", "与儿童关系", "combo", rules.GUARDIAN_RELATIONS),
         Field("guardian_phone", "监护人电话"), Field("registered_poor", "建档立卡", "tri"),
         Field("address", "家庭住址", wide=True),
         Field("visit_every_days", "送教频次（天）", "int", hint="留空＝统一设置"),
         Field("closed_on", "结案日期", "date", hint="迁出、年满 16 周岁等，平时留空"),
         Field("closed_reason", "结案原因", wide=True), Field("notes", "备注", "long")]
TABS = ("评估", "安置", "个别化教育方案", "送教上门", "免于学习", "附件")


class SpecialFileDialog(RecordForm):
    def __init__(self, ctx: AppContext, form: FileForm, parent=None, *, today: dt.date | None = None):
        self.ctx, self.today = ctx, today or dt.date.today()
        super().__init__("残疾儿童档案", CHILD, form, ctx.special.save_file, parent, width=1100)
        self.saved_any = False
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.grid.addWidget(self.source, 2 * self.next_row, 0, 1, 4)
        self.tabs = QTabWidget(self)
        lay = self.layout()
        lay.removeWidget(self.body)
        for i in reversed(range(lay.count())):          # FormBase's stretch: the tabs take the height
            if lay.itemAt(i).spacerItem() is not None:
                lay.takeAt(i)
        self.tabs.addTab(self.body, "儿童")
        lay.insertWidget(1, self.tabs, 1)
        self.save_button.setText("保存儿童信息")
        self.pages: dict[str, object] = {}
        self.print_button = print_menu_button(self, [
            ("残疾儿童少年安置档案", lambda: self.print_file("special-file")),
            ("个别化教育方案", lambda: self.print_file("special-iep")),
            ("送教上门记录表（本学期每次）", lambda: self.print_file("special-visit")),
            ("送教上门学期记录表", lambda: self.print_file("special-visits"))])
        self.buttons.addButton(self.print_button, self.buttons.ButtonRole.ActionRole)
        self.buttons.button(self.buttons.StandardButton.Cancel).setText("关闭")
        self._show_state()
        self.resize(1100, 690)

    # ---- the child's tab ----------------------------------------------------------------------------
    def _show_state(self) -> None:
        f: FileForm = self.value_in
        linked = f.student_id is not None
        for name in ROLL_FIELDS:
            self.widgets[name].setEnabled(not linked)
        where = f"在册学生（{f.source}），姓名、身份证号等以学生名册为准" if linked else \
            (f.source or "未入学儿童（手工登记）")
        since = f"（{f.placement_since:%Y-%m-%d} 起）" if f.placement_since else ""
        self.source.setText(f"来源：{where}。　现安置方式：<b>{f.placement}</b>{since}"
                            + ("" if f.id else "　——先保存儿童信息，再填写评估、安置等。"))
        self.setWindowTitle(f"残疾儿童档案 —— {f.name}" if f.id else "新建残疾儿童档案")
        self.print_button.setEnabled(f.id is not None)
        if f.id is not None and not self.pages:
            self._open_tabs(f.id)
        for i in range(1, self.tabs.count()):
            self.tabs.setTabEnabled(i, f.id is not None)
        if f.id is None and self.tabs.count() == 1:
            for title in TABS:
                self.tabs.addTab(QLabel("请先保存儿童信息。"), title)
                self.tabs.setTabEnabled(self.tabs.count() - 1, False)

    def _open_tabs(self, file_id: int) -> None:
        while self.tabs.count() > 1:
            self.tabs.removeTab(1)
        ctx, today = self.ctx, self.today
        self.pages = {"评估": assessments_tab(ctx, file_id, self), "安置": placements_tab(ctx, file_id, self),
                      "个别化教育方案": plans_tab(ctx, file_id, self, today),
                      "送教上门": visits_tab(ctx, file_id, self, today),
                      "免于学习": exemptions_tab(ctx, file_id, self, today),
                      "附件": AttachmentsTab(ctx, file_id, self, today=today)}
        for title, page in self.pages.items():
            page.reload()
            page.changed.connect(self._records_changed)
            self.tabs.addTab(page, title)

    def _records_changed(self) -> None:
        self.saved_any = True
        fresh = self.ctx.special.get_file(self.value_in.id)
        self.value_in.placement, self.value_in.placement_since = fresh.placement, fresh.placement_since
        self._show_state()
        if "送教上门" in self.pages:
            self.pages["送教上门"].refresh_note()

    def accept(self) -> None:
        """保存 keeps the window open: the file's other tabs are filled in next."""
        self.value_in = self.result_value
        self.saved_any = True
        for f in CHILD:
            set_widget(self.widgets[f.name], f, getattr(self.value_in, f.name))
        self.mark_clean()
        self._show_state()
        self.source.setText(self.source.text() + "　<span style='color:#2e7d32'>已保存</span>")

    def tab(self, title: str):
        return self.pages.get(title)

    def print_file(self, kind_name: str):
        f = self.value_in
        if f.id is None:
            return None
        sel = Selection(term=term_of(self.today).short, record_ids=(f.id,), today=self.today)
        return print_document(self, self.ctx, kind_name, sel)
