"""The rules of the special-needs ledger (一人一案), pure: no session, no clock of their own.

- **Placement** (安置方式): one of PLACEMENTS. The child's placement now is the newest decision in the
  history (by date, then by when it was recorded). The county counts four numbers; PLACEMENT_GROUPS
  says which placements each one takes (随班就读 includes a 资源教室's pupils; 特教学校 includes a special
  school's 卫星班 and a 普校特教班 — the usual statistical reading; edit here if a county reads it
  otherwise). Every other placement is counted under 其他安置, and 待安置 on its own.
- **送教上门**: a child placed 送教上门 is visited every `every_days` days (the setting, default 7; a file
  may set its own), about `minutes` minutes (default 60). Within a term (autumn 1 Sept – 20 Jan,
  spring 1 Mar – 10 Jul) the visits expected so far are the whole periods elapsed since the later of
  the term's start and the placement date; missed = expected − done (never below 0). The next visit is
  due `every_days` after the last one (or after the start); it is overdue from the day after. Outside
  a term nothing is due.
- **Reviews**: an assessment's next review date, a plan's review date (until it is reviewed) and an
  exemption's yearly review (until reviewed) are "due" once they are within REVIEW_SOON_DAYS and
  overdue after the day. A child 待安置, a 送教上门 visit overdue, a child placed 免于学习 without an
  entry in the 名册 for the school year: each is an alert (SpecialService.alerts, for the home page).
"""
from __future__ import annotations

import datetime as dt

from db.clock import parse_day
from db.enums import DISABILITY_CATEGORIES, DISABILITY_GRADES
from db.terms import AUTUMN, Term

CATEGORIES = DISABILITY_CATEGORIES
GRADES = DISABILITY_GRADES
CATEGORY_LABELS = {c: f"{c}残疾" for c in CATEGORIES}          # 视力残疾 … 多重残疾

REGULAR, SPECIAL_SCHOOL, HOME, EXEMPT, PENDING = "普通学校随班就读", "特殊教育学校就读", "送教上门", "免于学习", "待安置"
PLACEMENTS = (REGULAR, SPECIAL_SCHOOL, HOME, "普校特教班/卫星班", "资源教室", "远程教育", "康复机构", "延缓入学",
              EXEMPT, PENDING)
PLACEMENT_GROUPS: dict[str, tuple[str, ...]] = {
    "随班就读": (REGULAR, "资源教室"),
    "特教学校": (SPECIAL_SCHOOL, "普校特教班/卫星班"),
    "送教上门": (HOME,),
    "免于学习": (EXEMPT,),
    "其他安置": ("远程教育", "康复机构", "延缓入学"),
    "待安置": (PENDING,),
}
GROUP_OF = {p: g for g, ps in PLACEMENT_GROUPS.items() for p in ps}

PLAN_AREAS = ("生活自理", "认知", "语言沟通", "运动", "社会适应", "情绪行为", "学科学习", "其他")
GOAL_RESULTS = ("已达成", "部分达成", "未达成")
ATTACHMENT_KINDS = ("残疾人证", "评估报告", "诊断证明", "申请书", "审批材料", "个别化教育方案", "送教照片", "照片", "其他")
GUARDIAN_RELATIONS = ("父亲", "母亲", "祖父", "祖母", "外祖父", "外祖母", "其他监护人")
DECIDERS = ("县残疾人教育专家委员会", "县教育局", "学校")

VISIT_EVERY_KEY, VISIT_MINUTES_KEY = "special.visit_every_days", "special.visit_minutes"
DEFAULT_EVERY_DAYS, DEFAULT_MINUTES = 7, 60
REVIEW_SOON_DAYS = 30
TERM_DAYS = {AUTUMN: ((9, 1), (1, 20)), "春": ((3, 1), (7, 10))}


def group_of(placement: str) -> str:
    return GROUP_OF.get(placement, "其他安置")


# ---- terms and school years ------------------------------------------------------------------------
def term_span(term: Term) -> tuple[dt.date, dt.date]:
    """First and last teaching day of a term as this ledger counts 送教上门 visits."""
    (sm, sd), (em, ed) = TERM_DAYS[term.season]
    start = dt.date(term.year, sm, sd)
    end = dt.date(term.year + (1 if term.season == AUTUMN else 0), em, ed)
    return start, end


def school_year_of(day: dt.date) -> str:
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def parse_school_year(text: str) -> str:
    """'2020-2021' (also 2020—2021, 2020~2021, 2020学年) -> '2020-2021'; ValueError otherwise."""
    t = (text or "").strip().replace("学年", "")
    for sep in ("—", "－", "~", "至", "/"):
        t = t.replace(sep, "-")
    parts = t.split("-")
    if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) == 4:
        parts.append(str(int(parts[0]) + 1))
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 4 for p in parts) or int(parts[1]) != int(parts[0]) + 1:
        raise ValueError(f"学年“{text}”应写成 2020-2021")
    return f"{parts[0]}-{parts[1]}"


def year_end_review(school_year: str) -> dt.date:
    """Default yearly review of an exemption: 31 August at the end of its school year."""
    return dt.date(int(school_year[5:]), 8, 31)


# ---- 送教上门 ----------------------------------------------------------------------------------------
def expected_visits(term: Term, since: dt.date | None, today: dt.date, every_days: int) -> int:
    """Visits expected in `term` up to `today` for a child placed 送教上门 on `since`."""
    start, end = term_span(term)
    start = max(start, since or start)
    stop = min(today, end)
    if stop < start or every_days <= 0:
        return 0
    return (stop - start).days // every_days


def next_due(term: Term, since: dt.date | None, last_visit: dt.date | None, every_days: int) -> dt.date:
    start = max(term_span(term)[0], since or dt.date.min)
    base = last_visit if last_visit and last_visit >= start else start
    return base + dt.timedelta(days=every_days)


def in_term(term: Term, day: dt.date) -> bool:
    start, end = term_span(term)
    return start <= day <= end


def review_state(due: dt.date | None, today: dt.date, done: dt.date | None = None) -> str:
    """'' (nothing due), '即将到期' or '已过期'."""
    if due is None or done is not None:
        return ""
    if due < today:
        return "已过期"
    if (due - today).days <= REVIEW_SOON_DAYS:
        return "即将到期"
    return ""


# ---- typed values ---------------------------------------------------------------------------------
def day(value: object, field: str, label: str, problems: dict[str, str], *, required: bool = False,
        today: dt.date | None = None) -> dt.date | None:
    """A date given as a date or as typed text; a Chinese problem for `field` when it is not one (or is
    missing when required, or lies after `today` when given)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems[field] = f"请填写{label}"
        return None
    try:
        d = parse_day(value)
    except ValueError as e:
        problems[field] = f"{label}：{e}"
        return None
    if today is not None and d > today:
        problems[field] = f"{label}不能晚于今天"
    return d


def choice(value: str, allowed: tuple[str, ...], field: str, label: str, problems: dict[str, str], *,
           required: bool = True) -> str:
    v = (value or "").strip()
    if not v:
        if required:
            problems[field] = f"请选择{label}"
        return ""
    if v not in allowed:
        problems[field] = f"{label}应为：{'、'.join(allowed)}"
    return v
