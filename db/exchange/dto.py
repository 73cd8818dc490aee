"""Plain dataclasses of the county exchange: reconciliation (系统推送 + 逐人排查) and the import of a county
list (preview, problems, result). No ORM object leaves a service."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.exchange.import_fields import Record

# Follow-up statuses of a child on the county's list; the default list, editable per database.
FOLLOW_UP_DEFAULTS = ("待核实", "在外地就读", "已辍学（转控辍保学）", "非本校学生", "已核实无误", "其他")
PENDING = FOLLOW_UP_DEFAULTS[0]

# group key -> Chinese title (also the sheet names of the exported workbook)
GROUPS = {
    "matched": "名单内且在本校",
    "not_at_school": "名单内但不在本校",
    "not_on_list": "本校困难学生未在名单",
    "different": "信息不一致",
}


@dataclass(frozen=True)
class ListSummary:
    id: int
    kind: str
    source_file: str
    list_date: dt.date
    imported_at: dt.datetime | None
    entries: int
    notes: str = ""


@dataclass(frozen=True)
class RowProblem:
    row: int                # the sheet's own 1-based row number
    column: str             # '身份证号（C列）'
    value: str
    reason: str


@dataclass
class PushedImport:
    list_id: int
    file: str
    sheet: str
    header_row: int
    rows_read: int
    imported: int
    rejected: list[RowProblem] = field(default_factory=list)
    duplicates: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReconLine:
    """One child in one group. Full ID number (the county needs it); mask before showing in lists."""
    group: str
    id_number: str
    name: str                       # as on the list, else as at school
    school_name: str = ""           # as in our registry ("" when not at our school)
    entry_id: int | None = None
    student_id: int | None = None
    grade: str = ""
    class_name: str = ""
    enrolment: str = ""
    township: str = ""
    village: str = ""
    head_name: str = ""
    list_categories: str = ""
    school_categories: str = ""
    differences: tuple[str, ...] = ()
    follow_up: str = ""
    follow_up_note: str = ""
    source_row: int | None = None


@dataclass
class Reconciliation:
    list: ListSummary
    matched: list[ReconLine] = field(default_factory=list)
    not_at_school: list[ReconLine] = field(default_factory=list)
    not_on_list: list[ReconLine] = field(default_factory=list)
    different: list[ReconLine] = field(default_factory=list)
    covers: tuple[str, ...] = ()    # the categories the list is about ("本校困难学生未在名单" is of these only)

    @property
    def covers_text(self) -> str:
        return "、".join(self.covers) if self.covers else "全部类别"

    @property
    def counts(self) -> dict[str, int]:
        return {g: len(getattr(self, g)) for g in GROUPS}

    def groups(self) -> list[tuple[str, str, list[ReconLine]]]:
        """(key, Chinese title, lines) in display order."""
        return [(g, title, getattr(self, g)) for g, title in GROUPS.items()]


# ---- importing a county list into the registry -------------------------------------------------
@dataclass
class Problem:
    sheet: str
    row: int
    column: str                 # header text
    column_letter: str          # 'C'
    value: object
    reason: str
    kind: str                   # rejected / warning / conflict / same_person
    field: str = ""


@dataclass
class Duplicate:
    rows: list[int]
    id_number: str              # full number; mask before showing outside the app
    kind: str                   # same_person / conflict
    names: list[str] = field(default_factory=list)


@dataclass
class FieldChange:
    field: str
    label: str
    old: object
    new: object


@dataclass
class StudentUpdate:
    student_id: int
    row: int
    name: str
    id_number: str
    changes: list[FieldChange]
    new_categories: list[str] | None = None
    household_id: int | None = None
    household_changes: list[FieldChange] = field(default_factory=list)
    asks: tuple[str, ...] = ()          # category words the officer decides (Question)


@dataclass
class Question:
    """Something the import preview asks the officer instead of guessing (db.exchange.import_questions)."""
    key: str                        # "household:户主/乡镇/村/组", "category:低保"
    kind: str                       # household / category
    text: str
    rows: list[int]
    choices: list[tuple[str, str]]  # (answer, Chinese label)
    answer: str                     # the default until the officer picks


@dataclass(frozen=True)
class ValueMeaning:
    """What one distinct value of a column was taken to mean (shown in the preview)."""
    column: str
    value: str
    meaning: str
    rows: int


@dataclass
class ImportPreview:
    path: Path
    file: str
    sheet: str
    header_row: int
    headers: list[str]
    mapping: dict[int, str]
    mapping_from_user: bool
    rows_read: int = 0
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    updates: list[StudentUpdate] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)       # file-level warnings (hidden columns …)
    rejected_rows: list[int] = field(default_factory=list)
    file_stamp: tuple[int, int] = (0, 0)
    new: list[Record] = field(default_factory=list, repr=False)
    layout: str = ""                                      # the sheet layout's signature (remembered mappings)
    unused_columns: list[str] = field(default_factory=list)   # '家庭人口（F列）': named columns not imported
    questions: list[Question] = field(default_factory=list)
    value_meanings: list[ValueMeaning] = field(default_factory=list)
    school_year: int = 0                 # the 认定等级 column's school year (default; the officer confirms)
    school_year_from: str = ""           # 表格标题 / 当前学年
    existing_levels: dict[int, str] = field(default_factory=dict, repr=False)   # student id -> the file's level

    @property
    def has_levels(self) -> bool:
        """The list carries 认定等级: they are recorded as assessments of `school_year`."""
        return "difficulty_level" in self.mapping.values()

    @property
    def importable(self) -> int:
        return len(self.new) + len(self.updates)

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.kind in ("warning", "same_person")) + len(self.notes)


@dataclass
class ImportResult:
    file: str
    imported: int               # new students
    updated: int
    households_created: int
    rejected: int
    changed_ids: list[int] = field(default_factory=list)
    assessments: int = 0        # 认定 records written (or changed) for `school_year`
    school_year: int = 0


# ---- the submission workbook --------------------------------------------------------------------
@dataclass
class SheetInfo:
    name: str
    rows: int
    note: str = ""


@dataclass
class WorkbookResult:
    path: Path
    students: int
    sheets: list[SheetInfo] = field(default_factory=list)
    template_sheet: str = ""
    header_row: int = 0
    unmapped_headers: list[str] = field(default_factory=list)
