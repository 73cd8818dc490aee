"""Plain dataclasses in and out of the individual-assistance ledger (个性化帮扶)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PAIRING = "结对帮扶"
KINDS = (PAIRING, "社会捐助", "爱心助学", "临时救助", "学习用品", "衣物", "心理关爱", "学业辅导")
DONATIONS = ("社会捐助", "爱心助学")


@dataclass
class AssistanceForm:
    id: int | None
    student_id: int | None
    kind: str
    given_on: dt.date | None
    who: str                       # the teacher (结对帮扶), donor, unit
    amount_fen: int | str | None = None   # int fen, yuan text, or None / "" when no money
    until: dt.date | None = None   # a pairing's end
    note: str = ""


@dataclass(frozen=True)
class AssistanceRow:
    id: int
    student_id: int
    name: str
    grade: str                     # 三年级2班
    kind: str
    given_on: dt.date
    until: dt.date | None
    who: str
    amount_fen: int | None
    note: str
    visits: int


@dataclass
class PairVisitForm:
    id: int | None
    assistance_id: int
    visit_date: dt.date | None
    content: str = ""


@dataclass(frozen=True)
class ChildRow:
    student_id: int
    name: str
    grade: str
    village: str
    head_name: str


@dataclass
class AssistanceReport:
    school_year: int
    items: int
    children: int
    by_kind: dict[str, int]
    money_by_kind: dict[str, int]          # fen, only kinds with money
    money_fen: int
    without: list[ChildRow] = field(default_factory=list)
