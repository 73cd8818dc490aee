"""The files themselves: the list (filtered), one file's child tab, new files for a student or a child
from the county's list, deletion, and the 送教上门 frequency setting."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from db import audit
from db.context import ServiceContext
from db.errors import LedgerError, NotFound, ValidationError
from db.models.core import Setting
from db.models.exchange import CountyList, CountyListEntry
from db.models.registry import Household, Student, StudentCategory
from db.models.special import SpecialAttachment, SpecialFile
from db.pinyin import pinyin_keys
from db.query import like_pattern, prefix_range
from db.special import rules
from db.special.common import address_of, alerts_of, gather_facts, get_file, visit_settings, where_text
from db.special.dto import ChildChoice, FileForm, FileQuery, FileRow, VisitSettings
from db.terms import term_of
from db.validators import (
    DisabilityCardError,
    IdNumberError,
    clean_text,
    mask_id,
    normalize_phone,
    parse_disability_card,
    parse_id_number,
)

SNAPSHOT_FIELDS = ("student_id", "county_entry_id", "name", "id_number", "gender", "birth_date", "address",
                   "category", "grade", "card_no", "card_issued_on", "guardian_name", "guardian_relation",
                   "guardian_phone", "registered_poor", "visit_every_days", "closed_on", "closed_reason", "notes")


class FilesMixin:
    _ctx: ServiceContext

    # ---- the list -----------------------------------------------------------------------------------
    def list_files(self, q: FileQuery | None = None, *, today: dt.date | None = None) -> list[FileRow]:
        q = q or FileQuery()
        today = today or self._ctx.clock.today()
        term, year = term_of(today), rules.school_year_of(today)
        stmt = select(SpecialFile, Student).outerjoin(Student, Student.id == SpecialFile.student_id)
        if q.category:
            stmt = stmt.where(SpecialFile.category == q.category)
        if q.placement:
            stmt = stmt.where(SpecialFile.placement == q.placement)
        if not q.include_closed:
            stmt = stmt.where(SpecialFile.closed_on.is_(None))
        text = clean_text(q.text).upper()
        if text:
            stmt = stmt.where(or_(SpecialFile.name.like(like_pattern(text), escape="\\"),
                                  prefix_range(SpecialFile.id_number, text)))
        with self._ctx.read() as s:
            every = visit_settings(s).every_days
            found = list(s.execute(stmt))
            facts = gather_facts(s, [f.id for f, _ in found], term, year)
            rows = []
            for f, st in found:
                fa = facts[f.id]
                alerts = alerts_of(f, fa, term, today, f.visit_every_days or every)
                kinds = {k for k, _t, _d in alerts}
                if q.review_due and not kinds & {"复评", "方案复查", "免于学习复核"}:
                    continue
                if q.visit_due and not kinds & {"送教逾期", "送教到期"}:
                    continue
                order = st.name_pinyin if st is not None and st.name_pinyin else pinyin_keys(f.name)[0]
                rows.append(((f.closed_on is not None, order, f.id), _row(f, st, fa, alerts)))
        rows.sort(key=lambda kr: kr[0])
        return [r for _k, r in rows]

    def file_counts(self) -> dict[str, int]:
        """Open files per placement (for the page's summary line)."""
        with self._ctx.read() as s:
            out: dict[str, int] = {}
            for p in s.scalars(select(SpecialFile.placement).where(SpecialFile.closed_on.is_(None))):
                out[p] = out.get(p, 0) + 1
            return out

    # ---- one file ---------------------------------------------------------------------------------
    def get_file(self, file_id: int) -> FileForm:
        with self._ctx.read() as s:
            return _form(s, get_file(s, file_id))

    def file_for_student(self, student_id: int) -> int | None:
        """The id of the student's file, if there is one (for other ledgers' screens)."""
        with self._ctx.read() as s:
            return s.scalar(select(SpecialFile.id).where(SpecialFile.student_id == student_id))

    def find_children(self, text: str, limit: int = 30) -> list[ChildChoice]:
        """Children a new file can be opened for: students on the roll and children on the county's
        lists who are not at school — by name or ID number prefix; those with a file are left out."""
        t = clean_text(text).upper()
        if not t:
            return []
        has_file = select(SpecialFile.student_id).where(SpecialFile.student_id.is_not(None))
        filed_ids = select(SpecialFile.id_number).where(SpecialFile.id_number.is_not(None))
        with self._ctx.read() as s:
            cond = prefix_range(Student.id_number, t) if t[:1].isdigit() else \
                Student.name.like(like_pattern(t), escape="\\")
            out = [ChildChoice(f"s:{i}", f"{n}（{mask_id(idn)}，{g}{c}，在册学生）") for i, n, idn, g, c in s.execute(
                select(Student.id, Student.name, Student.id_number, Student.grade, Student.class_name)
                .where(cond, Student.id.not_in(has_file)).order_by(Student.name_pinyin).limit(limit))]
            at_school = select(Student.id_number).where(Student.id_number.is_not(None))
            ccond = prefix_range(CountyListEntry.id_number, t) if t[:1].isdigit() else \
                CountyListEntry.name.like(like_pattern(t), escape="\\")
            seen = set()
            for e, kind in s.execute(select(CountyListEntry, CountyList.kind).join(CountyList)
                                     .where(ccond, CountyListEntry.id_number.not_in(at_school),
                                            CountyListEntry.id_number.not_in(filed_ids))
                                     .order_by(CountyList.list_date.desc()).limit(limit)):
                if e.id_number not in seen:
                    seen.add(e.id_number)
                    label = f"{e.name}（{mask_id(e.id_number)}，{e.village}，{kind}，未在本校）"
                    out.append(ChildChoice(f"c:{e.id}", label))
            return out[:limit]

    def draft_file(self, key: str) -> FileForm:
        """A new file's child tab filled from a student ('s:12') or a county list entry ('c:34')."""
        kind, _, raw = key.partition(":")
        with self._ctx.read() as s:
            if kind == "s":
                st = s.get(Student, int(raw))
                if st is None:
                    raise NotFound("该学生已被删除")
                hh = s.get(Household, st.household_id) if st.household_id else None
                cats = set(s.scalars(select(StudentCategory.category).where(StudentCategory.student_id == st.id)))
                return FileForm(student_id=st.id, name=st.name, id_number=st.id_number or "", gender=st.gender or "",
                                birth_date=st.birth_date, address=address_of(hh),
                                guardian_name=hh.head_name if hh else "", guardian_phone=hh.phone if hh else "",
                                registered_poor=True if "建档立卡" in cats or (hh and hh.poverty_status) else None,
                                source=where_text(st, SpecialFile()))
            e = s.get(CountyListEntry, int(raw)) if kind == "c" else None
            if e is None:
                raise NotFound("该名单记录已被删除")
            info = parse_id_number(e.id_number)
            return FileForm(county_entry_id=e.id, name=e.name, id_number=e.id_number, gender=info.gender.value,
                            birth_date=info.birth_date, address=" ".join(x for x in (e.township, e.village) if x),
                            guardian_name=e.head_name, registered_poor=True if "建档立卡" in e.categories else None,
                            source="县名单（未入学）")

    def save_file(self, form: FileForm) -> FileForm:
        today = self._ctx.clock.today()
        with self._ctx.write() as s:
            f = get_file(s, form.id) if form.id else SpecialFile()
            before = _snapshot(f) if form.id else None
            _apply(s, f, form, today)
            _refuse_second_file(s, f)
            s.add(f)
            s.flush()
            after = _snapshot(f)
            audit.record(s, self._ctx, "update" if before else "create", "special_file", f.id,
                         summary=f"残疾儿童档案 {f.name} {mask_id(f.id_number)}", before=before, after=after)
            return _form(s, f)

    def delete_file(self, file_id: int) -> None:
        """Delete a file with everything in it (assessments, visits, attachments); the audit log keeps
        a snapshot. A file with attachments is closed rather than deleted unless it has none."""
        with self._ctx.write() as s:
            f = get_file(s, file_id)
            n = s.scalar(select(SpecialAttachment.id).where(SpecialAttachment.file_id == f.id).limit(1))
            if n:
                raise LedgerError(f"{f.name}的档案中有附件，不能直接删除；如已离开本地，请填写结案日期和原因，"
                                  "或先逐个删除附件")
            audit.record(s, self._ctx, "delete", "special_file", f.id, summary=f"删除残疾儿童档案 {f.name}",
                         before=_snapshot(f))
            s.delete(f)

    # ---- settings ---------------------------------------------------------------------------------
    def visit_settings(self) -> VisitSettings:
        with self._ctx.read() as s:
            return visit_settings(s)

    def set_visit_settings(self, every_days: int, minutes: int) -> VisitSettings:
        p = {}
        if not isinstance(every_days, int) or not 1 <= every_days <= 60:
            p["every_days"] = "送教频次应为每 1–60 天一次"
        if not isinstance(minutes, int) or not 10 <= minutes <= 480:
            p["minutes"] = "每次送教时长应为 10–480 分钟"
        if p:
            raise ValidationError(p)
        with self._ctx.write() as s:
            before = visit_settings(s)
            for key, value in ((rules.VISIT_EVERY_KEY, every_days), (rules.VISIT_MINUTES_KEY, minutes)):
                row = s.get(Setting, key) or Setting(key=key)
                row.value = str(value)
                s.add(row)
            after = VisitSettings(every_days, minutes)
            audit.record(s, self._ctx, "settings", "setting", None, summary="送教上门频次", before=before, after=after)
            return after


# ---- helpers ------------------------------------------------------------------------------------------
def _row(f: SpecialFile, st: Student | None, fa, alerts) -> FileRow:
    return FileRow(
        f.id, f.student_id, st.name if st else f.name, (st.gender if st else f.gender) or "",
        mask_id(st.id_number if st else f.id_number), where_text(st, f), f.category, f.grade,
        {True: "是", False: "否"}.get(f.registered_poor, ""), f.placement,
        f"{f.placement_since:%Y-%m-%d}" if f.placement_since else "",
        f"{fa.next_review:%Y-%m-%d}" if fa.next_review else "", fa.visits_term,
        f"{fa.last_visit:%Y-%m-%d}" if fa.last_visit else "", "；".join(t for _k, t, _d in alerts),
        f.closed_on is not None)


def _snapshot(f: SpecialFile) -> dict:
    return {k: getattr(f, k) for k in SNAPSHOT_FIELDS}


def _form(s, f: SpecialFile) -> FileForm:
    st = s.get(Student, f.student_id) if f.student_id else None
    form = FileForm(**{k: ("" if getattr(f, k) is None and k in _TEXT else getattr(f, k)) for k in SNAPSHOT_FIELDS})
    form.id, form.placement, form.placement_since = f.id, f.placement, f.placement_since
    form.source = where_text(st, f) if st or f.student_id is None else "学生已删除"
    if f.county_entry_id and st is None:
        e = s.get(CountyListEntry, f.county_entry_id)
        cl = s.get(CountyList, e.list_id) if e else None
        form.source = f"县名单：{cl.kind}（{cl.list_date:%Y-%m-%d}）" if cl else form.source
    return form


_TEXT = {"id_number", "gender", "card_no"}


def _apply(s, f: SpecialFile, form: FileForm, today: dt.date) -> None:
    """Check the form (every problem at once) and write it into `f`."""
    p: dict[str, str] = {}
    name, idn, gender, birth = _child(s, form, p, today)
    category = rules.choice(form.category, rules.CATEGORIES, "category", "残疾类别", p)
    grade = rules.choice(form.grade, rules.GRADES, "grade", "残疾等级", p, required=False)
    card = clean_text(form.card_no).upper()
    if card:
        try:
            card = parse_disability_card(card, id_number=idn or None, category=category or None,
                                         grade=grade or None).number
        except DisabilityCardError as e:
            p["card_no"] = str(e)
    issued = rules.day(form.card_issued_on, "card_issued_on", "发证日期", p, today=today)
    phone = clean_text(form.guardian_phone)
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValueError as e:
            p["guardian_phone"] = str(e)
    every = form.visit_every_days
    if every is not None and (not isinstance(every, int) or not 1 <= every <= 60):
        p["visit_every_days"] = "送教频次应为每 1–60 天一次（留空则用统一设置）"
    closed = rules.day(form.closed_on, "closed_on", "结案日期", p, today=today)
    if closed and not form.closed_reason.strip():
        p["closed_reason"] = "请填写结案原因（如 迁出本地、年满十六周岁、已入学）"
    if p:
        raise ValidationError(p)
    values = dict(student_id=form.student_id, county_entry_id=form.county_entry_id, name=name, id_number=idn or None,
                  gender=gender or None, birth_date=birth, address=form.address.strip(), category=category, grade=grade,
                  card_no=card or None, card_issued_on=issued, guardian_name=clean_text(form.guardian_name),
                  guardian_relation=form.guardian_relation.strip(), guardian_phone=phone,
                  registered_poor=form.registered_poor, visit_every_days=every, closed_on=closed,
                  closed_reason=form.closed_reason.strip() if closed else "", notes=form.notes.strip())
    for k, v in values.items():
        setattr(f, k, v)
    if f.placement is None:
        f.placement = rules.PENDING


def _child(s, form: FileForm, p: dict[str, str], today: dt.date) -> tuple[str, str, str, dt.date | None]:
    """(name, ID number, gender, birth date): a student's from the roll, else as typed (the ID number
    decides gender and birth date when given)."""
    st = s.get(Student, form.student_id) if form.student_id else None
    if form.student_id and st is None:
        raise NotFound("该学生已被删除")
    if st is not None:
        return st.name, st.id_number or "", st.gender or "", st.birth_date
    name, gender = clean_text(form.name), form.gender or ""
    idn, birth = _id(form.id_number, p), rules.day(form.birth_date, "birth_date", "出生日期", p, today=today)
    if not name:
        p["name"] = "请填写儿童姓名"
    if idn:
        info = parse_id_number(idn)
        gender, birth = info.gender.value, info.birth_date
    return name, idn, gender, birth


def _refuse_second_file(s, f: SpecialFile) -> None:
    """One file per child: per student and per ID number (the unique indexes, said in Chinese)."""
    conds = [SpecialFile.student_id == f.student_id] if f.student_id else []
    conds += [SpecialFile.id_number == f.id_number] if f.id_number else []
    if conds:
        with s.no_autoflush:
            other = s.scalar(select(SpecialFile.name).where(or_(*conds), SpecialFile.id != (f.id or 0)))
        if other is not None:
            raise ValidationError({"name": f"{other}已有档案：同一名儿童只能建一份档案，请在列表中打开它"})


def _id(raw: str, p: dict[str, str]) -> str:
    if not clean_text(raw):
        return ""
    try:
        return parse_id_number(raw).number
    except IdNumberError as e:
        p["id_number"] = str(e)
        return ""


