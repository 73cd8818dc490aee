"""Letters to out-of-province schools (省外就读学生资助政策落实函) and their tracking.

A letter keeps the child's details as written on it (official correspondence: the ID number in full),
so that a reprint says what was sent even after the registry changes. Numbers run per year
(校资函〔2020〕3号): `year` + `seq` are unique.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, TimestampMixin


class Letter(TimestampMixin, Base):
    __tablename__ = "letter"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40))                 # 校资函〔2020〕3号
    letter_date: Mapped[dt.date] = mapped_column(Date)
    term_key: Mapped[int] = mapped_column(Integer)                  # the term whose policies it states
    student_id: Mapped[int | None] = mapped_column(ForeignKey("student.id", ondelete="SET NULL"), index=True)
    child_name: Mapped[str] = mapped_column(String(30))
    child_gender: Mapped[str] = mapped_column(String(2), default="")
    child_id_number: Mapped[str | None] = mapped_column(String(18))
    child_stage: Mapped[str] = mapped_column(String(10), default="")
    child_grade: Mapped[str] = mapped_column(String(20), default="")
    head_name: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(200), default="")   # 乡镇 村 组
    poverty_status: Mapped[str] = mapped_column(String(10), default="")
    poverty_exit_year: Mapped[int | None] = mapped_column(Integer)
    to_school: Mapped[str] = mapped_column(String(100))
    to_province: Mapped[str] = mapped_column(String(20), default="")
    to_city: Mapped[str] = mapped_column(String(30), default="")
    to_county: Mapped[str] = mapped_column(String(30), default="")
    to_address: Mapped[str] = mapped_column(String(200), default="")
    to_contact: Mapped[str] = mapped_column(String(30), default="")
    to_phone: Mapped[str] = mapped_column(String(30), default="")
    request: Mapped[str] = mapped_column(Text, default="")
    sent_how: Mapped[str] = mapped_column(String(10), default="")   # 邮寄 / 电子邮件 / 传真 / 当面送达
    tracking_no: Mapped[str] = mapped_column(String(40), default="")
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    reply_due: Mapped[dt.date | None] = mapped_column(Date)
    reply_on: Mapped[dt.date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(10), default="")     # 已落实 / 未落实 / 不在该校 / 无回复
    reply_note: Mapped[str] = mapped_column(Text, default="")
    reply_programme: Mapped[str] = mapped_column(String(60), default="")
    reply_term: Mapped[str] = mapped_column(String(20), default="")
    reply_amount_fen: Mapped[int | None] = mapped_column(Integer)
    reply_handler: Mapped[str] = mapped_column(String(30), default="")
    reply_phone: Mapped[str] = mapped_column(String(30), default="")
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("year", "seq"),)


class LetterCall(Base):
    """A phone follow-up of a letter (电话跟进): when, who called, what was said."""
    __tablename__ = "letter_call"
    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), index=True)
    on: Mapped[dt.date] = mapped_column(Date)
    by: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime)
