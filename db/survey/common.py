"""Queries the survey's service, report and documents share (they take an open session)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFound
from db.models.registry import Household, LiaisonOfficer, Student, StudentCategory
from db.models.survey import SurveyCheck, SurveyChild, SurveyProblem, SurveyRound
from db.survey import rules
from db.survey.dto import CheckRow
from db.validators import mask_phone

REGISTERED_POOR, IN_SCHOOL = "建档立卡", "在校"


def poor_pupils():
    """Registered-poor pupils in school (a select of Student rows' columns)."""
    poor = select(StudentCategory.student_id).where(StudentCategory.category == REGISTERED_POOR)
    return Student.id.in_(poor) & (Student.enrolment == IN_SCHOOL)


def find_round(s: Session, name: str | int | None) -> SurveyRound:
    """A round by id or name; the latest (by start date) when none is named."""
    if isinstance(name, int):
        r = s.get(SurveyRound, name)
    elif name:
        r = s.scalar(select(SurveyRound).where(SurveyRound.name == name.strip()))
    else:
        r = s.scalar(select(SurveyRound).order_by(SurveyRound.start_date.desc(), SurveyRound.id.desc()).limit(1))
    if r is None:
        raise NotFound(f"没有名为“{name}”的排查轮次" if name else
                       "还没有排查轮次，请先新建一轮（如“2020年春季停课不停学排查”）")
    return r


def children_of(s: Session, household_ids=None) -> dict[int, list]:
    """household id -> its registered-poor pupils in school (rows with id, name, grade, class_name);
    every household's when `household_ids` is None."""
    stmt = (select(Student.id, Student.household_id, Student.name, Student.grade, Student.class_name)
            .where(poor_pupils(), Student.household_id.is_not(None)).order_by(Student.birth_date, Student.id))
    if household_ids is not None:
        stmt = stmt.where(Student.household_id.in_(list(household_ids)))
    out: dict[int, list] = {}
    for st in s.execute(stmt):
        out.setdefault(st.household_id, []).append(st)
    return out


def round_rows(s: Session, r: SurveyRound, household_ids=None) -> list[CheckRow]:
    """Every household of the round: the population (registered-poor pupils' households) and any other
    household checked in it, each with its state (db.survey.rules)."""
    kids = children_of(s, household_ids)
    population = set(kids)
    checks = {c.household_id: c for c in s.scalars(select(SurveyCheck).where(SurveyCheck.round_id == r.id))}
    ids = population | set(checks)
    if household_ids is not None:
        ids &= set(household_ids)
    problems: dict[int, list[SurveyProblem]] = {}
    if checks:
        for p in s.scalars(select(SurveyProblem).where(SurveyProblem.check_id.in_([c.id for c in checks.values()]))
                           .order_by(SurveyProblem.id)):
            problems.setdefault(p.check_id, []).append(p)
    officers = dict(s.execute(select(LiaisonOfficer.id, LiaisonOfficer.name)).all())
    rows = []
    stmt = (select(Household.id, Household.head_name, Household.township, Household.village, Household.phone,
                   Household.liaison_officer_id).order_by(Household.township, Household.village, Household.head_name))
    if household_ids is not None:                 # else every household, filtered here (no huge IN list)
        stmt = stmt.where(Household.id.in_(list(ids)))
    for hh in s.execute(stmt):
        if hh.id not in ids:
            continue
        c = checks.get(hh.id)
        rows.append(_row(hh, c, problems.get(c.id, []) if c else [], kids.get(hh.id, []), officers))
    return rows


def _row(hh, c: SurveyCheck | None, probs: list[SurveyProblem], kids: list,
         officers: dict[int, str]) -> CheckRow:
    passed = c is not None and rules.passes(c.has_tv, c.has_phone)
    state = rules.status(c is not None, passed, [p.solved_on is not None for p in probs])
    officer_id = (c.officer_id if c and c.officer_id else None) or hh.liaison_officer_id
    text = "；".join(p.kind + (f"（已解决：{p.fix or '其他'}）" if p.solved_on else "（未解决）") for p in probs)
    return CheckRow(hh.id, hh.head_name, " ".join(x for x in (hh.township, hh.village) if x), mask_phone(hh.phone),
                    "、".join(k.name for k in kids), officers.get(officer_id, "") if officer_id else "",
                    c.id if c else None, c.check_date if c else None, bool(c and c.unannounced),
                    rules.devices_text(c.has_tv, c.has_phone, c.has_computer) if c else "",
                    state, sum(1 for p in probs if p.solved_on is None), text)


def child_answers(s: Session, check_id: int) -> dict[int, SurveyChild]:
    return {a.student_id: a for a in s.scalars(select(SurveyChild).where(SurveyChild.check_id == check_id))}
