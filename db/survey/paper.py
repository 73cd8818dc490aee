"""Data for the survey's printed form (线上学习排查表, one per household), and its document kind.

The selection names households (by household, student, class or all registered-poor households) and a
round (`--round`, default the latest). A household without a check in the round gets a blank form.
"""
from __future__ import annotations

from sqlalchemy import select

from db.context import ServiceContext
from db.docs.kinds import DocKind, Selection
from db.docs.render import FORM, Section
from db.errors import LedgerError
from db.models.registry import Household, LiaisonOfficer, Student
from db.models.survey import SurveyCheck, SurveyProblem
from db.registry.selection import school_facts, student_condition
from db.survey import rules
from db.survey.common import child_answers, children_of, find_round, poor_pupils
from db.survey.dto import CHILD_QUESTIONS, DEVICES, NETWORKS
from db.survey.pdf import ChildLine, ProblemLine, SurveySheet, survey_sheet
from db.validators import mask_phone


def survey_sheets(ctx: ServiceContext, sel: Selection) -> list[SurveySheet]:
    with ctx.read() as s:
        facts = school_facts(s)
        r = find_round(s, sel.round or None)
        checks = {c.household_id: c for c in s.scalars(select(SurveyCheck).where(SurveyCheck.round_id == r.id))}
        if sel.all and not (sel.class_name or sel.student_ids or sel.household_ids):
            ids = set(s.scalars(select(Student.household_id).where(poor_pupils()))) | set(checks)
        else:
            ids = set(s.scalars(select(Student.household_id).where(student_condition(sel))))
            ids |= set(sel.household_ids)
        ids.discard(None)
        big = len(ids) > 2000                  # a whole school: no IN list past SQLite's variable limit
        kids = children_of(s, None if big else ids)
        officers = dict(s.execute(select(LiaisonOfficer.id, LiaisonOfficer.name)).all())
        out = []
        stmt = select(Household).order_by(Household.township, Household.village, Household.head_name)
        for hh in s.scalars(stmt if big else stmt.where(Household.id.in_(list(ids)))):
            if hh.id not in ids:
                continue
            out.append(_sheet(s, facts.name, r.name, hh, checks.get(hh.id), kids.get(hh.id, []), officers))
    if not out:
        raise LedgerError("所选范围内没有家庭")
    return out


def _sheet(s, school: str, round_name: str, hh: Household, c, kids, officers) -> SurveySheet:
    officer_id = (c.officer_id if c else None) or hh.liaison_officer_id
    sheet = SurveySheet(school, round_name, hh.head_name, hh.household_no or "",
                        " ".join(x for x in (hh.township, hh.village, hh.group_name) if x), mask_phone(hh.phone),
                        officers.get(officer_id, "") if officer_id else "",
                        questions=tuple(q for _, q in CHILD_QUESTIONS))
    answers = child_answers(s, c.id) if c else {}
    sheet.children = [ChildLine(k.name, f"{k.grade}{k.class_name}",
                                tuple(getattr(answers[k.id], f) if k.id in answers else None
                                      for f, _ in CHILD_QUESTIONS)) for k in kids]
    sheet.devices = [(n, getattr(c, f) if c else None) for f, n in DEVICES]
    sheet.networks = [(n, getattr(c, f) if c else None) for f, n in NETWORKS]
    if c is None:
        return sheet
    probs = list(s.scalars(select(SurveyProblem).where(SurveyProblem.check_id == c.id).order_by(SurveyProblem.id)))
    sheet.check_date, sheet.unannounced, sheet.notes = c.check_date, c.unannounced, c.notes
    sheet.problems = [ProblemLine(p.kind, p.note, " ".join(x for x in (p.how, p.fix, _qty(p)) if x), p.paid_by,
                                  p.solved_on) for p in probs]
    sheet.conclusion = rules.status(True, rules.passes(c.has_tv, c.has_phone), [p.solved_on is not None for p in probs])
    return sheet


def _qty(p) -> str:
    if not p.fix or p.fix in ("其他", "网络电视"):
        return ""
    unit = {"电视机": "台", "手机": "部", "天线": "个"}.get(p.fix, "名")
    return f"{p.quantity}{unit}"


def survey_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, v=v: survey_sheet(kit, v), FORM, f"{v.school}　线上学习排查表")
            for v in survey_sheets(ctx, sel)]


KINDS = [
    DocKind("survey", "建档立卡学生线上学习排查表", "轮次（--round，默认最近一轮）；家庭、学生、班级或全部建档立卡家庭；"
            "每户一份，未排查的为空白表", survey_sections, scopes=frozenset({"student", "household", "class", "all"}),
            per_student=True),
]
