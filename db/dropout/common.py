"""Helpers shared by the dropout services (they take the open session): loading a case with its
attempts and transitions, turning it into the dataclasses of db.dropout.dto, settings."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit
from db.context import ServiceContext
from db.dropout import rules
from db.dropout.dto import (
    DEFAULT_REASONS,
    SOURCE_COUNTY,
    AttemptRow,
    CaseDetail,
    CaseForm,
    CaseRow,
    OverdueItem,
    Person,
    TransitionRow,
)
from db.errors import NotFound
from db.models.core import Setting
from db.models.dropout import DropoutAttempt, DropoutCase, DropoutTransition
from db.validators import mask_id, mask_phone

ESCALATE_KEY = "dropout.escalate_after"
REASONS_KEY = "dropout.reasons"
_IN = 900


def get_case(s: Session, case_id: int) -> DropoutCase:
    c = s.get(DropoutCase, case_id)
    if c is None:
        raise NotFound(f"找不到编号为 {case_id} 的控辍保学个案")
    return c


# ---- settings ---------------------------------------------------------------------------------------
def escalate_after(s: Session) -> int:
    row = s.get(Setting, ESCALATE_KEY)
    try:
        return max(1, int(row.value)) if row and row.value else rules.DEFAULT_ESCALATE_AFTER
    except ValueError:
        return rules.DEFAULT_ESCALATE_AFTER


def reasons(s: Session) -> list[str]:
    row = s.get(Setting, REASONS_KEY)
    return list(json.loads(row.value)) if row and row.value else list(DEFAULT_REASONS)


# ---- people on an attempt ---------------------------------------------------------------------------
def people_json(people: list[Person]) -> str:
    return json.dumps([dataclasses.asdict(p) for p in people], ensure_ascii=False)


def people_list(text: str) -> list[Person]:
    try:
        return [Person(**p) for p in json.loads(text or "[]")]
    except (ValueError, TypeError):
        return []


def people_text(text: str, *, masked: bool = True) -> str:
    """张老师（班主任，138****5678）；王主任（村委会）"""
    out = []
    for p in people_list(text):
        extra = "，".join(x for x in (p.role, mask_phone(p.phone) if masked else p.phone) if x)
        out.append(f"{p.name}（{extra}）" if extra else p.name)
    return "；".join(out)


# ---- loading -------------------------------------------------------------------------------------------
def attempts_of(s: Session, case_ids: list[int]) -> dict[int, list[DropoutAttempt]]:
    out: dict[int, list[DropoutAttempt]] = {}
    for i in range(0, len(case_ids), _IN):
        for a in s.scalars(select(DropoutAttempt).where(DropoutAttempt.case_id.in_(case_ids[i:i + _IN]))
                           .order_by(DropoutAttempt.case_id, DropoutAttempt.seq)):
            out.setdefault(a.case_id, []).append(a)
    return out


def transitions_of(s: Session, case_ids: list[int]) -> dict[int, list[DropoutTransition]]:
    out: dict[int, list[DropoutTransition]] = {}
    for i in range(0, len(case_ids), _IN):
        for t in s.scalars(select(DropoutTransition).where(DropoutTransition.case_id.in_(case_ids[i:i + _IN]))
                           .order_by(DropoutTransition.case_id, DropoutTransition.id)):
            out.setdefault(t.case_id, []).append(t)
    return out


def add_transition(s: Session, ctx: ServiceContext, c: DropoutCase, from_state: str, on: dt.date, note: str) -> None:
    s.add(DropoutTransition(case_id=c.id, from_state=from_state, to_state=c.state, on=on, note=note,
                            by=ctx.actor.name, at=ctx.clock.now()))


# ---- snapshots ------------------------------------------------------------------------------------------
SNAPSHOT_FIELDS = ("student_id", "county_entry_id", "source", "name", "gender", "id_number", "stage", "grade",
                   "class_name", "head_name", "village", "guardian_name", "guardian_phone", "head_teacher",
                   "liaison", "last_at_school", "absent_days", "reason", "reason_note", "registered_poor", "state",
                   "opened_on", "state_since", "returned_on", "return_class", "follow_up_on", "closed_on",
                   "close_reason", "close_school", "close_location", "close_evidence", "approved_by",
                   "approved_on", "special_ref", "notes")


def snapshot(c: DropoutCase) -> dict:
    """The case for the audit log (db.audit masks id_number and phones by their names)."""
    return {f: getattr(c, f) for f in SNAPSHOT_FIELDS}


def facts(c: DropoutCase, attempts: int) -> rules.CaseFacts:
    return rules.CaseFacts(c.state, c.opened_on, c.state_since, c.last_at_school, c.absent_days, attempts,
                           c.birth_date, c.source == SOURCE_COUNTY and c.student_id is None)


def escalation_of(c: DropoutCase, attempts: list[DropoutAttempt], after: int) -> str:
    return rules.escalation([(a.level, a.result) for a in attempts], after, c.state)


def clock_of(c: DropoutCase, attempts: list[DropoutAttempt], after: int) -> rules.CaseClock:
    last = attempts[-1] if attempts else None
    return rules.CaseClock(c.state, c.opened_on, c.last_at_school, c.absent_days, c.returned_on, c.follow_up_on,
                           last.next_step if last else "", last.next_date if last else None,
                           escalation_of(c, attempts, after), last.on if last else None)


def overdue_items(c: DropoutCase, attempts: list[DropoutAttempt], after: int, today: dt.date) -> list[OverdueItem]:
    return [OverdueItem(c.id, c.name, kind, due, (today - due).days, text)
            for kind, due, text in rules.late_steps(clock_of(c, attempts, after), today)]


def _day(d: dt.date | None) -> str:
    return f"{d:%Y-%m-%d}" if d else ""


def case_row(c: DropoutCase, attempts: list[DropoutAttempt], after: int, today: dt.date) -> CaseRow:
    last = attempts[-1] if attempts else None
    days = rules.days_absent(c.last_at_school, c.absent_days, c.opened_on,
                             c.state_since if c.state not in rules.OPEN_STATES else today)
    late = overdue_items(c, attempts, after, today)
    return CaseRow(
        id=c.id, name=c.name, gender=c.gender, id_number=mask_id(c.id_number), stage=c.stage or "未入学",
        grade_class=f"{c.grade}{c.class_name}", poor="建档立卡" if c.registered_poor else "", state=c.state,
        reason=c.reason, absent_days="" if days is None else str(days), opened_on=_day(c.opened_on),
        state_since=_day(c.state_since), attempts=len(attempts), escalation=escalation_of(c, attempts, after),
        next_step=(last.next_step if last and c.state in rules.OPEN_STATES else ""),
        next_date=_day(last.next_date) if last and c.state in rules.OPEN_STATES else "",
        overdue="；".join(f"{x.kind}（逾期 {x.days_late} 天）" for x in late), head_name=c.head_name,
        village=c.village, guardian=c.guardian_name, guardian_phone=mask_phone(c.guardian_phone),
        head_teacher=c.head_teacher, source=c.source, student_id=c.student_id)


def attempt_row(a: DropoutAttempt) -> AttemptRow:
    return AttemptRow(a.id, a.seq, a.on, a.level, a.method, people_text(a.people), a.result, a.result_note,
                      a.next_step, a.next_date, a.deadline, a.by)


def detail(s: Session, c: DropoutCase) -> CaseDetail:
    attempts = attempts_of(s, [c.id]).get(c.id, [])
    trans = transitions_of(s, [c.id]).get(c.id, [])
    form = CaseForm(c.id, c.student_id, c.county_entry_id, c.state, c.opened_on, c.guardian_name, c.guardian_phone,
                    c.head_teacher, c.liaison, c.last_at_school, c.absent_days, c.reason, c.reason_note,
                    c.registered_poor, c.notes)
    return CaseDetail(
        form, c.source, c.name, c.gender, mask_id(c.id_number), c.birth_date, c.stage, c.grade, c.class_name,
        c.head_name, c.township, c.village, c.registered_poor, c.state, c.state_since, c.returned_on,
        c.return_class, c.follow_up_on, c.follow_up_note, c.closed_on, c.close_reason, c.close_school,
        c.close_location, c.close_evidence, c.approved_by, c.approved_on, c.special_ref,
        escalation_of(c, attempts, escalate_after(s)), rules.allowed_moves(c.state),
        [attempt_row(a) for a in attempts],
        [TransitionRow(t.from_state, t.to_state, t.on, t.note, t.by) for t in trans])


def record(s: Session, ctx: ServiceContext, action: str, c: DropoutCase, summary: str, before=None) -> None:
    audit.record(s, ctx, action, "dropout_case", c.id, summary=f"{c.name} {mask_id(c.id_number)}：{summary}",
                 before=before, after=snapshot(c))
