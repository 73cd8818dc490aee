"""School terms (学期): `2020秋`, `2021春`, `2020年秋季学期`.

The school year starts in autumn: 2020秋 and 2021春 make the school year 2020-2021. Terms are stored
as an integer key (year * 2, +1 for autumn) so that "from term … to term …" is a plain comparison.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from db.errors import ValidationError

SPRING, AUTUMN = "春", "秋"
DEFAULT_DEADLINES = {SPRING: "06-15", AUTUMN: "09-25"}
DEADLINE_KEYS = {SPRING: "aid.deadline.spring", AUTUMN: "aid.deadline.autumn"}

_SHORT = re.compile(r"^(\d{4})\s*年?\s*(春|秋)(?:季)?(?:学期)?$")
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-－—~至]\s*(\d{4})\s*(?:学年)?\s*(?:第?\s*([一二12])\s*学期|(春|秋)季?学期?)$")


@dataclass(frozen=True, order=True)
class Term:
    year: int
    season: str     # "春" or "秋"

    @property
    def key(self) -> int:
        return self.year * 2 + (1 if self.season == AUTUMN else 0)

    @classmethod
    def from_key(cls, key: int) -> Term:
        return cls(key // 2, AUTUMN if key % 2 else SPRING)

    @property
    def short(self) -> str:
        return f"{self.year}{self.season}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.season}季学期"

    @property
    def start_year(self) -> int:
        """The school year as its starting year: 2020 for 2020秋 and 2021春 (认定 is per school year)."""
        return self.year if self.season == AUTUMN else self.year - 1

    @property
    def school_year(self) -> str:
        start = self.year if self.season == AUTUMN else self.year - 1
        return f"{start}-{start + 1}"

    def next(self) -> Term:
        return Term.from_key(self.key + 1)

    def deadline(self, month_day: str | None = None) -> dt.date:
        """Payment deadline, from an "MM-DD" setting (default: spring 06-15, autumn 09-25)."""
        m, d = parse_month_day(month_day or DEFAULT_DEADLINES[self.season])
        if (m, d) == (2, 29) and not (self.year % 4 == 0 and (self.year % 100 != 0 or self.year % 400 == 0)):
            d = 28
        return dt.date(self.year, m, d)

    def __str__(self) -> str:
        return self.label


def parse_term(text: object) -> Term:
    """'2020秋', '2021春', '2020年秋季学期', '2020-2021学年第一学期' -> Term. ValidationError otherwise."""
    if isinstance(text, Term):
        return text
    s = re.sub(r"\s+", "", str(text or ""))
    m = _SHORT.match(s)
    if m:
        year, season = int(m.group(1)), m.group(2)
    else:
        m = _SCHOOL_YEAR.match(s)
        if not m or int(m.group(2)) != int(m.group(1)) + 1:
            raise ValidationError({"term": f"无法识别学期“{text}”，请写成 2020秋、2021春 或 2020年秋季学期"})
        first = m.group(3) in ("一", "1") or m.group(4) == AUTUMN
        year, season = (int(m.group(1)), AUTUMN) if first else (int(m.group(2)), SPRING)
    if not 2000 <= year <= 2100:
        raise ValidationError({"term": f"学期年份 {year} 不合理"})
    return Term(year, season)


def term_of(day: dt.date) -> Term:
    """The term a date falls in: February–July is spring, August–January autumn (of the year it
    started)."""
    if day.month >= 8:
        return Term(day.year, AUTUMN)
    if day.month == 1:
        return Term(day.year - 1, AUTUMN)
    return Term(day.year, SPRING)


def school_year_of(day: dt.date) -> int:
    """The school year (its starting year) a date falls in."""
    return term_of(day).start_year


def parse_month_day(text: str) -> tuple[int, int]:
    m = re.match(r"^\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?\s*$", str(text))
    if not m:
        raise ValidationError({"deadline": f"截止日期“{text}”应写成 月-日，如 09-25"})
    month, day = int(m.group(1)), int(m.group(2))
    try:
        dt.date(2020, month, day)    # a leap year, so 02-29 is allowed
    except ValueError:
        raise ValidationError({"deadline": f"截止日期“{text}”不是有效日期"}) from None
    return month, day


def payment_date_doubts(term: Term, day: dt.date, deadline: dt.date | None = None) -> list[str]:
    """Why a payment date looks wrong for its term (a mistyped year, or after the deadline)."""
    doubts = []
    if day.year != term.year:
        doubts.append(f"发放日期 {day:%Y-%m-%d} 不在{term.label}所在的 {term.year} 年")
    if deadline is not None and day > deadline and day.year == term.year:
        doubts.append(f"发放日期 {day:%Y-%m-%d} 晚于本学期的发放截止日 {deadline:%Y-%m-%d}")
    return doubts
