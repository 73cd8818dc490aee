"""Plain dataclasses of the out-of-province letters (省外就读学生资助政策落实函): the letter form, its
sending, the reply and phone follow-ups, the list and the students who still need one (应发函)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SENT_HOW = ("邮寄", "电子邮件", "传真", "当面送达")
RESULTS = ("已落实", "未落实", "不在该校", "无回复")
DONE = RESULTS[0]
NOT_THERE = RESULTS[2]

# derived statuses (besides a reply's result)
VOID = "已作废"
UNSENT = "待发出"
WAITING = "待回复"
LATE = "逾期未复"
STATUSES = (UNSENT, WAITING, LATE, *RESULTS, VOID)


@dataclass
class LetterForm:
    """What the letter says. The child's details are filled from the registry for a new letter and
    kept as written (official correspondence: the ID number in full)."""
    id: int | None = None
    student_id: int | None = None
    letter_date: dt.date | None = None
    term: str = ""                      # whose policies it states: 2020秋 (default: the term of the date)
    child_name: str = ""
    child_gender: str = ""
    child_id_number: str = ""
    child_stage: str = ""
    child_grade: str = ""
    head_name: str = ""
    address: str = ""
    poverty_status: str = ""
    poverty_exit_year: int | None = None
    to_school: str = ""
    to_province: str = ""
    to_city: str = ""
    to_county: str = ""
    to_address: str = ""
    to_contact: str = ""
    to_phone: str = ""
    request: str = ""


@dataclass(frozen=True)
class StudentChoice:
    id: int
    label: str              # 张小明（341623********1234，五年级，在外就读：昆山市……）


@dataclass
class SendForm:
    letter_id: int
    how: str
    sent_on: dt.date
    tracking_no: str = ""
    reply_due: dt.date | None = None    # None: the sending date + the reply-days setting


@dataclass
class ReplyForm:
    letter_id: int
    reply_on: dt.date
    result: str
    note: str = ""
    programme: str = ""
    term: str = ""
    amount: int | str | None = None     # fen, or yuan as typed ("1250.00")
    handler: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CallRow:
    id: int
    on: dt.date
    by: str
    note: str


@dataclass
class LetterQuery:
    text: str = ""
    status: str = ""        # one of STATUSES, or "" for all
    year: int | None = None


@dataclass(frozen=True)
class LetterRow:
    """One line of the letter list; the ID number masked."""
    id: int
    number: str
    letter_date: str
    child_name: str
    child_id_number: str    # masked
    stage_grade: str
    to_school: str
    to_place: str
    status: str
    sent: str               # 邮寄 2020-10-09
    reply_due: str
    days_late: str
    result: str
    reply: str              # 2020-10-30 已落实：寄宿生生活补助 625.00 元
    calls: int
    student_id: int | None


@dataclass
class LetterDetail:
    form: LetterForm
    number: str
    status: str
    sent_how: str = ""
    tracking_no: str = ""
    sent_on: dt.date | None = None
    reply_due: dt.date | None = None
    reply_on: dt.date | None = None
    result: str = ""
    reply_note: str = ""
    reply_programme: str = ""
    reply_term: str = ""
    reply_amount_fen: int | None = None
    reply_handler: str = ""
    reply_phone: str = ""            # masked
    void_reason: str = ""
    calls: list[CallRow] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.form.id


@dataclass(frozen=True)
class DueRow:
    """A registered-poor student studying out of province with no letter yet (db.letters.rules)."""
    student_id: int
    name: str
    id_number: str          # masked
    stage: str
    grade: str
    study_school: str
    head_name: str
    village: str
    poverty_status: str
    last_letter: str        # 校资函〔2019〕4号（不在该校） or ""


@dataclass
class MakeResult:
    made: list[LetterDetail] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)     # (name, why)
