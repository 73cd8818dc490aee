"""What the access service hands out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: str
    classes: str
    active: bool
    created_at: dt.datetime | None
    last_login_at: dt.datetime | None
    locked_until: dt.datetime | None = None      # UTC, while a lockout lasts
    has_key: bool = True                          # the user's password opens the encrypted ledger


@dataclass(frozen=True)
class AccessSettings:
    min_password_length: int
    idle_minutes: int                              # 0: the screen never locks by itself
