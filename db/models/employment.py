"""中职毕业生就业: one record per registered-poor 中职 graduate (year, school, 专业, intention, status,
the job and its proof, or the reason and the next action), the guidance given, and the proof files.

Files are kept in the database (`graduate_file.data`) with their SHA-256, so that a backup holds them
and a changed byte is found when the file is opened.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from db.models.base import Base, TimestampMixin


class Graduate(TimestampMixin, Base):
    __tablename__ = "graduate"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"), unique=True)
    grad_year: Mapped[int] = mapped_column(Integer, index=True)
    school: Mapped[str] = mapped_column(String(100), default="")
    major: Mapped[str] = mapped_column(String(50), default="")
    intention: Mapped[str] = mapped_column(String(4), default="就业")    # 就业 / 升学 / 参军 / 暂不
    status: Mapped[str] = mapped_column(String(4), default="未就业")     # 已就业 / 未就业 / 升学 / 参军 / 创业
    employer: Mapped[str] = mapped_column(String(100), default="")
    place: Mapped[str] = mapped_column(String(4), default="")           # 省内 / 省外
    job: Mapped[str] = mapped_column(String(50), default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    contract: Mapped[str] = mapped_column(String(20), default="")       # 劳动合同 / 就业协议 / 营业执照 …
    reason: Mapped[str] = mapped_column(Text, default="")               # why not employed
    next_action: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class GraduateGuidance(Base):
    __tablename__ = "graduate_guidance"
    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id", ondelete="CASCADE"), index=True)
    given_on: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))                       # 讲座 / 推荐岗位 / 技能培训 / 其他
    by: Mapped[str] = mapped_column(String(30), default="")
    content: Mapped[str] = mapped_column(Text, default="")


class GraduateFile(Base):
    """A proof (contract scan, photo) kept in the database with its SHA-256."""
    __tablename__ = "graduate_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(60), default="")
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
