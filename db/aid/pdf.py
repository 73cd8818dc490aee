"""The aid ledger's printed documents for a family: 资助政策告知书（明白卡）, 走访核实记录表 and the
家庭查询 record. Each document is one function from plain dataclasses (filled by db/aid/paper.py) to
flowables; the lists for the wall and the cashier (公示名单, 发放签领表) are in pdf_lists.py.

Money is int fen, shown with two decimals. ID, card and phone numbers arrive masked. Waivers (免学费,
免学杂费, 免保教费) and other aid not paid in cash are never added to the cash total: the 明白卡 shows
them in their own 减免 section.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, KeepTogether

from db.aid.dto import FamilyRecord
from db.assistance.pdf import AssistanceLine, assistance_section
from db.docs.blocks import FillLine, SealBlock, SignRow, date_text
from db.docs.fonts import TITLE
from db.docs.layout import CENTER, RIGHT, SI_HAO, WU_HAO, XIAO_SI, XIAO_WU, Column, Kit
from db.money import format_yuan

BLANK_PHONE = "＿＿＿＿＿＿＿＿＿＿"


def checkbox(value: bool | str | None, yes: str = "是", no: str = "否") -> str:
    """■是　□否 / □是　■否 / □是　□否 (unknown stays unticked, never 否)."""
    on = value in (True, "是")
    off = value in (False, "否")
    return f"{'■' if on else '□'}{yes}　{'■' if off else '□'}{no}"


# ---- 资助政策告知书（明白卡） -----------------------------------------------------------------
@dataclass(frozen=True)
class CardLine:
    student: str
    term: str                    # 2020年秋季学期
    programme: str
    standard: str                # 1,000.00元/年
    amount_fen: int
    status: str
    paid_on: dt.date | None
    card_no: str                 # masked


@dataclass(frozen=True)
class WaiverLine:
    student: str
    term: str
    programme: str
    amount_fen: int              # 0 when the amount is not recorded
    note: str                    # 学校不收取，由财政补助学校 / 营养膳食补助，不发现金


@dataclass
class FamilyCard:
    school: str
    school_year: str             # 2020-2021
    head_name: str
    household_no: str
    address: str
    phone: str                   # masked
    officer: str
    children: list[str]          # 张三（三年级2班）
    lines: list[CardLine] = field(default_factory=list)
    waivers: list[WaiverLine] = field(default_factory=list)
    school_phone: str = ""
    county_hotline: str = ""
    today: dt.date | None = None
    assistance: list[AssistanceLine] = field(default_factory=list)   # 个性化帮扶, apart from the state's aid

    @property
    def cash_total_fen(self) -> int:
        return sum(x.amount_fen for x in self.lines)


def family_card(kit: Kit, c: FamilyCard) -> list[Flowable]:
    out: list[Flowable] = [
        kit.title("学生资助政策告知书（明白卡）"),
        kit.text(f"{c.school}　{c.school_year}学年", XIAO_SI, align=CENTER, space_after=6),
        kit.pairs([("户主", c.head_name), ("户编号", c.household_no), ("住址", c.address), ("联系电话", c.phone),
                   ("在校子女", "、".join(c.children)), ("联络员", c.officer or "")], per_row=2),
        kit.gap(6),
        kit.text(f"尊敬的{c.head_name or ''}家长：根据国家和省学生资助政策，您家子女在{c.school_year}学年"
                 "享受的资助如下，请核对。", XIAO_SI, leading=XIAO_SI * 1.6),
        kit.text("一、现金资助（打入银行卡）", XIAO_SI, TITLE, space_before=6, space_after=3),
    ]
    cols = [Column("学生", 1.1, min_chars=3), Column("学期", 1.5), Column("资助项目", 2.2),
            Column("标准", 1.3), Column("金额(元)", 1.1, RIGHT), Column("发放日期", 1.2, CENTER),
            Column("银行卡号", 2.0)]
    rows = [[x.student, x.term, x.programme, x.standard, format_yuan(x.amount_fen),
             f"{x.paid_on:%Y-%m-%d}" if x.paid_on else x.status, x.card_no] for x in c.lines]
    rows.append(["合计", "", "", "", format_yuan(c.cash_total_fen), "", ""])
    out.append(kit.table(cols, rows, size=XIAO_WU, extra_style=[("SPAN", (0, -1), (3, -1))]))
    out.append(kit.text("二、减免及非现金资助（不发现金，不打入银行卡）", XIAO_SI, TITLE, space_before=8, space_after=3))
    if c.waivers:
        wcols = [Column("学生", 1.1, min_chars=3), Column("学期", 1.5), Column("项目", 2.2),
                 Column("减免金额(元)", 1.3, RIGHT), Column("说明", 3.3)]
        out.append(kit.table(wcols, [[w.student, w.term, w.programme,
                                      format_yuan(w.amount_fen) if w.amount_fen else "按规定免除", w.note]
                                     for w in c.waivers], size=XIAO_WU))
    else:
        out.append(kit.text("无。", XIAO_SI))
    hotline = c.county_hotline or BLANK_PHONE
    phone = c.school_phone or BLANK_PHONE
    out += [
        kit.text("三、如何核实", XIAO_SI, TITLE, space_before=8, space_after=3),
        kit.text("1. 资助资金直接打入上表所列银行卡，可持卡到开户银行打印流水，核对到账金额和日期。",
                 XIAO_SI, leading=XIAO_SI * 1.5),
        kit.text("2. 减免资金由财政拨付学校，学校不再向学生收取，家长无需另行申请。", XIAO_SI, leading=XIAO_SI * 1.5),
        kit.text(f"3. 如有疑问或未按时到账，请联系学校资助办（电话：{phone}），或拨打县学生资助管理中心"
                 f"电话（{hotline}）。", XIAO_SI, leading=XIAO_SI * 1.5),
        *assistance_section(kit, c.assistance),
        kit.gap(10),
        KeepTogether([SignRow(kit, [("家长（监护人）签名", True)], dated=True),
                      SealBlock(kit, c.school, c.today, size=XIAO_SI)]),
    ]
    return out


# ---- 走访核实记录表 -------------------------------------------------------------------------
@dataclass(frozen=True)
class VisitPaymentLine:
    student: str
    programme: str
    amount_fen: int
    paid_on: dt.date | None
    card_no: str                 # masked
    received: str | None         # 是 / 否 / None (unknown, or a blank form)


@dataclass
class VisitSheet:
    school: str
    term: str                    # 2020年秋季学期, "" when the visit checked no term
    head_name: str
    household_no: str
    address: str
    phone: str                   # masked
    officer: str
    payments: list[VisitPaymentLine] = field(default_factory=list)
    visit_date: dt.date | None = None     # None: a blank form to take on the visit
    purpose: str = "走访核实"
    told: str = ""
    statement_filed: bool | None = None
    family_remarks: str = ""
    follow_up: str = ""


def visit_sheet(kit: Kit, v: VisitSheet) -> list[Flowable]:
    out: list[Flowable] = [
        kit.title("学生资助走访核实记录表"),
        kit.text(f"{v.school}　{v.term or ''}", XIAO_SI, align=CENTER, space_after=6),
        kit.pairs([("户主", v.head_name), ("户编号", v.household_no), ("住址", v.address), ("联系电话", v.phone),
                   ("联络员", v.officer), ("走访日期", date_text(v.visit_date)), ("走访目的", v.purpose),
                   ("核实学期", v.term)], per_row=2),
        kit.text("一、资助资金到账核实", XIAO_SI, TITLE, space_before=8, space_after=3),
    ]
    cols = [Column("学生", 1.1, min_chars=3), Column("资助项目", 2.2), Column("金额(元)", 1.1, RIGHT),
            Column("发放日期", 1.2, CENTER), Column("银行卡号", 2.0), Column("是否到账", 1.4, CENTER)]
    rows = [[p.student, p.programme, format_yuan(p.amount_fen), f"{p.paid_on:%Y-%m-%d}" if p.paid_on else "",
             p.card_no, checkbox(p.received)] for p in v.payments]
    if rows:
        rows.append(["合计", "", format_yuan(sum(p.amount_fen for p in v.payments)), "", "", ""])
        out.append(kit.table(cols, rows, size=XIAO_WU, extra_style=[("SPAN", (0, -1), (1, -1))]))
    else:
        out.append(kit.text("本学期没有发放记录。", XIAO_SI))
    out += [
        kit.gap(6),
        kit.text(f"银行流水是否已打印并归档：{checkbox(v.statement_filed)}　　　照片：＿＿＿＿张", XIAO_SI),
        kit.text("二、宣传告知内容", XIAO_SI, TITLE, space_before=8, space_after=3),
        kit.text(v.told, XIAO_SI, leading=XIAO_SI * 1.5) if v.told else FillLine(kit, "告知内容", lines=3),
        kit.text("三、家庭意见", XIAO_SI, TITLE, space_before=8, space_after=3),
        kit.text(v.family_remarks, XIAO_SI, leading=XIAO_SI * 1.5) if v.family_remarks
        else FillLine(kit, "家庭意见", lines=2),
        kit.text("四、需跟进事项", XIAO_SI, TITLE, space_before=8, space_after=3),
        kit.text(v.follow_up, XIAO_SI, leading=XIAO_SI * 1.5) if v.follow_up else FillLine(kit, "跟进事项"),
        kit.gap(14),
        SignRow(kit, [("联络员签名", False), ("户主（家长）签名", True)], dated=True),
    ]
    return out


# ---- 家庭查询 (the family page, printed) ---------------------------------------------------------
def family_record(kit: Kit, rec: FamilyRecord, school: str = "", today: dt.date | None = None) -> list[Flowable]:
    c = rec.child
    s = WU_HAO
    out: list[Flowable] = [
        kit.title("学生资助情况查询记录"),
        kit.text(f"{school}　查询日期：{date_text(today or dt.date.today())}　累计已发放："
                 f"{format_yuan(rec.paid_total_fen)} 元", XIAO_SI, align=CENTER, space_after=6),
        _heading(kit, "学生"),
        kit.pairs([("姓名", c.name), ("性别", c.gender), ("身份证号", c.id_number or "未登记"), ("学段", c.stage),
                   ("年级班级", f"{c.grade}{c.class_name}"), ("寄宿/走读", c.residence), ("在校状态", c.enrolment),
                   ("资助对象类别", "、".join(c.categories) or "无"), ("困难认定等级", c.difficulty_level),
                   ("开户银行", c.bank_name), ("银行卡号", c.card_no or "未登记")], per_row=3, size=s),
        _heading(kit, "家庭"),
    ]
    if rec.household_id is None:
        out.append(kit.text("未登记家庭信息。", XIAO_SI))
    else:
        out.append(kit.pairs([("户主", rec.head_name), ("户编号", rec.household_no), ("联系电话", rec.phone),
                              ("住址", rec.address), ("建档立卡类型", rec.poverty_status or "非建档立卡"),
                              ("联络员", rec.officer or "未分配")], per_row=3, size=s))
    if rec.siblings:
        out += [_heading(kit, "家中其他在校子女"), kit.table(
            [Column("姓名"), Column("性别", 0.6), Column("身份证号", 2), Column("学段"), Column("年级班级", 1.3),
             Column("在校状态"), Column("资助对象类别", 2)],
            [[x.name, x.gender, x.id_number, x.stage, f"{x.grade}{x.class_name}", x.enrolment,
              "、".join(x.categories) or "无"] for x in rec.siblings], size=XIAO_WU)]
    ents = [[term, x.programme, ("减免" if x.waiver else "不发现金") if not x.cash
             else ("待定" if x.needs_amount else format_yuan(x.amount_fen)),
             x.reason] for term, xs in rec.entitlements.items() for x in xs]
    out.append(_heading(kit, "应享受的资助（按现行标准计算）"))
    out.append(kit.table([Column("学期", 1.3), Column("资助项目", 1.8), Column("金额(元)", 1, RIGHT),
                          Column("依据", 4)], ents, size=XIAO_WU) if ents else kit.text("无。", XIAO_SI))
    out.append(_heading(kit, "发放记录（全家）"))
    out.append(kit.table(
        [Column("学期", 1.3), Column("学生", 0.9), Column("资助项目", 1.8), Column("金额(元)", 1, RIGHT),
         Column("状态", 0.8), Column("发放日期", 1.1), Column("银行卡号", 1.8)],
        [[p.term, p.student, p.programme, format_yuan(p.amount_fen), p.status,
          f"{p.paid_on:%Y-%m-%d}" if p.paid_on else "", p.card_no] for p in rec.payments], size=XIAO_WU)
        if rec.payments else kit.text("还没有发放记录。", XIAO_SI))
    out.append(_heading(kit, "走访记录"))
    if rec.visits:
        names = {p.line_id: f"{p.student} {p.programme}" for p in rec.payments}
        out.append(kit.table(
            [Column("日期", 1.1), Column("走访人", 0.9), Column("目的", 1), Column("核实学期", 1.3),
             Column("宣传/告知", 2), Column("是否收到", 2.2), Column("流水已打印", 0.9, CENTER),
             Column("家庭意见", 1.6)],
            [[f"{v.visit_date:%Y-%m-%d}", v.officer, v.purpose, v.term, v.told,
              "；".join(f"{names.get(lid, lid)}：{r or '未知'}" for lid, r in v.received) or "—",
              {True: "是", False: "否"}.get(v.statement_filed, "未知"), v.family_remarks] for v in rec.visits],
            size=XIAO_WU))
    else:
        out.append(kit.text("还没有走访记录。", XIAO_SI))
    out += [kit.gap(12), SignRow(kit, [("查询人签名", False)], dated=True)]
    return out


def _heading(kit: Kit, text: str) -> Flowable:
    return kit.text(text, SI_HAO - 1, TITLE, space_before=8, space_after=3)
