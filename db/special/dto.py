"""Plain dataclasses of the special-needs ledger (一人一案). No ORM object leaves a service.

Dates in forms may be given as dt.date or as the text a person typed (2020-09-07, 2020年9月7日);
the service checks them and names the field of every problem (ValidationError).
Rows for lists carry ID and certificate numbers masked; forms carry them in full.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

DateIn = dt.date | str | None


@dataclass
class FileQuery:
    """What the list of files asks for; empty fields do not filter."""
    text: str = ""                 # name (or part), ID number prefix
    category: str = ""
    placement: str = ""
    review_due: bool = False       # an assessment, plan or exemption review due within 30 days or overdue
    visit_due: bool = False        # 送教上门 due or overdue now
    include_closed: bool = False


@dataclass(frozen=True)
class FileRow:
    id: int
    student_id: int | None
    name: str
    gender: str
    id_number: str                 # masked
    where: str                     # 三年级2班 / 县名单（未入学）/ 登记（未入学）
    category: str
    grade: str
    registered_poor: str           # 是 / 否 / ""
    placement: str
    placement_since: str
    next_review: str
    visits_term: int               # 送教上门 visits this term
    last_visit: str
    alerts: str                    # 待安置；复评已过期；送教逾期 3 天 …
    closed: bool = False


@dataclass
class FileForm:
    """The child tab of a file. `student_id` links a student (name, ID, gender and birth date then come
    from the roll); `county_entry_id` records a child taken from the county's list."""
    id: int | None = None
    student_id: int | None = None
    county_entry_id: int | None = None
    name: str = ""
    id_number: str = ""
    gender: str = ""
    birth_date: DateIn = None
    address: str = ""
    category: str = ""
    grade: str = ""
    card_no: str = ""
    card_issued_on: DateIn = None
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    registered_poor: bool | None = None
    visit_every_days: int | None = None
    closed_on: DateIn = None
    closed_reason: str = ""
    notes: str = ""
    placement: str = "待安置"       # read only: from the placement history
    placement_since: dt.date | None = None
    source: str = ""               # read only: 三年级2班 / 县名单：建档立卡学龄人口（2020-09-01）


@dataclass(frozen=True)
class ChildChoice:
    """A child a new file can be opened for: key 's:<student id>' or 'c:<county list entry id>'."""
    id: str
    label: str


@dataclass
class AssessmentForm:
    id: int | None = None
    file_id: int | None = None
    assessed_on: DateIn = None
    members: str = ""
    physical: str = ""
    learning: str = ""
    adaptability: str = ""
    conclusion: str = ""
    recommended: str = ""
    guardian_opinion: str = ""
    guardian_signed_on: DateIn = None
    next_review: DateIn = None


@dataclass
class PlacementForm:
    id: int | None = None
    file_id: int | None = None
    placement: str = ""
    since: DateIn = None
    decided_by: str = ""
    place: str = ""
    assessment_id: int | None = None
    reason: str = ""


@dataclass
class GoalLine:
    area: str = ""
    goal: str = ""
    measures: str = ""
    teacher: str = ""
    result: str = ""


@dataclass
class PlanForm:
    id: int | None = None
    file_id: int | None = None
    term: str = ""                 # 2020秋
    made_on: DateIn = None
    baseline: str = ""
    teachers: str = ""
    review_on: DateIn = None
    reviewed_on: DateIn = None
    review_notes: str = ""
    goals: list[GoalLine] = field(default_factory=list)


@dataclass
class HomeVisitForm:
    id: int | None = None
    file_id: int | None = None
    visit_date: DateIn = None
    teacher1: str = ""
    teacher2: str = ""
    minutes: int | None = None     # None: the setting's usual duration
    content: str = ""
    progress: str = ""
    parent_remarks: str = ""
    parent_signed: bool | None = None


@dataclass(frozen=True)
class HomeVisitRow:
    id: int
    file_id: int
    visit_date: dt.date
    term: str                      # 2020年秋季学期
    teacher1: str
    teacher2: str
    minutes: int
    content: str
    progress: str
    parent_remarks: str
    parent_signed: bool | None
    photos: int


@dataclass
class ExemptionForm:
    id: int | None = None
    file_id: int | None = None
    school_year: str = ""          # 2020-2021
    hospital: str = ""
    diagnosis: str = ""
    diagnosed_on: DateIn = None
    assessed_on: DateIn = None
    assessment_conclusion: str = ""
    applied_on: DateIn = None
    approved_by: str = ""
    approved_on: DateIn = None
    review_due: DateIn = None      # default: 31 August at the end of the school year
    reviewed_on: DateIn = None
    review_result: str = ""


@dataclass(frozen=True)
class ExemptionRow:
    """A line of the 免于学习名册 (ID number in full: mask it for print and screens)."""
    id: int
    file_id: int
    school_year: str
    name: str
    gender: str
    id_number: str
    category: str
    grade: str
    hospital: str
    diagnosis: str
    diagnosed_on: dt.date | None
    assessed_on: dt.date | None
    assessment_conclusion: str
    applied_on: dt.date | None
    approved_by: str
    approved_on: dt.date | None
    review_due: dt.date | None
    reviewed_on: dt.date | None
    review_result: str
    guardian: str


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    file_id: int
    visit_id: int | None
    kind: str
    doc_date: dt.date | None
    note: str
    filename: str
    mime: str
    size: int
    width: int | None
    height: int | None
    original_size: int
    reduced: bool
    added_at: dt.datetime
    added_by: str
    thumb: bytes | None = None     # a small JPEG (checked), None when there is none

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


@dataclass(frozen=True)
class AttachmentAdded:
    row: AttachmentRow
    note: str                      # what was done: 照片已缩小：4032×3024 → 2000×1500 …


@dataclass(frozen=True)
class VisitSettings:
    every_days: int = 7
    minutes: int = 60


@dataclass(frozen=True)
class DueVisit:
    """A child placed 送教上门 and where the visits stand this term."""
    file_id: int
    name: str
    where: str
    every_days: int
    last_visit: dt.date | None
    next_due: dt.date
    overdue_days: int              # 0: not overdue
    done: int                      # this term
    expected: int                  # this term, so far
    minutes: int                   # this term

    @property
    def missed(self) -> int:
        return max(0, self.expected - self.done)


@dataclass(frozen=True)
class Alert:
    file_id: int
    name: str
    kind: str                      # 待安置 / 送教逾期 / 复评 / 方案复查 / 免于学习复核 / 免于学习未登记
    text: str
    due: dt.date | None = None


@dataclass(frozen=True)
class CountRow:
    category: str                  # 视力 … 多重, or 合计
    groups: dict[str, int]         # PLACEMENT_GROUPS key -> children
    by_placement: dict[str, int]   # every placement -> children
    registered_poor: int
    total: int


@dataclass(frozen=True)
class SpecialReport:
    term: str                      # 2020年秋季学期
    school_year: str
    rows: list[CountRow]           # one per category, then 合计
    visits: list[DueVisit]         # every child placed 送教上门: the term's visits
    exemptions: int                # entries in the 名册 for the school year
    alerts: list[Alert]


@dataclass(frozen=True)
class FamilySpecial:
    """A file as the family page shows it."""
    file_id: int
    name: str
    category: str
    grade: str
    card_no: str                   # masked
    placement: str
    placement_since: dt.date | None
    last_assessment: dt.date | None
    next_review: dt.date | None
    plan_term: str
    visits_term: int
    last_visit: dt.date | None
    exempt_year: str
    attachments: int
    alerts: list[str]
