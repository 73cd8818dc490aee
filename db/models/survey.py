"""线上学习排查 (2020 "停课不停学"): survey rounds, one check per registered-poor household and round
(一看: devices and network; who checked, when, 明查 or 暗访), the 二问三查 answers per child, and the
problems found with their fix.

Yes/no facts are Boolean with NULL for "unknown" (the national system's rule: blank, never 否).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, TimestampMixin


class SurveyRound(TimestampMixin, Base):
    __tablename__ = "survey_round"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class SurveyCheck(TimestampMixin, Base):
    """One household in one round: 一看 (devices that work, network), date, inspector, 明查/暗访."""
    __tablename__ = "survey_check"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    check_date: Mapped[dt.date] = mapped_column(Date)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_officer.id", ondelete="SET NULL"))
    unannounced: Mapped[bool] = mapped_column(Boolean, default=False)      # 暗访 (else 明查)
    has_tv: Mapped[bool | None] = mapped_column(Boolean)                    # a working TV
    has_phone: Mapped[bool | None] = mapped_column(Boolean)                 # a working smartphone
    has_computer: Mapped[bool | None] = mapped_column(Boolean)              # computer or tablet
    net_broadband: Mapped[bool | None] = mapped_column(Boolean)
    net_mobile: Mapped[bool | None] = mapped_column(Boolean)                # 手机信号 (4G)
    net_cable: Mapped[bool | None] = mapped_column(Boolean)                 # 有线电视 / 户户通
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("round_id", "household_id"),)


class SurveyChild(Base):
    """二问三查 for one child of the household."""
    __tablename__ = "survey_child"
    check_id: Mapped[int] = mapped_column(ForeignKey("survey_check.id", ondelete="CASCADE"), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    can_attend: Mapped[bool | None] = mapped_column(Boolean)       # 问：能不能正常上网课
    knows_how: Mapped[bool | None] = mapped_column(Boolean)        # 问：会不会上网课
    operates_well: Mapped[bool | None] = mapped_column(Boolean)    # 查：操作是否熟练
    guidance_ok: Mapped[bool | None] = mapped_column(Boolean)      # 查：老师指导是否到位
    homework_ok: Mapped[bool | None] = mapped_column(Boolean)      # 查：作业提交和批改是否及时


class SurveyProblem(TimestampMixin, Base):
    """A problem found at a check and how it was solved (fix kind, how many, who paid, when)."""
    __tablename__ = "survey_problem"
    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("survey_check.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))                   # 无终端 / 无宽带 / 信号差 / 流量费 …
    note: Mapped[str] = mapped_column(Text, default="")
    fix: Mapped[str] = mapped_column(String(10), default="")        # 电视机 / 手机 / 天线 / 网络电视 / 流量（学生）…
    how: Mapped[str] = mapped_column(String(10), default="")        # 购买 / 捐赠 / 免费安装 / 赠送
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    paid_by: Mapped[str] = mapped_column(String(60), default="")
    solved_on: Mapped[dt.date | None] = mapped_column(Date)
