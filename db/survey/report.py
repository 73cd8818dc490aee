"""The survey's report in the seed's own form: households surveyed, passed, problems by kind, fixes by
kind (电视机 N / 手机 N / 天线 N / 网络电视 N 户 / 流量 学生 N 教师 N), open problems, and the households
listed until fixed."""
from __future__ import annotations

from sqlalchemy import func, select

from db.context import ServiceContext
from db.models.registry import Student
from db.models.survey import SurveyCheck, SurveyProblem
from db.survey import rules
from db.survey.common import find_round, poor_pupils, round_rows
from db.survey.dto import FIX_KINDS, PROBLEM_KINDS, SurveyReport


class ReportMixin:
    _ctx: ServiceContext

    def report(self, round: str | int | None = None) -> SurveyReport:
        with self._ctx.read() as s:
            r = find_round(s, round)
            rows = round_rows(s, r)
            probs = s.execute(select(SurveyProblem.kind, SurveyProblem.fix, SurveyProblem.quantity,
                                     SurveyCheck.household_id, SurveyProblem.solved_on)
                              .join(SurveyCheck, SurveyCheck.id == SurveyProblem.check_id)
                              .where(SurveyCheck.round_id == r.id)).all()
            checks = list(s.execute(select(SurveyCheck.has_tv, SurveyCheck.has_phone, SurveyCheck.unannounced)
                                    .where(SurveyCheck.round_id == r.id)))
            no_home = s.scalar(select(func.count(Student.id)).where(poor_pupils(), Student.household_id.is_(None)))
        by_kind = {k: 0 for k in PROBLEM_KINDS}
        for kind, *_rest in probs:
            by_kind[kind] = by_kind.get(kind, 0) + 1
        fixes = {k: 0 for k in FIX_KINDS}
        fixes.update(rules.fix_counts((fix, qty, hid) for _k, fix, qty, hid, solved in probs if solved))
        states = [x.status for x in rows]
        return SurveyReport(
            r.name, r.start_date, sum(1 for x in rows if x.children), len(checks),
            sum(1 for c in checks if c.unannounced), sum(1 for c in checks if rules.passes(c.has_tv, c.has_phone)),
            states.count(rules.FIXED), states.count(rules.FAILING), states.count(rules.NOT_CHECKED),
            {k: v for k, v in by_kind.items() if v}, fixes, sum(1 for p in probs if p.solved_on is None),
            [x for x in rows if x.status == rules.FAILING], no_home)
