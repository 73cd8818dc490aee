"""Tables every ledger shares: the audit log and the database's own settings."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class AuditLog(Base):
    """Every change, in the order it was made (append-only: triggers refuse UPDATE and DELETE).

    Written only by db.audit.record, inside the transaction of the change it records. `at` is UTC;
    `before`/`after` are JSON snapshots with ID, card and phone numbers masked. `hash` chains the
    entries: sha256 of the previous entry's hash and this entry (db.audit.entry_hash), so an entry
    edited, deleted or moved in the file is found by `main.py audit verify`.
    """
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(60), default="")
    action: Mapped[str] = mapped_column(String(20))          # create / update / delete / import / pay …
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
    hash: Mapped[str] = mapped_column(String(64), default="", server_default="")

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)


class Setting(Base):
    """Small key/value facts about this database (not UI preferences, which live in QSettings)."""
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class User(Base):
    """A person who logs in (issue 14). The first one, an administrator, is made at first start; from
    then on the database is encrypted and every window and command acts as a logged-in user.
    `password_hash` is argon2id (db.access.passwords); `classes` are a 班主任's own classes
    ("七年级3班、八年级1班", db.access.roles.parse_classes). Users are disabled, never deleted: the
    audit log names them."""
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    classes: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
