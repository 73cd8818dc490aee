"""营养改善计划 (pilot schools only): per term the meal model and daily standard, the meal days of each
month, the real-name list of pupils (with the months they ate), and the 陪餐 log.

Money is integer fen. The month's funds are not stored: meal days × pupils that month × the daily
standard, computed the same way for the screen, the 公示 and the workbook. Nothing here is cash to a
family: there is no card number in these tables.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, TimestampMixin


class NutritionTerm(TimestampMixin, Base):
    __tablename__ = "nutrition_term"
    id: Mapped[int] = mapped_column(primary_key=True)
    term_key: Mapped[int] = mapped_column(Integer, unique=True)
    meal_model: Mapped[str] = mapped_column(String(10))            # 食堂供餐 / 企业供餐 / 托餐 / 混合供餐
    daily_fen: Mapped[int] = mapped_column(Integer)                # per pupil per meal day
    notes: Mapped[str] = mapped_column(Text, default="")


class NutritionMonth(Base):
    __tablename__ = "nutrition_month"
    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("nutrition_term.id", ondelete="CASCADE"), index=True)
    month: Mapped[str] = mapped_column(String(7))                   # 2021-03
    meal_days: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("term_id", "month"),)


class NutritionPupil(Base):
    """One pupil on a term's real-name list, from `from_month` to `to_month` (None: to the term's end).
    Name, grade and class are kept as listed (the list is what was published)."""
    __tablename__ = "nutrition_pupil"
    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("nutrition_term.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("student.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(30))
    grade: Mapped[str] = mapped_column(String(10), default="")
    class_name: Mapped[str] = mapped_column(String(20), default="")
    from_month: Mapped[str] = mapped_column(String(7))
    to_month: Mapped[str | None] = mapped_column(String(7))
    note: Mapped[str] = mapped_column(String(100), default="")

    __table_args__ = (UniqueConstraint("term_id", "student_id"),)


class NutritionMeal(TimestampMixin, Base):
    """陪餐记录: a school leader ate with the pupils."""
    __tablename__ = "nutrition_meal"
    id: Mapped[int] = mapped_column(primary_key=True)
    meal_date: Mapped[dt.date] = mapped_column(Date, index=True)
    leader: Mapped[str] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(20), default="")      # 校长 / 副校长 / 值班领导
    meal: Mapped[str] = mapped_column(String(4), default="午餐")
    remarks: Mapped[str] = mapped_column(Text, default="")
