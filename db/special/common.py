"""Helpers the special-needs services share (they take the open session)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import NotFound
from db.models.core import Setting
from db.models.registry import Household, Student
from db.models.special import (
    SpecialAssessment,
    SpecialExemption,
    SpecialFile,
    SpecialHomeVisit,
    SpecialPlacement,
    SpecialPlan,
)
from db.special import rules
from db.special.dto import VisitSettings
from db.terms import Term


def get_file(s: Session, file_id: int | None) -> SpecialFile:
    f = s.get(SpecialFile, file_id) if file_id else None
    if f is None:
        raise NotFound("该档案已被删除")
    return f


def get_row(s: Session, model, row_id: int | None, what: str):
    row = s.get(model, row_id) if row_id else None
    if row is None:
        raise NotFound(f"该{what}已被删除")
    return row


def visit_settings(s: Session) -> VisitSettings:
    vals = dict(s.execute(select(Setting.key, Setting.value).where(
        Setting.key.in_((rules.VISIT_EVERY_KEY, rules.VISIT_MINUTES_KEY)))).all())

    def num(key: str, default: int) -> int:
        try:
            return int(vals.get(key) or default)
        except ValueError:
            return default
    return VisitSettings(num(rules.VISIT_EVERY_KEY, rules.DEFAULT_EVERY_DAYS),
                         num(rules.VISIT_MINUTES_KEY, rules.DEFAULT_MINUTES))


def refresh_placement(s: Session, f: SpecialFile) -> None:
    """The file's placement now: the newest decision of its history (待安置 when it has none)."""
    s.flush()
    last = s.execute(select(SpecialPlacement.placement, SpecialPlacement.since)
                     .where(SpecialPlacement.file_id == f.id)
                     .order_by(SpecialPlacement.since.desc(), SpecialPlacement.id.desc()).limit(1)).first()
    f.placement, f.placement_since = (last[0], last[1]) if last else (rules.PENDING, None)


def where_text(st: Student | None, f: SpecialFile) -> str:
    if st is not None:
        text = f"{st.grade}{st.class_name}" or (st.stage or "在册")
        return text if st.enrolment == "在校" else f"{text}（{st.enrolment}）"
    return "县名单（未入学）" if f.county_entry_id else "未入学"


def address_of(hh: Household | None) -> str:
    return " ".join(x for x in (hh.township, hh.village, hh.group_name) if x) if hh else ""


@dataclass
class Facts:
    """What a file's list row, alerts and family section need besides the file itself."""
    last_assessment: dt.date | None = None
    next_review: dt.date | None = None
    plan_term: str = ""
    plan_review: dt.date | None = None
    plan_reviewed: dt.date | None = None
    exempt_year: bool = False
    exempt_review: dt.date | None = None
    exempt_reviewed: dt.date | None = None
    visits_term: int = 0
    minutes_term: int = 0
    last_visit: dt.date | None = None


def gather_facts(s: Session, file_ids: list[int], term: Term, school_year: str) -> dict[int, Facts]:
    """Facts of many files in a few queries (files are hundreds at most)."""
    out = {i: Facts() for i in file_ids}
    if not file_ids:
        return out
    for fid, day, nxt in s.execute(select(SpecialAssessment.file_id, SpecialAssessment.assessed_on,
                                          SpecialAssessment.next_review)
                                   .where(SpecialAssessment.file_id.in_(file_ids))
                                   .order_by(SpecialAssessment.assessed_on, SpecialAssessment.id)):
        out[fid].last_assessment, out[fid].next_review = day, nxt
    for fid, key, review, reviewed in s.execute(
            select(SpecialPlan.file_id, SpecialPlan.term_key, SpecialPlan.review_on, SpecialPlan.reviewed_on)
            .where(SpecialPlan.file_id.in_(file_ids)).order_by(SpecialPlan.term_key)):
        f = out[fid]
        f.plan_term, f.plan_review, f.plan_reviewed = Term.from_key(key).label, review, reviewed
    for fid, review, reviewed in s.execute(
            select(SpecialExemption.file_id, SpecialExemption.review_due, SpecialExemption.reviewed_on)
            .where(SpecialExemption.file_id.in_(file_ids), SpecialExemption.school_year == school_year)):
        out[fid].exempt_year, out[fid].exempt_review, out[fid].exempt_reviewed = True, review, reviewed
    for fid, n, minutes in s.execute(
            select(SpecialHomeVisit.file_id, func.count(), func.sum(SpecialHomeVisit.minutes))
            .where(SpecialHomeVisit.file_id.in_(file_ids), SpecialHomeVisit.term_key == term.key)
            .group_by(SpecialHomeVisit.file_id)):
        out[fid].visits_term, out[fid].minutes_term = n, int(minutes or 0)
    for fid, last in s.execute(select(SpecialHomeVisit.file_id, func.max(SpecialHomeVisit.visit_date))
                               .where(SpecialHomeVisit.file_id.in_(file_ids)).group_by(SpecialHomeVisit.file_id)):
        out[fid].last_visit = last
    return out


def alerts_of(f: SpecialFile, facts: Facts, term: Term, today: dt.date,
              every_days: int) -> list[tuple[str, str, dt.date | None]]:
    """(kind, text, due) of everything about a file that needs doing (see rules)."""
    out: list[tuple[str, str, dt.date | None]] = []
    if f.closed_on is not None:
        return out
    if f.placement == rules.PENDING:
        out.append(("待安置", "待安置：请组织评估并确定安置方式", None))
    if f.placement == rules.HOME and rules.in_term(term, today):
        due = rules.next_due(term, f.placement_since, facts.last_visit, every_days)
        if due < today:
            out.append(("送教逾期", f"送教上门已逾期 {(today - due).days} 天", due))
        elif due == today:
            out.append(("送教到期", "今天应送教上门", due))
    for kind, label, due, done in (("复评", "复评", facts.next_review, None),
                                   ("方案复查", "个别化教育方案复查", facts.plan_review, facts.plan_reviewed),
                                   ("免于学习复核", "免于学习年度复核", facts.exempt_review, facts.exempt_reviewed)):
        state = rules.review_state(due, today, done)
        if state:
            out.append((kind, f"{label}{state}（{due:%Y-%m-%d}）", due))
    if f.placement == rules.EXEMPT and not facts.exempt_year:
        out.append(("免于学习未登记", f"已安置为免于学习，{rules.school_year_of(today)}学年未登记免于学习名册", None))
    return out
