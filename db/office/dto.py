"""Plain dataclasses of the office's work (issue 16): the home page's figures, the self-inspection (自查),
the school-year rollover (学年结转), the settings and the operation log. Money is int fen; ID numbers
leave a service masked."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db.home import HomeItem


# ---- home page --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Count:
    key: str
    value: int


@dataclass(frozen=True)
class Money:
    """One programme's live lines in one term (void lines left out): cash apart from 减免."""
    term: str                     # 2020年秋季学期
    term_key: int
    programme: str
    cash_fen: int
    waiver_fen: int
    lines: int


@dataclass
class Figures:
    as_of: dt.date
    students: int                                        # in school (在校)
    by_stage: list[Count] = field(default_factory=list)   # in school, per stage
    needy_by_stage: list[Count] = field(default_factory=list)   # of those, with a category or a needy 认定
    by_category: list[Count] = field(default_factory=list)      # in school, per category
    money: list[Money] = field(default_factory=list)            # newest terms first

    def terms(self) -> list[tuple[str, int, int]]:
        """(term, cash fen, 减免 fen) per term, newest first."""
        out: dict[str, list[int]] = {}
        for m in self.money:
            t = out.setdefault(m.term, [0, 0])
            t[0] += m.cash_fen
            t[1] += m.waiver_fen
        return [(k, c, w) for k, (c, w) in out.items()]


@dataclass
class HomeReport:
    as_of: dt.date
    items: list[HomeItem]
    problems: list[str] = field(default_factory=list)     # a ledger that could not say (logged)


# ---- self-inspection --------------------------------------------------------------------------------
MISSED = "对象无遗漏"
GAP_RULES = (MISSED, "走访核实", "银行卡", "重复登记", "户主", "年龄")


@dataclass(frozen=True)
class Gap:
    """One thing the inspection found missing. `key` identifies the child (s:<student id> or
    c:<county list entry id>) or the group (card:…, dup:…)."""
    rule: str                     # one of GAP_RULES
    kind: str                     # the rule's finer kind (未认定, 省外未发函 …)
    key: str
    name: str
    id_number: str                # masked
    where: str                    # 三年级2班 / 名单第 12 行 / 前进村
    missing: str                  # what is missing, in Chinese
    student_id: int | None = None
    entry_id: int | None = None
    household_id: int | None = None


@dataclass
class CheckResult:
    as_of: dt.date
    term: str
    list_name: str                                   # the county list checked ("" when none imported)
    children: int                                    # children checked (list ∪ needy roll)
    on_list: int
    on_roll: int
    accounted: dict[str, int] = field(default_factory=dict)   # how (本学期有资助 …) -> children
    gaps: list[Gap] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # what the check could not look at (and why)

    @property
    def accounted_total(self) -> int:
        return sum(self.accounted.values())

    @property
    def missed(self) -> int:
        """Children not accounted for (the 对象无遗漏 gaps)."""
        return sum(1 for g in self.gaps if g.rule == MISSED)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for g in self.gaps:
            out[g.rule] = out.get(g.rule, 0) + 1
        return out


# ---- rollover ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupMove:
    """One class of the closing year and where it goes. `to_class` is "" when the class graduates."""
    stage: str
    grade: str
    class_name: str
    students: int
    to_stage: str
    to_grade: str
    to_class: str
    graduate: bool
    note: str = ""

    @property
    def source(self) -> str:
        return f"{self.grade}{self.class_name}"

    @property
    def target(self) -> str:
        return "毕业" if self.graduate else f"{self.to_grade}{self.to_class}"


@dataclass
class RolloverPlan:
    school_year: int                                  # the year it opens: 2021 = 2021-2022
    moves: list[GroupMove] = field(default_factory=list)
    stay: list[Count] = field(default_factory=list)   # not promoted, by reason (休学, 辍学, 年级不明 …)
    households: int = 0                               # carried over as they are
    to_assess: int = 0                                # students who need a 认定 for the new year
    refusal: str = ""                                 # why it cannot run ("" when it can)

    @property
    def promoted(self) -> int:
        return sum(m.students for m in self.moves if not m.graduate)

    @property
    def graduated(self) -> int:
        return sum(m.students for m in self.moves if m.graduate)

    @property
    def unchanged(self) -> int:
        return sum(c.value for c in self.stay)


@dataclass
class RolloverResult:
    plan: RolloverPlan
    backup_file: str
    done_on: dt.date


# ---- settings ----------------------------------------------------------------------------------------
@dataclass
class OfficeConfig:
    """Everything the settings page edits. Money is fen; days are whole days."""
    name: str = ""
    county: str = ""
    township: str = ""
    stages: list[str] = field(default_factory=list)
    code: str = ""
    officer: str = ""
    headmaster: str = ""
    phone: str = ""                  # the school's complaint phone (监督电话), printed on notices
    county_hotline: str = ""         # 县学生资助管理中心电话
    nutrition_pilot: bool = False
    nutrition_county: str = ""
    nutrition_daily_fen: int = 0
    notice_days: int = 5             # 公示 working days (≥ 5)
    reply_days: int = 30             # a letter's reply due, days after sending
    visit_every_days: int = 7        # 送教上门: a visit every N days (a file may set its own)


# ---- operation log -----------------------------------------------------------------------------------
@dataclass
class LogQuery:
    start: dt.date | None = None     # local dates, inclusive
    end: dt.date | None = None
    text: str = ""                   # a student's name (or any word of the summary)
    student_id: int | None = None
    action: str = ""
    actor: str = ""


@dataclass(frozen=True)
class LogRow:
    id: int
    at: str                          # local time text
    actor: str
    action: str
    action_label: str
    entity: str
    entity_id: int | None
    summary: str                     # numbers masked
    before: str
    after: str
    ok: bool
