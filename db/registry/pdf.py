"""The registry's printed documents: the per-student archive (一生一档) cover with its 目录, and the
资助对象认定表 (family financial difficulty assessment form). Data from db/registry/paper.py; ID and
phone numbers arrive masked."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Table, TableStyle

from db.docs.blocks import FillLine, SealBlock, SignRow, date_text
from db.docs.fonts import TITLE
from db.docs.layout import CENTER, ER_HAO, SAN_HAO, SI_HAO, WU_HAO, XIAO_SI, Column, Kit

LEVELS = ("特别困难", "困难", "一般困难", "不困难")


# ---- 档案封面 and 目录 ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ArchiveEntry:
    title: str                   # 资助政策告知书（明白卡）
    when: dt.date | str | None   # a date, a term / school year, or None
    note: str = ""


@dataclass
class ArchiveCover:
    school: str
    name: str
    gender: str
    birth: str                   # 2012年3月
    stage: str
    grade_class: str
    student_no: str              # masked 学籍号
    id_number: str               # masked
    head_name: str
    address: str
    poverty: str                 # 建档立卡（脱贫户，2019年脱贫） / 非建档立卡
    categories: str              # 资助对象类别 (internal archive: never printed on public lists)
    entries: list[ArchiveEntry] = field(default_factory=list)
    archive_no: str = ""
    today: dt.date | None = None


def _when(v) -> str:
    if isinstance(v, dt.date):
        return f"{v:%Y-%m-%d}"
    return v or ""


def archive_cover(kit: Kit, a: ArchiveCover) -> list[Flowable]:
    """Two pages: the cover, then the 目录 in binding order."""
    label = kit.widths([Column("", 1), Column("", 2.2)], SAN_HAO, 130 * mm)
    rows = [("学　　校", a.school), ("姓　　名", a.name), ("性　　别", a.gender), ("出生年月", a.birth),
            ("学段年级", f"{a.stage}　{a.grade_class}"), ("学 籍 号", a.student_no), ("身份证号", a.id_number),
            ("户　　主", a.head_name), ("家庭住址", a.address), ("建档立卡", a.poverty),
            ("资助对象类别", a.categories or "无")]
    data = [[kit.cell(k, SI_HAO, CENTER, TITLE), kit.cell(v, SI_HAO)] for k, v in rows]
    t = Table(data, colWidths=label, rowHeights=[13 * mm] * len(rows), hAlign="CENTER")
    t.setStyle(TableStyle([*kit.table_style(0, padding=5), ("LINEBELOW", (1, 0), (1, -1), 0.6, (0, 0, 0))]))
    cover: list[Flowable] = [
        kit.gap(18 * mm),
        kit.text("学生资助档案", ER_HAO + 6, TITLE, align=CENTER, leading=(ER_HAO + 6) * 1.6),
        kit.text("（一生一档）", SAN_HAO, align=CENTER, space_after=16 * mm),
        t,
        kit.gap(20 * mm),
        kit.text(f"档案编号：{a.archive_no or '＿＿＿＿＿＿'}　　　建档日期：{date_text(a.today)}", SI_HAO, align=CENTER),
        PageBreak(),
        kit.title("卷 内 目 录"),
        kit.text(f"{a.name}　{a.grade_class}", XIAO_SI, align=CENTER, space_after=6),
    ]
    entries = [[str(i), e.title, _when(e.when), "", e.note] for i, e in enumerate(a.entries, 1)]
    entries += [[str(len(entries) + i), "", "", "", ""] for i in range(1, 6)]     # room to add by hand
    cover.append(kit.table([Column("序号", 0.6, CENTER), Column("材料名称", 3.4), Column("日期", 1.3, CENTER),
                            Column("页数", 0.7, CENTER), Column("备注", 1.6)], entries, size=XIAO_SI,
                           row_heights=[9 * mm] * (len(entries) + 1)))
    return cover


# ---- 资助对象认定表 ------------------------------------------------------------------------------
@dataclass
class AssessmentForm:
    """Input of the 家庭经济困难学生认定表. Until assessments are records (issue 9) it is filled from the
    student's current level; `reasons`, `assessed_on` and `assessor` stay blank to fill by hand."""
    school: str
    school_year: str             # 2020-2021
    name: str
    gender: str
    id_number: str               # masked
    stage: str
    grade_class: str
    residence: str
    head_name: str
    relation: str                # 之子
    address: str
    phone: str                   # masked
    household_size: str = ""     # 家庭人口, blank to fill by hand
    categories: list[str] = field(default_factory=list)
    level: str = ""              # one of LEVELS, "" when not assessed
    reasons: str = ""
    assessed_on: dt.date | None = None
    assessor: str = ""
    today: dt.date | None = None


def assessment_form(kit: Kit, f: AssessmentForm) -> list[Flowable]:
    ticks = "　".join(f"{'■' if f.level == lv else '□'}{lv}" for lv in LEVELS)
    out: list[Flowable] = [
        kit.title("家庭经济困难学生认定表"),
        kit.text(f"{f.school}　{f.school_year}学年", XIAO_SI, align=CENTER, space_after=6),
        kit.pairs([("学生姓名", f.name), ("性别", f.gender), ("身份证号", f.id_number), ("学段", f.stage),
                   ("年级班级", f.grade_class), ("寄宿/走读", f.residence), ("户主", f.head_name),
                   ("与户主关系", f.relation), ("家庭住址", f.address), ("联系电话", f.phone),
                   ("家庭人口", f.household_size or "　　人"), ("资助对象类别", "、".join(f.categories) or "无")],
                  per_row=2, size=WU_HAO),
        kit.text("一、家庭经济困难情况（原因）", XIAO_SI, TITLE, space_before=8, space_after=3),
        kit.text(f.reasons, XIAO_SI, leading=XIAO_SI * 1.5) if f.reasons else FillLine(kit, "困难原因", lines=2),
        kit.text("二、认定等级", XIAO_SI, TITLE, space_before=8, space_after=3),
        kit.text(ticks, XIAO_SI),
        kit.text(f"认定日期：{date_text(f.assessed_on)}　　认定人：{f.assessor or '＿＿＿＿＿＿'}", XIAO_SI,
                 space_before=4),
        kit.text("三、学生（家长）承诺", XIAO_SI, TITLE, space_before=8, space_after=3),
        kit.text("以上情况属实，如有虚假，愿承担相应责任。", XIAO_SI),
        kit.gap(4),
        SignRow(kit, [("学生签名", False), ("家长（监护人）签名", True)], dated=True),
        kit.text("四、班级认定评议小组意见", XIAO_SI, TITLE, space_before=8, space_after=3),
        FillLine(kit, "评议意见"),
        SignRow(kit, [("评议小组组长签名", False)], dated=True),
        kit.text("五、学校学生资助工作领导小组意见", XIAO_SI, TITLE, space_before=8, space_after=3),
        FillLine(kit, "审核意见"),
        SealBlock(kit, f.school, None, label="（学校盖章）", size=XIAO_SI),
    ]
    return out
