"""The registry's plain dataclasses (students, households, the school). No ORM object leaves a service."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class SchoolInfo:
    name: str = ""
    county: str = ""
    township: str = ""
    stages: list[str] = field(default_factory=list)
    code: str = ""
    officer: str = ""
    headmaster: str = ""
    phone: str = ""


@dataclass
class StudentQuery:
    """What the student list asks for. Empty fields do not filter."""
    text: str = ""
    stage: str = ""
    grade: str = ""
    class_name: str = ""
    township: str = ""
    village: str = ""
    category: str = ""
    difficulty_level: str = ""
    enrolment: str = ""
    sort: str = "name"          # a key of registry.SORT_COLUMNS
    descending: bool = False


@dataclass(frozen=True)
class StudentRow:
    """One line of the student list. Personal numbers are already masked: the full values never
    reach a list, a clipboard or a screenshot."""
    id: int
    name: str
    gender: str
    id_number: str          # masked
    student_no: str         # masked
    birth_date: str
    stage: str
    grade: str
    class_name: str
    residence: str
    enrolment: str
    difficulty_level: str
    categories: str
    head_name: str
    relation_to_head: str
    township: str
    village: str
    phone: str              # masked
    bank_name: str
    bank_card_no: str       # masked


@dataclass
class StudentForm:
    """Everything the student form edits, in full. id is None for a new student."""
    id: int | None = None
    household_id: int | None = None
    name: str = ""
    gender: str = ""
    ethnicity: str = "汉族"
    id_number: str = ""
    student_no: str = ""
    birth_date: dt.date | None = None
    stage: str = ""
    grade: str = ""
    class_name: str = ""
    residence: str = ""
    enrolment: str = "在校"
    study_location: str = ""
    study_school: str = ""
    relation_to_head: str = ""
    difficulty_level: str = ""          # read-only: the latest 认定 (edited as assessments)
    categories: list[str] = field(default_factory=list)
    hukou: str = ""                     # 户籍性质: 农业 / 非农业
    major: str = ""                     # 中职 专业
    agri_major: bool | None = None      # 涉农专业 (None: unknown)
    phone: str = ""
    bank_card_no: str = ""
    bank_name: str = ""
    card_holder: str = ""
    card_holder_relation: str = ""
    notes: str = ""


@dataclass
class HouseholdForm:
    id: int | None = None
    household_no: str = ""
    head_name: str = ""
    head_id_number: str = ""
    township: str = ""
    village: str = ""
    group_name: str = ""
    address: str = ""
    phone: str = ""
    poverty_status: str = ""
    poverty_exit_year: int | None = None
    liaison_officer_id: int | None = None
    helper_cadre: str = ""              # 帮扶责任人 (government cadre), not the liaison officer
    monitored_type: str = ""            # 监测对象 type: 脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户
    notes: str = ""
    children: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, grade) read-only


@dataclass(frozen=True)
class HouseholdChoice:
    id: int
    label: str              # "张大山（前进村 3组，户编号 …）"


@dataclass(frozen=True)
class OfficerChoice:
    id: int
    label: str              # "张老师（13912345678）"



@dataclass
class FilterOptions:
    grades: list[str]
    classes: list[str]
    townships: list[str]
    villages: list[str]


@dataclass
class AssessmentForm:
    """One school year's 家庭经济困难认定 of a student. school_year 2020 = 2020-2021 学年."""
    id: int | None = None
    student_id: int | None = None
    school_year: int | None = None
    level: str = ""
    assessed_on: dt.date | None = None
    reason: str = ""
    assessed_by: str = ""


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    student_id: int
    school_year: int
    level: str
    assessed_on: dt.date | None
    reason: str
    assessed_by: str
    source: str                  # 手工录入 / 名单导入 / 升级迁移
    missing: str                 # "" or "缺认定时间、认定原因" (the national template needs them)


@dataclass(frozen=True)
class AssessmentGap:
    """A student the officer must look at for a school year's 认定."""
    student_id: int
    name: str
    grade: str
    class_name: str
    categories: str
    state: str                   # 未认定 / 认定信息不全 / 认定记录不完整
    detail: str
