"""Exports of the aid ledger: the bank payment list (xlsx) and the data of the submission workbook's
资助发放 sheet (`aid_sheet_writer`, written into the workbook by db/exchange/workbook.py).

The bank list carries cash only: 减免 lines (免学费 …) are never paid, and a line of 0 元 is not
money to pay. The workbook shows 减免 in a column of its own, apart from cash.
Amounts are summed in integer fen and written as two-decimal yuan cells; ID and card numbers as text cells ('@').
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from db import audit
from db.access.roles import Perm, require
from db.aid.common import require_batch
from db.aid.dto import LineStatus, NoticeRow, SheetData, TotalRow
from db.aid.notice import NoticeResult, export_notice_list, tier_of
from db.context import ServiceContext
from db.errors import LedgerError
from db.models.aid import Disbursement
from db.models.registry import Student, StudentCategory
from db.money import fen_to_decimal as yuan
from db.registry.selection import school_facts, student_order
from db.sheets import (
    Formats,
    atomic_output,
    closing_on_error,
    open_workbook,
    write_header,
    write_money,
    write_value,
)
from db.terms import Term, parse_term

BANK_HEADERS = ["序号", "姓名", "身份证号", "银行卡号", "开户行", "持卡人", "金额(元)", "资助项目"]
SHEET_HEADERS = ["序号", "姓名", "性别", "身份证号", "学段", "年级", "班级", "寄宿/走读", "资助对象类别",
                 "资助项目", "金额(元)", "减免金额(元)", "状态", "发放日期", "银行卡号"]
STAGES = ("学前", "小学", "初中", "普通高中", "中职")


class ExportMixin:
    _ctx: ServiceContext

    def export_notice(self, out: Path | str, *, start, end, term: Term | str = "2020秋") -> NoticeResult:
        """The public notice list (公示名单, xlsx); see db.aid.notice."""
        return export_notice_list(self._ctx, out, start=start, end=end, rows=self.notice_rows(term), term=term)

    def bank_list_rows(self, term: Term | str, *, status: str = "") -> tuple[list[list], int]:
        """One row per student and card: the cash lines that are not void (or only those of `status`)
        and not 0 元, summed. Paid lines use the card they were paid to; unpaid ones the student's card
        now. 减免 lines never appear."""
        term = parse_term(term)
        with self._ctx.read() as s:
            batch = require_batch(s, term)
            card = func.coalesce(Disbursement.card_no, Student.bank_card_no)
            stmt = (select(Student.name, Student.id_number, card,
                           func.max(func.coalesce(func.nullif(Disbursement.bank_name, ""), Student.bank_name)),
                           func.max(func.coalesce(func.nullif(Disbursement.card_holder, ""), Student.card_holder)),
                           func.sum(Disbursement.amount_fen), func.aggregate_strings(Disbursement.programme, "、"))
                    .join(Student).where(Disbursement.batch_id == batch.id)
                    .group_by(Disbursement.student_id, card).order_by(Student.grade, Student.class_name,
                                                                      Student.name_pinyin, Disbursement.student_id))
            cash = [status] if status in LineStatus.CASH else [] if status else list(LineStatus.CASH)
            stmt = stmt.where(Disbursement.status.in_(cash), Disbursement.amount_fen > 0)
            rows, total = [], 0
            for i, (name, idn, cardno, bank, holder, fen, progs) in enumerate(s.execute(stmt), 1):
                rows.append([i, name, idn or "", cardno or "", bank or "", holder or name, int(fen), progs or ""])
                total += int(fen)
            return rows, total

    def notice_rows(self, term: Term | str, *, class_name: str = "") -> list[NoticeRow]:
        """Data of the public notice (公示名单): one row per student and programme of the term's live
        lines (cash with an amount, and 减免) — 姓名 学校 年级 班级 资助项目 档次 金额; never a category,
        an ID, a card, a phone or an address."""
        term = parse_term(term)
        with self._ctx.read() as s:
            school = school_facts(s).name
            batch = require_batch(s, term)
            stmt = (select(Student.name, Student.grade, Student.class_name, Disbursement.programme,
                           Disbursement.reason, Disbursement.amount_fen, Disbursement.status)
                    .join(Student).where(Disbursement.batch_id == batch.id, Disbursement.status != LineStatus.VOID,
                                         (Disbursement.amount_fen > 0) | (Disbursement.status == LineStatus.WAIVER))
                    .order_by(*student_order(), Disbursement.id))
            if class_name:
                stmt = stmt.where(Student.class_name == class_name)
            return [NoticeRow(name, grade, cls, prog, tier_of(reason), int(fen), school, status == LineStatus.WAIVER)
                    for name, grade, cls, prog, reason, fen, status in s.execute(stmt)]

    def export_bank_list(self, term: Term | str, out: Path | str, *, status: str = "") -> tuple[Path, int]:
        """Write the bank payment list; returns (path, total fen). The 合计 row equals the sum of the
        rows, which equals the batch total when all live lines are exported."""
        require(self._ctx.actor, Perm.EXPORT_FULL)          # full card numbers
        term = parse_term(term)
        rows, total = self.bank_list_rows(term, status=status)
        if not rows:
            raise LedgerError(f"{term.label}没有可导出的发放记录")
        audit.can_record(self._ctx)
        out = Path(out)
        with atomic_output(out) as tmp:
            wb = open_workbook(tmp, constant_memory=True)
            with closing_on_error(wb):
                fmt = Formats(wb)
                ws = wb.add_worksheet("银行代发名单")
                ws.write_string(0, 0, f"{term.label}学生资助银行代发名单", wb.add_format({"bold": True, "font_size": 14}))
                write_header(ws, 1, BANK_HEADERS, fmt, [6, 10, 21, 23, 18, 10, 12, 40], text_columns={2, 3})
                r = 2
                for r, (i, name, idn, cardno, bank, holder, fen, progs) in enumerate(rows, 2):
                    ws.write_number(r, 0, i)
                    for c, v in ((1, name), (4, bank), (5, holder), (7, progs)):
                        write_value(ws, r, c, v, fmt)
                    write_value(ws, r, 2, idn, fmt, text=True)
                    write_value(ws, r, 3, cardno, fmt, text=True)
                    write_money(ws, r, 6, fen, fmt.money)
                bold_money = wb.add_format({"bold": True, "num_format": "0.00"})
                ws.write_string(r + 1, 0, "合计", fmt.bold)
                ws.write_string(r + 1, 1, f"{len(rows)} 人")
                write_money(ws, r + 1, 6, total, bold_money)
        audit.log_event(self._ctx, "export", "bank_list",
                        summary=f"导出{term.label}银行代发名单 {out.name}：{len(rows)} 人，合计 {total} 分（含完整卡号）")
        return out, total


def aid_sheet_writer(ctx: ServiceContext, term: Term | str) -> SheetData:
    """Headers, rows and money totals for the submission workbook's 资助发放 sheet (all lines that
    are not void, 减免 in its own column; full ID and card numbers — the county needs them — in
    `text_columns`). total_fen is cash (the batch total), waiver_fen the 减免 column's total."""
    term = parse_term(term)
    with ctx.read() as s:
        batch = require_batch(s, term)
        cats = func.coalesce(select(func.aggregate_strings(StudentCategory.category, "、"))
                             .where(StudentCategory.student_id == Student.id).scalar_subquery(), "")
        stmt = (select(Student.name, Student.gender, Student.id_number, Disbursement.stage, Student.grade,
                       Student.class_name, Student.residence, cats, Disbursement.programme,
                       Disbursement.amount_fen, Disbursement.status, Disbursement.paid_on,
                       func.coalesce(Disbursement.card_no, Student.bank_card_no))
                .join(Student).where(Disbursement.batch_id == batch.id, Disbursement.status != LineStatus.VOID)
                .order_by(Student.grade, Student.class_name, Student.name_pinyin, Disbursement.id))
        rows, totals = [], _Totals()
        for i, r in enumerate(s.execute(stmt), 1):
            name, gender, idn, stage, grade, cls, res, cat, prog, fen, status, paid_on, card = r
            waiver = status == LineStatus.WAIVER
            rows.append([i, name, gender or "", idn or "", stage, grade, cls, res or "", cat, prog,
                         None if waiver else yuan(fen), yuan(fen) if waiver else None, status,
                         paid_on.isoformat() if paid_on else "", "" if waiver else card or ""])
            totals.add(prog, stage, fen, waiver)
        if totals.cash != batch.total_fen:      # cannot happen unless the database was edited by hand
            raise LedgerError(f"{term.label}发放明细合计与批次合计不一致，请重新生成批次后再导出")
    return SheetData(
        f"{term.label}资助发放", SHEET_HEADERS, rows, SHEET_HEADERS.index("金额(元)"),
        [SHEET_HEADERS.index("身份证号"), SHEET_HEADERS.index("银行卡号")], totals.cash,
        [TotalRow(k, n, f) for k, (n, f) in sorted(totals.by_prog.items())],
        [TotalRow(k, n, f) for k, (n, f) in sorted(totals.by_stage.items(),
                                                     key=lambda kv: STAGES.index(kv[0]) if kv[0] in STAGES else 9)],
        SHEET_HEADERS.index("减免金额(元)"), totals.waiver)


class _Totals:
    """Cash and 减免 apart; by programme and stage (lines and fen of both)."""

    def __init__(self) -> None:
        self.cash = self.waiver = 0
        self.by_prog: dict[str, tuple[int, int]] = {}
        self.by_stage: dict[str, tuple[int, int]] = {}

    def add(self, prog: str, stage: str, fen: int, waiver: bool) -> None:
        if waiver:
            self.waiver += fen
        else:
            self.cash += fen
        for d, k in ((self.by_prog, prog), (self.by_stage, stage)):
            n, f = d.get(k, (0, 0))
            d[k] = (n + 1, f + fen)
