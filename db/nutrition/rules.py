"""The nutrition plan's rules (营养改善计划; DOMAIN.md "Aid"), pure:

- Only pilot schools keep it: the school setting 本校为营养改善计划试点学校 (db.aid.settings).
- Who eats: the real-name list of the term — every compulsory-stage pupil (小学, 初中) in school (在校).
  Pilot schools are rural schools, so the whole roll of those stages is the list; the officer takes a
  pupil off (with a note) when a pupil leaves, and a refresh adds newcomers from the month named.
- The daily standard: 4 元 per pupil per meal day, 5 元 from 2021秋 (or the figure the school set in
  the aid settings); each term keeps the figure it was planned with.
- A month's funds = meal days × pupils on the list that month × daily standard, in integer fen.
- The meals are given in kind: never cash to a family, never on a card, never in an aid batch.
- The monthly 公示 shows the month's figures and the pupils' name, grade and class only.
"""
from __future__ import annotations

import datetime as dt
import re

from db.terms import AUTUMN, Term

COMPULSORY = ("小学", "初中")
NEW_STANDARD_FROM = Term(2021, AUTUMN)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def default_daily_fen(term: Term, setting_fen: int = 0) -> int:
    if setting_fen:
        return setting_fen
    return 500 if term >= NEW_STANDARD_FROM else 400


def term_months(term: Term) -> list[str]:
    """The months of a term's meals: spring February–July, autumn September–January."""
    if term.season == AUTUMN:
        return [f"{term.year}-{m:02d}" for m in (9, 10, 11, 12)] + [f"{term.year + 1}-01"]
    return [f"{term.year}-{m:02d}" for m in range(2, 8)]


def valid_month(text: str) -> bool:
    m = _MONTH.match(text or "")
    return bool(m) and 1 <= int(m.group(2)) <= 12


def previous_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"


def on_list(from_month: str, to_month: str | None, month: str) -> bool:
    return from_month <= month and (to_month is None or month <= to_month)


def month_funds(meal_days: int, pupils: int, daily_fen: int) -> int:
    return meal_days * pupils * daily_fen


def month_label(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:])}月"


def term_dates(term: Term) -> tuple[dt.date, dt.date]:
    """The first and last day of the term's meal months."""
    months = term_months(term)
    first, last = months[0], months[-1]
    y, m = int(last[:4]), int(last[5:])
    end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(int(first[:4]), int(first[5:]), 1), end
