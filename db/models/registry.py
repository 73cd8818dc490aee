"""The registry's ORM models. Money is integer fen; ID, card and phone numbers are text.

This module holds the registry (school, households, students, categories) and liaison officers.
Later ledgers (aid, visits, dropout cases, special-needs files, survey, letters, county
lists) hang off `student.id` and `household.id` and arrive with their own migrations.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, TimestampMixin


class School(Base):
    __tablename__ = "school"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    county: Mapped[str] = mapped_column(String(50), default="")
    township: Mapped[str] = mapped_column(String(50), default="")
    stages: Mapped[str] = mapped_column(String(100), default="")     # comma-separated Stage values
    code: Mapped[str] = mapped_column(String(30), default="")        # 学校标识码
    officer: Mapped[str] = mapped_column(String(30), default="")     # 资助专干
    headmaster: Mapped[str] = mapped_column(String(30), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")


class LiaisonOfficer(TimestampMixin, Base):
    __tablename__ = "liaison_officer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))
    phone: Mapped[str] = mapped_column(String(30), default="")
    unit: Mapped[str] = mapped_column(String(100), default="")


class Household(TimestampMixin, Base):
    __tablename__ = "household"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    head_name: Mapped[str] = mapped_column(String(30))
    head_id_number: Mapped[str | None] = mapped_column(String(18))
    township: Mapped[str] = mapped_column(String(50), default="", index=True)
    village: Mapped[str] = mapped_column(String(50), default="", index=True)
    group_name: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    poverty_status: Mapped[str | None] = mapped_column(String(10))     # PovertyStatus, for 建档立卡
    poverty_exit_year: Mapped[int | None] = mapped_column(Integer)
    liaison_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("liaison_officer.id", ondelete="SET NULL"), index=True)
    helper_cadre: Mapped[str] = mapped_column(String(30), default="")  # 帮扶责任人 (a government cadre)
    monitored_type: Mapped[str | None] = mapped_column(String(10))      # MonitoredType, for 监测对象
    notes: Mapped[str] = mapped_column(Text, default="")

    students: Mapped[list[Student]] = relationship(back_populates="household")
    liaison_officer: Mapped[LiaisonOfficer | None] = relationship()

    __table_args__ = (Index("ix_household_head_name", "head_name"),)


class Student(TimestampMixin, Base):
    __tablename__ = "student"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="RESTRICT"),
                                                     index=True)
    name: Mapped[str] = mapped_column(String(30))
    name_pinyin: Mapped[str] = mapped_column(String(120), default="", index=True)   # sort + initials
    name_initials: Mapped[str] = mapped_column(String(30), default="", index=True)
    gender: Mapped[str | None] = mapped_column(String(2))
    ethnicity: Mapped[str] = mapped_column(String(20), default="汉族")
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    student_no: Mapped[str | None] = mapped_column(String(19), unique=True)         # 学籍号
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    stage: Mapped[str | None] = mapped_column(String(10))
    grade: Mapped[str] = mapped_column(String(10), default="")
    class_name: Mapped[str] = mapped_column(String(20), default="")
    residence: Mapped[str | None] = mapped_column(String(4))                        # 寄宿 / 走读
    enrolment: Mapped[str] = mapped_column(String(10), default="在校")
    study_location: Mapped[str | None] = mapped_column(String(10))
    study_school: Mapped[str] = mapped_column(String(100), default="")
    relation_to_head: Mapped[str] = mapped_column(String(10), default="")
    difficulty_level: Mapped[str | None] = mapped_column(String(10))   # the latest 认定 (see assessments)
    hukou: Mapped[str | None] = mapped_column(String(4))                # 户籍性质: 农业 / 非农业
    major: Mapped[str] = mapped_column(String(50), default="")          # 中职 专业
    agri_major: Mapped[bool | None] = mapped_column(Boolean)            # 涉农专业 (None: unknown)
    phone: Mapped[str] = mapped_column(String(30), default="")
    bank_card_no: Mapped[str | None] = mapped_column(String(19))
    bank_name: Mapped[str] = mapped_column(String(50), default="")
    card_holder: Mapped[str] = mapped_column(String(30), default="")
    card_holder_relation: Mapped[str] = mapped_column(String(10), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    household: Mapped[Household | None] = relationship(back_populates="students")
    categories: Mapped[list[StudentCategory]] = relationship(
        cascade="all, delete-orphan", order_by="StudentCategory.category")

    __table_args__ = (
        Index("ix_student_grade_class", "grade", "class_name"),
        CheckConstraint("gender IS NULL OR gender IN ('男','女')", name="gender"),
        CheckConstraint("id_number IS NULL OR length(id_number) = 18", name="id_len"),
    )


class StudentCategory(Base):
    __tablename__ = "student_category"
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"),
                                            primary_key=True)
    category: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class DifficultyAssessment(TimestampMixin, Base):
    """家庭经济困难认定: one record per student and school year (2020 = the 2020-2021 school year,
    which autumn 2020 starts). The national template makes 困难程度, 认定时间 and 认定原因 mandatory;
    imported and migrated records may lack the last two and are listed until completed."""
    __tablename__ = "difficulty_assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"), index=True)
    school_year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(10))                       # DifficultyLevel
    assessed_on: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    assessed_by: Mapped[str] = mapped_column(String(30), default="")
    source: Mapped[str] = mapped_column(String(10), default="手工录入")  # AssessmentSource

    __table_args__ = (
        UniqueConstraint("student_id", "school_year"),
        Index("ix_difficulty_assessment_year_level", "school_year", "level"),
    )
