"""个性化帮扶 on paper: the section the 明白卡 adds for a family (apart from the state's aid), and the
个性化帮扶记录表 of one child. Plain dataclasses to flowables; no SQL here."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.platypus import Flowable

from db.docs.blocks import SignRow
from db.docs.fonts import TITLE
from db.docs.layout import CENTER, RIGHT, XIAO_SI, XIAO_WU, Column, Kit
from db.money import format_yuan


@dataclass(frozen=True)
class AssistanceLine:
    student: str
    kind: str
    when: str                      # 2020-10-08 / 2020-09-01 至 2021-07-10
    who: str
    amount_fen: int | None
    note: str


def _amount(fen: int | None) -> str:
    return format_yuan(fen) if fen else "—"


def assistance_section(kit: Kit, lines: list[AssistanceLine], number: str = "四") -> list[Flowable]:
    """The 明白卡's own section for individual assistance; nothing when the family had none."""
    if not lines:
        return []
    cols = [Column("学生", 1.0, min_chars=3), Column("帮扶方式", 1.1), Column("时间", 1.9), Column("帮扶人/捐助方", 1.6),
            Column("金额(元)", 1.0, RIGHT), Column("说明", 2.2)]
    return [kit.text(f"{number}、个性化帮扶（学校和社会爱心帮扶，不属于国家资助资金，不计入上面的合计）", XIAO_SI, TITLE,
                     space_before=8, space_after=3),
            kit.table(cols, [[x.student, x.kind, x.when, x.who, _amount(x.amount_fen), x.note] for x in lines],
                      size=XIAO_WU)]


@dataclass
class AssistanceSheet:
    school: str
    name: str
    grade: str
    head_name: str
    address: str
    poverty: str
    items: list[AssistanceLine] = field(default_factory=list)
    visits: list[tuple[dt.date, str, str]] = field(default_factory=list)   # date, pairing teacher, content
    today: dt.date | None = None


def assistance_sheet(kit: Kit, a: AssistanceSheet) -> list[Flowable]:
    out: list[Flowable] = [
        kit.title("家庭经济困难学生个性化帮扶记录表"),
        kit.text(a.school, XIAO_SI, align=CENTER, space_after=6),
        kit.pairs([("学生", a.name), ("年级班级", a.grade), ("户主", a.head_name), ("住址", a.address),
                   ("家庭情况", a.poverty or "非建档立卡")], per_row=2),
        kit.text("一、帮扶记录", XIAO_SI, TITLE, space_before=8, space_after=3),
    ]
    cols = [Column("帮扶方式", 1.1), Column("时间", 1.9), Column("帮扶人/捐助方", 1.6), Column("金额(元)", 1.0, RIGHT),
            Column("说明", 2.6)]
    rows = [[x.kind, x.when, x.who, _amount(x.amount_fen), x.note] for x in a.items]
    total = sum(x.amount_fen or 0 for x in a.items)
    rows.append(["合计", "", "", format_yuan(total), "个性化帮扶资金，不属于国家资助资金"])
    out.append(kit.table(cols, rows, size=XIAO_WU))
    out.append(kit.text("二、结对帮扶走访", XIAO_SI, TITLE, space_before=8, space_after=3))
    vrows = [[f"{d:%Y-%m-%d}", who, c] for d, who, c in a.visits]
    out.append(kit.table([Column("日期", 1, CENTER), Column("帮扶教师", 1), Column("内容", 5)],
                         vrows or [["", "", ""], ["", "", ""]], size=XIAO_WU))
    out += [kit.gap(16), SignRow(kit, [("帮扶人签名", False), ("家长签名", True)], dated=True)]
    return out
