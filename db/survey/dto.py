"""Plain dataclasses in and out of the survey ledger (线上学习排查)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PROBLEM_KINDS = ("无终端", "终端损坏", "无宽带", "信号差", "流量费", "不会操作", "其他")
FIX_KINDS = ("电视机", "手机", "天线", "网络电视", "流量（学生）", "流量（教师）", "其他")
FIX_HOW = ("购买", "捐赠", "免费安装", "赠送", "维修", "其他")
DEVICES = (("has_tv", "电视机"), ("has_phone", "智能手机"), ("has_computer", "电脑/平板"))
NETWORKS = (("net_broadband", "宽带"), ("net_mobile", "手机信号"), ("net_cable", "有线电视/户户通"))
CHILD_QUESTIONS = (("can_attend", "能否正常上网课"), ("knows_how", "会不会上网课"),
                   ("operates_well", "操作是否熟练"), ("guidance_ok", "老师指导是否到位"),
                   ("homework_ok", "作业提交批改是否及时"))


@dataclass
class RoundForm:
    id: int | None
    name: str
    start_date: dt.date | None
    end_date: dt.date | None = None
    notes: str = ""


@dataclass
class ChildAnswers:
    student_id: int
    name: str = ""
    grade: str = ""                 # 三年级2班
    can_attend: bool | None = None
    knows_how: bool | None = None
    operates_well: bool | None = None
    guidance_ok: bool | None = None
    homework_ok: bool | None = None


@dataclass
class ProblemForm:
    id: int | None
    kind: str
    note: str = ""
    fix: str = ""
    how: str = ""
    quantity: int = 1
    paid_by: str = ""
    solved_on: dt.date | None = None


@dataclass
class CheckForm:
    id: int | None
    round_id: int | None
    household_id: int | None
    check_date: dt.date | None
    officer_id: int | None = None
    unannounced: bool = False
    has_tv: bool | None = None
    has_phone: bool | None = None
    has_computer: bool | None = None
    net_broadband: bool | None = None
    net_mobile: bool | None = None
    net_cable: bool | None = None
    notes: str = ""
    children: list[ChildAnswers] = field(default_factory=list)
    problems: list[ProblemForm] = field(default_factory=list)


@dataclass(frozen=True)
class RoundRow:
    id: int
    name: str
    start_date: dt.date
    end_date: dt.date | None
    checked: int


@dataclass(frozen=True)
class CheckRow:
    """A household of the round's population: checked or not yet."""
    household_id: int
    head_name: str
    village: str
    phone: str                       # masked
    children: str                    # 张三、李四
    officer: str
    check_id: int | None
    check_date: dt.date | None
    unannounced: bool
    devices: str                     # 电视机、智能手机 / 无 / 未知
    status: str                      # db.survey.rules: 未排查 / 达标 / 待整改 / 已整改
    open_problems: int
    problems: str                    # 无终端（已解决：电视机）…


@dataclass
class SurveyReport:
    round: str
    start_date: dt.date | None
    population: int                  # registered-poor households expected
    surveyed: int
    unannounced: int
    passed: int                      # passed the device rule at the check
    fixed: int                       # failed, all problems solved
    failing: int                     # listed until fixed
    not_surveyed: int
    problems: dict[str, int]         # kind -> count
    fixes: dict[str, int]            # report key -> N (网络电视: households)
    open_problems: int
    failing_rows: list[CheckRow] = field(default_factory=list)
    no_household: int = 0            # registered-poor pupils with no household on record

    def fixes_text(self) -> str:
        f = self.fixes
        return (f"电视机 {f.get('电视机', 0)} 台 / 手机 {f.get('手机', 0)} 部 / 天线 {f.get('天线', 0)} 个 / "
                f"网络电视 {f.get('网络电视', 0)} 户 / 流量 学生 {f.get('流量（学生）', 0)} 名 "
                f"教师 {f.get('流量（教师）', 0)} 名")
