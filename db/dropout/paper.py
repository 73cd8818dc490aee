"""Data for the dropout ledger's printed documents (one session per call, returned as the dataclasses of
db/dropout/pdf.py) and the document kinds they make:

    dropout-notice   劝返复学通知书: the chosen cases (--id), the students' open cases, or every case in
                     辍学/劝返中 (--all)
    dropout-record   劝返记录表: the chosen cases, or every open case
    dropout-report   控辍保学月报表 of a month (--month 2020-10; default: the month of the date)
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.context import ServiceContext
from db.docs.kinds import DocKind, Selection
from db.docs.render import FORM, FORM_LANDSCAPE, Section
from db.dropout import common, rules
from db.dropout.dto import OPEN_STATES, State
from db.dropout.pdf import (
    AttemptLine,
    AttemptSheet,
    MonthSheet,
    ReturnNotice,
    attempt_sheet,
    month_sheet,
    return_notice,
)
from db.dropout.report import parse_month
from db.dropout.service import DropoutService
from db.errors import LedgerError
from db.models.dropout import DropoutCase
from db.models.registry import School, Student
from db.registry.selection import parse_class, school_facts
from db.validators import mask_id, mask_phone

NOTICE_STATES = (State.DROPPED, State.PERSUADING)


def _cases(s: Session, sel: Selection, states) -> list[DropoutCase]:
    """The cases a selection names: ids, students, households or a class (their open cases, else their
    latest), or every case in `states` (--all)."""
    stmt = select(DropoutCase).order_by(DropoutCase.grade, DropoutCase.class_name, DropoutCase.id)
    if sel.record_ids:
        return list(s.scalars(stmt.where(DropoutCase.id.in_(sel.record_ids))))
    conds = []
    if sel.student_ids:
        ids = select(Student.id_number).where(Student.id.in_(sel.student_ids))
        conds.append(or_(DropoutCase.student_id.in_(sel.student_ids), DropoutCase.id_number.in_(ids)))
    if sel.household_ids:
        conds.append(DropoutCase.household_id.in_(sel.household_ids))
    if sel.class_name:
        grade, cls = parse_class(sel.class_name)
        conds += [DropoutCase.grade == grade] if grade else []
        conds += [DropoutCase.class_name == cls] if cls else []
    if not conds:
        if not sel.all:
            raise LedgerError("请指定打印范围：个案编号、学生或全部（--id / --student / --all）")
        found = list(s.scalars(stmt.where(DropoutCase.state.in_(tuple(states)))))
        if not found:
            raise LedgerError(f"没有处于{'、'.join(states)}状态的个案")
        return found
    found = list(s.scalars(stmt.where(*conds)))
    open_ = [c for c in found if c.state in OPEN_STATES]
    if open_:
        return open_
    latest: dict[str, DropoutCase] = {}
    for c in sorted(found, key=lambda c: (c.opened_on, c.id)):
        latest[c.id_number or str(c.id)] = c
    return list(latest.values())


def return_notices(ctx: ServiceContext, sel: Selection) -> list[ReturnNotice]:
    today = sel.today_or_now
    with ctx.read() as s:
        facts = school_facts(s)
        cases = _cases(s, sel, NOTICE_STATES)
        attempts = common.attempts_of(s, [c.id for c in cases])
        out = []
        for c in cases:
            if c.state not in OPEN_STATES:
                raise LedgerError(f"{c.name}的个案已{c.state}，不再发劝返复学通知书")
            tried = attempts.get(c.id, [])
            deadline = next((a.deadline for a in reversed(tried) if a.deadline), None)
            out.append(ReturnNotice(facts.name, facts.phone, c.id, c.name, c.gender, f"{c.grade}{c.class_name}",
                                    c.guardian_name, c.last_at_school,
                                    rules.days_absent(c.last_at_school, c.absent_days, c.opened_on, today),
                                    len(tried), c.head_teacher, deadline if deadline and deadline >= today else None,
                                    today))
        return out


def attempt_sheets(ctx: ServiceContext, sel: Selection) -> list[AttemptSheet]:
    with ctx.read() as s:
        facts = school_facts(s)
        cases = _cases(s, sel, OPEN_STATES)
        ids = [c.id for c in cases]
        attempts, trans = common.attempts_of(s, ids), common.transitions_of(s, ids)
        return [_sheet(facts.name, c, attempts.get(c.id, []), trans.get(c.id, []), sel.today_or_now) for c in cases]


def _sheet(school: str, c: DropoutCase, attempts, trans, today) -> AttemptSheet:
    lines = [AttemptLine(a.seq, a.on, a.level, a.method, common.people_text(a.people),
                         a.result + (f"：{a.result_note}" if a.result_note else ""),
                         a.next_step + (f"（{a.next_date:%Y-%m-%d}前）" if a.next_date else "")
                         + (f"；限期 {a.deadline:%Y-%m-%d} 前复学" if a.deadline else "")) for a in attempts]
    history = [f"{t.on:%Y-%m-%d} {'建档：' if not t.from_state else ''}{t.to_state}" for t in trans]
    return AttemptSheet(school, c.id, c.name, c.gender, mask_id(c.id_number), f"{c.stage} {c.grade}{c.class_name}".strip(),
                        "是" if c.registered_poor else "否", c.guardian_name, mask_phone(c.guardian_phone),
                        " ".join(x for x in (c.township, c.village) if x), c.head_teacher, c.liaison,
                        c.reason + (f"（{c.reason_note}）" if c.reason_note else ""), c.last_at_school, c.opened_on,
                        c.state, history, lines, _outcome(c), today)


def _outcome(c: DropoutCase) -> str:
    if c.state == State.RETURNED:
        follow = f"；{c.follow_up_on:%Y-%m-%d} 回访：{c.follow_up_note}" if c.follow_up_on else "；复学满一个月后回访"
        return f"{c.returned_on:%Y-%m-%d} 复学，就读{c.return_class}{follow}"
    if c.state == State.CLOSED:
        parts = [c.close_school, c.close_location, c.close_evidence, c.approved_by,
                 f"{c.approved_on:%Y-%m-%d}批准" if c.approved_on else "", f"档案：{c.special_ref}" if c.special_ref else ""]
        return f"{c.closed_on:%Y-%m-%d} 销号（{c.close_reason}）：" + "，".join(p for p in parts if p)
    return ""


def month_sheet_data(ctx: ServiceContext, sel: Selection) -> MonthSheet:
    month = parse_month(sel.month) if sel.month else sel.today_or_now.replace(day=1)
    report = DropoutService(ctx).month_report(month)
    with ctx.read() as s:
        sc = s.scalar(select(School).order_by(School.id).limit(1))
    return MonthSheet(sc.name if sc else "", sc.county if sc else "", report, sc.officer if sc else "",
                      sc.headmaster if sc else "", sc.phone if sc else "", sel.today_or_now)


# ---- sections and kinds ---------------------------------------------------------------------------
def notice_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, n=n: return_notice(kit, n), FORM, f"{n.school}　劝返复学通知书")
            for n in return_notices(ctx, sel)]


def record_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, a=a: attempt_sheet(kit, a), FORM, f"{a.school}　控辍保学劝返记录表")
            for a in attempt_sheets(ctx, sel)]


def report_sections(ctx, sel: Selection) -> list[Section]:
    m = month_sheet_data(ctx, sel)
    return [Section(lambda kit: month_sheet(kit, m), FORM_LANDSCAPE, f"{m.school}　控辍保学月报表 {m.report.label}")]


SCOPES = frozenset({"record", "student", "household", "class", "all"})
KINDS = [
    DocKind("dropout-notice", "劝返复学通知书",
            "个案编号（--id）、学生或班级；--all 为全部辍学、劝返中的个案；每案一份，带回执",
            notice_sections, scopes=SCOPES),
    DocKind("dropout-record", "控辍保学劝返记录表", "个案编号（--id）、学生或班级；--all 为全部未结案个案；每案一份",
            record_sections, scopes=SCOPES),
    DocKind("dropout-report", "控辍保学月报表", "月份（--month 2020-10，默认落款日期所在月）",
            report_sections, scopes=frozenset({"all", "term"})),
]
