"""Special-needs placement files (残疾儿童少年 "一人一案", issue 13): one file per disabled school-age
child of the school's area — a student on the roll, or a child from the county's list who is not at
school — with the county expert committee's assessments, the placement and its history, individual
plans (个别化教育方案) with their goals, the 送教上门 visit log, the 免于学习名册 entries and the
attachments (scans, photos), whose bytes are kept INSIDE the database so a backup holds them.

Attachments cannot be changed silently: the stored bytes carry a SHA-256 that is checked on every
read, and database triggers (migration 0009) refuse any UPDATE of the bytes or of the recorded hash,
size and type. They can only be added or deleted (both audited).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, TimestampMixin


class SpecialFile(TimestampMixin, Base):
    """The child's file. `student_id` links a student on the roll; `name`…`birth_date` are the child's
    own facts (for a student: a copy refreshed at every save, kept if the student is deleted)."""
    __tablename__ = "special_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("student.id", ondelete="SET NULL"), unique=True)
    county_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("county_list_entry.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(30))
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    gender: Mapped[str | None] = mapped_column(String(2))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    address: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(4), index=True)          # 视力 … 多重
    grade: Mapped[str] = mapped_column(String(4), default="")             # 一级 … 四级, "" not yet graded
    card_no: Mapped[str | None] = mapped_column(String(20))               # 残疾人证号
    card_issued_on: Mapped[dt.date | None] = mapped_column(Date)
    guardian_name: Mapped[str] = mapped_column(String(30), default="")
    guardian_relation: Mapped[str] = mapped_column(String(10), default="")
    guardian_phone: Mapped[str] = mapped_column(String(30), default="")
    registered_poor: Mapped[bool | None] = mapped_column(Boolean)         # 建档立卡; None: unknown
    placement: Mapped[str] = mapped_column(String(20), default="待安置", index=True)   # current (from history)
    placement_since: Mapped[dt.date | None] = mapped_column(Date)
    visit_every_days: Mapped[int | None] = mapped_column(Integer)         # 送教 frequency; None: the setting
    closed_on: Mapped[dt.date | None] = mapped_column(Date)               # 结案 (moved away, aged out …)
    closed_reason: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class SpecialAssessment(TimestampMixin, Base):
    """An assessment by the county 残疾人教育专家委员会."""
    __tablename__ = "special_assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("special_file.id", ondelete="CASCADE"), index=True)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    members: Mapped[str] = mapped_column(Text, default="")                # 评估专家 (names, 、-separated)
    physical: Mapped[str] = mapped_column(Text, default="")               # 身体状况
    learning: Mapped[str] = mapped_column(Text, default="")               # 学习能力
    adaptability: Mapped[str] = mapped_column(Text, default="")           # 适应能力
    conclusion: Mapped[str] = mapped_column(Text, default="")
    recommended: Mapped[str] = mapped_column(String(20), default="")      # a placement
    guardian_opinion: Mapped[str] = mapped_column(Text, default="")
    guardian_signed_on: Mapped[dt.date | None] = mapped_column(Date)
    next_review: Mapped[dt.date | None] = mapped_column(Date)


class SpecialPlacement(TimestampMixin, Base):
    """One placement decision; the newest (by date, then id) is the child's placement now."""
    __tablename__ = "special_placement"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("special_file.id", ondelete="CASCADE"), index=True)
    placement: Mapped[str] = mapped_column(String(20))
    since: Mapped[dt.date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(100), default="")      # 县残疾人教育专家委员会 / 县教育局
    place: Mapped[str] = mapped_column(String(100), default="")           # 安置学校或机构
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("special_assessment.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")


class SpecialPlan(TimestampMixin, Base):
    """个别化教育方案 of one term."""
    __tablename__ = "special_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("special_file.id", ondelete="CASCADE"), index=True)
    term_key: Mapped[int] = mapped_column(Integer)
    made_on: Mapped[dt.date] = mapped_column(Date)
    baseline: Mapped[str] = mapped_column(Text, default="")               # 现有水平
    teachers: Mapped[str] = mapped_column(String(200), default="")
    review_on: Mapped[dt.date | None] = mapped_column(Date)               # review due
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    review_notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("file_id", "term_key"),)


class SpecialPlanGoal(Base):
    __tablename__ = "special_plan_goal"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("special_plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    area: Mapped[str] = mapped_column(String(10))                         # 生活自理 / 认知 / 语言沟通 …
    goal: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text, default="")
    teacher: Mapped[str] = mapped_column(String(60), default="")
    result: Mapped[str] = mapped_column(String(10), default="")           # 已达成 / 部分达成 / 未达成 / ""


class SpecialHomeVisit(TimestampMixin, Base):
    """One 送教上门 visit."""
    __tablename__ = "special_home_visit"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("special_file.id", ondelete="CASCADE"))
    visit_date: Mapped[dt.date] = mapped_column(Date)
    term_key: Mapped[int] = mapped_column(Integer, index=True)
    teacher1: Mapped[str] = mapped_column(String(30))
    teacher2: Mapped[str] = mapped_column(String(30), default="")
    minutes: Mapped[int] = mapped_column(Integer, default=60)
    content: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[str] = mapped_column(Text, default="")               # on the plan's goals
    parent_remarks: Mapped[str] = mapped_column(Text, default="")
    parent_signed: Mapped[bool | None] = mapped_column(Boolean)

    __table_args__ = (Index("ix_special_home_visit_file_date", "file_id", "visit_date"),)


class SpecialExemption(TimestampMixin, Base):
    """An entry of the 免于学习名册 for one school year, with its yearly review."""
    __tablename__ = "special_exemption"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("special_file.id", ondelete="CASCADE"), index=True)
    school_year: Mapped[str] = mapped_column(String(9))                   # 2020-2021
    hospital: Mapped[str] = mapped_column(String(100), default="")
    diagnosis: Mapped[str] = mapped_column(Text, default="")
    diagnosed_on: Mapped[dt.date | None] = mapped_column(Date)
    assessed_on: Mapped[dt.date | None] = mapped_column(Date)
    assessment_conclusion: Mapped[str] = mapped_column(Text, default="")
    applied_on: Mapped[dt.date | None] = mapped_column(Date)             # the guardian's application
    approved_by: Mapped[str] = mapped_column(String(100), default="")
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    review_due: Mapped[dt.date | None] = mapped_column(Date)
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    review_result: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("file_id", "school_year"),)


class SpecialAttachment(Base):
    """What an attachment is; its bytes are in special_attachment_data (read only when opened)."""
    __tablename__ = "special_attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("special_file.id", ondelete="CASCADE"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("special_home_visit.id", ondelete="SET NULL"),
                                                 index=True)
    kind: Mapped[str] = mapped_column(String(10))                         # 残疾人证 / 评估报告 / 照片 …
    doc_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(255))                    # as it was added
    mime: Mapped[str] = mapped_column(String(40))                         # image/jpeg, application/pdf
    size: Mapped[int] = mapped_column(Integer)                            # bytes stored
    sha256: Mapped[str] = mapped_column(String(64))                       # of the bytes stored
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    original_size: Mapped[int] = mapped_column(Integer)                   # bytes of the file added
    reduced: Mapped[bool] = mapped_column(Boolean, default=False)         # a photo stored smaller
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)               # UTC
    added_by: Mapped[str] = mapped_column(String(60), default="")


class SpecialAttachmentData(Base):
    """The bytes of an attachment and of its thumbnail (a small JPEG; None when there is none)."""
    __tablename__ = "special_attachment_data"
    attachment_id: Mapped[int] = mapped_column(ForeignKey("special_attachment.id", ondelete="CASCADE"),
                                               primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    thumb: Mapped[bytes | None] = mapped_column(LargeBinary)
    thumb_sha256: Mapped[str] = mapped_column(String(64), default="")
