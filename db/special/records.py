"""A file's assessments (county expert committee), its placement history and its entries in the
免于学习名册 — each saved, corrected and deleted with an audit entry."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select

from db import audit
from db.context import ServiceContext
from db.errors import ValidationError
from db.models.special import SpecialAssessment, SpecialExemption, SpecialFile, SpecialPlacement
from db.special import rules
from db.special.common import get_file, get_row, refresh_placement
from db.special.dto import AssessmentForm, ExemptionForm, ExemptionRow, PlacementForm

ASSESSMENT_TEXT = ("members", "physical", "learning", "adaptability", "conclusion", "guardian_opinion")
EXEMPTION_TEXT = ("hospital", "diagnosis", "assessment_conclusion", "approved_by", "review_result")


class RecordsMixin:
    _ctx: ServiceContext

    # ---- assessments ----------------------------------------------------------------------------------
    def assessments(self, file_id: int) -> list[AssessmentForm]:
        with self._ctx.read() as s:
            return [_assessment(a) for a in s.scalars(
                select(SpecialAssessment).where(SpecialAssessment.file_id == file_id)
                .order_by(SpecialAssessment.assessed_on.desc(), SpecialAssessment.id.desc()))]

    def save_assessment(self, form: AssessmentForm) -> AssessmentForm:
        today, p = self._ctx.clock.today(), {}
        day = rules.day(form.assessed_on, "assessed_on", "评估日期", p, required=True, today=today)
        signed = rules.day(form.guardian_signed_on, "guardian_signed_on", "监护人签字日期", p, today=today)
        nxt = rules.day(form.next_review, "next_review", "下次复评日期", p)
        rec = rules.choice(form.recommended, rules.PLACEMENTS, "recommended", "建议安置方式", p)
        if not form.conclusion.strip():
            p["conclusion"] = "请填写评估结论"
        if day and nxt and nxt <= day:
            p["next_review"] = "下次复评日期应晚于评估日期"
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            f = get_file(s, form.file_id)
            a = get_row(s, SpecialAssessment, form.id, "评估记录") if form.id else SpecialAssessment(file_id=f.id)
            before = _assessment(a) if form.id else None
            for k in ASSESSMENT_TEXT:
                setattr(a, k, getattr(form, k).strip())
            a.assessed_on, a.guardian_signed_on, a.next_review, a.recommended = day, signed, nxt, rec
            s.add(a)
            s.flush()
            after = _assessment(a)
            audit.record(s, self._ctx, "update" if before else "create", "special_assessment", a.id,
                         summary=f"{f.name} 评估 {day}", before=before, after=after)
            return after

    def delete_assessment(self, assessment_id: int) -> None:
        with self._ctx.write() as s:
            a = get_row(s, SpecialAssessment, assessment_id, "评估记录")
            audit.record(s, self._ctx, "delete", "special_assessment", a.id, summary=f"删除评估 {a.assessed_on}",
                         before=_assessment(a))
            s.delete(a)

    # ---- placements -----------------------------------------------------------------------------------
    def placements(self, file_id: int) -> list[PlacementForm]:
        """The history, newest first (the first is the placement now)."""
        with self._ctx.read() as s:
            return [_placement(x) for x in s.scalars(
                select(SpecialPlacement).where(SpecialPlacement.file_id == file_id)
                .order_by(SpecialPlacement.since.desc(), SpecialPlacement.id.desc()))]

    def save_placement(self, form: PlacementForm) -> PlacementForm:
        """A new decision (form.id None) or the correction of one; the file's placement follows."""
        p: dict[str, str] = {}
        since = rules.day(form.since, "since", "安置日期", p, required=True)
        placement = rules.choice(form.placement, rules.PLACEMENTS, "placement", "安置方式", p)
        if not form.decided_by.strip():
            p["decided_by"] = "请填写由谁决定（如 县残疾人教育专家委员会）"
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            f = get_file(s, form.file_id)
            x = get_row(s, SpecialPlacement, form.id, "安置记录") if form.id else SpecialPlacement(file_id=f.id)
            if form.assessment_id is not None:
                a = get_row(s, SpecialAssessment, form.assessment_id, "评估记录")
                if a.file_id != f.id:
                    raise ValidationError({"assessment_id": "所选评估不是这名儿童的"})
            before = _placement(x) if form.id else None
            x.placement, x.since, x.decided_by = placement, since, form.decided_by.strip()
            x.place, x.assessment_id, x.reason = form.place.strip(), form.assessment_id, form.reason.strip()
            s.add(x)
            refresh_placement(s, f)
            after = _placement(x)
            audit.record(s, self._ctx, "update" if before else "create", "special_placement", x.id,
                         summary=f"{f.name} 安置 {placement}（{since}）", before=before, after=after)
            return after

    def delete_placement(self, placement_id: int) -> None:
        with self._ctx.write() as s:
            x = get_row(s, SpecialPlacement, placement_id, "安置记录")
            f = get_file(s, x.file_id)
            audit.record(s, self._ctx, "delete", "special_placement", x.id,
                         summary=f"{f.name} 删除安置记录 {x.placement}", before=_placement(x))
            s.delete(x)
            refresh_placement(s, f)

    # ---- 免于学习名册 --------------------------------------------------------------------------------
    def exemptions(self, file_id: int) -> list[ExemptionForm]:
        with self._ctx.read() as s:
            return [_exemption(x) for x in s.scalars(select(SpecialExemption).where(
                SpecialExemption.file_id == file_id).order_by(SpecialExemption.school_year.desc()))]

    def save_exemption(self, form: ExemptionForm) -> ExemptionForm:
        today, p = self._ctx.clock.today(), {}
        try:
            year = rules.parse_school_year(form.school_year)
        except ValueError as e:
            p["school_year"], year = str(e), ""
        dates = {k: rules.day(getattr(form, k), k, label, p, today=today) for k, label in (
            ("diagnosed_on", "诊断日期"), ("assessed_on", "评估日期"), ("applied_on", "申请日期"),
            ("approved_on", "审批日期"), ("reviewed_on", "复核日期"))}
        review_due = rules.day(form.review_due, "review_due", "复核到期日", p)
        if not form.hospital.strip() or not form.diagnosis.strip():
            p["diagnosis" if form.hospital.strip() else "hospital"] = "请填写诊断医院和诊断结论（免于学习须有医院诊断）"
        if not form.approved_by.strip():
            p["approved_by"] = "请填写审批单位（如 县教育局）"
        if dates["applied_on"] and dates["approved_on"] and dates["approved_on"] < dates["applied_on"]:
            p["approved_on"] = "审批日期不能早于监护人申请日期"
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            f = get_file(s, form.file_id)
            x = get_row(s, SpecialExemption, form.id, "免于学习记录") if form.id else SpecialExemption(file_id=f.id)
            clash = s.scalar(select(SpecialExemption.id).where(SpecialExemption.file_id == f.id,
                                                               SpecialExemption.school_year == year,
                                                               SpecialExemption.id != (x.id or 0)))
            if clash:
                raise ValidationError({"school_year": f"{f.name}已登记 {year} 学年的免于学习，请打开那一条修改"})
            before = _exemption(x) if form.id else None
            x.school_year, x.review_due = year, review_due or rules.year_end_review(year)
            for k in EXEMPTION_TEXT:
                setattr(x, k, getattr(form, k).strip())
            for k, v in dates.items():
                setattr(x, k, v)
            s.add(x)
            s.flush()
            after = _exemption(x)
            audit.record(s, self._ctx, "update" if before else "create", "special_exemption", x.id,
                         summary=f"{f.name} 免于学习 {year}", before=before, after=after)
            return after

    def delete_exemption(self, exemption_id: int) -> None:
        with self._ctx.write() as s:
            x = get_row(s, SpecialExemption, exemption_id, "免于学习记录")
            audit.record(s, self._ctx, "delete", "special_exemption", x.id, summary=f"删除免于学习 {x.school_year}",
                         before=_exemption(x))
            s.delete(x)

    def exemption_roll(self, school_year: str) -> list[ExemptionRow]:
        """The 免于学习名册 of a school year (full ID numbers: mask them to show or print)."""
        year = rules.parse_school_year(school_year)
        with self._ctx.read() as s:
            return [ExemptionRow(x.id, f.id, x.school_year, f.name, f.gender or "", f.id_number or "", f.category,
                                 f.grade, x.hospital, x.diagnosis, x.diagnosed_on, x.assessed_on, x.assessment_conclusion,
                                 x.applied_on, x.approved_by, x.approved_on, x.review_due, x.reviewed_on,
                                 x.review_result, _guardian(f))
                    for x, f in s.execute(select(SpecialExemption, SpecialFile).join(SpecialFile)
                                          .where(SpecialExemption.school_year == year).order_by(SpecialFile.name))]


def _guardian(f: SpecialFile) -> str:
    return f"{f.guardian_name}（{f.guardian_relation}）" if f.guardian_relation else f.guardian_name


def _assessment(a: SpecialAssessment) -> AssessmentForm:
    return AssessmentForm(a.id, a.file_id, a.assessed_on, *(getattr(a, k) or "" for k in ASSESSMENT_TEXT[:5]),
                          a.recommended or "", a.guardian_opinion or "", a.guardian_signed_on, a.next_review)


def _placement(x: SpecialPlacement) -> PlacementForm:
    return PlacementForm(x.id, x.file_id, x.placement, x.since, x.decided_by or "", x.place or "", x.assessment_id,
                         x.reason or "")


def _exemption(x: SpecialExemption) -> ExemptionForm:
    f = ExemptionForm(id=x.id, file_id=x.file_id, school_year=x.school_year)
    for fld in dataclasses.fields(ExemptionForm):
        if fld.name not in ("id", "file_id", "school_year"):
            v = getattr(x, fld.name)
            setattr(f, fld.name, v if v is not None or fld.name not in EXEMPTION_TEXT else "")
    return f
