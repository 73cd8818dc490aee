"""The dropout ledger's printed documents: 劝返复学通知书 (to the guardian, with the legal duty and a
tear-off receipt), 劝返记录表 (a case and every attempt) and 控辍保学月报表. Each is one function from
plain dataclasses (filled by db/dropout/paper.py) to flowables. Phone numbers arrive masked; the
notice names the child without an ID number (it goes to the family)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from db.docs.blocks import CutLine, FillLine, SealBlock, SignRow, date_text
from db.docs.fonts import BODY, TITLE
from db.docs.layout import CENTER, HEADER_BG, SAN_HAO, WU_HAO, XIAO_SI, XIAO_WU, Column, Kit
from db.dropout.dto import COUNT_COLUMNS, MonthReport

LAW = ("《中华人民共和国义务教育法》第五条：适龄儿童、少年的父母或者其他法定监护人应当依法保证其按时入学接受并完成义务教育。"
       "\n第十一条：适龄儿童、少年因身体状况需要延缓入学或者休学的，其父母或者其他法定监护人应当提出申请，"
       "由当地乡镇人民政府或者县级人民政府教育行政部门批准。"
       "\n第五十八条：适龄儿童、少年的父母或者其他法定监护人无正当理由未依照本法规定送适龄儿童、少年入学接受义务教育的，"
       "由当地乡镇人民政府或者县级人民政府教育行政部门给予批评教育，责令限期改正。")


def _day(d: dt.date | None) -> str:
    return f"{d:%Y-%m-%d}" if d else ""


# ---- 劝返复学通知书 ---------------------------------------------------------------------------------------
@dataclass
class ReturnNotice:
    school: str
    school_phone: str
    case_id: int
    name: str
    gender: str
    grade_class: str
    guardian: str
    last_at_school: dt.date | None
    days_absent: int | None
    attempts: int
    head_teacher: str
    return_by: dt.date | None         # a written order's 限期复学 date; None: a line to fill in by hand
    today: dt.date | None = None


def return_notice(kit: Kit, n: ReturnNotice) -> list[Flowable]:
    since = (f"自{date_text(n.last_at_school)}起未到校上课" if n.last_at_school else "未到校上课") + \
        (f"，至今已 {n.days_absent} 天" if n.days_absent else "")
    tried = "学校已多次联系劝返，孩子仍未返校。" if n.attempts else ""
    size, lead = XIAO_SI, XIAO_SI * 1.7
    body = [
        kit.title("劝返复学通知书"),
        kit.text(f"编号：控辍 {n.case_id}", WU_HAO, align="right", space_after=6),
        kit.text(f"{n.guardian or '＿＿＿＿＿＿'}（家长/监护人）：", size, TITLE, leading=lead),
        kit.body(f"　　您的孩子{n.name}（{n.gender or '　'}）是{n.school}{n.grade_class}学生，{since}。{tried}"
                 f"为保障孩子接受义务教育的权利，请您于{date_text(n.return_by)}前送孩子到校复学。孩子返校有困难的"
                 "（学习跟不上、家庭经济困难、身体原因等），请及时与学校联系，学校将帮助解决；家庭经济困难的，按规定给予资助。",
                 size, space_after=4),
        kit.body("　　适龄儿童、少年接受义务教育是法律规定的义务，家长（监护人）负有送子女入学并完成义务教育的法定责任。"
                 "逾期仍不送孩子返校的，学校将报告乡镇人民政府和县教育局，依法督促孩子复学。", size, space_after=4),
        kit.text("法律依据", XIAO_SI, TITLE, space_after=2),
        kit.text(LAW, WU_HAO, leading=WU_HAO * 1.55, space_after=4),
        kit.text(f"学校联系人：{n.head_teacher or '＿＿＿＿'}（班主任）　　联系电话：{n.school_phone or '＿＿＿＿＿＿＿＿'}",
                 size, space_after=2),
        SealBlock(kit, n.school, n.today, size=XIAO_SI),
    ]
    receipt = [
        CutLine(kit),
        kit.text("回　执", SAN_HAO, TITLE, align=CENTER, space_after=4),
        kit.body(f"{n.school}：\n　　我已收到学校送达的《劝返复学通知书》"
                 f"（学生{n.name}，{n.grade_class}，编号：控辍 {n.case_id}），知晓依法保证孩子接受并完成义务教育的义务，"
                 "将于　　年　　月　　日前送孩子返校复学。", size),
        kit.gap(4),
        SignRow(kit, [("家长（监护人）签名", True)], dated=True),
        kit.text("（此联由家长签字后交回学校，存入控辍保学档案）", XIAO_WU, align=CENTER),
    ]
    return [*body, KeepTogether(receipt)]


# ---- 劝返记录表 ------------------------------------------------------------------------------------------
@dataclass
class AttemptLine:
    seq: int
    on: dt.date
    level: str
    method: str
    people: str                        # phones masked
    result: str
    next_step: str


@dataclass
class AttemptSheet:
    school: str
    case_id: int
    name: str
    gender: str
    id_number: str                     # masked
    stage_class: str
    poor: str                          # 建档立卡（脱贫户） / 否
    guardian: str
    guardian_phone: str                # masked
    address: str
    head_teacher: str
    liaison: str
    reason: str
    last_at_school: dt.date | None
    opened_on: dt.date
    state: str
    history: list[str] = field(default_factory=list)      # 2020-09-20 建档：疑似辍学 …
    attempts: list[AttemptLine] = field(default_factory=list)
    outcome: str = ""                  # 2020-10-30 复学（七年级4班）；回访 … / 销号（转学：…）
    today: dt.date | None = None


def attempt_sheet(kit: Kit, a: AttemptSheet) -> list[Flowable]:
    out: list[Flowable] = [
        kit.title("控辍保学劝返记录表"),
        kit.text(f"{a.school}　　个案编号：{a.case_id}　　当前状态：{a.state}", XIAO_SI, align=CENTER, space_after=6),
        kit.pairs([("学生姓名", a.name), ("性别", a.gender), ("身份证号", a.id_number), ("学段年级", a.stage_class),
                   ("建档立卡", a.poor), ("辍学原因", a.reason), ("监护人", a.guardian), ("联系电话", a.guardian_phone),
                   ("家庭住址", a.address), ("班主任", a.head_teacher), ("联络员", a.liaison),
                   ("最后到校", _day(a.last_at_school)), ("建档日期", _day(a.opened_on)),
                   ("状态变化", "；".join(a.history))],
                  per_row=2, size=XIAO_WU),
        kit.text("劝返记录", XIAO_SI, TITLE, space_before=8, space_after=3),
    ]
    cols = [Column("次数", 0.5, CENTER), Column("日期", 1.0, CENTER), Column("层级", 0.9, CENTER),
            Column("劝返人员（姓名、职务、电话）", 2.6), Column("方式", 0.7, CENTER), Column("结果及情况", 2.0),
            Column("下一步及日期", 1.8)]
    rows = [[str(x.seq), _day(x.on), x.level, x.people, x.method, x.result, x.next_step] for x in a.attempts]
    rows += [["", "", "", "", "", "", ""] for _ in range(max(0, 4 - len(rows)))]      # room to write by hand
    out.append(kit.table(cols, rows, size=XIAO_WU, row_heights=None))
    out += [kit.text("结果", XIAO_SI, TITLE, space_before=8, space_after=3),
            kit.text(a.outcome, XIAO_SI, leading=XIAO_SI * 1.5) if a.outcome else FillLine(kit, "复学或销号情况", lines=2),
            kit.gap(6),
            SignRow(kit, [("班主任", False), ("经办人", False), ("校长", False)], dated=True),
            SealBlock(kit, a.school, None, label="（学校盖章）", size=XIAO_SI)]
    return out


# ---- 控辍保学月报表 ---------------------------------------------------------------------------------------
@dataclass
class MonthSheet:
    school: str
    county: str
    report: MonthReport
    filled_by: str
    headmaster: str
    phone: str
    today: dt.date | None = None


def _counts_table(kit: Kit, r: MonthReport) -> Table:
    size = XIAO_WU
    head1 = [kit.cell("学段", size, CENTER, TITLE)]
    head2 = [""]
    for _key, title in COUNT_COLUMNS:
        head1 += [kit.cell(title, size, CENTER, TITLE), ""]
        head2 += [kit.cell("人数", size, CENTER, TITLE), kit.cell("建档立卡", size, CENTER, TITLE)]
    data = [head1, head2]
    for row in [*r.rows, r.total]:
        line = [kit.cell(row.stage, size, CENTER, TITLE if row is r.total else BODY)]
        for key, _t in COUNT_COLUMNS:
            n, poor = row.get(key)
            line += [kit.cell(str(n), size, CENTER), kit.cell(str(poor), size, CENTER)]
        data.append(line)
    widths = kit.widths([Column("", 1.2)] + [Column("", 1.0)] * (2 * len(COUNT_COLUMNS)), size)
    style = [*kit.table_style(2), ("SPAN", (0, 0), (0, 1)), ("BACKGROUND", (0, -1), (-1, -1), HEADER_BG)]
    style += [("SPAN", (1 + 2 * i, 0), (2 + 2 * i, 0)) for i in range(len(COUNT_COLUMNS))]
    t = Table(data, colWidths=widths, repeatRows=2)
    t.setStyle(TableStyle(style))
    return t


def month_sheet(kit: Kit, m: MonthSheet) -> list[Flowable]:
    r = m.report
    out: list[Flowable] = [
        kit.title("控辍保学月报表"),
        kit.text(f"填报单位：{m.school}　　{m.county}　　报告月份：{r.label}　　"
                 f"（疑似辍学、辍学、劝返中为月末人数；复学、销号、新增为本月人数）", WU_HAO, align=CENTER, space_after=6),
        _counts_table(kit, r),
        kit.text("本月销号原因", XIAO_SI, TITLE, space_before=8, space_after=3),
    ]
    if r.closed_by_reason:
        out.append(kit.table([Column("销号原因", 2), Column("人数", 1, CENTER), Column("其中建档立卡", 1, CENTER)],
                             [[reason, str(n), str(p)] for reason, n, p in r.closed_by_reason], size=XIAO_WU,
                             width=110 * mm))
    else:
        out.append(kit.text("本月无销号。", WU_HAO))
    out.append(kit.text("个案名单", XIAO_SI, TITLE, space_before=8, space_after=3))
    if r.cases:
        cols = [Column("序号", 0.5, CENTER), Column("姓名", 0.9, min_chars=3), Column("性别", 0.5, CENTER),
                Column("学段年级", 1.3), Column("建档立卡", 0.7, CENTER), Column("月末状态", 0.8, CENTER),
                Column("辍学原因", 1.2), Column("建档日期", 0.9, CENTER), Column("劝返次数", 0.6, CENTER),
                Column("最近一次劝返", 2.4), Column("本月变化", 1.4)]
        rows = [[str(i), c.name, c.gender, f"{c.stage} {c.grade_class}".strip(), "是" if c.poor else "", c.state,
                 c.reason, _day(c.opened_on), str(c.attempts), c.last_attempt, c.change]
                for i, c in enumerate(r.cases, 1)]
        out.append(kit.table(cols, rows, size=XIAO_WU))
    else:
        out.append(kit.text("本月无控辍保学个案（零报告）。", WU_HAO))
    out += [kit.gap(8),
            kit.text(f"填表人：{m.filled_by or '＿＿＿＿＿＿'}　　　校长：{m.headmaster or '＿＿＿＿＿＿'}　　　"
                     f"联系电话：{m.phone or '＿＿＿＿＿＿＿＿'}　　　填报日期：{date_text(m.today)}", XIAO_SI)]
    return out
