"""The special-needs ledger's printed documents, each one function from plain dataclasses (filled by
db/special/paper.py) to flowables: 残疾儿童少年安置档案 (cover, 卷内目录, the file's record), 个别化教育方案,
送教上门记录表 (one visit, with its photos; and a term's visits of one child), 免于学习名册.

ID, certificate and phone numbers arrive masked. These are internal files for the school and the
inspector: disability is shown here and never on a public list.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, Table, TableStyle

from db.docs.blocks import FillLine, SealBlock, SignRow, date_text
from db.docs.fonts import TITLE
from db.docs.layout import CENTER, ER_HAO, SAN_HAO, SI_HAO, WU_HAO, XIAO_SI, XIAO_WU, Column, Kit


def _d(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def _heading(kit: Kit, text: str) -> Flowable:
    return kit.text(text, SI_HAO - 1, TITLE, space_before=8, space_after=3)


def _para(kit: Kit, text: str, blank: str, lines: int = 2) -> Flowable:
    return kit.text(text, XIAO_SI, leading=XIAO_SI * 1.5) if text else FillLine(kit, blank, lines=lines)


@dataclass(frozen=True)
class Child:
    """The head every document of a file repeats."""
    school: str
    name: str
    gender: str
    birth: str                    # 2012年3月
    id_number: str                # masked
    where: str                    # 三年级2班 / 未入学
    category: str                 # 智力残疾
    grade: str
    card_no: str                  # masked, or 未办证
    guardian: str                 # 张三（父亲）
    phone: str                    # masked
    address: str
    placement: str
    registered_poor: str          # 是 / 否 / 未知

    def pairs(self) -> list[tuple[str, str]]:
        return [("姓名", self.name), ("性别", self.gender), ("出生年月", self.birth), ("身份证号", self.id_number),
                ("就读情况", self.where), ("建档立卡", self.registered_poor), ("残疾类别", self.category),
                ("残疾等级", self.grade or "未评定"), ("残疾人证号", self.card_no), ("监护人", self.guardian),
                ("联系电话", self.phone), ("安置方式", self.placement), ("家庭住址", self.address)]


# ---- 残疾儿童少年安置档案 ------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    title: str
    when: str
    note: str = ""


@dataclass
class FileRecord:
    child: Child
    assessments: list[list[str]] = field(default_factory=list)   # 日期, 评估情况, 结论, 建议安置, 监护人意见, 下次复评
    placements: list[list[str]] = field(default_factory=list)    # 日期, 安置方式, 学校/机构, 决定单位, 依据
    entries: list[Entry] = field(default_factory=list)
    file_no: str = ""
    opened: dt.date | None = None
    today: dt.date | None = None


def file_record(kit: Kit, r: FileRecord) -> list[Flowable]:
    """Three parts: the cover, the 卷内目录, the child's record with assessments and placements."""
    c = r.child
    rows = [("学　　校", c.school), ("姓　　名", c.name), ("性　　别", c.gender), ("出生年月", c.birth),
            ("身份证号", c.id_number), ("残疾类别", f"{c.category}　{c.grade}"), ("残疾人证号", c.card_no),
            ("监 护 人", c.guardian), ("家庭住址", c.address), ("安置方式", c.placement)]
    widths = kit.widths([Column("", 1), Column("", 2.2)], SAN_HAO, 130 * mm)
    t = Table([[kit.cell(k, SI_HAO, CENTER, TITLE), kit.cell(v, SI_HAO)] for k, v in rows], colWidths=widths,
              rowHeights=[12.5 * mm] * len(rows), hAlign="CENTER")
    t.setStyle(TableStyle([*kit.table_style(0, padding=5), ("LINEBELOW", (1, 0), (1, -1), 0.6, (0, 0, 0))]))
    out: list[Flowable] = [
        kit.gap(16 * mm),
        kit.text("残疾儿童少年安置档案", ER_HAO + 4, TITLE, align=CENTER, leading=(ER_HAO + 4) * 1.6),
        kit.text("（一人一案）", SAN_HAO, align=CENTER, space_after=14 * mm), t, kit.gap(16 * mm),
        kit.text(f"档案编号：{r.file_no or '＿＿＿＿＿＿'}　　　建档日期：{date_text(r.opened)}", SI_HAO, align=CENTER),
        PageBreak(), kit.title("卷 内 目 录"), kit.text(f"{c.name}　{c.where}", XIAO_SI, align=CENTER, space_after=6)]
    entries = [[str(i), e.title, e.when, "", e.note] for i, e in enumerate(r.entries, 1)]
    entries += [[str(len(entries) + i), "", "", "", ""] for i in range(1, 4)]
    out.append(kit.table([Column("序号", 0.6, CENTER), Column("材料名称", 3.4), Column("日期", 1.4, CENTER),
                          Column("页数", 0.6, CENTER), Column("备注", 1.6)], entries, size=XIAO_WU))
    out += [PageBreak(), kit.title("残疾儿童少年基本情况及安置记录"),
            kit.text(c.school, XIAO_SI, align=CENTER, space_after=6), kit.pairs(c.pairs(), per_row=3, size=WU_HAO),
            _heading(kit, "一、残疾人教育专家委员会评估记录")]
    out.append(kit.table([Column("评估日期", 1.1, CENTER), Column("评估情况", 3), Column("评估结论", 2),
                          Column("建议安置", 1.3), Column("监护人意见", 1.3), Column("下次复评", 1.1, CENTER)],
                         r.assessments, size=XIAO_WU) if r.assessments else kit.text("尚未评估。", XIAO_SI))
    out.append(_heading(kit, "二、安置情况（含变更）"))
    out.append(kit.table([Column("安置日期", 1.1, CENTER), Column("安置方式", 1.6), Column("安置学校/机构", 1.8),
                          Column("决定单位", 1.8), Column("依据/原因", 2.5)], r.placements, size=XIAO_WU)
               if r.placements else kit.text("待安置。", XIAO_SI))
    out += [kit.gap(10), KeepTogether([SignRow(kit, [("建档人", False), ("监护人", True)], dated=True),
                                       SealBlock(kit, c.school, r.today, size=XIAO_SI)])]
    return out


# ---- 个别化教育方案 ------------------------------------------------------------------------------
@dataclass
class PlanSheet:
    child: Child
    term: str
    made_on: dt.date | None
    teachers: str
    baseline: str
    goals: list[list[str]]        # 领域, 目标, 措施, 负责教师, 达成情况
    review_on: dt.date | None
    reviewed_on: dt.date | None
    review_notes: str


def plan_sheet(kit: Kit, p: PlanSheet) -> list[Flowable]:
    c = p.child
    out: list[Flowable] = [
        kit.title("个别化教育方案"),
        kit.text(f"{c.school}　{p.term}", XIAO_SI, align=CENTER, space_after=6),
        kit.pairs([("姓名", c.name), ("性别", c.gender), ("出生年月", c.birth), ("残疾类别", c.category),
                   ("残疾等级", c.grade or "未评定"), ("安置方式", c.placement), ("制定日期", _d(p.made_on)),
                   ("负责教师", p.teachers), ("复查日期", _d(p.review_on))], per_row=3, size=WU_HAO),
        _heading(kit, "一、现有水平"), _para(kit, p.baseline, "现有水平"),
        _heading(kit, "二、教育目标与措施"),
        kit.table([Column("领域", 1, CENTER), Column("目标", 2.6), Column("措施", 2.8), Column("负责教师", 1, CENTER),
                   Column("达成情况", 1, CENTER)], p.goals, size=XIAO_WU),
        _heading(kit, "三、复查记录"),
        kit.text(f"复查日期：{date_text(p.reviewed_on)}", XIAO_SI, space_after=3),
        _para(kit, p.review_notes, "复查意见", 3), kit.gap(14),
        SignRow(kit, [("负责教师", False), ("家长（监护人）", True)], dated=True)]
    return out


# ---- 送教上门记录表 ------------------------------------------------------------------------------
@dataclass
class VisitSheet:
    child: Child
    term: str
    visit_date: dt.date
    teachers: str
    minutes: int
    content: str
    progress: str
    parent_remarks: str
    parent_signed: bool | None
    number: int                   # the term's visit number (第 N 次)
    photos: list[bytes] = field(default_factory=list)     # JPEG, checked


def visit_sheet(kit: Kit, v: VisitSheet) -> list[Flowable]:
    c = v.child
    signed = {True: "已签字", False: "未签字"}.get(v.parent_signed, "")
    out: list[Flowable] = [
        kit.title("送教上门记录表"),
        kit.text(f"{c.school}　{v.term}　第 {v.number} 次", XIAO_SI, align=CENTER, space_after=6),
        kit.pairs([("学生姓名", c.name), ("残疾类别", f"{c.category}{c.grade}"), ("送教日期", date_text(v.visit_date)),
                   ("送教教师", v.teachers), ("送教时长", f"{v.minutes} 分钟"), ("监护人", c.guardian),
                   ("家庭住址", c.address), ("联系电话", c.phone), ("家长签字", signed)], per_row=3, size=WU_HAO),
        _heading(kit, "一、送教内容"), _para(kit, v.content, "送教内容", 3),
        _heading(kit, "二、个别化教育目标进展"), _para(kit, v.progress, "目标进展"),
        _heading(kit, "三、家长意见"), _para(kit, v.parent_remarks, "家长意见")]
    if v.photos:
        out += [_heading(kit, "四、送教照片"), _photos(kit, v.photos)]
    out += [kit.gap(12), SignRow(kit, [("送教教师", False), ("送教教师", False), ("家长", True)], dated=False)]
    return out


def _photos(kit: Kit, photos: list[bytes]) -> Flowable:
    """Up to two photos side by side, each scaled into half the width and 60 mm high."""
    cells = []
    box_w, box_h = kit.width / 2 - 6, 60 * mm
    for data in photos[:2]:
        img = Image(io.BytesIO(data))
        scale = min(box_w / img.imageWidth, box_h / img.imageHeight)
        img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
        cells.append(img)
    t = Table([cells], colWidths=[kit.width / 2] * len(cells), hAlign="LEFT")
    t.setStyle(TableStyle([*kit.table_style(0, grid=False), ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return t


@dataclass
class TermVisits:
    child: Child
    term: str
    every_days: int
    rows: list[list[str]]         # 次, 日期, 送教教师, 时长, 内容, 进展, 家长签字
    minutes: int
    expected: int
    today: dt.date | None = None


TERM_COLUMNS = [Column("次", 0.4, CENTER), Column("日期", 1, CENTER), Column("送教教师", 1.3), Column("时长", 0.6, CENTER),
                Column("送教内容", 2.4), Column("目标进展", 1.8), Column("家长签字", 0.8, CENTER)]


def term_visits(kit: Kit, t: TermVisits) -> list[Flowable]:
    c = t.child
    missed = max(0, t.expected - len(t.rows))
    out: list[Flowable] = [
        kit.title("送教上门学期记录表"),
        kit.text(f"{c.school}　{t.term}", XIAO_SI, align=CENTER, space_after=6),
        kit.pairs([("学生姓名", c.name), ("残疾类别", f"{c.category}{c.grade}"), ("监护人", c.guardian),
                   ("家庭住址", c.address), ("送教频次", f"每 {t.every_days} 天一次"), ("联系电话", c.phone)],
                  per_row=3, size=WU_HAO),
        kit.gap(6),
        kit.table(TERM_COLUMNS, t.rows, size=XIAO_WU) if t.rows else kit.text("本学期还没有送教记录。", XIAO_SI),
        kit.text(f"本学期送教 {len(t.rows)} 次，共 {t.minutes} 分钟；按频次应送教约 {t.expected} 次"
                 + (f"，缺 {missed} 次（请在备注中说明原因）" if missed else "。"), XIAO_SI, space_before=6),
        FillLine(kit, "备注"), kit.gap(10),
        KeepTogether([SignRow(kit, [("送教教师", False), ("学校负责人", False)], dated=True),
                      SealBlock(kit, c.school, t.today, size=XIAO_SI)])]
    return out


# ---- 免于学习名册 --------------------------------------------------------------------------------
@dataclass
class ExemptRoll:
    school: str
    school_year: str
    rows: list[list[str]]         # see EXEMPT_COLUMNS
    today: dt.date | None = None


EXEMPT_COLUMNS = [Column("序号", 0.5, CENTER), Column("姓名", 0.9, CENTER), Column("性别", 0.5, CENTER),
                  Column("身份证号", 1.9, CENTER), Column("类别等级", 1, CENTER), Column("诊断医院", 1.4),
                  Column("诊断结论", 2), Column("诊断日期", 1, CENTER), Column("评估日期及结论", 1.8),
                  Column("申请日期", 1, CENTER), Column("审批单位及日期", 1.5), Column("复核", 1.5)]


def exempt_roll(kit: Kit, r: ExemptRoll) -> list[Flowable]:
    return [kit.title(f"{r.school_year}学年残疾儿童少年免于学习名册"),
            kit.text(f"填报单位：{r.school}", XIAO_SI, space_after=6),
            kit.table(EXEMPT_COLUMNS, r.rows, size=XIAO_WU) if r.rows else kit.text("本学年没有免于学习的儿童。", XIAO_SI),
            kit.text("说明：免于学习须有县级残疾人教育专家委员会评估、医院诊断和监护人申请，经审批后每学年复核一次；"
                     "本名册为内部档案，不得公示。", XIAO_WU, space_before=6),
            kit.gap(8),
            KeepTogether([SignRow(kit, [("填表人", False), ("学校负责人", False)], dated=False),
                          SealBlock(kit, r.school, r.today, size=XIAO_SI)])]
