"""Aid ledger models: standards (editable, versioned), term batches, disbursement lines with their
adjustment history, verification visits and the payments each visit confirmed.

Money is integer fen. A disbursement line stores its own amount and the id + version of the standard
it came from, so editing a standard never rewrites a line already planned or paid.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, TimestampMixin


class AidStandard(TimestampMixin, Base):
    """One programme's standard for one stage over a period of terms (term keys: year*2 (+1 autumn))."""
    __tablename__ = "aid_standard"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme: Mapped[str] = mapped_column(String(40))            # 寄宿生生活补助 …
    stage: Mapped[str] = mapped_column(String(10))
    from_term: Mapped[int | None] = mapped_column(Integer)          # None: open start
    to_term: Mapped[int | None] = mapped_column(Integer)            # None: still in force
    categories: Mapped[str] = mapped_column(String(200), default="")  # the groups of scope "groups"
    residence: Mapped[str] = mapped_column(String(4), default="")   # 寄宿 / 走读 / "" either
    grades: Mapped[str] = mapped_column(String(100), default="")    # "" every grade
    yearly_fen: Mapped[int] = mapped_column(Integer, default=0)
    per_day_fen: Mapped[int] = mapped_column(Integer, default=0)
    school_days: Mapped[int] = mapped_column(Integer, default=0)    # per term, with per_day_fen
    tiers: Mapped[str] = mapped_column(String(100), default="")     # yearly fen per tier, low to high
    spring_share: Mapped[int] = mapped_column(Integer, default=50)  # percent of the year paid in spring
    cash: Mapped[bool] = mapped_column(Boolean, default=True)       # paid onto a bank card
    waiver: Mapped[bool] = mapped_column(Boolean, default=False)    # 减免 (免学费 …): in the batch, never paid
    scope: Mapped[str] = mapped_column(String(60), default="needy")  # who qualifies: db.aid.rules.SCOPES
    is_default: Mapped[bool] = mapped_column(Boolean, default=True)  # seeded default, not law
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")


class AidBatch(TimestampMixin, Base):
    """A term's disbursement batch (2020年秋季学期). total_fen = sum of its lines that are not void."""
    __tablename__ = "aid_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    term_key: Mapped[int] = mapped_column(Integer, unique=True)
    total_fen: Mapped[int] = mapped_column(Integer, default=0)
    planned_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    notes: Mapped[str] = mapped_column(Text, default="")


class Disbursement(TimestampMixin, Base):
    __tablename__ = "disbursement"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("aid_batch.id", ondelete="RESTRICT"))
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="RESTRICT"), index=True)
    standard_id: Mapped[int | None] = mapped_column(ForeignKey("aid_standard.id", ondelete="SET NULL"))
    standard_version: Mapped[int | None] = mapped_column(Integer)
    programme: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(10), default="")
    computed_fen: Mapped[int] = mapped_column(Integer, default=0)   # what the standard gave
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)     # what is paid (after adjustment)
    adjusted: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(4), default="待发放")   # 减免: a waiver, never paid
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    card_no: Mapped[str | None] = mapped_column(String(19))         # snapshot when paid
    bank_name: Mapped[str] = mapped_column(String(50), default="")
    card_holder: Mapped[str] = mapped_column(String(30), default="")
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    verified_visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"))
    void_reason: Mapped[str] = mapped_column(String(200), default="")
    voided_by: Mapped[str] = mapped_column(String(30), default="")
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reissue_of_id: Mapped[int | None] = mapped_column(ForeignKey("disbursement.id", ondelete="RESTRICT"))

    __table_args__ = (
        Index("ix_disbursement_batch_status", "batch_id", "status"),
        # nobody counted twice: one live line per student x programme in a batch
        Index("uq_disbursement_live", "batch_id", "student_id", "programme", unique=True,
              sqlite_where=text("status <> '已作废'")),
    )


class DisbursementAdjustment(Base):
    """Every change of a line's amount, with the old and new amounts and why."""
    __tablename__ = "disbursement_adjustment"
    id: Mapped[int] = mapped_column(primary_key=True)
    disbursement_id: Mapped[int] = mapped_column(ForeignKey("disbursement.id", ondelete="CASCADE"),
                                                 index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    old_fen: Mapped[int] = mapped_column(Integer)
    new_fen: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    by: Mapped[str] = mapped_column(String(30), default="")


class Visit(TimestampMixin, Base):
    """A liaison officer's visit to a household (走访核实, 政策宣传 …)."""
    __tablename__ = "visit"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_officer.id", ondelete="SET NULL"),
                                                   index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date)
    term_key: Mapped[int | None] = mapped_column(Integer, index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    told: Mapped[str] = mapped_column(Text, default="")
    statement_filed: Mapped[bool | None] = mapped_column(Boolean)    # None: unknown, never 否
    family_remarks: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    follow_up_note: Mapped[str] = mapped_column(Text, default="")


class VisitPayment(Base):
    """Whether the family said a payment arrived: 是 / 否 / None (unknown)."""
    __tablename__ = "visit_payment"
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True)
    disbursement_id: Mapped[int] = mapped_column(ForeignKey("disbursement.id", ondelete="CASCADE"),
                                                 primary_key=True, index=True)
    received: Mapped[str | None] = mapped_column(String(2))
