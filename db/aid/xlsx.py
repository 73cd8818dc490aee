"""Exports of the aid ledger: the bank payment list (xlsx) and the data of the submission workbook's
资助发放 sheet (`aid_sheet_writer`, written into the workbook by db/exchange/workbook.py).

Amounts are summed in integer fen and written as two-decimal yuan cells; ID and card numbers as text cells ('@').
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from db import audit
from db.aid.common import require_batch
from db.aid.dto import LineStatus, NoticeRow, SheetData, TotalRow
from db.aid.notice import NoticeResult, export_notice_list
from db.context import ServiceContext
from db.errors import LedgerError
from db.models.aid import Disbursement
from db.models.registry import Student, StudentCategory
from db.money import fen_to_decimal as yuan
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
                 "资助项目", "金额(元)", "状态", "发放日期", "银行卡号"]
STAGES = ("学前", "小学", "初中", "普通高中", "中职")


class ExportMixin:
    _ctx: ServiceContext

    def export_notice(self, out: Path | str, *, start, end, term: Term | str = "2020秋") -> NoticeResult:
        """The public notice list (公示名单, xlsx); see db.aid.notice."""
        return export_notice_list(self._ctx, out, start=start, end=end, term=term)

    def bank_list_rows(self, term: Term | str, *, status: str = "") -> tuple[list[list], int]:
        """One row per student and card: the lines that are not void (or only those of `status`)
        summed. Paid lines use the card they were paid to; unpaid ones the student's card now."""
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
            stmt = stmt.where(Disbursement.status == status) if status else \
                stmt.where(Disbursement.status != LineStatus.VOID)
            rows, total = [], 0
            for i, (name, idn, cardno, bank, holder, fen, progs) in enumerate(s.execute(stmt), 1):
                rows.append([i, name, idn or "", cardno or "", bank or "", holder or name, int(fen), progs or ""])
                total += int(fen)
            return rows, total

    def notice_rows(self, term: Term | str, *, class_name: str = "") -> list[NoticeRow]:
        """Data of the public notice (公示名单) and the signature sheet (发放签领表): per student, the
        programmes and total of the lines that are not void — never an ID, card, phone or address."""
        term = parse_term(term)
        with self._ctx.read() as s:
            batch = require_batch(s, term)
            stmt = (select(Student.name, Student.grade, Student.class_name,
                           func.aggregate_strings(Disbursement.programme, "、"),
                           func.max(Disbursement.reason), func.sum(Disbursement.amount_fen))
                    .join(Student).where(Disbursement.batch_id == batch.id, Disbursement.status != LineStatus.VOID)
                    .group_by(Disbursement.student_id)
                    .order_by(Student.grade, Student.class_name, Student.name_pinyin, Disbursement.student_id))
            if class_name:
                stmt = stmt.where(Student.class_name == class_name)
            out = []
            for name, grade, cls, progs, reason, fen in s.execute(stmt):
                tier = next((t for t in ("最高档", "中间档", "最低档") if t in (reason or "")), "")
                out.append(NoticeRow(name, grade, cls, progs or "", tier, int(fen)))
            return out

    def export_bank_list(self, term: Term | str, out: Path | str, *, status: str = "") -> tuple[Path, int]:
        """Write the bank payment list; returns (path, total fen). The 合计 row equals the sum of the
        rows, which equals the batch total when all live lines are exported."""
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
    are not void; full ID and card numbers — the county needs them — in `text_columns`)."""
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
        rows, total, by_prog, by_stage = [], 0, {}, {}
        for i, r in enumerate(s.execute(stmt), 1):
            name, gender, idn, stage, grade, cls, res, cat, prog, fen, status, paid_on, card = r
            rows.append([i, name, gender or "", idn or "", stage, grade, cls, res or "", cat, prog, yuan(fen),
                         status, paid_on.isoformat() if paid_on else "", card or ""])
            total += fen
            n, f = by_prog.get(prog, (0, 0))
            by_prog[prog] = (n + 1, f + fen)
            n, f = by_stage.get(stage, (0, 0))
            by_stage[stage] = (n + 1, f + fen)
        if total != batch.total_fen:      # cannot happen unless the database was edited by hand
            raise LedgerError(f"{term.label}发放明细合计与批次合计不一致，请重新生成批次后再导出")
    return SheetData(
        f"{term.label}资助发放", SHEET_HEADERS, rows, SHEET_HEADERS.index("金额(元)"),
        [SHEET_HEADERS.index("身份证号"), SHEET_HEADERS.index("银行卡号")], total,
        [TotalRow(k, n, f) for k, (n, f) in sorted(by_prog.items())],
        [TotalRow(k, n, f) for k, (n, f) in sorted(by_stage.items(),
                                                     key=lambda kv: STAGES.index(kv[0]) if kv[0] in STAGES else 9)])
