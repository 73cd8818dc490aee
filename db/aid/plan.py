"""Entitlements and the term's batch: decided in bulk from one SQL query, written with executemany.

`plan(term)` creates the batch or refreshes it. A refresh touches only lines that are still 待发放 (or
减免), were never adjusted and are not re-issues; paid, verified, adjusted, void and re-issued lines
are kept as they are, and a student × programme that has any kept line is never given a second one.
`plan(term, dry_run=True)` writes nothing and lists what a refresh would change.

Waivers (免学费 …) go into the batch as 减免 lines: never paid, never due, apart from cash in the
totals. Meals (营养改善计划) are entitlements only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, null, select
from sqlalchemy.orm import Session

from db import audit, sqlite
from db.aid.common import get_batch, refresh_total, waiver_total
from db.aid.dto import Entitlement, LineStatus, NoEntitlement, PlanChange, PlanResult
from db.aid.rules import KIND_ORDER, Decider, StudentFacts, school_year
from db.aid.settings import load_settings
from db.aid.standards import load_rules
from db.context import ServiceContext
from db.models.aid import Disbursement
from db.models.registry import DifficultyAssessment, Student, StudentCategory
from db.terms import Term, parse_term

_NEW_LINE = ("batch_id", "student_id", "standard_id", "standard_version", "programme", "stage", "computed_fen",
             "amount_fen", "reason", "status", "adjusted", "bank_name", "card_holder", "void_reason", "voided_by")
_NEW_LINE_FIXED = (False, "", "", "", "")
_REFRESHED = ("standard_id", "standard_version", "stage", "computed_fen", "amount_fen", "reason", "status")
_REFRESHABLE = (LineStatus.PENDING, LineStatus.WAIVER)


def student_facts(s: Session, year: int, student_ids: list[int] | None = None, *,
                  with_names: bool = True) -> list[StudentFacts]:
    """(id, name, stage, grade, residence, enrolment, study_location, level of `year`, categories as
    "a,b" text, hukou, agri_major) of every student (or those given), straight from the driver (the
    rules cache decisions per profile); `with_names=False` leaves the name out."""
    cats = (select(func.aggregate_strings(StudentCategory.category, ","))
            .where(StudentCategory.student_id == Student.id).scalar_subquery())
    stmt = (select(Student.id, Student.name if with_names else null(), Student.stage, Student.grade,
                   Student.residence, Student.enrolment, Student.study_location, DifficultyAssessment.level,
                   cats, Student.hukou, Student.agri_major)
            .outerjoin(DifficultyAssessment, and_(DifficultyAssessment.student_id == Student.id,
                                                  DifficultyAssessment.school_year == year))
            .order_by(Student.id))
    if student_ids is not None:
        stmt = stmt.where(Student.id.in_(student_ids))
    return sqlite.raw_rows(s, stmt)


@dataclass
class _Diff:
    new_rows: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    gone: list = field(default_factory=list)
    kept: int = 0
    existing: int = 0
    changes: list = field(default_factory=list)      # (sid, programme, action, old fen, new fen, reason)


def _existing(s: Session, batch_id: int, d: _Diff) -> tuple[dict[tuple[int, str], tuple], set[tuple[int, str]]]:
    """The batch's lines a refresh may touch (待发放/减免, never adjusted, not re-issues) by (student,
    programme), and the (student, programme) pairs that have a kept line."""
    existing = sqlite.raw_rows(s, select(
        Disbursement.id, Disbursement.student_id, Disbursement.programme, Disbursement.status,
        Disbursement.adjusted, Disbursement.reissue_of_id, Disbursement.amount_fen, Disbursement.standard_id,
        Disbursement.standard_version, Disbursement.reason, Disbursement.stage)
        .where(Disbursement.batch_id == batch_id))
    refreshable: dict[tuple[int, str], tuple] = {}
    taken: set[tuple[int, str]] = set()
    for row in existing:
        key = (row[1], row[2])
        if row[3] in _REFRESHABLE and not row[4] and row[5] is None:
            refreshable[key] = row
        else:
            taken.add(key)
    d.existing, d.kept = len(existing), len(existing) - len(refreshable)
    return refreshable, taken


def _diff(s: Session, decider: Decider, batch_id: int | None, *, explain: bool) -> _Diff:
    d = _Diff()
    refreshable, taken = _existing(s, batch_id, d) if batch_id is not None else ({}, set())
    facts_rows = student_facts(s, decider.year, with_names=False)
    if not d.existing:
        d.new_rows = _fresh_rows(decider, facts_rows, batch_id)
        if explain:
            d.changes = [(r[1], r[4], "新增", None, r[6], r[8]) for r in d.new_rows]
        return d
    for facts in facts_rows:
        sid = facts[0]
        for prog, stage, amount, std_id, version, reason, _cash, _needs, waiver in decider.profile(facts[2:])[0]:
            key = (sid, prog)
            if key in taken:
                continue
            taken.add(key)
            status = LineStatus.WAIVER if waiver else LineStatus.PENDING
            old = refreshable.pop(key, None)
            if old is None:
                d.new_rows.append((batch_id, sid, std_id, version, prog, stage, amount, amount, reason, status,
                                   *_NEW_LINE_FIXED))
                d.changes.append((sid, prog, "新增", None, amount, reason))
            elif (old[6], old[7], old[8], old[9], old[10], old[3]) != (amount, std_id, version, reason, stage, status):
                d.updates.append((std_id, version, stage, amount, amount, reason, status, old[0]))
                d.changes.append((sid, prog, "更新", old[6], amount, reason))
    d.gone = [row[0] for row in refreshable.values()]
    d.changes += [(row[1], row[2], "移除", row[6], None, "按现行规则不再享受") for row in refreshable.values()]
    if not explain:
        d.changes = []
    return d


def _fresh_rows(decider: Decider, facts_rows: list, batch_id: int | None) -> list[tuple]:
    """The lines of a batch that has none yet: one row template per student profile (the hot loop of
    the first plan of a term, 100,000 students)."""
    templates: dict[tuple, tuple] = {}
    rows = []
    for facts in facts_rows:
        key = facts[2:]
        tpl = templates.get(key)
        if tpl is None:
            tpl = templates[key] = tuple(
                (std_id, version, prog, stage, amount, amount, reason,
                 LineStatus.WAIVER if waiver else LineStatus.PENDING, *_NEW_LINE_FIXED)
                for prog, stage, amount, std_id, version, reason, _c, _n, waiver in decider.profile(key)[0])
        if tpl:
            head = (batch_id, facts[0])
            rows.extend(head + t for t in tpl)
    return rows


def _explained(s: Session, d: _Diff, decider: Decider) -> list[PlanChange]:
    """The changes with names; a removed line says why the student no longer qualifies."""
    ids = sorted({c[0] for c in d.changes})
    facts = {f[0]: f for f in student_facts(s, decider.year, ids)} if ids else {}
    out = []
    for sid, prog, action, old, new, reason in d.changes:
        f = facts[sid]
        if action == "移除":
            _ents, missing = decider.decide(f)
            reason = missing.reason if missing else reason
        out.append(PlanChange(sid, f[1], prog, action, old, new, reason))
    out.sort(key=lambda c: (c.action, c.student_id, c.programme))
    return out


class PlanMixin:
    _ctx: ServiceContext

    def _decider(self, s: Session, term: Term, *, in_batch_only: bool) -> Decider:
        return Decider(load_rules(s), term, in_batch_only=in_batch_only, settings=load_settings(s))

    def entitlements(self, term: Term | str, student_ids: list[int] | None = None, *,
                     cash_only: bool = False) -> list[Entitlement]:
        """What each student is entitled to in `term` under the standards now in force: the
        programmes of the batch (cash and 减免) and, unless cash_only, meals in kind."""
        term = parse_term(term)
        self._seed_standards()
        with self._ctx.read() as s:
            decider = self._decider(s, term, in_batch_only=cash_only)
            out: list[Entitlement] = []
            for facts in student_facts(s, school_year(term), student_ids):
                out.extend(decider.decide(facts)[0])
            return out

    def students_without_entitlement(self, term: Term | str) -> list[NoEntitlement]:
        """Who gets nothing in the batch this term, and why: data that cannot decide (信息不全),
        认定信息不全, 未认定, or nothing to qualify for (无资助). Meals in kind do not count as aid."""
        term = parse_term(term)
        self._seed_standards()
        with self._ctx.read() as s:
            decider = self._decider(s, term, in_batch_only=True)
            out = []
            for facts in student_facts(s, decider.year):
                missing = decider.decide(facts)[1]
                if missing is not None:
                    out.append(missing)
            out.sort(key=lambda n: (KIND_ORDER.get(n.kind, 9), n.stage, n.grade, n.student_id))
            return out

    def plan(self, term: Term | str, *, dry_run: bool = False) -> PlanResult:
        """Create or refresh the term's batch (cash and 减免 lines). dry_run: write nothing, return
        what would change (PlanResult.changes)."""
        term = parse_term(term)
        self._seed_standards()
        if dry_run:
            with self._ctx.read() as s:
                decider = self._decider(s, term, in_batch_only=True)
                batch = get_batch(s, term)
                d = _diff(s, decider, batch.id if batch else None, explain=True)
                return PlanResult(term.label, batch.id if batch else 0, len(d.new_rows), len(d.updates),
                                  len(d.gone), d.kept, 0, batch.total_fen if batch else 0,
                                  changes=_explained(s, d, decider), dry_run=True)
        with self._ctx.write() as s:
            decider = self._decider(s, term, in_batch_only=True)
            batch = get_batch(s, term, create=True)
            d = _diff(s, decider, batch.id, explain=False)
            return self._write_plan(s, term, batch, d)

    def _write_plan(self, s: Session, term: Term, batch, d: _Diff) -> PlanResult:
        bid = batch.id
        cur = sqlite.driver_cursor(s)
        sqlite.bulk_delete(cur, "disbursement", d.gone)
        sqlite.bulk_update(cur, "disbursement", _REFRESHED, d.updates)
        sqlite.bulk_insert(cur, "disbursement", _NEW_LINE, d.new_rows)
        cur.close()
        batch.planned_at = self._ctx.clock.now()
        if d.existing:
            total = refresh_total(s, bid)
            live = s.scalar(select(func.count(Disbursement.id)).where(
                Disbursement.batch_id == bid, Disbursement.status != LineStatus.VOID))
            waivers, waiver_fen = waiver_total(s, bid)
        else:               # a new batch holds exactly the rows just inserted
            cash = [r for r in d.new_rows if r[9] != LineStatus.WAIVER]
            total, live = sum(r[6] for r in cash), len(d.new_rows)
            waivers, waiver_fen = live - len(cash), sum(r[6] for r in d.new_rows) - total
            batch.total_fen = total
        audit.record(s, self._ctx, "plan", "aid_batch", bid,
                     summary=f"{term.label}：新增 {len(d.new_rows)}，更新 {len(d.updates)}，移除 {len(d.gone)}，"
                             f"保留 {d.kept}；现金合计 {total} 分，减免 {waivers} 笔 {waiver_fen} 分")
        return PlanResult(term.label, bid, len(d.new_rows), len(d.updates), len(d.gone), d.kept, live, total,
                          waivers, waiver_fen)
