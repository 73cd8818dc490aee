"""Disbursement lines: review, adjust with a reason, pay, void and re-issue, totals and deadlines.

Status: 待发放 → 已发放 → 已核实 (by a visit); any line may be voided (已作废) with who and why — it
stays in the ledger — and a void line may be re-issued once, as a new 待发放 line linked to it.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, func, or_, select

from db import audit, sqlite
from db.aid.common import amount_fen, get_batch, get_line, is_waiver_line, refresh_total, require_batch
from db.aid.dto import (
    AdjustmentRow,
    BatchSummary,
    DeadlineRow,
    LineQuery,
    LineRow,
    LineStatus,
    PayResult,
    TotalRow,
)
from db.context import ServiceContext
from db.errors import LedgerError, ValidationError
from db.models.aid import AidBatch, Disbursement, DisbursementAdjustment
from db.models.registry import Student
from db.money import format_yuan
from db.terms import Term, parse_term, term_of
from db.validators import clean_text, mask_card, mask_id

LINE_SORT = {
    "name": (Student.name_pinyin,), "grade": (Student.grade, Student.class_name), "stage": (Disbursement.stage,),
    "programme": (Disbursement.programme,), "amount": (Disbursement.amount_fen,),
    "status": (Disbursement.status,), "paid_on": (Disbursement.paid_on,),
}
STAGE_ORDER = {s: i for i, s in enumerate(("学前", "小学", "初中", "普通高中", "中职"))}


def _reason_text(reason: str, field: str = "reason") -> str:
    r = (reason or "").strip()
    if not r:
        raise ValidationError({field: "请填写原因"})
    return r[:200]


class LinesMixin:
    _ctx: ServiceContext

    # ---- the list ---------------------------------------------------------------------------------
    def _line_conditions(self, batch_id: int, q: LineQuery) -> list:
        conds = [Disbursement.batch_id == batch_id]
        if q.status:
            conds.append(Disbursement.status == q.status)
        if q.programme:
            conds.append(Disbursement.programme == q.programme)
        if q.stage:
            conds.append(Disbursement.stage == q.stage)
        if q.only_adjusted:
            conds.append(Disbursement.adjusted.is_(True))
        text = clean_text(q.text)
        if text:
            if text[:1].isdigit():
                up = text.upper()
                conds.append(and_(Student.id_number >= up, Student.id_number < up + "\uffff"))
            elif text.isascii() and text.isalpha():
                low = text.lower()
                conds.append(or_(and_(Student.name_initials >= low, Student.name_initials < low + "\uffff"),
                                 and_(Student.name_pinyin >= low, Student.name_pinyin < low + "\uffff")))
            else:
                conds.append(Student.name.like(f"%{text}%"))
        return conds

    @staticmethod
    def _line_order(q: LineQuery) -> list:
        cols = [c.desc() if q.descending else c for c in LINE_SORT.get(q.sort, ())]
        return [*cols, Disbursement.id.desc() if q.descending and cols else Disbursement.id]

    def line_filter_options(self, term: Term | str) -> dict[str, list[str]]:
        """Programmes and stages present in the term's batch, for the list's filter boxes."""
        term = parse_term(term)
        with self._ctx.read() as s:
            batch = get_batch(s, term)
            if batch is None:
                return {"programme": [], "stage": [], "status": list(LineStatus.ALL)}
            def distinct(col):
                return sorted(x for x in s.scalars(select(col).where(Disbursement.batch_id == batch.id).distinct()) if x)
            return {"programme": distinct(Disbursement.programme),
                    "stage": sorted(distinct(Disbursement.stage), key=lambda x: STAGE_ORDER.get(x, 9)),
                    "status": list(LineStatus.ALL)}

    def count_lines(self, term: Term | str, q: LineQuery | None = None) -> int:
        term = parse_term(term)
        with self._ctx.read() as s:
            batch = get_batch(s, term)
            if batch is None:
                return 0
            return s.scalar(select(func.count(Disbursement.id)).join(Student)
                            .where(*self._line_conditions(batch.id, q or LineQuery())))

    def lines(self, term: Term | str, q: LineQuery | None = None, offset: int = 0,
              limit: int = 200) -> list[LineRow]:
        term = parse_term(term)
        with self._ctx.read() as s:
            batch = get_batch(s, term)
            if batch is None:
                return []
            stmt = (select(Disbursement, Student.name, Student.id_number, Student.grade, Student.class_name)
                    .join(Student).where(*self._line_conditions(batch.id, q or LineQuery()))
                    .order_by(*self._line_order(q or LineQuery())).offset(offset).limit(limit))
            return [LineRow(d.id, d.student_id, name, mask_id(idn), d.stage, grade, cls, d.programme,
                            d.computed_fen, d.amount_fen, d.adjusted, d.status, d.paid_on, mask_card(d.card_no),
                            d.reason, d.void_reason, d.reissue_of_id)
                    for d, name, idn, grade, cls in s.execute(stmt)]

    def line_history(self, line_id: int) -> list[AdjustmentRow]:
        with self._ctx.read() as s:
            return [AdjustmentRow(a.at, a.old_fen, a.new_fen, a.reason, a.by) for a in s.scalars(
                select(DisbursementAdjustment).where(DisbursementAdjustment.disbursement_id == line_id)
                .order_by(DisbursementAdjustment.id))]

    # ---- changes ----------------------------------------------------------------------------------
    def adjust(self, line_id: int, amount: int | str, reason: str) -> LineRow:
        """Change a 待发放 line's amount (int fen, or yuan text); the old amount goes to the history."""
        new = amount_fen(amount)
        why = _reason_text(reason)
        with self._ctx.write() as s:
            line = get_line(s, line_id)
            if line.status not in (LineStatus.PENDING, LineStatus.WAIVER):
                raise LedgerError(f"该记录状态为“{line.status}”，只能调整待发放（或减免）的金额；已发放的请作废后重新发放")
            if new != line.amount_fen:
                s.add(DisbursementAdjustment(disbursement_id=line.id, old_fen=line.amount_fen, new_fen=new,
                                             reason=why, by=self._ctx.actor.name, at=self._ctx.clock.now()))
                audit.record(s, self._ctx, "update", "disbursement", line.id, summary=f"调整金额：{why}",
                             before={"amount_fen": line.amount_fen}, after={"amount_fen": new})
                line.amount_fen = new
                line.adjusted = True
                refresh_total(s, line.batch_id)
        return self._one_line(line_id)

    def pay(self, term: Term | str, paid_on: dt.date, line_ids: list[int] | None = None) -> PayResult:
        """Mark 待发放 lines paid (all of the term's, or the given ones), snapshotting each student's
        card. Lines without a card, or with amount 0, are skipped and reported; 减免 lines are never
        paid (the school does not charge the fee)."""
        term = parse_term(term)
        if not isinstance(paid_on, dt.date):
            raise ValidationError({"paid_on": "请填写发放日期"})
        with self._ctx.write() as s:
            batch = require_batch(s, term)
            stmt = (select(Disbursement.id, Disbursement.amount_fen, Student.name, Student.bank_card_no,
                           Student.bank_name, Student.card_holder)
                    .join(Student).where(Disbursement.batch_id == batch.id,
                                         Disbursement.status == LineStatus.PENDING))
            if line_ids is not None:
                stmt = stmt.where(Disbursement.id.in_(line_ids))
            rows, skipped, fen = [], [], 0
            for lid, amount, name, card, bank, holder in s.execute(stmt):
                if not card:
                    skipped.append((lid, name, "未登记银行卡号"))
                elif amount <= 0:
                    skipped.append((lid, name, "金额为 0，请先填写金额"))
                else:
                    rows.append({"i": lid, "c": card, "b": bank or "", "h": holder or name})
                    fen += amount
            cur = sqlite.driver_cursor(s)
            sqlite.bulk_update(cur, "disbursement", ("status", "paid_on", "card_no", "bank_name", "card_holder"),
                               [(LineStatus.PAID, paid_on.isoformat(), r["c"], r["b"], r["h"], r["i"]) for r in rows])
            cur.close()
            if line_ids is not None:
                found = {r["i"] for r in rows} | {x[0] for x in skipped}
                waivers = set(s.scalars(select(Disbursement.id).where(Disbursement.id.in_(line_ids),
                                                                      Disbursement.status == LineStatus.WAIVER)))
                skipped += [(i, "", "减免项目不发放现金" if i in waivers else "不是本学期待发放的记录")
                            for i in line_ids if i not in found]
            audit.record(s, self._ctx, "pay", "aid_batch", batch.id,
                         summary=f"{term.label} 发放 {len(rows)} 笔，{format_yuan(fen)} 元，{paid_on}",
                         after={"lines": [r["i"] for r in rows], "paid_on": paid_on, "fen": fen})
            return PayResult(len(rows), fen, skipped)

    def void(self, line_id: int, reason: str) -> LineRow:
        why = _reason_text(reason)
        with self._ctx.write() as s:
            line = get_line(s, line_id)
            if line.status == LineStatus.VOID:
                raise LedgerError("该记录已作废")
            line.status = LineStatus.VOID
            line.void_reason, line.voided_by = why, self._ctx.actor.name
            line.voided_at = self._ctx.clock.now()
            s.flush()
            refresh_total(s, line.batch_id)
            audit.record(s, self._ctx, "void", "disbursement", line.id, summary=why)
        return self._one_line(line_id)

    def reissue(self, line_id: int, amount: int | str | None = None, reason: str = "") -> LineRow:
        """A new 待发放 line for a void one (same student, programme, term), linked to it."""
        with self._ctx.write() as s:
            old = get_line(s, line_id)
            if old.status != LineStatus.VOID:
                raise LedgerError("只能对已作废的记录重新发放")
            if s.scalar(select(Disbursement.id).where(Disbursement.reissue_of_id == old.id)):
                raise LedgerError("该记录已经重新发放过")
            live = s.scalar(select(Disbursement.id).where(
                Disbursement.batch_id == old.batch_id, Disbursement.student_id == old.student_id,
                Disbursement.programme == old.programme, Disbursement.status != LineStatus.VOID))
            if live:
                raise LedgerError("该学生本学期的这一项目已有有效记录，不能重复发放")
            new_fen = old.amount_fen if amount is None else amount_fen(amount)
            line = Disbursement(batch_id=old.batch_id, student_id=old.student_id, standard_id=old.standard_id,
                                standard_version=old.standard_version, programme=old.programme,
                                stage=old.stage, computed_fen=old.computed_fen, amount_fen=new_fen,
                                adjusted=new_fen != old.computed_fen,
                                status=LineStatus.WAIVER if is_waiver_line(s, old) else LineStatus.PENDING,
                                reason=old.reason, reissue_of_id=old.id, bank_name="", card_holder="",
                                void_reason="", voided_by="")
            s.add(line)
            s.flush()
            if new_fen != old.amount_fen:
                s.add(DisbursementAdjustment(disbursement_id=line.id, old_fen=old.amount_fen, new_fen=new_fen,
                                             reason=_reason_text(reason), by=self._ctx.actor.name,
                                             at=self._ctx.clock.now()))
            refresh_total(s, line.batch_id)
            audit.record(s, self._ctx, "reissue", "disbursement", line.id,
                         summary=f"重新发放（原记录 {old.id}）{reason}".strip())
            new_id = line.id
        return self._one_line(new_id)

    def _one_line(self, line_id: int) -> LineRow:
        with self._ctx.read() as s:
            d = get_line(s, line_id)
            st = s.get(Student, d.student_id)
            return LineRow(d.id, d.student_id, st.name, mask_id(st.id_number), d.stage, st.grade,
                           st.class_name, d.programme, d.computed_fen, d.amount_fen, d.adjusted, d.status,
                           d.paid_on, mask_card(d.card_no), d.reason, d.void_reason, d.reissue_of_id)

    # ---- totals and deadlines ---------------------------------------------------------------------
    def batch_total(self, term: Term | str) -> int:
        with self._ctx.read() as s:
            return require_batch(s, parse_term(term)).total_fen

    def summary(self, term: Term | str, *, with_missing: bool = True) -> BatchSummary:
        """Totals by programme, stage and status (void lines appear under 已作废 only; 减免 under its own
        status, apart from the cash total), and the students with no entitlement."""
        term = parse_term(term)
        with self._ctx.read() as s:
            batch = require_batch(s, term)

            def totals(col, live_only=True):
                stmt = (select(col, func.count(), func.coalesce(func.sum(Disbursement.amount_fen), 0))
                        .where(Disbursement.batch_id == batch.id).group_by(col))
                if live_only:
                    stmt = stmt.where(Disbursement.status != LineStatus.VOID)
                return [TotalRow(k or "", n, int(f)) for k, n, f in s.execute(stmt)]
            by_prog = sorted(totals(Disbursement.programme), key=lambda r: r.key)
            by_stage = sorted(totals(Disbursement.stage), key=lambda r: STAGE_ORDER.get(r.key, 9))
            by_status = sorted(totals(Disbursement.status, False), key=lambda r: LineStatus.ALL.index(r.key))
            total, lines = batch.total_fen, sum(r.lines for r in by_stage)
            waivers = next((r for r in by_status if r.key == LineStatus.WAIVER), TotalRow(LineStatus.WAIVER, 0, 0))
        missing = self.students_without_entitlement(term) if with_missing else []
        return BatchSummary(term.label, total, lines, by_prog, by_stage, by_status, missing,
                            waivers.lines, waivers.amount_fen)

    def deadline_status(self, today: dt.date) -> list[DeadlineRow]:
        """Every batch and the current term: deadline, days left (negative = late), unpaid money."""
        limits = self.deadlines()
        current = term_of(today)
        with self._ctx.read() as s:
            keys = set(s.scalars(select(AidBatch.term_key))) | {current.key}
            rows = {k: (0, 0, 0, 0) for k in keys}
            # every 待发放 line counts (as on the aid page); a 0-fen one still needs its amount filled
            # in. 减免 lines are never due.
            pending = Disbursement.status == LineStatus.PENDING
            no_amount = and_(Disbursement.status == LineStatus.PENDING, Disbursement.amount_fen == 0)
            paid = Disbursement.status.in_((LineStatus.PAID, LineStatus.VERIFIED))
            stmt = (select(AidBatch.term_key,
                           func.sum(case((pending, Disbursement.amount_fen), else_=0)),
                           func.sum(case((pending, 1), else_=0)),
                           func.sum(case((paid, Disbursement.amount_fen), else_=0)),
                           func.sum(case((no_amount, 1), else_=0)))
                    .join(Disbursement, Disbursement.batch_id == AidBatch.id).group_by(AidBatch.term_key))
            for k, unpaid, n, paid, zero in s.execute(stmt):
                rows[k] = (int(unpaid or 0), int(n or 0), int(paid or 0), int(zero or 0))
            planned = set(s.scalars(select(AidBatch.term_key)))
            anyone = s.scalar(select(Student.id).limit(1)) is not None
        if not anyone and current.key not in planned:
            keys.discard(current.key)       # a fresh database: no term is due, nothing is late
        out = []
        for k in sorted(keys, reverse=True):
            term = Term.from_key(k)
            deadline = term.deadline(limits[term.season])
            days = (deadline - today).days
            unpaid, n, paid, zero = rows[k]
            if k not in planned:
                state = "未生成批次"
            elif n == 0:
                state = "已完成"
            elif n == zero:
                state = "金额待填写"
            else:
                state = "已逾期" if days < 0 else "待发放"
            if k not in planned and k != current.key:
                continue
            out.append(DeadlineRow(term.label, deadline, days, state, n, unpaid, paid, zero))
        return out
