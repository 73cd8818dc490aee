"""The aid ledger's printed lists: 发放签领表 (the cashier's signature sheet) and 公示名单 (the public
notice for the wall). Data from db/aid/paper.py; money is int fen.

发放签领表: one sheet per programme (and class), a fixed number of rows per page so that every page
ends with its 本页小计, the last page with 合计; a summary page reconciles the sheets to the term's
batch: cash on the sheets + 减免 not paid in cash = the batch total, to the fen.

公示名单: exactly 姓名, 学校, 年级, 班级, 资助项目, 档次, 金额 — never a category, an ID, a card, a phone, an
address or a birth date (教育部 2017 notice on the privacy of aid lists); the notice period, the
complaint phone and the school's name and seal line.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak

from db.docs.blocks import SealBlock, SignRow, date_text
from db.docs.fonts import TITLE
from db.docs.layout import CENTER, HEADER_BG, RIGHT, WU_HAO, XIAO_ER, XIAO_SI, Column, Kit
from db.money import format_yuan

BLANK = "＿＿＿＿＿＿＿＿"


# ---- 发放签领表 ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignLine:
    name: str
    grade_class: str
    programme: str
    amount_fen: int


@dataclass
class SignSheet:
    school: str
    term: str                    # 2020年秋季学期
    programme: str
    scope: str                   # 全校 / 三年级2班
    lines: list[SignLine] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(x.amount_fen for x in self.lines)


@dataclass
class SignSummary:
    """The reconciliation page: every sheet's total, the waivers left off the sheets, the batch."""
    school: str
    term: str
    sheets: list[tuple[str, str, int, int]]      # (programme, scope, people, fen)
    waiver_fen: int                               # 减免 and aid not paid in cash, not on the sheets
    waiver_lines: int
    batch_total_fen: int

    @property
    def cash_fen(self) -> int:
        return sum(s[3] for s in self.sheets)


SIGN_COLUMNS = [Column("序号", 0.6, CENTER), Column("姓名", 1.2, min_chars=3), Column("年级班级", 1.4),
                Column("资助项目", 2.3), Column("金额(元)", 1.2, RIGHT), Column("签名", 1.6),
                Column("手印", 1.0)]
ROW_H = 10.5 * mm
HEAD_H = 8 * mm


def rows_per_page(kit: Kit, *, last: bool) -> int:
    """Rows that fit under the title with 本页小计 (and, on the last page, 合计 and the sign-off)."""
    reserved = XIAO_ER * 1.9 + XIAO_SI * 2.2 + HEAD_H * 2 + (HEAD_H + 34 * mm if last else 0) + 4
    return max(5, int((kit.height - reserved) // ROW_H))


def page_chunks(lines: list, per_page: int, per_last: int) -> list[list]:
    """Full pages while more than the last page can hold is left; the rest on the last page."""
    chunks, i = [], 0
    while len(lines) - i > per_last:
        chunks.append(lines[i:i + per_page])
        i += per_page
    chunks.append(lines[i:])
    return chunks


def sign_sheet(kit: Kit, sheet: SignSheet) -> list[Flowable]:
    chunks = page_chunks(sheet.lines, rows_per_page(kit, last=False), rows_per_page(kit, last=True))
    out: list[Flowable] = []
    n = 0
    for p, chunk in enumerate(chunks):
        if p:
            out.append(PageBreak())
        out += [kit.title(f"{sheet.term}{sheet.programme}发放签领表"),
                kit.text(f"学校：{sheet.school}　　范围：{sheet.scope}　　金额单位：元", XIAO_SI, space_after=4)]
        rows = []
        for x in chunk:
            n += 1
            rows.append([str(n), x.name, x.grade_class, x.programme, format_yuan(x.amount_fen), "", ""])
        rows.append(["本页小计", "", f"{len(chunk)} 人", "", format_yuan(sum(x.amount_fen for x in chunk)), "", ""])
        last = p == len(chunks) - 1
        if last:
            rows.append(["合计", "", f"{len(sheet.lines)} 人", "", format_yuan(sheet.total_fen), "", ""])
        heights = [HEAD_H] + [ROW_H] * len(chunk) + [HEAD_H] * (2 if last else 1)
        span = [("SPAN", (0, r), (1, r)) for r in range(len(chunk) + 1, len(rows) + 1)]
        bold = [("BACKGROUND", (0, len(chunk) + 1), (-1, -1), HEADER_BG)]
        out.append(_fixed_table(kit, rows, heights, span + bold))
        if last:
            out += [kit.gap(8), SignRow(kit, [("经办人", False), ("审核人", False), ("校长", False)], dated=False,
                                        size=XIAO_SI)]
    return out


def _fixed_table(kit: Kit, rows: list[list[str]], heights: list[float], style: list) -> Flowable:
    """The signature table with fixed row heights; cells shrink their text to one line."""
    from reportlab.platypus import Table, TableStyle  # noqa: PLC0415 - start-up: loaded only when used
    ws = kit.widths(SIGN_COLUMNS, WU_HAO)
    data = [[kit.cell(c.header, WU_HAO, CENTER, TITLE) for c in SIGN_COLUMNS]]
    data += [[kit.cell(v, WU_HAO, c.align, fit=True) for v, c in zip(r, SIGN_COLUMNS)] for r in rows]
    t = Table(data, colWidths=ws, rowHeights=heights)
    t.setStyle(TableStyle([*kit.table_style(1), *style]))
    return t


def sign_summary(kit: Kit, sm: SignSummary) -> list[Flowable]:
    rows = [[prog, scope, f"{people} 人", format_yuan(fen)] for prog, scope, people, fen in sm.sheets]
    rows.append(["签领表合计（现金）", "", f"{sum(s[2] for s in sm.sheets)} 人", format_yuan(sm.cash_fen)])
    rows.append(["减免及非现金资助（不签领）", "", f"{sm.waiver_lines} 笔", format_yuan(sm.waiver_fen)])
    rows.append(["本学期发放批次合计（现金）", "", "", format_yuan(sm.batch_total_fen)])
    ok = sm.cash_fen == sm.batch_total_fen          # the batch total is cash; 减免 is listed apart
    return [
        kit.title(f"{sm.term}发放签领表汇总"),
        kit.text(f"学校：{sm.school}　　金额单位：元", XIAO_SI, space_after=4),
        kit.table([Column("资助项目", 2.4), Column("范围", 1.4), Column("人数", 1, RIGHT), Column("金额(元)", 1.3, RIGHT)],
                  rows, size=XIAO_SI, extra_style=[("SPAN", (0, r), (1, r)) for r in range(len(rows) - 2, len(rows) + 1)]),
        kit.gap(6),
        kit.text("核对：签领表合计 = 发放批次合计（减免另列，不签领），"
                 + ("相符。" if ok else "不相符，请重新生成批次后再打印！"), XIAO_SI, TITLE),
        kit.gap(12),
        SignRow(kit, [("经办人", False), ("审核人", False), ("校长", False)], dated=False),
    ]


# ---- 公示名单 -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoticeLine:
    name: str
    school: str
    grade: str
    class_name: str
    programme: str
    tier: str
    amount_fen: int              # 0 with waiver=True: a fee waiver, shown as 减免
    waiver: bool = False


@dataclass
class PublicNotice:
    school: str
    term: str
    lines: list[NoticeLine] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    working_days: int = 0
    school_phone: str = ""
    county_hotline: str = ""
    today: dt.date | None = None
    days_note: str = ""          # the calendar does not know the year: counted Monday–Friday

    @property
    def cash_total_fen(self) -> int:
        return sum(x.amount_fen for x in self.lines if not x.waiver)


NOTICE_COLUMNS = [Column("姓名", 1.0, min_chars=3), Column("学校", 2.0), Column("年级", 1.0), Column("班级", 0.7),
                  Column("资助项目", 2.2), Column("档次", 0.8, CENTER), Column("金额(元)", 1.1, RIGHT)]


def public_notice(kit: Kit, n: PublicNotice) -> list[Flowable]:
    if n.start and n.end:
        period = (f"{date_text(n.start)}至{date_text(n.end)}" + (f"（{n.working_days}个工作日）" if n.working_days else "")
                  + n.days_note)
    else:
        period = "　　　年　　月　　日至　　　年　　月　　日（不少于5个工作日）"
    rows = [[x.name, x.school, x.grade, x.class_name, x.programme, x.tier,
             "减免" if x.waiver and not x.amount_fen else format_yuan(x.amount_fen)] for x in n.lines]
    people = len({(x.name, x.grade, x.class_name) for x in n.lines})
    return [
        kit.title(f"{n.school}{n.term}学生资助公示名单"),
        kit.text(f"公示时间：{period}", XIAO_SI, align=CENTER, space_after=6),
        kit.table(NOTICE_COLUMNS, rows, size=WU_HAO),
        # the closing lines stay with the seal: never a seal alone on the last page
        KeepTogether([
            kit.text(f"共 {people} 人、{len(n.lines)} 项，现金资助合计 {format_yuan(n.cash_total_fen)} 元"
                     "（减免项目不发现金）。", XIAO_SI, space_before=6),
            kit.text("公示期间如有异议，请向学校学生资助工作办公室反映（电话："
                     f"{n.school_phone or BLANK}），或拨打县学生资助管理中心电话（{n.county_hotline or BLANK}）。",
                     XIAO_SI, leading=XIAO_SI * 1.6, space_before=4),
            kit.gap(8),
            SealBlock(kit, n.school, n.today, size=XIAO_SI)]),
    ]
