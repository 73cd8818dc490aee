"""County exchange: the lists the county pushes to the school (系统推送) and the follow-up of each
child on them (逐人排查). A list is kept with its kind, date and source file; each entry keeps the
raw row as JSON so that nothing the county sent is lost."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base


class CountyList(Base):
    __tablename__ = "county_list"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50), default="建档立卡学龄人口")
    source_file: Mapped[str] = mapped_column(String(255), default="")
    list_date: Mapped[dt.date] = mapped_column(Date)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    notes: Mapped[str] = mapped_column(Text, default="")

    entries: Mapped[list[CountyListEntry]] = relationship(
        back_populates="county_list", cascade="all, delete-orphan", passive_deletes=True)


class CountyListEntry(Base):
    __tablename__ = "county_list_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("county_list.id", ondelete="CASCADE"), index=True)
    source_row: Mapped[int] = mapped_column(Integer)                  # the sheet's own 1-based row
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(30), default="")
    head_name: Mapped[str] = mapped_column(String(30), default="")
    township: Mapped[str] = mapped_column(String(50), default="")
    village: Mapped[str] = mapped_column(String(50), default="")
    categories: Mapped[str] = mapped_column(String(100), default="")  # as written on the list
    raw: Mapped[str] = mapped_column(Text, default="")                # JSON {header: cell text}
    follow_up: Mapped[str] = mapped_column(String(20), default="待核实")
    follow_up_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), onupdate=func.current_timestamp())

    county_list: Mapped[CountyList] = relationship(back_populates="entries")

    __table_args__ = (UniqueConstraint("list_id", "id_number"),)
