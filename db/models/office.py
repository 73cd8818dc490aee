"""The office's own tables (issue 16): the school-year rollovers done, each student's place in every
closed school year (the history a rollover keeps), and why and when a student left (转出, 毕业, 休学 …),
which the self-inspection needs to count a child as accounted for."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class Rollover(Base):
    """One school-year rollover (学年结转): `school_year` is the year it opened (2021 = 2021-2022);
    at most one per year. `summary` is the JSON of what moved (groups, counts)."""
    __tablename__ = "rollover"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_year: Mapped[int] = mapped_column(Integer, unique=True)
    done_on: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column(DateTime)                  # UTC
    actor: Mapped[str] = mapped_column(String(60), default="")
    backup_file: Mapped[str] = mapped_column(String(255), default="")  # the verified copy made first
    promoted: Mapped[int] = mapped_column(Integer, default=0)
    graduated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")


class StudentYear(Base):
    """A student's stage, grade, class and enrolment in a school year that has been closed by a rollover."""
    __tablename__ = "student_year"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"), index=True)
    school_year: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(10), default="")
    grade: Mapped[str] = mapped_column(String(10), default="")
    class_name: Mapped[str] = mapped_column(String(20), default="")
    enrolment: Mapped[str] = mapped_column(String(10), default="")

    __table_args__ = (UniqueConstraint("student_id", "school_year"),)


class StudentExit(Base):
    """When and why a student left the school's care (or paused it): 转出, 毕业, 休学, 辍学 …
    `enrolment` is the status it explains: a record for another status than the student's own is stale."""
    __tablename__ = "student_exit"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"), unique=True)
    enrolment: Mapped[str] = mapped_column(String(10))
    left_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    to_school: Mapped[str] = mapped_column(String(100), default="")   # the receiving school (转出)
    by: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime)                  # UTC
