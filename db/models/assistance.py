"""个性化帮扶: what a school does for an especially poor child beyond the standard programmes —
结对帮扶 by a named teacher over a period (with its visits), donations from a named donor, 临时救助,
学习用品/衣物, 心理关爱, 学业辅导.

Money here (fen, NULL when none) is not budget aid: no aid batch, bank list or aid total reads it.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, TimestampMixin


class Assistance(TimestampMixin, Base):
    __tablename__ = "assistance"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    given_on: Mapped[dt.date] = mapped_column(Date)                 # the date (a pairing: its start)
    until: Mapped[dt.date | None] = mapped_column(Date)             # a pairing's end (None: ongoing)
    who: Mapped[str] = mapped_column(String(60))                    # the teacher, donor or unit
    amount_fen: Mapped[int | None] = mapped_column(Integer)         # None: no money
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (CheckConstraint("amount_fen IS NULL OR amount_fen >= 0", name="amount"),)


class AssistanceVisit(Base):
    """A visit or contact of a pairing (结对帮扶)."""
    __tablename__ = "assistance_visit"
    id: Mapped[int] = mapped_column(primary_key=True)
    assistance_id: Mapped[int] = mapped_column(ForeignKey("assistance.id", ondelete="CASCADE"), index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text, default="")
