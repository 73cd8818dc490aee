"""Plain dataclasses the aid services return (no ORM object leaves a service). Money is int fen."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class LineStatus:
    PENDING = "待发放"
    PAID = "已发放"
    VERIFIED = "已核实"
    VOID = "已作废"
    WAIVER = "减免"          # a fee waiver (免学费 …): the school does not charge; never paid, never due
    ALL = ("待发放", "已发放", "已核实", "减免", "已作废")
    CASH = ("待发放", "已发放", "已核实")


@dataclass
class AidSettings:
    """The school's aid settings (stored in `setting`)."""
    nutrition_pilot: bool = False        # 本校为营养改善计划试点学校
    nutrition_county: str = ""           # the pilot county
    nutrition_daily_fen: int = 0         # per school day; 0: the figure of the standards table
    presumed_special: bool = False       # 低保/特困/孤儿/残疾 without a level count as 特别困难


VISIT_PURPOSES = ("走访核实", "政策宣传", "线上学习排查", "劝返", "送教上门", "其他")
RECEIVED = ("是", "否")          # None: unknown (left blank, never 否)


@dataclass
class StandardRow:
    """One programme's standard for one stage and a period of terms. Editable; seeded figures are
    defaults (is_default), not law."""
    id: int | None = None
    programme: str = ""
    stage: str = ""
    from_term: str = ""          # "2019秋" or "" (open)
    to_term: str = ""            # "2023秋" or "" (still in force)
    categories: str = ""         # the categories of scope "groups": "残疾学生,农村低保,特困供养"
    residence: str = ""          # 寄宿 / 走读 / "" either
    grades: str = ""             # "" every grade, or "中职一年级,中职二年级"
    yearly_fen: int = 0
    per_day_fen: int = 0
    school_days: int = 0         # per term, with per_day_fen
    tiers: list[int] = field(default_factory=list)   # yearly fen per tier, low to high
    spring_share: int = 50       # percent of the yearly amount paid in spring
    cash: bool = True            # paid onto a bank card
    is_default: bool = True
    active: bool = True
    version: int = 1
    notes: str = ""
    waiver: bool = False         # 减免 (免学费 …): never paid; cash=False, waiver=False: meals in kind
    scope: str = "needy"         # who qualifies, any of db.aid.rules.SCOPES: "registered,groups"

    @property
    def needs_amount(self) -> bool:
        return (self.cash or self.waiver) and not self.yearly_fen and not self.per_day_fen and not self.tiers

    @property
    def kind(self) -> str:
        return "现金" if self.cash else "减免" if self.waiver else "实物（膳食）"


@dataclass(frozen=True)
class Entitlement:
    student_id: int
    programme: str
    stage: str
    amount_fen: int
    standard_id: int
    standard_version: int
    reason: str                  # "初中 走读 建档立卡 → 非寄宿生生活补助 312.50 元"
    cash: bool = True
    needs_amount: bool = False
    waiver: bool = False         # 减免: in the batch, never paid


@dataclass(frozen=True)
class NoEntitlement:
    student_id: int
    name: str
    stage: str
    grade: str
    kind: str                    # 信息不全 (cannot decide) / 认定信息不全 / 未认定 / 无资助
    reason: str


@dataclass(frozen=True)
class PlanResult:
    term: str
    batch_id: int
    added: int
    updated: int
    removed: int
    kept: int                    # paid, adjusted or void lines left as they were
    lines: int                   # live lines after the plan
    total_fen: int               # cash lines (the batch total)
    waiver_lines: int = 0        # 减免 lines (in `lines`)
    waiver_fen: int = 0
    changes: list[PlanChange] = field(default_factory=list)    # with dry_run: what a refresh would do
    dry_run: bool = False


@dataclass(frozen=True)
class PlanChange:
    """One line a refresh would add, change or remove (kept lines are never changed)."""
    student_id: int
    name: str
    programme: str
    action: str                  # 新增 / 更新 / 移除
    old_fen: int | None
    new_fen: int | None
    reason: str                  # the new basis, or why the line goes


@dataclass
class LineQuery:
    status: str = ""
    programme: str = ""
    stage: str = ""
    text: str = ""               # name, pinyin initials or ID-number prefix
    only_adjusted: bool = False
    sort: str = ""               # a key of aid_lines.LINE_SORT ("" = planning order)
    descending: bool = False


@dataclass(frozen=True)
class LineRow:
    id: int
    student_id: int
    name: str
    id_number: str               # masked
    stage: str
    grade: str
    class_name: str
    programme: str
    computed_fen: int
    amount_fen: int
    adjusted: bool
    status: str
    paid_on: dt.date | None
    card_no: str                 # masked
    reason: str
    void_reason: str
    reissue_of_id: int | None


@dataclass(frozen=True)
class AdjustmentRow:
    at: dt.datetime              # UTC, as stored: shown with db.clock.local_text
    old_fen: int
    new_fen: int
    reason: str
    by: str


@dataclass(frozen=True)
class PayResult:
    paid: int
    paid_fen: int
    skipped: list[tuple[int, str, str]]      # (line id, name, why)


@dataclass(frozen=True)
class DeadlineRow:
    term: str
    deadline: dt.date
    days_left: int               # negative: late by that many days
    state: str                   # 未生成批次 / 待发放 / 已逾期 / 金额待填写 / 已完成
    unpaid_lines: int            # pending lines with an amount
    unpaid_fen: int
    paid_fen: int
    no_amount_lines: int = 0     # pending lines whose standard has no amount yet (e.g. 免学费)


@dataclass(frozen=True)
class TotalRow:
    key: str
    lines: int
    amount_fen: int


@dataclass
class BatchSummary:
    term: str
    batch_total_fen: int         # cash lines that are not void
    lines: int
    by_programme: list[TotalRow]
    by_stage: list[TotalRow]
    by_status: list[TotalRow]
    no_entitlement: list[NoEntitlement]
    waiver_lines: int = 0        # 减免, apart from cash
    waiver_fen: int = 0

    @property
    def cash_lines(self) -> int:
        return self.lines - self.waiver_lines

    def status(self, key: str) -> TotalRow:
        return next((r for r in self.by_status if r.key == key), TotalRow(key, 0, 0))


@dataclass
class OfficerForm:
    id: int | None = None
    name: str = ""
    phone: str = ""
    unit: str = ""


@dataclass
class VisitForm:
    id: int | None = None
    household_id: int | None = None
    officer_id: int | None = None
    visit_date: dt.date | None = None
    term: str = ""                      # the term whose payments were checked, "" if none
    purpose: str = "走访核实"
    told: str = ""
    statement_filed: bool | None = None   # None: unknown
    family_remarks: str = ""
    follow_up: bool = False
    follow_up_note: str = ""
    received: dict[int, str | None] = field(default_factory=dict)   # disbursement id -> 是/否/None


@dataclass(frozen=True)
class HouseholdBrief:
    id: int
    head_name: str
    village: str
    phone: str                   # masked
    students: str
    paid_fen: int


@dataclass(frozen=True)
class NotVisitedGroup:
    officer_id: int | None
    officer: str                 # "（未分配联络员）" when none
    households: list[HouseholdBrief]


@dataclass(frozen=True)
class PaymentRow:
    line_id: int
    term: str
    student: str
    programme: str
    amount_fen: int
    status: str
    paid_on: dt.date | None
    card_no: str                 # masked
    reason: str


@dataclass(frozen=True)
class VisitRow:
    id: int
    visit_date: dt.date
    officer: str
    purpose: str
    term: str
    told: str
    statement_filed: bool | None
    family_remarks: str
    follow_up: bool
    received: list[tuple[int, str | None]]


@dataclass(frozen=True)
class FamilyChild:
    id: int
    name: str
    gender: str
    id_number: str               # masked
    stage: str
    grade: str
    class_name: str
    residence: str
    enrolment: str
    categories: list[str]
    difficulty_level: str
    bank_name: str
    card_no: str                 # masked


@dataclass
class FamilyRecord:
    """Everything about one child and the household on one page (结果可查询)."""
    child: FamilyChild
    household_id: int | None
    head_name: str
    household_no: str
    address: str                 # 乡镇 村 组
    phone: str                   # masked
    poverty_status: str
    officer: str
    siblings: list[FamilyChild]
    entitlements: dict[str, list[Entitlement]]   # term label -> the child's entitlements now
    payments: list[PaymentRow]                  # the household's children, every term
    visits: list[VisitRow]
    paid_total_fen: int                         # cash paid
    waiver_total_fen: int = 0                   # 减免 (not cash), apart
    assessments: list[str] = field(default_factory=list)   # "2020学年 特别困难（2020-09-10）"


@dataclass(frozen=True)
class FamilyChoice:
    student_id: int
    label: str


@dataclass
class SheetData:
    """Rows for the submission workbook's 资助发放 sheet and the summary's money totals.
    Amount cells are Decimal yuan with two places (exact), see `amount_column`."""
    title: str
    headers: list[str]
    rows: list[list]
    amount_column: int
    text_columns: list[int]
    total_fen: int               # cash
    by_programme: list[TotalRow]
    by_stage: list[TotalRow]
    waiver_column: int | None = None
    waiver_fen: int = 0          # 减免, apart from cash


@dataclass(frozen=True)
class NoticeRow:
    """One line of the public notice (公示): a student's programme — no ID number, category,
    address, phone, birth date or card; only what may be shown publicly."""
    name: str
    grade: str
    class_name: str
    programmes: str
    tier: str
    amount_fen: int
    school: str = ""
    waiver: bool = False
