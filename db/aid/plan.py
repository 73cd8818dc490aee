"""Entitlements and the term's batch: decided in bulk from two SQL queries, written with executemany.

`plan(term)` creates the batch or refreshes it. A refresh touches only lines that are still 待发放,
were never adjusted and are not re-issues; paid, verified, adjusted, void and re-issued lines are kept
as they are, and a student × programme that has any kept line is never given a second one.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from db.aid.dto import Entitlement, LineStatus, NoEntitlement, PlanResult
from db.aid.rules import Decider, StudentFacts
from db.aid.terms import Term, parse_term
from db.models import AuditLog
from db.aid.common import get_batch, refresh_total
from db.aid.standards import load_rules

_FACTS_SQL = """
SELECT s.id, {name}, s.stage, s.grade, s.residence, s.enrolment, s.difficulty_level,
       (SELECT group_concat(c.category, ',') FROM student_category c WHERE c.student_id = s.id)
FROM student s {where} ORDER BY s.id
"""
_INSERT_SQL = ("INSERT INTO disbursement (batch_id, student_id, standard_id, standard_version, programme, "
               "stage, computed_fen, amount_fen, adjusted, reason, status, bank_name, card_holder, "
               "void_reason, voided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '待发放', '', '', '', '')")
_UPDATE_SQL = ("UPDATE disbursement SET standard_id = ?, standard_version = ?, stage = ?, computed_fen = ?, "
               "amount_fen = ?, reason = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?")


def student_facts(s: Session, student_ids: list[int] | None = None, *,
                  with_names: bool = True) -> list[StudentFacts]:
    """(id, name, stage, grade, residence, enrolment, level, categories) of every student (or those
    given); `with_names=False` leaves the name out (None) when only the decision is needed."""
    where, params = "", ()
    if student_ids is not None:
        where = f"WHERE s.id IN ({','.join('?' * len(student_ids))})"
        params = tuple(student_ids)
    cur = s.connection().connection.cursor()      # the DBAPI cursor: 100,000 rows, no Row objects
    try:
        rows = cur.execute(_FACTS_SQL.format(where=where, name="s.name" if with_names else "NULL"),
                           params).fetchall()
    finally:
        cur.close()
    sets: dict[str | None, frozenset[str]] = {}
    out = []
    for sid, name, stage, grade, residence, enrolment, level, cats in rows:
        fs = sets.get(cats)
        if fs is None:
            fs = sets[cats] = frozenset(cats.split(",")) if cats else frozenset()
        out.append((sid, name, stage, grade, residence, enrolment, level, fs))
    return out


class PlanMixin:
    _sf: sessionmaker[Session]

    def entitlements(self, term: Term | str, student_ids: list[int] | None = None, *,
                     cash_only: bool = False) -> list[Entitlement]:
        """What each student is entitled to in `term` under the standards now in force (including
        non-cash programmes unless cash_only)."""
        term = parse_term(term)
        with self._sf.begin() as s:
            decider = Decider(load_rules(s), term, cash_only=cash_only)
            out: list[Entitlement] = []
            for facts in student_facts(s, student_ids):
                out.extend(decider.decide(facts)[0])
            return out

    def students_without_entitlement(self, term: Term | str) -> list[NoEntitlement]:
        """Who gets no money this term, and who cannot be decided (incomplete data), with the reason.
        Non-cash programmes (meals) do not count as aid here."""
        term = parse_term(term)
        with self._sf.begin() as s:
            decider = Decider(load_rules(s), term, cash_only=True)
            out = []
            for facts in student_facts(s):
                missing = decider.decide(facts)[1]
                if missing is not None:
                    out.append(missing)
            out.sort(key=lambda n: (n.kind != "信息不全", n.stage, n.grade, n.student_id))
            return out

    def plan(self, term: Term | str, *, by: str = "") -> PlanResult:
        """Create or refresh the term's batch from the entitlements (cash programmes only)."""
        term = parse_term(term)
        with self._sf.begin() as s:
            decider = Decider(load_rules(s), term, cash_only=True)
            batch = get_batch(s, term, create=True)
            conn = s.connection()
            existing = conn.exec_driver_sql(
                "SELECT id, student_id, programme, status, adjusted, reissue_of_id, amount_fen, "
                "standard_id, standard_version, reason, stage FROM disbursement WHERE batch_id = ?",
                (batch.id,)).fetchall()
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
                        new_rows.append((bid, sid, std_id, version, prog, stage, amount, amount, reason))
                    elif (old[6], old[7], old[8], old[9], old[10]) != (amount, std_id, version, reason, stage):
                        updates.append((std_id, version, stage, amount, amount, reason, old[0]))
                    taken.add(key)
            gone = [(row[0],) for row in refreshable.values()]
            if gone:
                conn.exec_driver_sql("DELETE FROM disbursement WHERE id = ?", gone)
            if updates:
                conn.exec_driver_sql(_UPDATE_SQL, updates)
            if new_rows:
                conn.exec_driver_sql(_INSERT_SQL, new_rows)
            batch.planned_at = dt.datetime.now().replace(microsecond=0)
            if existing:
                total = refresh_total(s, bid)
                live = conn.exec_driver_sql(
                    "SELECT count(*) FROM disbursement WHERE batch_id = ? AND status <> '已作废'",
                    (bid,)).scalar_one()
            else:               # a new batch holds exactly the rows just inserted
                total, live = sum(r[6] for r in new_rows), len(new_rows)
                batch.total_fen = total
            s.add(AuditLog(action="plan", entity="aid_batch", entity_id=bid,
                           summary=f"{term.label}：新增 {len(new_rows)}，更新 {len(updates)}，"
                                   f"移除 {len(gone)}，保留 {kept}；合计 {total} 分"
                                   + (f"（{by}）" if by else "")))
            return PlanResult(term.label, bid, len(new_rows), len(updates), len(gone), kept, live, total)
