"""Data for the special-needs ledger's printed documents (db/special/pdf.py), one session per call, and
the document kinds they make. A selection names files by their own ids (`record_ids`, the page's
current file), by students (their files), by households, or all open files.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.context import ServiceContext
from db.docs.kinds import DocKind, Selection
from db.docs.render import FORM, FORM_LANDSCAPE, Section
from db.errors import LedgerError, NotFound
from db.models.registry import Student
from db.models.special import (
    SpecialAssessment,
    SpecialAttachment,
    SpecialAttachmentData,
    SpecialExemption,
    SpecialFile,
    SpecialHomeVisit,
    SpecialPlacement,
    SpecialPlan,
    SpecialPlanGoal,
)
from db.registry.selection import school_facts
from db.special import media, rules
from db.special.common import visit_settings, where_text
from db.special.pdf import (
    Child,
    Entry,
    ExemptRoll,
    FileRecord,
    PlanSheet,
    TermVisits,
    VisitSheet,
    exempt_roll,
    file_record,
    plan_sheet,
    term_visits,
    visit_sheet,
)
from db.terms import Term, parse_term, term_of
from db.validators import mask_id, mask_phone


def _d(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def files_of(s: Session, sel: Selection) -> list[SpecialFile]:
    """The files a selection names, by name; LedgerError when it names none."""
    stmt = select(SpecialFile)
    if sel.record_ids:
        stmt = stmt.where(SpecialFile.id.in_(sel.record_ids))
    elif sel.student_ids:
        stmt = stmt.where(SpecialFile.student_id.in_(sel.student_ids))
    elif sel.household_ids:
        stmt = stmt.where(SpecialFile.student_id.in_(select(Student.id).where(Student.household_id.in_(sel.household_ids))))
    elif sel.all:
        stmt = stmt.where(SpecialFile.closed_on.is_(None))
    else:
        raise LedgerError("请指定打印范围：档案、学生或全部（--record / --student / --all）")
    files = list(s.scalars(stmt.order_by(SpecialFile.name, SpecialFile.id)))
    if not files:
        raise NotFound("所选范围内没有残疾儿童档案")
    return files


def child_of(s: Session, school: str, f: SpecialFile) -> Child:
    st = s.get(Student, f.student_id) if f.student_id else None
    birth = f.birth_date
    guardian = f"{f.guardian_name}（{f.guardian_relation}）" if f.guardian_relation else f.guardian_name
    return Child(school, f.name, f.gender or "", f"{birth.year}年{birth.month}月" if birth else "", mask_id(f.id_number),
                 where_text(st, f), rules.CATEGORY_LABELS.get(f.category, f.category), f.grade,
                 mask_id(f.card_no) if f.card_no else "未办证", guardian, mask_phone(f.guardian_phone), f.address,
                 f.placement, {True: "是", False: "否"}.get(f.registered_poor, "未知"))


# ---- 残疾儿童少年安置档案 ------------------------------------------------------------------------
def file_records(ctx: ServiceContext, sel: Selection) -> list[FileRecord]:
    with ctx.read() as s:
        school = school_facts(s).name
        return [_record(s, school, f, sel) for f in files_of(s, sel)]


def _record(s: Session, school: str, f: SpecialFile, sel: Selection) -> FileRecord:
    assessments = list(s.scalars(select(SpecialAssessment).where(SpecialAssessment.file_id == f.id)
                                 .order_by(SpecialAssessment.assessed_on, SpecialAssessment.id)))
    placements = list(s.scalars(select(SpecialPlacement).where(SpecialPlacement.file_id == f.id)
                                .order_by(SpecialPlacement.since, SpecialPlacement.id)))
    a_rows = [[_d(a.assessed_on), "；".join(x for x in (a.physical, a.learning, a.adaptability) if x), a.conclusion,
               a.recommended, a.guardian_opinion + (f"（{_d(a.guardian_signed_on)}签字）" if a.guardian_signed_on else ""),
               _d(a.next_review)] for a in assessments]
    p_rows = [[_d(p.since), p.placement, p.place, p.decided_by, p.reason] for p in placements]
    entries = [Entry("残疾儿童少年安置档案封面", _d(f.created_at)), Entry("基本情况及安置记录", "")]
    entries += [Entry("残疾人教育专家委员会评估意见", _d(a.assessed_on), a.recommended) for a in assessments]
    entries += [Entry(f"安置决定（{p.placement}）", _d(p.since), p.decided_by) for p in placements]
    entries += [Entry(f"个别化教育方案（{Term.from_key(k).label}）", _d(d)) for k, d in s.execute(
        select(SpecialPlan.term_key, SpecialPlan.made_on).where(SpecialPlan.file_id == f.id).order_by(SpecialPlan.term_key))]
    for key, n in _visit_terms(s, f.id):
        entries.append(Entry(f"送教上门记录表（{Term.from_key(key).label}）", "", f"{n} 次"))
    entries += [Entry(f"免于学习申请及审批材料（{y}学年）", _d(d)) for y, d in s.execute(
        select(SpecialExemption.school_year, SpecialExemption.approved_on).where(SpecialExemption.file_id == f.id)
        .order_by(SpecialExemption.school_year))]
    entries += [Entry(f"{kind}：{name}", _d(day), note[:20]) for kind, name, day, note in s.execute(
        select(SpecialAttachment.kind, SpecialAttachment.filename, SpecialAttachment.doc_date, SpecialAttachment.note)
        .where(SpecialAttachment.file_id == f.id, SpecialAttachment.visit_id.is_(None))
        .order_by(SpecialAttachment.doc_date, SpecialAttachment.id))]
    return FileRecord(child_of(s, school, f), a_rows, p_rows, entries, f"TJ{f.id:05d}",
                      f.created_at.date() if f.created_at else None, sel.today_or_now)


def _visit_terms(s: Session, file_id: int) -> list[tuple[int, int]]:
    counts: dict[int, int] = {}
    for key in s.scalars(select(SpecialHomeVisit.term_key).where(SpecialHomeVisit.file_id == file_id)):
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())


# ---- 个别化教育方案 ------------------------------------------------------------------------------
def plan_sheets(ctx: ServiceContext, sel: Selection) -> list[PlanSheet]:
    """Each selected file's plan of `sel.term`, or its newest plan when no term is given."""
    with ctx.read() as s:
        school = school_facts(s).name
        out = []
        for f in files_of(s, sel):
            stmt = select(SpecialPlan).where(SpecialPlan.file_id == f.id)
            if sel.term:
                stmt = stmt.where(SpecialPlan.term_key == parse_term(sel.term).key)
            plan = s.scalar(stmt.order_by(SpecialPlan.term_key.desc()).limit(1))
            if plan is None:
                continue
            goals = [[g.area, g.goal, g.measures, g.teacher, g.result] for g in s.scalars(
                select(SpecialPlanGoal).where(SpecialPlanGoal.plan_id == plan.id).order_by(SpecialPlanGoal.position))]
            out.append(PlanSheet(child_of(s, school, f), Term.from_key(plan.term_key).label, plan.made_on, plan.teachers,
                                 plan.baseline, goals, plan.review_on, plan.reviewed_on, plan.review_notes))
        if not out:
            raise NotFound("所选儿童" + (f"在{parse_term(sel.term).label}" if sel.term else "") + "还没有个别化教育方案")
        return out


# ---- 送教上门记录表 ------------------------------------------------------------------------------
def _term(sel: Selection) -> Term:
    return parse_term(sel.term) if sel.term else term_of(sel.today_or_now)


def visit_sheets(ctx: ServiceContext, sel: Selection) -> list[VisitSheet]:
    """One sheet per visit of the term, with the visit's photos (checked against their hash)."""
    term = _term(sel)
    with ctx.read() as s:
        school = school_facts(s).name
        out = []
        for f in files_of(s, sel):
            child = child_of(s, school, f)
            visits = s.scalars(select(SpecialHomeVisit).where(SpecialHomeVisit.file_id == f.id,
                                                              SpecialHomeVisit.term_key == term.key)
                               .order_by(SpecialHomeVisit.visit_date, SpecialHomeVisit.id))
            for n, v in enumerate(visits, 1):
                out.append(VisitSheet(child, term.label, v.visit_date, f"{v.teacher1}、{v.teacher2}".strip("、"),
                                      v.minutes, v.content, v.progress, v.parent_remarks, v.parent_signed, n,
                                      _photos(s, v.id)))
        if not out:
            raise NotFound(f"所选儿童在{term.label}没有送教上门记录")
        return out


def _photos(s: Session, visit_id: int) -> list[bytes]:
    rows = s.execute(select(SpecialAttachmentData.data, SpecialAttachment.sha256)
                     .join(SpecialAttachment, SpecialAttachment.id == SpecialAttachmentData.attachment_id)
                     .where(SpecialAttachment.visit_id == visit_id, SpecialAttachment.mime == "image/jpeg")
                     .order_by(SpecialAttachment.id).limit(2))
    return [data for data, digest in rows if media.sha256(data) == digest]


def term_visit_sheets(ctx: ServiceContext, sel: Selection) -> list[TermVisits]:
    """Per child placed 送教上门 (or visited in the term): the term's visits in one table."""
    term = _term(sel)
    as_of = min(sel.today_or_now, rules.term_span(term)[1])
    with ctx.read() as s:
        school, every = school_facts(s).name, visit_settings(s).every_days
        out = []
        for f in files_of(s, sel):
            visits = list(s.scalars(select(SpecialHomeVisit).where(SpecialHomeVisit.file_id == f.id,
                                                                   SpecialHomeVisit.term_key == term.key)
                                    .order_by(SpecialHomeVisit.visit_date, SpecialHomeVisit.id)))
            if not visits and f.placement != rules.HOME:
                continue
            n = f.visit_every_days or every
            rows = [[str(i), _d(v.visit_date), f"{v.teacher1}、{v.teacher2}".strip("、"), str(v.minutes), v.content,
                     v.progress, {True: "已签", False: "未签"}.get(v.parent_signed, "")] for i, v in enumerate(visits, 1)]
            expected = rules.expected_visits(term, f.placement_since, as_of, n) if f.placement == rules.HOME else len(rows)
            out.append(TermVisits(child_of(s, school, f), term.label, n, rows, sum(v.minutes for v in visits),
                                  expected, sel.today_or_now))
        if not out:
            raise NotFound(f"所选儿童在{term.label}没有送教上门安置或记录")
        return out


# ---- 免于学习名册 --------------------------------------------------------------------------------
def exempt_rolls(ctx: ServiceContext, sel: Selection) -> ExemptRoll:
    year = _term(sel).school_year
    with ctx.read() as s:
        school = school_facts(s).name
        stmt = select(SpecialExemption, SpecialFile).join(SpecialFile).where(SpecialExemption.school_year == year)
        if sel.record_ids or sel.student_ids or sel.household_ids:
            stmt = stmt.where(SpecialFile.id.in_([f.id for f in files_of(s, sel)]))
        rows = []
        for i, (x, f) in enumerate(s.execute(stmt.order_by(SpecialFile.name)), 1):
            review = f"{_d(x.reviewed_on)} {x.review_result}".strip() or f"应于 {_d(x.review_due)} 前复核"
            rows.append([str(i), f.name, f.gender or "", mask_id(f.id_number), f"{f.category}{f.grade}", x.hospital,
                         x.diagnosis, _d(x.diagnosed_on), f"{_d(x.assessed_on)} {x.assessment_conclusion}".strip(),
                         _d(x.applied_on), f"{x.approved_by} {_d(x.approved_on)}".strip(), review])
        return ExemptRoll(school, year, rows, sel.today_or_now)


# ---- sections and kinds -------------------------------------------------------------------------
def file_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, r=r: file_record(kit, r), FORM, f"{r.child.school}　残疾儿童少年安置档案")
            for r in file_records(ctx, sel)]


def plan_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, p=p: plan_sheet(kit, p), FORM, f"{p.child.school}　个别化教育方案")
            for p in plan_sheets(ctx, sel)]


def visit_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, v=v: visit_sheet(kit, v), FORM, f"{v.child.school}　送教上门记录表")
            for v in visit_sheets(ctx, sel)]


def term_visit_sections(ctx, sel: Selection) -> list[Section]:
    return [Section(lambda kit, t=t: term_visits(kit, t), FORM_LANDSCAPE, f"{t.child.school}　送教上门学期记录表")
            for t in term_visit_sheets(ctx, sel)]


def exempt_sections(ctx, sel: Selection) -> list[Section]:
    r = exempt_rolls(ctx, sel)
    return [Section(lambda kit: exempt_roll(kit, r), FORM_LANDSCAPE, f"{r.school}　免于学习名册")]


SCOPES = frozenset({"record", "student", "household", "all"})
KINDS = [
    DocKind("special-file", "残疾儿童少年安置档案",
            "档案、学生、家庭或全部；每名儿童一份（封面、卷内目录、基本情况及安置记录）", file_sections, scopes=SCOPES),
    DocKind("special-iep", "个别化教育方案", "档案、学生或全部；可指定学期（默认最新一份）", plan_sections, scopes=SCOPES),
    DocKind("special-visit", "送教上门记录表", "学期（默认本学期）；档案、学生或全部；每次送教一页，附照片",
            visit_sections, scopes=SCOPES | {"term"}),
    DocKind("special-visits", "送教上门学期记录表", "学期（默认本学期）；档案、学生或全部；每名儿童一份",
            term_visit_sections, scopes=SCOPES | {"term"}),
    DocKind("special-exempt", "免于学习名册", "学期或学年（定学年，默认本学年）；全部，或按档案、学生",
            exempt_sections, scopes=SCOPES | {"term"}),
]
