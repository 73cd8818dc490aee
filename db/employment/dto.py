"""Plain dataclasses in and out of the employment ledger (中职毕业生就业)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

INTENTIONS = ("就业", "升学", "参军", "暂不")
STATUSES = ("已就业", "未就业", "升学", "参军", "创业")
EMPLOYED = ("已就业", "创业")
PLACES = ("省内", "省外")
GUIDANCE_KINDS = ("讲座", "推荐岗位", "技能培训", "其他")
PROOFS = ("劳动合同", "就业协议", "营业执照", "单位证明", "其他")


@dataclass
class GraduateForm:
    id: int | None
    student_id: int | None
    grad_year: int | None
    school: str = ""
    major: str = ""
    intention: str = "就业"
    status: str = "未就业"
    employer: str = ""
    place: str = ""
    job: str = ""
    start_date: dt.date | None = None
    contract: str = ""
    reason: str = ""
    next_action: str = ""
    notes: str = ""
    name: str = ""                  # read only: the student's


@dataclass(frozen=True)
class GraduateRow:
    id: int
    student_id: int
    name: str
    grad_year: int
    school: str
    major: str
    intention: str
    status: str
    employer: str
    place: str
    job: str
    start_date: dt.date | None
    contract: str
    files: int
    guidance: int
    reason: str
    next_action: str
    phone: str                      # masked (the household's)


@dataclass
class GuidanceForm:
    id: int | None
    graduate_id: int
    given_on: dt.date | None
    kind: str
    by: str = ""
    content: str = ""


@dataclass(frozen=True)
class FileRow:
    id: int
    filename: str
    size: int
    sha256: str
    added_at: dt.datetime
    added_by: str


@dataclass(frozen=True)
class CandidateRow:
    student_id: int
    name: str
    grade: str
    major: str
    enrolment: str


@dataclass
class EmploymentReport:
    year: int | None
    graduates: int
    by_intention: dict[str, int]
    by_status: dict[str, int]
    want_job: int                     # intention 就业
    employed: int                     # of those, 已就业 or 创业
    without_job: list[GraduateRow] = field(default_factory=list)
    no_proof: list[GraduateRow] = field(default_factory=list)

    @property
    def rate_text(self) -> str:
        if not self.want_job:
            return "无就业意向毕业生"
        return f"{self.employed}/{self.want_job}（{self.employed * 100 / self.want_job:.1f}%）"
