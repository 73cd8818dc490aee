"""What a ledger contributes to the home page (工作台) and to the self-inspection (自查): plain dataclasses,
shared by every ledger (this module imports none).

A ledger registers, in db.ledgers, up to two callables by name ("module:function"):

    home="db.dropout.home:home_items"      home_items(sv: Services, today: date) -> list[HomeItem]
    accounts="db.dropout.home:accounts"    accounts(sv: Services, today: date) -> list[Account]

A ledger that registers neither contributes nothing. `home_items` says what is due or late, each item
with the `Link` that opens the list which fixes it; `accounts` says, per child, how that ledger accounts
for them (a dropout case and its state, a letter sent, a special-needs file and its placement) — the
self-inspection (db.office.inspection) decides from these whether a child is missed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

LATE, DUE, INFO = "late", "due", "info"        # HomeItem.level: past a date / to do / for information
LEVEL_LABELS = {LATE: "逾期", DUE: "待办", INFO: "提示"}

# Account.kind: what a ledger's record says about a child
CASE, FILE, LETTER = "case", "file", "letter"


@dataclass(frozen=True)
class Link:
    """Where the fix is: a page (its `settings_key`: students, aid, visits, dropout, letters, exchange,
    inspection …) and what to show there (filters, a dialog to open), all text."""
    page: str
    args: tuple[tuple[str, str], ...] = ()

    @classmethod
    def to(cls, page: str, **args: object) -> Link:
        return cls(page, tuple((k, str(v)) for k, v in args.items()))

    def arg(self, key: str, default: str = "") -> str:
        return dict(self.args).get(key, default)


@dataclass(frozen=True)
class HomeItem:
    ledger: str                  # the ledger that says so (db.ledgers name)
    title: str                   # 本学期资助未发放
    detail: str                  # 2020年秋季学期：128 条、64,000.00 元待发放，距 9 月 25 日截止还有 5 天
    count: int = 0               # how many things (lines, students, cases …)
    level: str = DUE             # LATE / DUE / INFO
    due: dt.date | None = None
    link: Link | None = None


@dataclass(frozen=True)
class Account:
    """How one ledger accounts for one child: keyed by the student (student_id) and/or the ID number
    (a child on the county's list with no student record). `ok` False: the record itself is
    incomplete (a letter made but never sent), and `text` says what is missing."""
    ledger: str
    kind: str                    # CASE / FILE / LETTER
    text: str                    # 控辍保学个案（劝返中） / 已发函 校资函〔2020〕3号（待回复）
    student_id: int | None = None
    id_number: str = ""
    ok: bool = True
    extra: dict[str, str] = field(default_factory=dict, compare=False)
