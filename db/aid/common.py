"""Helpers shared by the aid services (one session per call; these take the open session)."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.aid.dto import LineStatus
from db.aid.terms import Term
from db.errors import NotFound, ValidationError
from db.models.aid import AidBatch, Disbursement
from db.money import parse_yuan


def amount_fen(value: int | str, field: str = "amount") -> int:
    """An amount given as int fen, or as yuan text typed by the user (via db.money.parse_yuan)."""
    if isinstance(value, bool):
        raise ValidationError({field: "金额无效"})
    if isinstance(value, int):
        if value < 0:
            raise ValidationError({field: "金额不能为负数"})
        return value
    try:
        return parse_yuan(value)
    except ValueError as e:
        raise ValidationError({field: str(e)}) from None


def get_batch(s: Session, term: Term, *, create: bool = False) -> AidBatch | None:
    batch = s.scalar(select(AidBatch).where(AidBatch.term_key == term.key))
    if batch is None and create:
        batch = AidBatch(term_key=term.key, total_fen=0, notes="")
        s.add(batch)
        s.flush()
    return batch


def require_batch(s: Session, term: Term) -> AidBatch:
    batch = get_batch(s, term)
    if batch is None:
        raise NotFound(f"{term.label}还没有发放批次，请先生成（aid plan --term {term.short}）")
    return batch


def refresh_total(s: Session, batch_id: int) -> int:
    """batch total = sum of the lines that are not void, kept in the batch row."""
    total = s.scalar(select(func.coalesce(func.sum(Disbursement.amount_fen), 0))
                     .where(Disbursement.batch_id == batch_id, Disbursement.status != LineStatus.VOID))
    s.execute(update(AidBatch).where(AidBatch.id == batch_id).values(total_fen=total))
    return int(total)


def get_line(s: Session, line_id: int) -> Disbursement:
    line = s.get(Disbursement, line_id)
    if line is None:
        raise NotFound(f"找不到发放记录 {line_id}，可能已被重新生成")
    return line
