"""The out-of-province letter (省外就读学生资助政策落实函) with its tear-off receipt (回执): one function
from a plain dataclass (filled by db/letters/paper.py) to flowables. The child's ID number is printed
in full — it is official correspondence between two schools — and nowhere else in the app's lists."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from db.docs.blocks import CutLine, FillLine, SealBlock, date_text
from db.docs.fonts import TITLE
from db.docs.layout import CENTER, RIGHT, SAN_HAO, WU_HAO, XIAO_SI, XIAO_WU, Column, Kit


@dataclass
class LetterDoc:
    school: str
    county: str
    school_phone: str
    officer: str
    headmaster: str
    number: str                   # 校资函〔2020〕3号
    letter_date: dt.date
    to_school: str
    to_place: str                 # 江苏省苏州市昆山市
    to_address: str
    to_contact: str
    to_phone: str
    child_name: str
    child_gender: str
    child_id_number: str          # in full
    child_stage: str
    child_grade: str
    head_name: str
    address: str
    poverty: str                  # 建档立卡（脱贫户）
    exit_year: str                # 2019年 / 未脱贫 / ""
    term_label: str               # 2020年秋季学期
    policies: list[str] = field(default_factory=list)
    request: str = ""
    reply_due: dt.date | None = None


def letter(kit: Kit, d: LetterDoc) -> list[Flowable]:
    size, lead = XIAO_SI, XIAO_SI * 1.65
    to = f"{d.to_school}（{d.to_place}）" if d.to_place else d.to_school
    out: list[Flowable] = [
        kit.title("省外就读学生资助政策落实函"),
        kit.text(d.number, XIAO_SI, align=RIGHT, space_after=6),
        kit.text(f"{to}：", size, TITLE, leading=lead),
        kit.body(f"　　{d.child_name}同学，家住{d.county}{d.address.replace(' ', '')}，系建档立卡家庭学生，"
                 "据了解现在贵校就读。为落实国家学生资助政策，现将该生基本情况及有关资助政策函告如下：",
                 size, space_after=4),
        kit.pairs([("学生姓名", d.child_name), ("性别", d.child_gender), ("身份证号", d.child_id_number),
                   ("学段年级", f"{d.child_stage} {d.child_grade}".strip() or "＿＿＿＿"), ("户主姓名", d.head_name),
                   ("家庭住址", d.address), ("建档立卡", d.poverty), ("脱贫年度", d.exit_year)], per_row=2, size=WU_HAO),
        kit.text(f"一、{d.child_stage or '该学段'}学生资助政策（我省{d.term_label}标准，供参考）", size, TITLE,
                 space_before=6, space_after=2),
    ]
    lines = d.policies or ["按国家和当地学生资助政策执行。"]
    out += [kit.text(f"{i}. {p}", WU_HAO, leading=WU_HAO * 1.5) for i, p in enumerate(lines, 1)]
    out += [
        kit.text("二、请求事项", size, TITLE, space_before=6, space_after=2),
        kit.body(f"　　{d.request}", size, space_after=4),
        kit.text(f"联系人：{d.officer or '＿＿＿＿'}　　联系电话：{d.school_phone or '＿＿＿＿＿＿＿＿'}"
                 + (f"　　贵校联系人：{d.to_contact}" if d.to_contact else ""), WU_HAO, space_after=2),
        kit.text(f"校长：{d.headmaster or '＿＿＿＿＿＿'}（签字）", XIAO_SI, space_before=4),
        SealBlock(kit, d.school, d.letter_date, size=XIAO_SI),
    ]
    return [*out, KeepTogether(_receipt(kit, d))]


def _receipt(kit: Kit, d: LetterDoc) -> list[Flowable]:
    due = f"请于{date_text(d.reply_due)}前" if d.reply_due else "请"
    cols = [Column("资助项目", 2.4), Column("学期", 1.6, CENTER), Column("金额（元）", 1.2, RIGHT), Column("备注", 1.6)]
    return [
        CutLine(kit),
        kit.text("回　执", SAN_HAO, TITLE, align=CENTER, space_after=4),
        kit.text(f"{d.school}：", XIAO_SI, TITLE),
        kit.body(f"　　贵校{d.number}收悉。学生{d.child_name}（身份证号 {d.child_id_number}）在我校就读及资助落实情况如下：",
                 XIAO_SI, space_after=2),
        FillLine(kit, "在我校就读年级班级"),
        kit.table(cols, [["", "", "", ""] for _ in range(3)], size=XIAO_WU, row_heights=[7 * mm] * 4),
        kit.gap(4),
        kit.text("经办人：＿＿＿＿＿＿　　联系电话：＿＿＿＿＿＿＿＿", XIAO_SI),
        SealBlock(kit, d.to_school, None, label="（接收学校盖章）", size=XIAO_SI),
        kit.text(f"{due}将本回执寄回或拍照发送至：{d.school}　{d.officer}　{d.school_phone}", XIAO_WU, align=CENTER),
    ]
