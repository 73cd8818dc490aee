"""Plain dataclasses of dropout control (控辍保学): the case form, moves between states, persuasion
attempts, the list, the overdue next steps and the monthly report. No ORM object leaves a service."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class State(StrEnum):
    SUSPECTED = "疑似辍学"
    DROPPED = "辍学"
    PERSUADING = "劝返中"
    RETURNED = "复学"
    CLOSED = "销号"


OPEN_STATES = frozenset({State.SUSPECTED, State.DROPPED, State.PERSUADING})
OPENING_STATES = (State.SUSPECTED, State.DROPPED)      # a case opens in one of these
ALL_OPEN = "进行中"                                    # list filter: every open state

SOURCE_STUDENT = "本校学生"
SOURCE_COUNTY = "推送名单"

# No official code list of reasons was found (DOMAIN.md): an editable default.
DEFAULT_REASONS = ("厌学/学习困难", "家庭经济困难", "外出务工", "疾病", "残疾", "早婚早育", "监护缺失/家长观念",
                   "上学远", "随迁/去向不明", "其他")
LEVELS = ("学校", "乡镇政府", "县教育局")
SCHOOL, TOWNSHIP, COUNTY = LEVELS
METHODS = ("家访", "电话", "书面通知", "约谈")
RESULTS = ("同意返校", "拒绝返校", "未见到学生或家长", "犹豫观望")
AGREED = RESULTS[0]
CLOSE_REASONS = ("转学", "在外就读", "送教上门", "特教学校", "延缓入学", "休学", "免于学习", "超龄", "死亡", "出国")


@dataclass
class CaseForm:
    """What the case form edits. On opening, exactly one of student_id / county_entry_id names the
    child, and `state` is 疑似辍学 or 辍学; the child's own details come from the registry or the list."""
    id: int | None = None
    student_id: int | None = None
    county_entry_id: int | None = None
    state: str = State.SUSPECTED
    opened_on: dt.date | None = None
    guardian_name: str = ""
    guardian_phone: str = ""
    head_teacher: str = ""
    liaison: str = ""
    last_at_school: dt.date | None = None
    absent_days: int | None = None
    reason: str = ""
    reason_note: str = ""
    registered_poor: bool | None = None     # None: as the registry (or the county's list) says
    notes: str = ""


@dataclass(frozen=True)
class ChildChoice:
    id: int
    label: str              # 张三（341623********1234，三年级2班，在校，前进村）


@dataclass
class Move:
    """A change of state. 复学 needs the date and class; 销号 a reason and the evidence that reason asks
    for (rules.CLOSE_NEEDS)."""
    to: str
    on: dt.date
    note: str = ""
    return_class: str = ""
    close_reason: str = ""
    close_school: str = ""
    close_location: str = ""
    close_evidence: str = ""
    approved_by: str = ""
    approved_on: dt.date | None = None
    special_ref: str = ""


@dataclass
class Person:
    name: str
    role: str = ""
    phone: str = ""


@dataclass
class AttemptForm:
    case_id: int
    on: dt.date
    level: str = SCHOOL
    method: str = "家访"
    people: list[Person] = field(default_factory=list)
    result: str = ""
    result_note: str = ""
    next_step: str = ""
    next_date: dt.date | None = None
    deadline: dt.date | None = None        # 限期复学 date of a written order (县教育局)


@dataclass(frozen=True)
class AttemptRow:
    id: int
    seq: int
    on: dt.date
    level: str
    method: str
    people: str             # 张老师（班主任，138****5678）；…  phones masked
    result: str
    result_note: str
    next_step: str
    next_date: dt.date | None
    deadline: dt.date | None
    by: str


@dataclass(frozen=True)
class TransitionRow:
    from_state: str
    to_state: str
    on: dt.date
    note: str
    by: str


@dataclass
class CaseQuery:
    text: str = ""
    state: str = ALL_OPEN       # "" every case, ALL_OPEN the open ones, or one state
    stage: str = ""
    poor_only: bool = False
    overdue_only: bool = False


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list; numbers masked."""
    id: int
    name: str
    gender: str
    id_number: str          # masked
    stage: str
    grade_class: str
    poor: str               # 建档立卡 / ""
    state: str
    reason: str
    absent_days: str
    opened_on: str
    state_since: str
    attempts: int
    escalation: str         # 应上报乡镇 …
    next_step: str
    next_date: str
    overdue: str            # what is late, "" if nothing
    head_name: str
    village: str
    guardian: str
    guardian_phone: str     # masked
    head_teacher: str
    source: str
    student_id: int | None


@dataclass
class CaseDetail:
    """A case in full, for the form, the page's detail panel and the documents."""
    form: CaseForm
    source: str
    name: str
    gender: str
    id_number: str          # masked
    birth_date: dt.date | None
    stage: str
    grade: str
    class_name: str
    head_name: str
    township: str
    village: str
    registered_poor: bool
    state: str
    state_since: dt.date
    returned_on: dt.date | None = None
    return_class: str = ""
    follow_up_on: dt.date | None = None
    follow_up_note: str = ""
    closed_on: dt.date | None = None
    close_reason: str = ""
    close_school: str = ""
    close_location: str = ""
    close_evidence: str = ""
    approved_by: str = ""
    approved_on: dt.date | None = None
    special_ref: str = ""
    escalation: str = ""
    allowed: tuple[str, ...] = ()
    attempts: list[AttemptRow] = field(default_factory=list)
    transitions: list[TransitionRow] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.form.id

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


@dataclass(frozen=True)
class OverdueItem:
    """A next step past its date (for the home page): 劝返下一步, 复学回访, 应认定辍学."""
    case_id: int
    name: str
    kind: str
    due: dt.date
    days_late: int
    text: str


# ---- the monthly report (学校一月一报告) ------------------------------------------------------------
COUNT_COLUMNS = (("new", "本月新增"), (State.SUSPECTED.value, "疑似辍学"), (State.DROPPED.value, "辍学"),
                 (State.PERSUADING.value, "劝返中"), ("returned", "本月复学"), ("closed", "本月销号"))


@dataclass
class StageCounts:
    """One stage's row: for each column key of COUNT_COLUMNS, (children, of whom 建档立卡)."""
    stage: str
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def get(self, key: str) -> tuple[int, int]:
        return self.counts.get(key, (0, 0))


@dataclass(frozen=True)
class ReportCase:
    name: str
    id_number: str          # in full: for the county's workbook only (the printed report leaves it out)
    gender: str
    stage: str
    grade_class: str
    poor: bool
    state: str              # at the end of the month
    reason: str
    opened_on: dt.date
    attempts: int
    last_attempt: str       # 2020-10-12 学校 家访：拒绝返校
    change: str             # this month's change: 本月复学 / 本月销号（转学） / 本月新增 / ""


@dataclass
class MonthReport:
    month: dt.date          # its first day
    rows: list[StageCounts]
    total: StageCounts
    closed_by_reason: list[tuple[str, int, int]]     # (reason, children, of whom 建档立卡)
    cases: list[ReportCase]

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"
