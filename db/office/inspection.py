"""The self-inspection (自查, "对象无遗漏"): gathers what every ledger knows of each child and applies the
pure rules of db.office.rules. Other ledgers take part through their `accounts` registration
(db.ledgers, db.home): a dropout case, a letter, a special-needs file.

    inspection.run(today=None, term=None) -> CheckResult        (main.py check [--json]; the 自查 page)
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from db import audit, logs, sqlite
from db.aid.dto import LineStatus
from db.context import Cancel, Progress, ServiceContext
from db.errors import LedgerError, NotFound, ValidationError
from db.home import Account
from db.ledgers import contributions
from db.models.aid import AidBatch, Disbursement
from db.models.exchange import CountyList, CountyListEntry
from db.models.office import StudentExit
from db.models.registry import DifficultyAssessment, Household, Student, StudentCategory
from db.money import format_yuan
from db.office import rules
from db.office.dto import GAP_RULES, MISSED, CheckResult, Gap
from db.office.home import resolve
from db.office.rollover import roll_year_of
from db.services import Services
from db.terms import Term, parse_term, term_of
from db.validators import mask_card, mask_id

NEEDY = ("特别困难", "困难", "一般困难")
CURRENT = ("在校", "休学", "在外就读")        # students whose card, age and household are checked


class InspectionService:
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    def run(self, today: dt.date | None = None, term: Term | str | None = None, *,
            progress: Progress = None, cancelled: Cancel = None) -> CheckResult:
        today = today or self._ctx.clock.today()
        term = parse_term(term) if term else term_of(today)
        sv = Services.build(self._ctx)
        step = progress or (lambda _d, _t: None)
        with self._ctx.read() as s:
            facts = _Facts.read(s, term, today)
        step(1, 5)
        no_aid = {n.student_id: (n.kind, n.reason) for n in sv.aid.students_without_entitlement(term)}
        step(2, 5)
        result = CheckResult(today, term.label, facts.list_name, 0, len(facts.entries), 0)
        accounts = self._accounts(sv, today, result)
        if cancelled and cancelled():
            raise LedgerError("已取消自查")
        step(3, 5)
        children = facts.children(no_aid, accounts)
        result.children = len(children)
        result.on_roll = sum(1 for c in children if c.enrolment)
        for c in children:
            v = rules.decide(c)
            if v.ok:
                result.accounted[v.way] = result.accounted.get(v.way, 0) + 1
            else:
                result.gaps.append(Gap(MISSED, v.way, c.key, c.name, mask_id(c.id_number), c.where, v.text,
                                       c.student_id, c.entry_id))
        step(4, 5)
        result.gaps += _not_visited(sv, term) + facts.other_gaps(facts.roll_year)
        order = {r: i for i, r in enumerate(GAP_RULES)}
        result.gaps.sort(key=lambda g: (order.get(g.rule, 99), g.kind, g.where, g.name, g.key))
        if not facts.entries:
            result.notes.append("尚未导入县里推送的名单：只检查了本校名册上的困难学生")
        if not facts.batch:
            result.notes.append(f"{term.label}尚未生成资助名单：在校困难学生都还没有本学期的资助记录")
        step(5, 5)
        return result

    def record_exit(self, student_id: int, left_on: dt.date | None, reason: str, to_school: str = "") -> None:
        """登记离校情况: when and why a student 转出 / 毕业 / 休学 (转出 also the receiving school): what
        the self-inspection needs to count the child as accounted for. Audited."""
        reason, to_school = (reason or "").strip(), (to_school or "").strip()
        with self._ctx.write() as s:
            st = s.get(Student, student_id)
            if st is None:
                raise NotFound("该学生已被删除")
            p = rules.exit_problems(st.enrolment, left_on, reason, to_school, self._ctx.clock.today())
            if p:
                raise ValidationError(p)
            row = s.scalar(select(StudentExit).where(StudentExit.student_id == student_id))
            before = {"enrolment": row.enrolment, "left_on": row.left_on, "reason": row.reason,
                      "to_school": row.to_school} if row else None
            row = row or StudentExit(student_id=student_id)
            row.enrolment, row.left_on, row.reason, row.to_school = st.enrolment, left_on, reason[:500], to_school[:100]
            row.by, row.at = self._ctx.actor.name, self._ctx.clock.now()
            s.add(row)
            s.flush()
            audit.record(s, self._ctx, "update" if before else "create", "student_exit", row.id,
                         summary=f"{st.name} {mask_id(st.id_number)} 离校登记：{st.enrolment} {left_on:%Y-%m-%d}，{reason}"
                                 + (f"，转入{to_school}" if to_school else ""),
                         before=before, after={"enrolment": row.enrolment, "left_on": left_on, "reason": reason,
                                               "to_school": to_school})

    def _accounts(self, sv, today: dt.date, result: CheckResult) -> list[Account]:
        out: list[Account] = []
        for name, target in contributions("accounts"):
            try:
                out.extend(resolve(target)(sv, today))
            except Exception as e:
                logs.unexpected(f"accounts of {name}", e)
                result.notes.append(f"无法读取“{name}”台账的记录，这部分学生可能被误列为遗漏（详见日志）")
        return out


class _Facts:
    """Everything the rules need, read in one session."""

    def __init__(self) -> None:
        self.list_name = ""
        self.entries: list[tuple] = []
        self.students: list[tuple] = []
        self.needy: set[int] = set()
        self.lines: dict[int, int] = {}
        self.exits: dict[int, rules.Exit] = {}
        self.households: list[tuple] = []
        self.batch = False
        self.roll_year = 0              # the school year the grades are for (ages are checked in it)

    @classmethod
    def read(cls, s: Session, term: Term, today: dt.date) -> _Facts:
        f = cls()
        cl = s.scalar(select(CountyList).order_by(CountyList.list_date.desc(), CountyList.id.desc()).limit(1))
        if cl is not None:
            f.list_name = f"{cl.kind}（{cl.list_date:%Y-%m-%d}，{cl.source_file}）"
            f.entries = sqlite.raw_rows(s, select(
                CountyListEntry.id, CountyListEntry.id_number, CountyListEntry.name, CountyListEntry.source_row,
                CountyListEntry.follow_up, CountyListEntry.follow_up_note, CountyListEntry.village)
                .where(CountyListEntry.list_id == cl.id).order_by(CountyListEntry.source_row))
        f.students = sqlite.raw_rows(s, select(
            Student.id, Student.name, Student.id_number, Student.student_no, Student.stage, Student.grade,
            Student.class_name, Student.enrolment, Student.study_location, Student.study_school, Student.birth_date,
            Student.household_id, Student.bank_card_no).order_by(Student.id))
        # the driver gives dates as text (raw_rows does no result processing)
        f.students = [(*st[:10], dt.date.fromisoformat(st[10]) if st[10] else None, *st[11:]) for st in f.students]
        f.needy = set(s.scalars(select(StudentCategory.student_id).distinct()))
        f.needy |= set(s.scalars(select(DifficultyAssessment.student_id).where(
            DifficultyAssessment.school_year == term.start_year, DifficultyAssessment.level.in_(NEEDY))))
        batch = s.scalar(select(AidBatch.id).where(AidBatch.term_key == term.key))
        f.batch = batch is not None
        f.roll_year = roll_year_of(s, today)
        if batch is not None:
            f.lines = dict(s.execute(select(Disbursement.student_id, func.count()).where(
                Disbursement.batch_id == batch, Disbursement.status != LineStatus.VOID)
                .group_by(Disbursement.student_id)).all())
        f.exits = {sid: rules.Exit(en, on, why, to) for sid, en, on, why, to in s.execute(select(
            StudentExit.student_id, StudentExit.enrolment, StudentExit.left_on, StudentExit.reason, StudentExit.to_school))}
        f.households = sqlite.raw_rows(s, select(Household.id, Household.head_name, Household.head_id_number)
                                       .where(and_(Household.head_id_number.is_not(None), Household.head_id_number != "")))
        return f

    def children(self, no_aid: dict[int, tuple[str, str]], accounts: list[Account]) -> list[rules.Child]:
        by_sid: dict[int, list[Account]] = {}
        by_number: dict[str, list[Account]] = {}
        for a in accounts:
            if a.student_id is not None:
                by_sid.setdefault(a.student_id, []).append(a)
            elif a.id_number:
                by_number.setdefault(rules.id_key(a.id_number), []).append(a)
        students = {rules.id_key(st[2]): st for st in self.students if st[2]}
        out, done = [], set()
        for eid, number, name, row, follow, note, village in self.entries:
            st = students.get(rules.id_key(number))
            if st is not None:
                done.add(st[0])
                out.append(self._student(st, no_aid, by_sid, by_number, on_list=True, follow=(follow, note)))
                continue
            where = f"名单第 {row} 行" + (f"（{village}）" if village else "")
            out.append(rules.Child(f"c:{eid}", name, number, where, entry_id=eid, on_list=True, follow_up=follow,
                                   follow_up_note=note, accounts=tuple(by_number.get(rules.id_key(number), ()))))
        for st in self.students:
            if st[0] in self.needy and st[0] not in done:
                out.append(self._student(st, no_aid, by_sid, by_number))
        return out

    def _student(self, st: tuple, no_aid, by_sid, by_number, *, on_list: bool = False,
                 follow: tuple[str, str] = ("", "")) -> rules.Child:
        sid, name, number, _no, _stage, grade, cls, enrolment, location, school = st[:10]
        mine = tuple(by_sid.get(sid, ())) + tuple(by_number.get(rules.id_key(number), ()) if number else ())
        return rules.Child(f"s:{sid}", name, number or "", rules.where_text(grade, cls, "未分班"), sid, None, on_list,
                           follow[0], follow[1], enrolment or "", location or "", school or "", self.lines.get(sid, 0),
                           no_aid.get(sid), self.exits.get(sid), mine)

    def other_gaps(self, school_year: int) -> list[Gap]:
        current = [st for st in self.students if st[7] in CURRENT]
        return (_card_gaps(current) + _duplicate_gaps(self.students) + _head_gaps(self.households, current)
                + _age_gaps(current, school_year))


def _not_visited(sv, term: Term) -> list[Gap]:
    out = []
    for g in sv.aid.households_not_visited(term):
        for h in g.households:
            out.append(Gap("走访核实", "已发放未走访", f"h:{h.id}", h.head_name, "", h.village,
                           f"{term.label}已发放 {format_yuan(h.paid_fen)} 元（{h.students}），"
                           f"联络员 {g.officer} 尚未走访核实",
                           household_id=h.id))
    return out


def _card_gaps(students: Iterable[tuple]) -> list[Gap]:
    rows = [(st[12], st[11] if st[11] is not None else f"s{st[0]}", st[0], st[1]) for st in students]
    return [Gap("银行卡", "一卡多户", f"card:{i}", rules.join_names(kids), "", mask_card(card),
                f"同一张银行卡（{mask_card(card)}）登记在 {len(kids)} 名不同家庭的学生名下：{rules.join_names(kids)}",
                kids[0][0]) for i, (card, kids) in enumerate(rules.shared_cards(rows), 1)]


def _duplicate_gaps(students: list[tuple]) -> list[Gap]:
    rows = [(st[0], st[1], st[2], st[3]) for st in students]
    return [Gap("重复登记", "一人两条记录", "dup:" + ",".join(str(sid) for sid, _n in kids), rules.join_names(kids),
                mask_id(key), "", f"身份证号 {mask_id(key)} 登记了 {len(kids)} 条学生记录（{rules.join_names(kids)}），"
                "写法不同但是同一人", kids[0][0]) for key, kids in rules.duplicates(rows)]


def _head_gaps(households: list[tuple], students: list[tuple]) -> list[Gap]:
    by_id = {rules.id_key(st[2]): (st[0], st[1]) for st in students if st[2]}
    return [Gap("户主", "户主是学生", f"head:{hid}", head, "", "", f"户主“{head}”的身份证号与学生“{name}”相同，"
                "户主信息可能录成了学生本人", sid, household_id=hid)
            for hid, head, sid, name in rules.heads_at_school(households, by_id)]


def _age_gaps(students: list[tuple], school_year: int) -> list[Gap]:
    out = []
    for st in students:
        why = rules.over_age(st[4], st[5], st[10], school_year)
        if why:
            out.append(Gap("年龄", "超龄", f"age:{st[0]}", st[1], mask_id(st[2]), rules.where_text(st[5], st[6]), why,
                           st[0]))
    return out
