"""Summaries of the special-needs ledger: the alerts for the home page, the county's report (counts by
disability category × placement, the term's 送教上门 visits per child), and the family page's section."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from db.context import ServiceContext
from db.models.registry import Student
from db.models.special import SpecialAttachment, SpecialExemption, SpecialFile
from db.special import rules
from db.special.common import alerts_of, gather_facts, visit_settings
from db.special.dto import Alert, CountRow, FamilySpecial, SpecialReport
from db.terms import Term, parse_term, term_of
from db.validators import mask_id

TOTAL = "合计"


class ReportMixin:
    _ctx: ServiceContext

    def alerts(self, today: dt.date | None = None) -> list[Alert]:
        """What needs doing, for the home page (issue 16): children 待安置, 送教上门 overdue or due today,
        reviews (assessment, plan, exemption) due within 30 days or overdue, and children placed 免于学习
        without an entry in this school year's 名册. Overdue first."""
        today = today or self._ctx.clock.today()
        term = term_of(today)
        with self._ctx.read() as s:
            every = visit_settings(s).every_days
            files = list(s.scalars(select(SpecialFile).where(SpecialFile.closed_on.is_(None))))
            facts = gather_facts(s, [f.id for f in files], term, rules.school_year_of(today))
        out = [Alert(f.id, f.name, kind, text, due) for f in files
               for kind, text, due in alerts_of(f, facts[f.id], term, today, f.visit_every_days or every)]
        out.sort(key=lambda a: (a.due or dt.date.min, a.name, a.kind))
        return out

    def counts(self) -> list[CountRow]:
        """Open files by disability category × placement, with the county's groups, then 合计."""
        with self._ctx.read() as s:
            data = list(s.execute(select(SpecialFile.category, SpecialFile.placement, SpecialFile.registered_poor,
                                         func.count()).where(SpecialFile.closed_on.is_(None))
                                  .group_by(SpecialFile.category, SpecialFile.placement, SpecialFile.registered_poor)))
        rows = []
        for cat in (*rules.CATEGORIES, TOTAL):
            mine = [d for d in data if cat in (TOTAL, d[0])]
            by_p = {p: sum(n for _c, pl, _r, n in mine if pl == p) for p in rules.PLACEMENTS}
            groups = {g: sum(by_p[p] for p in ps) for g, ps in rules.PLACEMENT_GROUPS.items()}
            poor = sum(n for _c, _p, r, n in mine if r)
            rows.append(CountRow(cat, groups, by_p, poor, sum(by_p.values())))
        return rows

    def report(self, term: Term | str | None = None, *, today: dt.date | None = None) -> SpecialReport:
        """The county's report for a term: counts, the term's 送教上门 visits per child (up to `today`,
        or the term's end for a past term), the school year's 免于学习名册 size and the alerts now."""
        today = today or self._ctx.clock.today()
        t = parse_term(term) if term else term_of(today)
        as_of = min(today, rules.term_span(t)[1])
        year = t.school_year
        visits = self.home_teaching_due(as_of)
        with self._ctx.read() as s:
            exempt = s.scalar(select(func.count()).select_from(SpecialExemption)
                              .where(SpecialExemption.school_year == year)) or 0
        return SpecialReport(t.label, year, self.counts(), visits, exempt, self.alerts(today))

    def family_files(self, student_ids: list[int], today: dt.date | None = None) -> list[FamilySpecial]:
        """The files of these students (a family's children), as the family page shows them."""
        today = today or self._ctx.clock.today()
        term = term_of(today)
        with self._ctx.read() as s:
            every = visit_settings(s).every_days
            files = list(s.execute(select(SpecialFile, Student.name).outerjoin(Student, Student.id == SpecialFile.student_id)
                                   .where(SpecialFile.student_id.in_(student_ids))))
            ids = [f.id for f, _ in files]
            facts = gather_facts(s, ids, term, rules.school_year_of(today))
            counts = dict(s.execute(select(SpecialAttachment.file_id, func.count()).where(
                SpecialAttachment.file_id.in_(ids)).group_by(SpecialAttachment.file_id)).all())
            years = {}
            for fid, y in s.execute(select(SpecialExemption.file_id, func.max(SpecialExemption.school_year))
                                    .where(SpecialExemption.file_id.in_(ids)).group_by(SpecialExemption.file_id)):
                years[fid] = y
        out = []
        for f, name in files:
            fa = facts[f.id]
            out.append(FamilySpecial(
                f.id, name or f.name, f.category, f.grade, mask_id(f.card_no), f.placement, f.placement_since,
                fa.last_assessment, fa.next_review, fa.plan_term, fa.visits_term, fa.last_visit, years.get(f.id, ""),
                counts.get(f.id, 0), [t for _k, t, _d in alerts_of(f, fa, term, today, f.visit_every_days or every)]))
        return out
