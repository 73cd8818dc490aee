"""Helpers shared by the aid services (one session per call; these take the open session)."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.aid.dto import LineStatus
from db.errors import NotFound, ValidationError
from db.models.aid import AidBatch, AidStandard, Disbursement
from db.money import parse_yuan
from db.terms import Term


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
    """batch total = sum of the cash lines that are not void (待发放, 已发放, 已核实), kept in the batch
    row. 减免 lines are apart: see waiver_total."""
    total = s.scalar(select(func.coalesce(func.sum(Disbursement.amount_fen), 0))
                     .where(Disbursement.batch_id == batch_id, Disbursement.status.in_(LineStatus.CASH)))
    s.execute(update(AidBatch).where(AidBatch.id == batch_id).values(total_fen=total))
    return int(total)


def waiver_total(s: Session, batch_id: int) -> tuple[int, int]:
    """(lines, fen) of the batch's 减免 lines."""
    n, fen = s.execute(select(func.count(Disbursement.id), func.coalesce(func.sum(Disbursement.amount_fen), 0))
                       .where(Disbursement.batch_id == batch_id, Disbursement.status == LineStatus.WAIVER)).one()
    return int(n), int(fen)


WAIVER_WORDS = ("免学费", "免学杂费", "免保教费")


def is_waiver_programme(programme: str) -> bool:
    return any(w in programme for w in WAIVER_WORDS)


def is_waiver_line(s: Session, line: Disbursement) -> bool:
    """A 减免 line (also once void): its standard says so, or (standard gone) its programme's name."""
    if line.status == LineStatus.WAIVER:
        return True
    std = s.get(AidStandard, line.standard_id) if line.standard_id else None
    return std.waiver if std is not None else is_waiver_programme(line.programme)


def get_line(s: Session, line_id: int) -> Disbursement:
    line = s.get(Disbursement, line_id)
    if line is None:
        raise NotFound(f"找不到发放记录 {line_id}，可能已被重新生成")
    return line
