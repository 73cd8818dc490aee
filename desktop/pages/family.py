"""家庭查询 (结果可查询): type a name or ID number, get one self-contained page about the child and
the household — categories, every term's entitlements and payments with status, visits.

The page is HTML in a QTextBrowser, built by `record_html` (plain Python, no Qt): the printing issue
can put the same HTML in a QTextDocument and print it. ID, card and phone numbers are masked
(身份证号 3401**********1234): the page may be shown to a family or printed for a file; the officer
who needs the full number opens the student form.
"""
from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.aid.dto import FamilyChild, FamilyChoice, FamilyRecord
from db.changes import Changes
from db.docs.kinds import Selection
from db.money import format_yuan
from db.terms import parse_term, term_of
from desktop.context import AppContext
from desktop.errors import show_error
from desktop.pages.aid_common import STATUS_COLORS
from desktop.pages.assistance_family import assistance_html
from desktop.pages.base import Page
from desktop.pages.cases_html import family_section
from desktop.pages.special_family import special_html
from desktop.printing import print_document
from widgets.search_box import SearchBox

CSS = """
body { font-size: 10.5pt; }
h2 { margin: 0 0 4px 0; }
h3 { margin: 12px 0 4px 0; color: #1a237e; border-bottom: 1px solid #9fa8da; }
table { border-collapse: collapse; }
td, th { border: 1px solid #bdbdbd; padding: 3px 6px; }
th { background: #eceff1; font-weight: bold; text-align: left; }
td.money, th.money { text-align: right; }
.muted { color: #616161; }
"""


def e(value) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list[str]], money_cols: frozenset[int] = frozenset()) -> str:
    """Cells in `rows` are already HTML."""
    head = "".join(f"<th{' class=money' if i in money_cols else ''}>{e(h)}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{' class=money' if i in money_cols else ''}>{c}</td>"
                                     for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table width='100%' cellspacing='0' cellpadding='3'><tr>{head}</tr>{body}</table>"


def _pairs(items: list[tuple[str, str]]) -> str:
    """Label/value pairs, three to a row."""
    cells = [f"<th width='11%'>{e(k)}</th><td width='22%'>{e(v) or '—'}</td>" for k, v in items]
    rows = ["".join(cells[i:i + 3]) for i in range(0, len(cells), 3)]
    return "<table width='100%' cellspacing='0' cellpadding='3'>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def _status(status: str) -> str:
    return f"<span style='color:{STATUS_COLORS.get(status, '#000')}'><b>{e(status)}</b></span>"


def _child_pairs(c: FamilyChild) -> list[tuple[str, str]]:
    return [("姓名", c.name), ("性别", c.gender), ("身份证号", c.id_number or "未登记"),
            ("学段", c.stage), ("年级班级", f"{c.grade}{c.class_name}"), ("寄宿/走读", c.residence),
            ("在校状态", c.enrolment), ("资助对象类别", "、".join(c.categories) or "无"),
            ("困难认定等级", c.difficulty_level), ("开户银行", c.bank_name), ("银行卡号", c.card_no or "未登记")]


def record_html(rec: FamilyRecord, *, today: dt.date | None = None, school: str = "", extra: str = "") -> str:
    """The family record as one self-contained HTML page (for the screen and for printing); `extra`
    is HTML of other ledgers' sections (控辍保学, 省外就读) added at the end."""
    today = today or dt.date.today()
    c = rec.child
    out = [f"<html><head><style>{CSS}</style></head><body>",
           f"<h2>学生资助情况 —— {e(c.name)}</h2>",
           f"<p class='muted'>{e(school) + '　' if school else ''}查询日期：{today:%Y-%m-%d}　"
           f"累计已发放（现金）：<b>{format_yuan(rec.paid_total_fen)} 元</b>"
           + (f"　另有减免 {format_yuan(rec.waiver_total_fen)} 元（学校不收费，不发现金）" if rec.waiver_total_fen else "")
           + "</p>",
           "<h3>学生</h3>", _pairs(_child_pairs(c) + [("困难认定", "；".join(rec.assessments) or "未认定")]),
           "<h3>家庭</h3>"]
    if rec.household_id is None:
        out.append("<p class='muted'>未登记家庭信息。</p>")
    else:
        out.append(_pairs([("户主", rec.head_name), ("户编号", rec.household_no), ("联系电话", rec.phone),
                           ("住址", rec.address), ("建档立卡类型", rec.poverty_status or "非建档立卡"),
                           ("联络员", rec.officer or "未分配")]))
    if rec.siblings:
        out.append("<h3>家中其他在校子女</h3>")
        out.append(_table(["姓名", "性别", "身份证号", "学段", "年级班级", "在校状态", "资助对象类别"],
                          [[e(s.name), e(s.gender), e(s.id_number), e(s.stage), e(f"{s.grade}{s.class_name}"),
                            e(s.enrolment), e("、".join(s.categories) or "无")] for s in rec.siblings]))
    out.append("<h3>应享受的资助（按现行标准计算）</h3>")
    ent_rows = []
    for term, ents in rec.entitlements.items():
        for x in ents:
            amount = (("减免" + ("" if x.needs_amount else " " + format_yuan(x.amount_fen))) if x.waiver
                      else "不发现金" if not x.cash else ("待定" if x.needs_amount else format_yuan(x.amount_fen)))
            ent_rows.append([e(term), e(x.programme), amount, e(x.reason)])
        if not ents:
            ent_rows.append([e(term), "<span class='muted'>无</span>", "", ""])
    out.append(_table(["学期", "资助项目", "金额(元)", "依据"], ent_rows, frozenset({2})) if ent_rows
               else "<p class='muted'>无。</p>")
    out.append("<h3>发放记录（全家）</h3>")
    if rec.payments:
        out.append(_table(["学期", "学生", "资助项目", "金额(元)", "状态", "发放日期", "银行卡号"],
                          [[e(p.term), e(p.student), e(p.programme), format_yuan(p.amount_fen), _status(p.status),
                            f"{p.paid_on:%Y-%m-%d}" if p.paid_on else "", e(p.card_no)] for p in rec.payments],
                          frozenset({3})))
    else:
        out.append("<p class='muted'>还没有发放记录。</p>")
    out.append("<h3>走访记录</h3>")
    if rec.visits:
        names = {p.line_id: f"{p.term[:4]}{p.term[5:6]} {p.student} {p.programme}" for p in rec.payments}
        rows = []
        for v in rec.visits:
            got = "；".join(f"{names.get(lid, lid)}：{r or '未知'}" for lid, r in v.received) or "—"
            filed = {True: "是", False: "否"}.get(v.statement_filed, "未知")
            rows.append([f"{v.visit_date:%Y-%m-%d}", e(v.officer), e(v.purpose), e(v.term), e(v.told),
                         e(got), filed, e(v.family_remarks), "需要" if v.follow_up else ""])
        out.append(_table(["日期", "走访人", "目的", "核实学期", "宣传/告知", "是否收到", "流水已打印",
                           "家庭意见", "跟进"], rows))
    else:
        out.append("<p class='muted'>还没有走访记录。</p>")
    out.append(extra)
    out.append("</body></html>")
    return "".join(out)


class FamilyPage(Page):
    title = "家庭查询"
    icon = "family"
    ledger = "aid"
    settings_key = "family"

    choicesLoaded = Signal(int)
    recordLoaded = Signal(object)       # FamilyRecord

    def __init__(self, ctx: AppContext, parent=None, *, today: Callable[[], dt.date] | None = None):
        super().__init__(ctx, parent)
        self.today = today or ctx.ctx.clock.today      # the one clock (a test or the demo may fix it)
        self._token = 0
        self.record: FamilyRecord | None = None
        self.search = SearchBox("输入学生姓名、身份证号（可只输前几位）或户主姓名", self)
        self.search.search.connect(self.find)
        self.choices = QListWidget(self)
        self.choices.setWordWrap(True)
        self.choices.setAlternatingRowColors(True)
        self.choices.currentItemChanged.connect(lambda cur, _p: self.show_student(
            cur.data(Qt.ItemDataRole.UserRole)) if cur is not None else None)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setHtml("<p style='color:#616161'>在上方输入姓名或身份证号查询。</p>")
        self.hint = QLabel("")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.hint)
        ll.addWidget(self.choices, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.browser)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 900])
        self.print_record_button = QPushButton("打印查询记录")
        self.print_record_button.clicked.connect(lambda: self.print_current())
        self.print_card_button = QPushButton("打印明白卡")
        self.print_card_button.setToolTip("这户本学年的资助政策告知书（明白卡），家长签字按手印后存档")
        self.print_card_button.clicked.connect(lambda: self.print_current("card"))
        for b in (self.print_record_button, self.print_card_button):
            b.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("查询："))
        top.addWidget(self.search, 1)
        top.addWidget(self.print_record_button)
        top.addWidget(self.print_card_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        self.setFocusProxy(self.search)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def find(self, text: str) -> None:
        self._token += 1
        token, aid = self._token, self.ctx.aid
        self.ctx.tasks.query(lambda: aid.search_family(text), lambda r: self._on_choices(token, r),
                             lambda exc: show_error(self, exc, "查询"))

    def _on_choices(self, token: int, choices: list[FamilyChoice]) -> None:
        if token != self._token:
            return
        self.choices.blockSignals(True)
        self.choices.clear()
        for c in choices:
            item = QListWidgetItem(c.label.replace("（", "\n（", 1))
            item.setData(Qt.ItemDataRole.UserRole, c.student_id)
            item.setToolTip(c.label)
            self.choices.addItem(item)
        self.choices.blockSignals(False)
        self.hint.setText(f"找到 {len(choices)} 名学生" + ("（只显示前 30 名，请输入更完整）" if len(choices) >= 30 else "")
                          if choices else "没有找到，请换个写法（姓名中的字、身份证号前几位）")
        self.choicesLoaded.emit(len(choices))
        if choices:
            self.choices.setCurrentRow(0)       # shows the first one

    def show_student(self, student_id: int) -> None:
        self._token += 1
        token, aid, today = self._token, self.ctx.aid, self.today()
        dropout, letters, assistance, special = self.ctx.dropout, self.ctx.letters, self.ctx.assistance, self.ctx.special

        def load():
            rec = aid.family_record(student_id, today=today)
            kids = [rec.child.id, *(k.id for k in rec.siblings)]
            return (rec, dropout.cases_for_student(student_id), letters.letters_for_student(student_id),
                    assistance.items(kids), special.family_files(kids, today))
        self.ctx.tasks.query(load, lambda res: self._on_record(token, *res), lambda exc: show_error(self, exc, "查询"))

    def _on_record(self, token: int, rec: FamilyRecord, cases=(), letters=(), assistance=(), files=()) -> None:
        if token != self._token:
            return
        self.record = rec
        info = self.ctx.school.get()
        extra = (family_section(list(cases), list(letters)) + assistance_html(list(assistance))
                 + special_html(list(files)))
        self.browser.setHtml(record_html(rec, today=self.today(), school=info.name if info else "", extra=extra))
        self.print_record_button.setEnabled(True)
        self.print_card_button.setEnabled(True)
        self.recordLoaded.emit(rec)

    def print_current(self, kind_name: str = "family"):
        """Ctrl+P: the record shown, printed (家庭查询); or its household's 明白卡 for the school year of
        its newest payment (the current term when it has none)."""
        rec = self.record
        if rec is None:
            QMessageBox.information(self, "打印", "请先查询一名学生。")
            return None
        term = parse_term(rec.payments[0].term) if rec.payments else term_of(self.today())
        sel = Selection(term=term.short, student_ids=(rec.child.id,), today=self.today())
        return print_document(self, self.ctx, kind_name, sel)

    def html(self) -> str:
        return self.browser.toHtml()

    def on_changes(self, changes: Changes) -> None:
        if self.record is not None and changes.entities & {"student", "household", "aid", "visit", "dropout", "letter",
                                                           "assistance", "special"}:
            self.show_student(self.record.child.id)
