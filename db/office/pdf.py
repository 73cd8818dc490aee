"""The self-inspection report (自查报告) for the school's file: date, what was checked, the counts, and
every gap with what is missing — one function from plain dataclasses (filled by db/office/paper.py)
to flowables. ID numbers arrive masked."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.platypus import Flowable

from db.docs.blocks import SealBlock, SignRow, date_text
from db.docs.fonts import TITLE
from db.docs.layout import CENTER, RIGHT, WU_HAO, XIAO_SI, XIAO_WU, Column, Kit


@dataclass
class CheckReport:
    school: str
    as_of: dt.date
    term: str
    list_name: str
    children: int
    on_list: int
    on_roll: int
    accounted: list[tuple[str, int]]                   # how -> children
    counts: list[tuple[str, int]]                      # gap rule -> gaps
    gaps: list[tuple[str, str, str, str, str, str]]    # rule, kind, name, masked ID, where, missing
    notes: list[str] = field(default_factory=list)


GAP_COLUMNS = [Column("序号", 0.5, CENTER, 2.5), Column("检查项", 1.0, min_chars=5), Column("情况", 1.2, min_chars=6),
               Column("姓名", 1.0), Column("身份证号", 1.9), Column("班级/位置", 1.2), Column("缺少什么", 3.6)]


def check_report(kit: Kit, r: CheckReport) -> list[Flowable]:
    missed = dict(r.counts).get("对象无遗漏", 0)
    problems = sum(n for _k, n in r.counts)
    verdict = "经逐人核对，未发现遗漏。" if not r.gaps else f"发现 {problems} 项问题，其中 {missed} 名学生未落实，详见下表。"
    out: list[Flowable] = [
        kit.title("学生资助工作自查报告"),
        kit.text(f"{r.school}　　自查日期：{date_text(r.as_of)}　　学期：{r.term}", XIAO_SI, align=CENTER, space_after=6),
        kit.text("一、自查范围", XIAO_SI, TITLE, space_after=2),
        kit.body(f"　　县里最新推送名单：{r.list_name or '尚未导入'}；名单内 {r.on_list} 人，本校名册上的困难学生 "
                 f"{r.on_roll} 人，合计核对 {r.children} 人（同一人只计一次）。{verdict}", XIAO_SI, space_after=4),
        kit.text("二、落实情况", XIAO_SI, TITLE, space_after=2),
    ]
    rows = [[how, str(n)] for how, n in r.accounted] + [["未落实（见下表）", str(missed)]]
    out.append(kit.table([Column("落实方式", 3), Column("人数", 1, RIGHT)], rows, size=WU_HAO))
    if r.counts:
        out += [kit.gap(6), kit.text("三、问题汇总", XIAO_SI, TITLE, space_after=2),
                kit.table([Column("检查项", 3), Column("问题数", 1, RIGHT)], [[k, str(n)] for k, n in r.counts],
                          size=WU_HAO)]
    if r.notes:
        out += [kit.gap(4)] + [kit.text(f"说明：{n}", XIAO_WU) for n in r.notes]
    if r.gaps:
        out += [kit.gap(6), kit.text("四、问题清单", XIAO_SI, TITLE, space_after=2),
                kit.table(GAP_COLUMNS, [[str(i), *g] for i, g in enumerate(r.gaps, 1)], size=XIAO_WU)]
    out += [kit.gap(10), SignRow(kit, [("资助专干", False), ("校长", False)], dated=False),
            SealBlock(kit, r.school, r.as_of, size=XIAO_SI)]
    return out
