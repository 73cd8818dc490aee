"""Time: stored in UTC, shown in local time.

Every timestamp the app writes is naive UTC (SQLite has no time zones; `CURRENT_TIMESTAMP` is UTC too).
Dates that people type or read (a payment day, a visit day, "today") are local calendar dates.
Services get a `Clock` from their context, so tests can fix the time.
"""
from __future__ import annotations

import datetime as dt
import re

UTC = dt.UTC


class Clock:
    """The real clock."""

    def now(self) -> dt.datetime:
        """Naive UTC, to the second: what is stored."""
        return dt.datetime.now(UTC).replace(tzinfo=None, microsecond=0)

    def today(self) -> dt.date:
        """The local calendar date."""
        return dt.date.today()


class FixedClock(Clock):
    """A clock that says what it is told (tests, benchmarks, the year-end replay of a term)."""

    def __init__(self, now_utc: dt.datetime, today: dt.date | None = None):
        self._now = now_utc.replace(tzinfo=None, microsecond=0)
        self._today = today or local(self._now).date()

    def now(self) -> dt.datetime:
        return self._now

    def today(self) -> dt.date:
        return self._today


def local(stored: dt.datetime) -> dt.datetime:
    """A stored (naive UTC, or aware) time in the computer's local time zone."""
    if stored.tzinfo is None:
        stored = stored.replace(tzinfo=UTC)
    return stored.astimezone()


def local_text(stored: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return local(stored).strftime(fmt) if stored else ""


_DAY = None


def parse_day(text: object) -> dt.date:
    """A calendar date as people type it: 2020-09-07, 2020/9/7, 2020.9.7, 2020年9月7日, 20200907.
    Raises ValueError with a Chinese message."""
    global _DAY
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    if _DAY is None:
        _DAY = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))\s*$")
    m = _DAY.match(str(text or ""))
    if not m:
        raise ValueError(f"“{text}”不是有效日期，请写成 2020-09-07")
    year, month, day = int(m.group(1)), int(m.group(2) or m.group(4)), int(m.group(3) or m.group(5))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期") from None
