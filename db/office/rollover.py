"""The school-year rollover (学年结转, rules in db.office.yearly): one guarded action per school year.

    rollover.roll_year() -> int                 the school year the roll's grades are for now
    rollover.set_roll_year(2020)                  before the first rollover only (audited)
    rollover.preview(2021, mapping) -> RolloverPlan      what would change; writes nothing
    rollover.run(2021, mapping) -> RolloverResult        a verified backup first, then ONE transaction
    rollover.history() -> [RolloverRow]

`run` holds the database's write lock from before the backup to the commit, so the backup is exactly
the roll before the change. It keeps each student's place in the closing year (student_year), moves
every class, marks the final years 毕业 with the date and reason (student_exit), records itself
(rollover) and writes one audit entry.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import and_, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from db import audit, sqlite
from db.backup import backup as verified_backup
from db.context import ServiceContext
from db.errors import LedgerError, ValidationError
from db.models.core import Setting
from db.models.office import Rollover, StudentExit, StudentYear
from db.models.registry import DifficultyAssessment, Household, School, Student, StudentCategory
from db.office import yearly
from db.office.dto import Count, GroupMove, RolloverPlan, RolloverResult
from db.registry.rules import GRADE_ORDER
from db.terms import school_year_of

ROLL_YEAR_KEY = "school.roll_year"
REGISTERED_POOR = "建档立卡"
STAY = ("休学", "辍学")


@dataclass(frozen=True)
class RolloverRow:
    school_year: int
    done_on: dt.date
    actor: str
    promoted: int
    graduated: int
    unchanged: int
    backup_file: str


def roll_year_of(s: Session, today: dt.date) -> int:
    """The school year the roll's grades are for: the last rollover's, else the setting (first start, the
    demo), else the school year the first student was entered in."""
    last = s.scalar(select(func.max(Rollover.school_year)))
    if last is not None:
        return int(last)
    row = s.get(Setting, ROLL_YEAR_KEY)
    if row is not None and row.value.strip().isdigit():
        return int(row.value)
    first = s.scalar(select(func.min(Student.created_at)))
    return school_year_of(first.date()) if first else school_year_of(today)


def _stages(s: Session) -> list[str]:
    stages = s.scalar(select(School.stages).order_by(School.id).limit(1)) or ""
    return [x for x in stages.split(",") if x]


def _moves(s: Session, stages: list[str], mapping: dict[str, str]) -> tuple[list[GroupMove], Counter]:
    groups = s.execute(select(Student.stage, Student.grade, Student.class_name, func.count())
                       .where(Student.enrolment.in_(yearly.PROMOTED))
                       .group_by(Student.stage, Student.grade, Student.class_name)).all()
    moves, stay = [], Counter()
    for stage, grade, cls, n in groups:
        st = yearly.step(stage or "", grade or "", stages)
        if st is None:
            stay[f"年级不明（{stage or '未填学段'}{grade or '未填年级'}）"] += n
            continue
        to_class, graduate = yearly.target_class(f"{grade}{cls or ''}", cls or "", mapping)
        graduate = graduate or st.graduate
        note = st.note or ("班级改为 " + to_class if to_class != (cls or "") and not graduate else "")
        moves.append(GroupMove(stage, grade, cls or "", n, "" if graduate else st.to_stage,
                               "" if graduate else st.to_grade, "" if graduate else to_class, graduate, note))
    order = {g: i for i, g in enumerate(GRADE_ORDER)}
    moves.sort(key=lambda m: (order.get(m.grade, 99), m.class_name))
    return moves, stay


def _to_assess(s: Session, year: int, graduating: set[tuple[str, str]]) -> int:
    """Students in school next year with a category (not 建档立卡) and no 认定 for `year`."""
    cat = select(StudentCategory.student_id).where(StudentCategory.student_id == Student.id)
    poor = cat.where(StudentCategory.category == REGISTERED_POOR)
    assessed = select(DifficultyAssessment.id).where(and_(DifficultyAssessment.student_id == Student.id,
                                                          DifficultyAssessment.school_year == year))
    rows = s.execute(select(Student.grade, Student.class_name).where(
        Student.enrolment == "在校", cat.exists(), ~poor.exists(), ~assessed.exists())).all()
    return sum(1 for g, c in rows if (g or "", c or "") not in graduating)


class RolloverService:
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    def roll_year(self) -> int:
        with self._ctx.read() as s:
            return roll_year_of(s, self._ctx.clock.today())

    def set_roll_year(self, year: int) -> None:
        if not isinstance(year, int) or not 2000 <= year <= self._ctx.clock.today().year + 1:
            raise ValidationError({"roll_year": "请填写名册年级所属的学年（如 2020，即 2020-2021 学年）"})
        with self._ctx.write() as s:
            if s.scalar(select(func.count(Rollover.id))):
                raise LedgerError("已经做过学年结转，名册所属学年由结转记录决定，不能再修改")
            before = roll_year_of(s, self._ctx.clock.today())
            s.merge(Setting(key=ROLL_YEAR_KEY, value=str(year)))
            audit.record(s, self._ctx, "settings", "setting", None, summary=f"名册年级所属学年：{year}-{year + 1}",
                         before={"roll_year": before}, after={"roll_year": year})

    def history(self) -> list[RolloverRow]:
        with self._ctx.read() as s:
            return [RolloverRow(r.school_year, r.done_on, r.actor, r.promoted, r.graduated, r.unchanged, r.backup_file)
                    for r in s.scalars(select(Rollover).order_by(Rollover.school_year.desc()))]

    def preview(self, year: int | None = None, mapping: dict[str, str] | None = None) -> RolloverPlan:
        with self._ctx.read() as s:
            return self._plan(s, year, mapping or {})

    def _plan(self, s: Session, year: int | None, mapping: dict[str, str]) -> RolloverPlan:
        today = self._ctx.clock.today()
        roll = roll_year_of(s, today)
        year = roll + 1 if year is None else year
        moves, stay = _moves(s, _stages(s), mapping)
        stay.update({k: n for k, n in s.execute(select(Student.enrolment, func.count()).where(
            Student.enrolment.in_(STAY)).group_by(Student.enrolment)).all()})
        done = list(s.scalars(select(Rollover.school_year)))
        plan = RolloverPlan(year, moves, [Count(k, n) for k, n in sorted(stay.items())],
                            s.scalar(select(func.count(Household.id))) or 0)
        plan.to_assess = _to_assess(s, year, {(m.grade, m.class_name) for m in moves if m.graduate})
        plan.refusal = yearly.refusal(year, today, roll, done, sum(m.students for m in moves))
        return plan

    def run(self, year: int, mapping: dict[str, str] | None = None, *,
            backup: Callable[[Path, str], Path] = verified_backup) -> RolloverResult:
        """Refuses (LedgerError, nothing changed) what preview() refuses; otherwise backs up, then
        changes everything in one transaction."""
        today = self._ctx.clock.today()
        with self._ctx.write(immediate=True) as s:
            plan = self._plan(s, year, mapping or {})
            if plan.refusal:
                raise LedgerError(plan.refusal + "；未做任何更改")
            copy = backup(sqlite.database_file(s), f"rollover-{year}")
            self._keep_history(s, year - 1)
            graduates = self._move(s, plan)
            self._graduate(s, graduates, plan, today)
            s.add(Rollover(school_year=year, done_on=today, at=self._ctx.clock.now(), actor=self._ctx.actor.name,
                           backup_file=str(copy), promoted=plan.promoted, graduated=plan.graduated,
                           unchanged=plan.unchanged, summary=_summary_json(plan)))
            s.merge(Setting(key=ROLL_YEAR_KEY, value=str(year)))
            audit.record(s, self._ctx, "rollover", "school_year", year,
                         summary=f"学年结转到 {year}-{year + 1} 学年：升级 {plan.promoted} 人，毕业 {plan.graduated} 人，"
                                 f"未变 {plan.unchanged} 人；结转前已备份（{copy.name}）",
                         after={"promoted": plan.promoted, "graduated": plan.graduated, "unchanged": plan.unchanged,
                                "moves": [m.source + "→" + m.target for m in plan.moves]})
        return RolloverResult(plan, str(copy), today)

    @staticmethod
    def _keep_history(s: Session, closing: int) -> None:
        kept = select(StudentYear.id).where(StudentYear.student_id == Student.id, StudentYear.school_year == closing)
        s.execute(insert(StudentYear).from_select(
            ["student_id", "school_year", "stage", "grade", "class_name", "enrolment"],
            select(Student.id, literal(closing), func.coalesce(Student.stage, ""), Student.grade, Student.class_name,
                   Student.enrolment).where(~kept.exists())))

    @staticmethod
    def _move(s: Session, plan: RolloverPlan) -> list[int]:
        """Every promoted student to the new grade and class (decided per student, then written: no
        student moves twice); returns the graduates' ids."""
        by_group = {(m.stage or "", m.grade or "", m.class_name): m for m in plan.moves}
        rows = s.execute(select(Student.id, Student.stage, Student.grade, Student.class_name)
                         .where(Student.enrolment.in_(yearly.PROMOTED))).all()
        updates, graduates = [], []
        for sid, stage, grade, cls in rows:
            m = by_group.get((stage or "", grade or "", cls or ""))
            if m is None:
                continue
            if m.graduate:
                graduates.append(sid)
            else:
                updates.append((m.to_stage, m.to_grade, m.to_class, sid))
        cur = sqlite.driver_cursor(s)
        sqlite.bulk_update(cur, "student", ("stage", "grade", "class_name"), updates)
        sqlite.bulk_update(cur, "student", ("enrolment",), [(yearly.GRADUATE, sid) for sid in graduates])
        return graduates

    def _graduate(self, s: Session, ids: list[int], plan: RolloverPlan, today: dt.date) -> None:
        closing = f"{plan.school_year - 1}-{plan.school_year}学年"
        why = {(m.stage, m.grade, m.class_name): f"{closing}{m.stage}{m.grade}毕业（学年结转）"
               for m in plan.moves if m.graduate}
        now, by = self._ctx.clock.now(), self._ctx.actor.name
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            s.execute(delete(StudentExit).where(StudentExit.student_id.in_(part)))
            rows = s.execute(select(StudentYear.student_id, StudentYear.stage, StudentYear.grade, StudentYear.class_name)
                             .where(StudentYear.student_id.in_(part), StudentYear.school_year == plan.school_year - 1)).all()
            s.execute(insert(StudentExit), [
                {"student_id": sid, "enrolment": yearly.GRADUATE, "left_on": today, "by": by, "at": now, "to_school": "",
                 "reason": why.get((stage, grade, cls), f"{closing}毕业（学年结转）")}
                for sid, stage, grade, cls in rows])


def _summary_json(plan: RolloverPlan) -> str:
    return json.dumps({"moves": [asdict(m) for m in plan.moves], "stay": [asdict(c) for c in plan.stay],
                       "households": plan.households, "to_assess": plan.to_assess}, ensure_ascii=False)
