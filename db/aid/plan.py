"""Entitlements and the term's batch: decided in bulk from two SQL queries, written with executemany.

`plan(term)` creates the batch or refreshes it. A refresh touches only lines that are still 待发放,
were never adjusted and are not re-issues; paid, verified, adjusted, void and re-issued lines are kept
as they are, and a student × programme that has any kept line is never given a second one.
"""
from __future__ import annotations

from sqlalchemy import func, null, select
from sqlalchemy.orm import Session

from db import audit, sqlite
from db.aid.common import get_batch, refresh_total
from db.aid.dto import Entitlement, LineStatus, NoEntitlement, PlanResult
from db.aid.rules import Decider, StudentFacts
from db.aid.standards import load_rules
from db.aid.terms import Term, parse_term
from db.context import ServiceContext
from db.models.aid import Disbursement
from db.models.registry import Student, StudentCategory

_NEW_LINE = ("batch_id", "student_id", "standard_id", "standard_version", "programme", "stage", "computed_fen",
             "amount_fen", "reason", "adjusted", "status", "bank_name", "card_holder", "void_reason", "voided_by")
_NEW_LINE_FIXED = (False, LineStatus.PENDING, "", "", "", "")
_REFRESHED = ("standard_id", "standard_version", "stage", "computed_fen", "amount_fen", "reason")


def student_facts(s: Session, student_ids: list[int] | None = None, *,
                  with_names: bool = True) -> list[StudentFacts]:
    """(id, name, stage, grade, residence, enrolment, level, categories) of every student (or those
    given); `with_names=False` leaves the name out (None) when only the decision is needed."""
    cats = (select(func.aggregate_strings(StudentCategory.category, ","))
            .where(StudentCategory.student_id == Student.id).scalar_subquery())
    stmt = select(Student.id, Student.name if with_names else null(), Student.stage, Student.grade,
                  Student.residence, Student.enrolment, Student.difficulty_level, cats).order_by(Student.id)
    if student_ids is not None:
        stmt = stmt.where(Student.id.in_(student_ids))
    sets: dict[str | None, frozenset[str]] = {}
    out = []
    for sid, name, stage, grade, residence, enrolment, level, cat in sqlite.raw_rows(s, stmt):
        fs = sets.get(cat)
        if fs is None:
            fs = sets[cat] = frozenset(cat.split(",")) if cat else frozenset()
        out.append((sid, name, stage, grade, residence, enrolment, level, fs))
    return out


class PlanMixin:
    _ctx: ServiceContext

    def entitlements(self, term: Term | str, student_ids: list[int] | None = None, *,
                     cash_only: bool = False) -> list[Entitlement]:
        """What each student is entitled to in `term` under the standards now in force (including
        non-cash programmes unless cash_only)."""
        term = parse_term(term)
        self._seed_standards()
        with self._ctx.read() as s:
            decider = Decider(load_rules(s), term, cash_only=cash_only)
            out: list[Entitlement] = []
            for facts in student_facts(s, student_ids):
                out.extend(decider.decide(facts)[0])
            return out

    def students_without_entitlement(self, term: Term | str) -> list[NoEntitlement]:
        """Who gets no money this term, and who cannot be decided (incomplete data), with the reason.
        Non-cash programmes (meals) do not count as aid here."""
        term = parse_term(term)
        self._seed_standards()
        with self._ctx.read() as s:
            decider = Decider(load_rules(s), term, cash_only=True)
            out = []
            for facts in student_facts(s):
                missing = decider.decide(facts)[1]
                if missing is not None:
                    out.append(missing)
            out.sort(key=lambda n: (n.kind != "信息不全", n.stage, n.grade, n.student_id))
            return out

    def plan(self, term: Term | str) -> PlanResult:
        """Create or refresh the term's batch from the entitlements (cash programmes only)."""
        term = parse_term(term)
        self._seed_standards()
        with self._ctx.write() as s:
            decider = Decider(load_rules(s), term, cash_only=True)
            batch = get_batch(s, term, create=True)
            existing = sqlite.raw_rows(s, select(
                Disbursement.id, Disbursement.student_id, Disbursement.programme, Disbursement.status,
                Disbursement.adjusted, Disbursement.reissue_of_id, Disbursement.amount_fen, Disbursement.standard_id,
                Disbursement.standard_version, Disbursement.reason, Disbursement.stage)
                .where(Disbursement.batch_id == batch.id))
            refreshable: dict[tuple[int, str], tuple] = {}
            taken: set[tuple[int, str]] = set()
            for row in existing:
                key = (row[1], row[2])
                if row[3] == LineStatus.PENDING and not row[4] and row[5] is None:
                    refreshable[key] = row
                else:
                    taken.add(key)
            kept = len(existing) - len(refreshable)
            new_rows, updates = [], []
            bid = batch.id
            for facts in student_facts(s, with_names=False):
                sid = facts[0]
                for prog, stage, amount, std_id, version, reason, _cash, _needs in decider.profile(facts[2:])[0]:
                    key = (sid, prog)
                    if key in taken:
                        continue
                    old = refreshable.pop(key, None)
                    if old is None:
                        new_rows.append((bid, sid, std_id, version, prog, stage, amount, amount, reason,
                                         *_NEW_LINE_FIXED))
                    elif (old[6], old[7], old[8], old[9], old[10]) != (amount, std_id, version, reason, stage):
                        updates.append((std_id, version, stage, amount, amount, reason, old[0]))
                    taken.add(key)
            gone = [row[0] for row in refreshable.values()]
            cur = sqlite.driver_cursor(s)
            sqlite.bulk_delete(cur, "disbursement", gone)
            sqlite.bulk_update(cur, "disbursement", _REFRESHED, updates)
            sqlite.bulk_insert(cur, "disbursement", _NEW_LINE, new_rows)
            cur.close()
            batch.planned_at = self._ctx.clock.now()
            if existing:
                total = refresh_total(s, bid)
                live = s.scalar(select(func.count(Disbursement.id)).where(
                    Disbursement.batch_id == bid, Disbursement.status != LineStatus.VOID))
            else:               # a new batch holds exactly the rows just inserted
                total, live = sum(r[6] for r in new_rows), len(new_rows)
                batch.total_fen = total
            audit.record(s, self._ctx, "plan", "aid_batch", bid,
                         summary=f"{term.label}：新增 {len(new_rows)}，更新 {len(updates)}，"
                                 f"移除 {len(gone)}，保留 {kept}；合计 {total} 分")
            return PlanResult(term.label, bid, len(new_rows), len(updates), len(gone), kept, live, total)
