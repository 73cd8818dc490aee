"""建档立卡中职毕业生就业帮扶登记表: one graduate — the person, intention, guidance received, the
outcome with its proof, or why not employed and what comes next. No SQL here."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.platypus import Flowable

from db.docs.blocks import FillLine, SignRow, date_text
from db.docs.fonts import TITLE
from db.docs.layout import CENTER, XIAO_SI, XIAO_WU, Column, Kit


@dataclass
class GraduateSheet:
    school: str
    name: str
    gender: str
    id_number: str                 # masked
    grad_year: int
    major: str
    phone: str                     # masked
    address: str
    intention: str
    status: str
    employer: str = ""
    place: str = ""
    job: str = ""
    start_date: dt.date | None = None
    contract: str = ""
    files: list[str] = field(default_factory=list)
    reason: str = ""
    next_action: str = ""
    guidance: list[tuple[dt.date, str, str, str]] = field(default_factory=list)   # date, kind, by, content
    today: dt.date | None = None


def graduate_sheet(kit: Kit, g: GraduateSheet) -> list[Flowable]:
    out: list[Flowable] = [
        kit.title("建档立卡家庭中职毕业生就业帮扶登记表"),
        kit.text(f"{g.school}　{g.grad_year} 届", XIAO_SI, align=CENTER, space_after=6),
        kit.pairs([("姓名", g.name), ("性别", g.gender), ("身份证号", g.id_number), ("专业", g.major),
                   ("联系电话", g.phone), ("家庭住址", g.address), ("就业意向", g.intention), ("目前去向", g.status)],
                  per_row=2),
        _heading(kit, "一、就业指导记录"),
    ]
    rows = [[f"{d:%Y-%m-%d}", k, by, c] for d, k, by, c in g.guidance]
    out.append(kit.table([Column("日期", 1, CENTER), Column("方式", 1), Column("指导人", 1), Column("内容", 4)],
                         rows or [["", "", "", ""], ["", "", "", ""]], size=XIAO_WU))
    out.append(_heading(kit, "二、就业情况"))
    out.append(kit.pairs([("就业单位", g.employer), ("就业地点", g.place), ("岗位", g.job),
                          ("入职日期", date_text(g.start_date) if g.start_date else ""),
                          ("就业证明", g.contract or ("无" if g.status == "已就业" else "")),
                          ("证明文件", "、".join(g.files) or "")], per_row=2))
    out.append(_heading(kit, "三、未就业原因及下一步措施"))
    out.append(kit.text(g.reason, XIAO_SI) if g.reason else FillLine(kit, "原因"))
    out.append(kit.text(g.next_action, XIAO_SI, space_before=4) if g.next_action else FillLine(kit, "措施"))
    out += [kit.gap(16), SignRow(kit, [("毕业生签名", False), ("经办人签名", False)], dated=True)]
    return out


def _heading(kit: Kit, text: str) -> Flowable:
    return kit.text(text, XIAO_SI, TITLE, space_before=8, space_after=3)
