"""The employment ledger's service (中职毕业生就业, issue 17). One session per call.

    applies() -> bool                       the school runs the 中职 stage (else the ledger is not shown)
    candidates(year) -> [CandidateRow]      registered-poor 中职 students of the final year / graduated, not listed
    add_graduates(year, student_ids) -> int
    graduates(year=None) -> [GraduateRow]; get(id) -> GraduateForm; save(GraduateForm); delete(id)
    guidance(id) -> [GuidanceForm]; save_guidance(GuidanceForm); delete_guidance(id)
    files(id) / attach(id, name, data) / open_file(file_id) -> (name, bytes) / delete_file(file_id)   (files.py)
    report(year=None) -> EmploymentReport; without_job(year=None) -> [GraduateRow]   what needs doing
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select

from db import audit, enums
from db.context import ServiceContext
from db.employment import rules
from db.employment.dto import (
    GUIDANCE_KINDS,
    CandidateRow,
    EmploymentReport,
    GraduateForm,
    GraduateRow,
    GuidanceForm,
)
from db.employment.files import FilesMixin
from db.errors import NotFound, ValidationError
from db.models.employment import Graduate, GraduateFile, GraduateGuidance
from db.models.registry import Household, School, Student, StudentCategory
from db.validators import mask_phone

FIELDS = ("grad_year", "school", "major", "intention", "status", "employer", "place", "job", "start_date",
          "contract", "reason", "next_action", "notes")


class EmploymentService(FilesMixin):
    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    def applies(self) -> bool:
        with self._ctx.read() as s:
            stages = s.scalar(select(School.stages).order_by(School.id).limit(1)) or ""
        return enums.Stage.VOCATIONAL.value in stages.split(",")

    # ---- who is a graduate ----------------------------------------------------------------------
    def candidates(self, year: int | None = None) -> list[CandidateRow]:
        poor = select(StudentCategory.student_id).where(StudentCategory.category == "建档立卡")
        with self._ctx.read() as s:
            listed = select(Graduate.student_id)
            stmt = (select(Student).where(Student.stage == rules.VOCATIONAL, Student.id.in_(poor),
                                          Student.id.not_in(listed),
                                          (Student.grade == rules.FINAL_GRADE) | (Student.enrolment == "毕业"))
                    .order_by(Student.class_name, Student.name_pinyin))
            return [CandidateRow(st.id, st.name, f"{st.grade}{st.class_name}", st.major, st.enrolment)
                    for st in s.scalars(stmt)]

    def add_graduates(self, year: int, student_ids: list[int]) -> int:
        if not 2000 <= int(year) <= 2100:
            raise ValidationError({"grad_year": "请填写毕业年份，如 2020"})
        with self._ctx.write() as s:
            school = s.scalar(select(School.name).limit(1)) or ""
            have = set(s.scalars(select(Graduate.student_id).where(Graduate.student_id.in_(student_ids))))
            n = 0
            for st in s.scalars(select(Student).where(Student.id.in_(student_ids))):
                if st.id in have:
                    continue
                s.add(Graduate(student_id=st.id, grad_year=int(year), school=st.study_school or school,
                               major=st.major, intention="就业", status="未就业", reason="", next_action=""))
                n += 1
            audit.record(s, self._ctx, "create", "graduate", None, summary=f"登记 {year} 届中职毕业生 {n} 人",
                         after={"student_ids": sorted(student_ids)})
            return n

    # ---- records --------------------------------------------------------------------------------
    def graduates(self, year: int | None = None) -> list[GraduateRow]:
        with self._ctx.read() as s:
            return graduate_rows(s, year)

    def get(self, graduate_id: int) -> GraduateForm:
        with self._ctx.read() as s:
            g = s.get(Graduate, graduate_id)
            if g is None:
                raise NotFound("该毕业生记录已被删除")
            return _form(g, s.get(Student, g.student_id))

    def save(self, form: GraduateForm) -> GraduateForm:
        p = rules.problems(form)
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            st = s.get(Student, form.student_id)
            if st is None:
                raise NotFound("该学生已被删除")
            g = s.get(Graduate, form.id) if form.id else None
            if form.id and g is None:
                raise NotFound("该毕业生记录已被删除")
            other = s.scalar(select(Graduate.id).where(Graduate.student_id == st.id))
            if other is not None and other != form.id:
                raise ValidationError({"student_id": f"{st.name} 已有就业记录"})
            before = _form(g, st) if g else None
            g = g or Graduate(student_id=st.id)
            for f in FIELDS:
                v = getattr(form, f)
                setattr(g, f, v.strip() if isinstance(v, str) else v)
            s.add(g)
            s.flush()
            after = _form(g, st)
            audit.record(s, self._ctx, "update" if before else "create", "graduate", g.id,
                         summary=f"中职毕业生 {st.name} {g.status}", before=before, after=after)
            return after

    def delete(self, graduate_id: int) -> None:
        with self._ctx.write() as s:
            g = s.get(Graduate, graduate_id)
            if g is None:
                raise NotFound("该毕业生记录已被删除")
            audit.record(s, self._ctx, "delete", "graduate", g.id, summary="删除中职毕业生就业记录",
                         before=_form(g, s.get(Student, g.student_id)))
            s.delete(g)

    # ---- guidance -------------------------------------------------------------------------------
    def guidance(self, graduate_id: int) -> list[GuidanceForm]:
        with self._ctx.read() as s:
            return [GuidanceForm(x.id, x.graduate_id, x.given_on, x.kind, x.by, x.content) for x in s.scalars(
                select(GraduateGuidance).where(GraduateGuidance.graduate_id == graduate_id)
                .order_by(GraduateGuidance.given_on, GraduateGuidance.id))]

    def save_guidance(self, form: GuidanceForm) -> GuidanceForm:
        p = {}
        if not isinstance(form.given_on, dt.date):
            p["given_on"] = "请填写日期"
        elif form.given_on > self._ctx.clock.today():
            p["given_on"] = "日期不能晚于今天"
        if form.kind not in GUIDANCE_KINDS:
            p["kind"] = f"指导方式应为：{'、'.join(GUIDANCE_KINDS)}"
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            if s.get(Graduate, form.graduate_id) is None:
                raise NotFound("该毕业生记录已被删除")
            x = s.get(GraduateGuidance, form.id) if form.id else GraduateGuidance(graduate_id=form.graduate_id)
            if x is None:
                raise NotFound("该指导记录已被删除")
            x.given_on, x.kind, x.by, x.content = form.given_on, form.kind, form.by.strip(), form.content.strip()
            s.add(x)
            s.flush()
            out = dataclasses.replace(form, id=x.id)
            audit.record(s, self._ctx, "update" if form.id else "create", "graduate_guidance", x.id,
                         summary=f"就业指导 {form.kind} {form.given_on}", after=out)
            return out

    def delete_guidance(self, guidance_id: int) -> None:
        with self._ctx.write() as s:
            x = s.get(GraduateGuidance, guidance_id)
            if x is None:
                raise NotFound("该指导记录已被删除")
            audit.record(s, self._ctx, "delete", "graduate_guidance", x.id, summary=f"删除就业指导 {x.given_on}")
            s.delete(x)

    # ---- report ---------------------------------------------------------------------------------
    def report(self, year: int | None = None) -> EmploymentReport:
        rows = self.graduates(year)
        by_i = {k: 0 for k in ("就业", "升学", "参军", "暂不")}
        by_s: dict[str, int] = {}
        for r in rows:
            by_i[r.intention] = by_i.get(r.intention, 0) + 1
            by_s[r.status] = by_s.get(r.status, 0) + 1
        want = [r for r in rows if r.intention == "就业"]
        return EmploymentReport(year, len(rows), by_i, by_s, len(want),
                                sum(1 for r in want if rules.is_employed(r.status)),
                                [r for r in want if rules.lacks_job(r.intention, r.status)],
                                [r for r in rows if r.status == "已就业" and not r.contract and not r.files])

    def without_job(self, year: int | None = None) -> list[GraduateRow]:
        """Graduates who want a job and have none: the home page's "what needs doing"."""
        return [r for r in self.graduates(year) if rules.lacks_job(r.intention, r.status)]


def graduate_rows(s, year: int | None) -> list[GraduateRow]:
    files = dict(s.execute(select(GraduateFile.graduate_id, func.count(GraduateFile.id))
                           .group_by(GraduateFile.graduate_id)).all())
    guided = dict(s.execute(select(GraduateGuidance.graduate_id, func.count(GraduateGuidance.id))
                            .group_by(GraduateGuidance.graduate_id)).all())
    stmt = (select(Graduate, Student.name, Household.phone).join(Student, Student.id == Graduate.student_id)
            .outerjoin(Household, Household.id == Student.household_id)
            .order_by(Graduate.grad_year.desc(), Student.name_pinyin))
    if year is not None:
        stmt = stmt.where(Graduate.grad_year == int(year))
    return [GraduateRow(g.id, g.student_id, name, g.grad_year, g.school, g.major, g.intention, g.status, g.employer,
                        g.place, g.job, g.start_date, g.contract, files.get(g.id, 0), guided.get(g.id, 0),
                        g.reason, g.next_action, mask_phone(phone)) for g, name, phone in s.execute(stmt)]


def _form(g: Graduate, st: Student | None) -> GraduateForm:
    return GraduateForm(g.id, g.student_id, g.grad_year, g.school, g.major, g.intention, g.status, g.employer,
                        g.place, g.job, g.start_date, g.contract, g.reason, g.next_action, g.notes,
                        st.name if st else "")
