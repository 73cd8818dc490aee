"""Dropout control (控辍保学) tables: one case per child and dropout episode, every change of its state,
and every persuasion attempt (劝返).

A case keeps the child's details as they were when it was opened (name, ID number, class, household),
so that a case of a child from the county's list (no student record) or of a student deleted later
still reads whole. States and the rules between them are in db/dropout/rules.py.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, TimestampMixin

OPEN_STATES_SQL = "state IN ('疑似辍学','辍学','劝返中')"


class DropoutCase(TimestampMixin, Base):
    __tablename__ = "dropout_case"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("student.id", ondelete="SET NULL"), index=True)
    county_entry_id: Mapped[int | None] = mapped_column(ForeignKey("county_list_entry.id", ondelete="SET NULL"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(10))                    # 本校学生 / 推送名单
    name: Mapped[str] = mapped_column(String(30))
    gender: Mapped[str] = mapped_column(String(2), default="")
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(10), default="")
    grade: Mapped[str] = mapped_column(String(10), default="")
    class_name: Mapped[str] = mapped_column(String(20), default="")
    head_name: Mapped[str] = mapped_column(String(30), default="")
    township: Mapped[str] = mapped_column(String(50), default="")
    village: Mapped[str] = mapped_column(String(50), default="")
    guardian_name: Mapped[str] = mapped_column(String(30), default="")
    guardian_phone: Mapped[str] = mapped_column(String(30), default="")
    head_teacher: Mapped[str] = mapped_column(String(30), default="")   # 班主任
    liaison: Mapped[str] = mapped_column(String(30), default="")        # 联络员
    last_at_school: Mapped[dt.date | None] = mapped_column(Date)
    absent_days: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20), default="")
    reason_note: Mapped[str] = mapped_column(Text, default="")
    registered_poor: Mapped[bool] = mapped_column(Boolean, default=False)   # 建档立卡
    state: Mapped[str] = mapped_column(String(6))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    state_since: Mapped[dt.date] = mapped_column(Date)
    prior_enrolment: Mapped[str] = mapped_column(String(10), default="")   # the student's, before the case
    returned_on: Mapped[dt.date | None] = mapped_column(Date)
    return_class: Mapped[str] = mapped_column(String(30), default="")
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    follow_up_note: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    close_reason: Mapped[str] = mapped_column(String(10), default="")
    close_school: Mapped[str] = mapped_column(String(100), default="")
    close_location: Mapped[str] = mapped_column(String(10), default="")    # 就读地 for 在外就读
    close_evidence: Mapped[str] = mapped_column(Text, default="")
    approved_by: Mapped[str] = mapped_column(String(100), default="")
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    special_ref: Mapped[str] = mapped_column(String(100), default="")      # special-needs file reference
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint("state IN ('疑似辍学','辍学','劝返中','复学','销号')", name="state"),
        # one open case per child
        Index("uq_dropout_case_open_id", "id_number", unique=True, sqlite_where=text(OPEN_STATES_SQL),
              postgresql_where=text(OPEN_STATES_SQL)),
        Index("ix_dropout_case_state", "state"),
    )


class DropoutTransition(Base):
    """Every change of a case's state (the opening too: from_state ''), with its date and who made it."""
    __tablename__ = "dropout_transition"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dropout_case.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[str] = mapped_column(String(6), default="")
    to_state: Mapped[str] = mapped_column(String(6))
    on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class DropoutAttempt(Base):
    """One persuasion attempt (劝返): who went (JSON list of {name, role, phone}), how, what came of it,
    and the next step with its date."""
    __tablename__ = "dropout_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dropout_case.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    on: Mapped[dt.date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(10))              # 学校 / 乡镇政府 / 县教育局
    method: Mapped[str] = mapped_column(String(10))             # 家访 / 电话 / 书面通知 / 约谈
    people: Mapped[str] = mapped_column(Text, default="[]")
    result: Mapped[str] = mapped_column(String(20))
    result_note: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    next_date: Mapped[dt.date | None] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)      # 限期复学 date of a written order
    by: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (Index("uq_dropout_attempt_seq", "case_id", "seq", unique=True),)
