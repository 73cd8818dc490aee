"""线上学习排查表: one household in one round (一看二问三查, problems and fixes, the conclusion), or a
blank form to take on the visit. One function from plain dataclasses to flowables; no SQL here.
Unknown answers are left unticked (□有 □无), never 无 or 否."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.platypus import Flowable

from db.docs.blocks import SignRow, date_text
from db.docs.fonts import TITLE
from db.docs.layout import CENTER, XIAO_SI, XIAO_WU, Column, Kit


def tick(value: bool | None, yes: str = "有", no: str = "无") -> str:
    return f"{'■' if value is True else '□'}{yes}　{'■' if value is False else '□'}{no}"


@dataclass(frozen=True)
class ChildLine:
    name: str
    grade: str
    answers: tuple[bool | None, ...]        # in the order of db.survey.dto.CHILD_QUESTIONS


@dataclass(frozen=True)
class ProblemLine:
    kind: str
    note: str
    fix: str                                 # 购买电视机 1 台 …
    paid_by: str
    solved_on: dt.date | None


@dataclass
class SurveySheet:
    school: str
    round: str
    head_name: str
    household_no: str
    address: str
    phone: str                               # masked
    officer: str
    check_date: dt.date | None = None        # None: a blank form
    unannounced: bool | None = None
    devices: list[tuple[str, bool | None]] = field(default_factory=list)
    networks: list[tuple[str, bool | None]] = field(default_factory=list)
    children: list[ChildLine] = field(default_factory=list)
    questions: tuple[str, ...] = ()
    problems: list[ProblemLine] = field(default_factory=list)
    conclusion: str = ""                     # 达标 / 待整改 / 已整改 ("" on a blank form)
    notes: str = ""


def survey_sheet(kit: Kit, v: SurveySheet) -> list[Flowable]:
    way = {True: "■暗访　□明查", False: "□暗访　■明查"}.get(v.unannounced, "□暗访　□明查")
    out: list[Flowable] = [
        kit.title("建档立卡学生线上学习排查表"),
        kit.text(f"{v.school}　{v.round}", XIAO_SI, align=CENTER, space_after=6),
        kit.pairs([("户主", v.head_name), ("户编号", v.household_no), ("住址", v.address), ("联系电话", v.phone),
                   ("排查人（联络员）", v.officer), ("排查日期", date_text(v.check_date)), ("排查方式", way),
                   ("结论", v.conclusion or "□达标　□待整改")], per_row=2),
        _heading(kit, "一看：家中有没有可以正常使用的上网设备"),
        kit.table([Column("设备", 1), Column("有无", 1, CENTER)] * 3,
                  [sum(([n, tick(x)] for n, x in v.devices), [])], size=XIAO_WU),
        kit.gap(3),
        kit.table([Column("网络", 1), Column("有无", 1, CENTER)] * 3,
                  [sum(([n, tick(x)] for n, x in v.networks), [])], size=XIAO_WU),
        kit.text("达标要求：家中必须有可以正常使用的智能手机或者电视机。", XIAO_WU, space_before=3),
        _heading(kit, "二问、三查：每名建档立卡学生"),
    ]
    cols = [Column("学生", 1.0, min_chars=3), Column("年级班级", 1.1)] + [Column(q, 1.2, CENTER) for q in v.questions]
    kids = [[c.name, c.grade, *(tick(a, "是", "否") for a in c.answers)] for c in v.children]
    out.append(kit.table(cols, kids or [["", "", *[tick(None, "是", "否")] * len(v.questions)]], size=XIAO_WU))
    out.append(_heading(kit, "发现的问题及解决情况"))
    pcols = [Column("问题", 1.0), Column("说明", 1.8), Column("解决措施", 1.6), Column("出资方", 1.2),
             Column("解决日期", 1.1, CENTER)]
    rows = [[p.kind, p.note, p.fix, p.paid_by, f"{p.solved_on:%Y-%m-%d}" if p.solved_on else "未解决"]
            for p in v.problems]
    out.append(kit.table(pcols, rows or [[""] * 5, [""] * 5], size=XIAO_WU))
    if v.notes:
        out.append(kit.text(f"备注：{v.notes}", XIAO_SI, space_before=6))
    out += [kit.gap(16), SignRow(kit, [("排查人签名", False), ("家长签名", True)], dated=True)]
    return out


def _heading(kit: Kit, text: str) -> Flowable:
    return kit.text(text, XIAO_SI, TITLE, space_before=8, space_after=3)
