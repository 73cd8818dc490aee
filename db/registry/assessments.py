"""家庭经济困难认定 (assessment) history: one record per student and school year, the half of
RegistryService that keeps it.

The assessment of a term's school year decides needs-based aid (db.aid.rules); `student.difficulty_level`
mirrors the latest year's level for the lists. The national template makes 困难程度, 认定时间 and
认定原因 mandatory: a form needs all three; imported and migrated records may lack the last two and
are listed (认定记录不完整) until completed.

    registry.assessments(student_id) -> [AssessmentRow]
    registry.save_assessment(AssessmentForm) -> AssessmentRow
    registry.delete_assessment(id)
    registry.assessment_gaps(2020) -> [AssessmentGap]    未认定 / 认定信息不全 / 认定记录不完整
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from db import audit, enums, sqlite
from db.context import ServiceContext
from db.errors import NotFound, ValidationError
from db.models.registry import DifficultyAssessment, Student, StudentCategory
from db.registry.dto import AssessmentForm, AssessmentGap, AssessmentRow
from db.registry.rules import GRADE_ORDER, PRESUMED_NEEDY, sort_categories
from db.validators import mask_id

LEVELS = enums.values(enums.DifficultyLevel)
REGISTERED_POOR = "建档立卡"


def _missing(a: DifficultyAssessment) -> str:
    gaps = [label for label, v in (("认定时间", a.assessed_on), ("认定原因", (a.reason or "").strip())) if not v]
    return f"缺{'、'.join(gaps)}" if gaps else ""


def _row(a: DifficultyAssessment) -> AssessmentRow:
    return AssessmentRow(a.id, a.student_id, a.school_year, a.level, a.assessed_on, a.reason, a.assessed_by,
                         a.source, _missing(a))


def validate_assessment(f: AssessmentForm, today: dt.date) -> AssessmentForm:
    p: dict[str, str] = {}
    if not isinstance(f.school_year, int) or not 2000 <= f.school_year <= today.year + 1:
        p["school_year"] = "请填写认定学年（如 2020，即 2020-2021 学年）"
    if f.level not in LEVELS:
        p["level"] = f"请选择困难程度（{'/'.join(LEVELS)}）"
    if not isinstance(f.assessed_on, dt.date):
        p["assessed_on"] = "请填写认定时间"
    elif f.assessed_on > today:
        p["assessed_on"] = "认定时间不能晚于今天"
    if not f.reason.strip():
        p["reason"] = "请填写认定原因（国家模板必填）"
    if p:
        raise ValidationError(p)
    return AssessmentForm(f.id, f.student_id, f.school_year, f.level, f.assessed_on, f.reason.strip()[:500],
                          f.assessed_by.strip()[:30])


def sync_levels(s: Session, student_ids: Iterable[int]) -> None:
    """student.difficulty_level = the level of the student's latest assessed school year."""
    ids = list(student_ids)
    latest = (select(DifficultyAssessment.level).where(DifficultyAssessment.student_id == Student.id)
              .order_by(DifficultyAssessment.school_year.desc()).limit(1).scalar_subquery())
    for i in range(0, len(ids), 500):
        s.execute(update(Student).where(Student.id.in_(ids[i:i + 500])).values(difficulty_level=latest)
                  .execution_options(synchronize_session=False))


def record_levels(s: Session, levels: dict[int, str], school_year: int, source: str, by: str = "", *,
                  inserted: Iterable[int] = ()) -> int:
    """Upsert the level of `school_year` for many students (an imported list's 认定等级); date and
    reason of an existing record are kept when its level does not change. Returns how many changed.
    `inserted`: students created in this transaction with that level already in their row (their only
    assessment is this one, so their level needs no update)."""
    # the year's records (no IN list of 100,000 ids); new ones through the driver, as the import's students
    have = {sid: lv for sid, lv in s.execute(select(DifficultyAssessment.student_id, DifficultyAssessment.level)
                                             .where(DifficultyAssessment.school_year == school_year)) if sid in levels}
    new = [(sid, school_year, lv, "", by, source) for sid, lv in levels.items() if sid not in have]
    changed = [(sid, lv) for sid, lv in levels.items() if sid in have and have[sid] != lv]
    if new:
        sqlite.bulk_insert(sqlite.driver_cursor(s), "difficulty_assessment",
                           ("student_id", "school_year", "level", "reason", "assessed_by", "source"), new)
    for sid, lv in changed:
        s.execute(update(DifficultyAssessment).where(DifficultyAssessment.student_id == sid,
                                                     DifficultyAssessment.school_year == school_year)
                  .values(level=lv, source=source, assessed_by=by))
    fresh = set(inserted)
    sync_levels(s, [r[0] for r in new if r[0] not in fresh] + [sid for sid, _ in changed])
    return len(new) + len(changed)


class AssessmentsMixin:
    _ctx: ServiceContext

    def assessments(self, student_id: int) -> list[AssessmentRow]:
        with self._ctx.read() as s:
            return [_row(a) for a in s.scalars(select(DifficultyAssessment).where(
                DifficultyAssessment.student_id == student_id).order_by(DifficultyAssessment.school_year.desc()))]

    def save_assessment(self, form: AssessmentForm) -> AssessmentRow:
        clean = validate_assessment(form, self._ctx.clock.today())
        with self._ctx.write() as s:
            st = s.get(Student, clean.student_id) if clean.student_id else None
            if st is None:
                raise NotFound("该学生已被删除")
            same_year = s.scalar(select(DifficultyAssessment).where(
                DifficultyAssessment.student_id == st.id, DifficultyAssessment.school_year == clean.school_year))
            if clean.id is None and same_year is not None:
                raise ValidationError({"school_year": f"{clean.school_year}学年已有认定记录，请在列表中修改该记录"})
            a = s.get(DifficultyAssessment, clean.id) if clean.id else DifficultyAssessment(student_id=st.id)
            if a is None or a.student_id != st.id:
                raise NotFound("该认定记录已被删除")
            if same_year is not None and same_year.id != a.id:
                raise ValidationError({"school_year": f"{clean.school_year}学年已有另一条认定记录"})
            before = _row(a) if a.id else None
            a.school_year, a.level, a.assessed_on = clean.school_year, clean.level, clean.assessed_on
            a.reason, a.assessed_by = clean.reason, clean.assessed_by or self._ctx.actor.name
            a.source = enums.AssessmentSource.MANUAL
            s.add(a)
            s.flush()
            sync_levels(s, [st.id])
            audit.record(s, self._ctx, "update" if before else "create", "difficulty_assessment", a.id,
                         summary=f"{st.name} {mask_id(st.id_number)} {a.school_year}学年认定：{a.level}",
                         before=before, after=_row(a))
            return _row(a)

    def delete_assessment(self, assessment_id: int) -> None:
        with self._ctx.write() as s:
            a = s.get(DifficultyAssessment, assessment_id)
            if a is None:
                raise NotFound("该认定记录已被删除")
            sid, before = a.student_id, _row(a)
            s.delete(a)
            s.flush()
            sync_levels(s, [sid])
            audit.record(s, self._ctx, "delete", "difficulty_assessment", assessment_id,
                         summary=f"删除 {before.school_year}学年认定（{before.level}）", before=before)

    def assessment_gaps(self, school_year: int) -> list[AssessmentGap]:
        """Students in school with a difficulty category (not 建档立卡, who count as 特别困难 without
        one) and no assessment for the year — 认定信息不全 for 低保/特困/孤儿/残疾, else 未认定 — and
        assessments of the year that lack 认定时间 or 认定原因."""
        cats = (select(func.aggregate_strings(StudentCategory.category, ","))
                .where(StudentCategory.student_id == Student.id).scalar_subquery())
        stmt = (select(Student.id, Student.name, Student.grade, Student.class_name, cats, DifficultyAssessment)
                .outerjoin(DifficultyAssessment, and_(DifficultyAssessment.student_id == Student.id,
                                                      DifficultyAssessment.school_year == school_year))
                .where(Student.enrolment == enums.Enrolment.IN_SCHOOL))
        out = []
        with self._ctx.read() as s:
            for sid, name, grade, cls, cat, a in s.execute(stmt):
                gap = _gap(school_year, set((cat or "").split(",")) - {""}, a)
                if gap:
                    out.append(AssessmentGap(sid, name, grade, cls, "、".join(sort_categories((cat or "").split(",")))
                                             if cat else "", *gap))
        order = {"认定信息不全": 0, "未认定": 1, "认定记录不完整": 2}
        grade_order = {g: i for i, g in enumerate(GRADE_ORDER)}
        out.sort(key=lambda g: (order[g.state], grade_order.get(g.grade, 99), g.class_name, g.student_id))
        return out


def _gap(year: int, cats: set[str], a: DifficultyAssessment | None) -> tuple[str, str] | None:
    if a is not None:
        missing = _missing(a)
        return ("认定记录不完整", f"{year}学年 {a.level}，{missing}（{a.source}）") if missing else None
    if not cats or REGISTERED_POOR in cats:
        return None
    presumed = sorted(cats & PRESUMED_NEEDY)
    if presumed:
        return "认定信息不全", f"{'、'.join(presumed)}：{year}学年未认定困难等级，认定前不纳入发放"
    return "未认定", f"{year}学年未认定家庭经济困难，认定前不享受资助"
