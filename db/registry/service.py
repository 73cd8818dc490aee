"""The needy-student registry: students, households, school details."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session, sessionmaker

from db import enums
from db.changes import Changes
from db.registry.dto import FilterOptions, HouseholdChoice, HouseholdForm, OfficerChoice, SchoolInfo, StudentForm, StudentQuery, StudentRow
from db.errors import LedgerError, NotFound, ValidationError
from db.models import AuditLog, Household, LiaisonOfficer, School, Student, StudentCategory
from db.pinyin import pinyin_keys
from db.validators import (
    IdNumberError, check_bank_card, clean_text, mask_card, mask_id, mask_phone, normalize_phone,
    normalize_student_no, parse_id_number,
)

SORT_COLUMNS = {
    "name": Student.name_pinyin,
    "gender": Student.gender,
    "id_number": Student.id_number,
    "student_no": Student.student_no,
    "birth_date": Student.birth_date,
    "stage": Student.stage,
    "grade": Student.grade,
    "class_name": Student.class_name,
    "residence": Student.residence,
    "enrolment": Student.enrolment,
    "difficulty_level": Student.difficulty_level,
    "head_name": Household.head_name,
    "township": Household.township,
    "village": Household.village,
}
_ID_LIKE = re.compile(r"^\d{4,17}[\dX]?$")
_NO_LIKE = re.compile(r"^[GLJ][\dA-Z]{3,18}$")
_LETTERS = re.compile(r"^[a-z]{1,20}$")
_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·•A-Za-z]{1,30}$")


def _prefix_range(column, prefix: str):
    """`column LIKE 'prefix%'` written as a range so that SQLite uses the index."""
    return and_(column >= prefix, column < prefix + "\uffff")


def _prefix(column, prefix: str, *, narrow: bool):
    """A short prefix matches much of the table, where a scan beats the index: write it so that
    SQLite cannot use the index."""
    return _prefix_range(column, prefix) if narrow else func.substr(column, 1, len(prefix)) == prefix


class RegistryService:
    def __init__(self, session_factory: sessionmaker[Session]):
        self._sf = session_factory

    # ---- the list -------------------------------------------------------------------------------
    def _conditions(self, q: StudentQuery) -> list:
        conds = []
        text = clean_text(q.text)
        if text:
            upper = text.upper()
            if _ID_LIKE.match(upper):
                conds.append(_prefix(Student.id_number, upper, narrow=len(upper) >= 8))
            elif _NO_LIKE.match(upper):
                narrow = len(upper) >= 9
                cond = _prefix(Student.student_no, upper, narrow=narrow)
                if upper[0] == "G" and _ID_LIKE.match(upper[1:]):   # G + ID: the ID itself counts too
                    cond = or_(cond, _prefix(Student.id_number, upper[1:], narrow=narrow))
                conds.append(cond)
            elif _LETTERS.match(text.lower()):
                low = text.lower()
                conds.append(or_(_prefix_range(Student.name_initials, low),
                                 _prefix_range(Student.name_pinyin, low)))
            else:
                pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                hh = select(Household.id).where(or_(Household.head_name.like(pattern, escape="\\"),
                                                    Household.village.like(pattern, escape="\\")))
                conds.append(or_(Student.name.like(pattern, escape="\\"), Student.household_id.in_(hh)))
        for value, column in ((q.stage, Student.stage), (q.grade, Student.grade),
                              (q.class_name, Student.class_name), (q.enrolment, Student.enrolment),
                              (q.difficulty_level, Student.difficulty_level)):
            if value:
                conds.append(column == value)
        place = [c == v for c, v in ((Household.township, q.township), (Household.village, q.village)) if v]
        if place:
            conds.append(Student.household_id.in_(select(Household.id).where(*place)))
        if q.category:
            conds.append(Student.id.in_(select(StudentCategory.student_id)
                                        .where(StudentCategory.category == q.category)))
        return conds

    def count(self, q: StudentQuery) -> int:
        with self._sf() as s:
            return s.scalar(select(func.count(Student.id)).where(*self._conditions(q)))

    def page(self, q: StudentQuery, offset: int, limit: int) -> list[StudentRow]:
        """One page of the list, sorted and filtered in SQL.

        Measured on 100,000 students: walking the sort index while testing a filter, or looking
        rows up through a wide index range, costs 100-300 ms; a table scan with a top-N sort costs
        ~15 ms. So a filtered query sorts by an expression (no index walk), and filters that match
        much of the table are written so that they scan.
        """
        col = SORT_COLUMNS.get(q.sort, Student.name_pinyin)
        conds = self._conditions(q)
        key = func.coalesce(col, "") if conds else col
        order = [key.desc() if q.descending else key.asc(),
                 Student.id.desc() if q.descending else Student.id.asc()]
        ids_stmt = select(Student.id).where(*conds).order_by(*order).offset(offset).limit(limit)
        if col.table is Household.__table__:
            ids_stmt = ids_stmt.outerjoin(Household, Student.household_id == Household.id)
        with self._sf() as s:
            ids = list(s.scalars(ids_stmt))
            if not ids:
                return []
            rows = {st.id: (st, head, town, village) for st, head, town, village in s.execute(
                select(Student, Household.head_name, Household.township, Household.village)
                .outerjoin(Household, Student.household_id == Household.id).where(Student.id.in_(ids)))}
            cats: dict[int, list[str]] = {}
            for sid, cat in s.execute(select(StudentCategory.student_id, StudentCategory.category)
                                      .where(StudentCategory.student_id.in_(ids))):
                cats.setdefault(sid, []).append(cat)
            return [_row(*rows[i], cats.get(i, [])) for i in ids]

    def filter_options(self) -> FilterOptions:
        with self._sf() as s:
            def distinct(col):
                return [v for v in s.scalars(select(col).distinct().order_by(col)) if v]
            grades = distinct(Student.grade)
            order = {g: i for i, g in enumerate(g for gs in enums.GRADES.values() for g in gs)}
            grades.sort(key=lambda g: (order.get(g, 999), g))
            return FilterOptions(grades, distinct(Student.class_name), distinct(Household.township),
                                 distinct(Household.village))

    def search_json(self, text: str, limit: int = 50) -> list[dict]:
        return [dataclasses.asdict(r) for r in self.page(StudentQuery(text=text), 0, limit)]

    # ---- one student ----------------------------------------------------------------------------
    def get_student(self, student_id: int) -> StudentForm:
        with self._sf() as s:
            st = s.get(Student, student_id)
            if st is None:
                raise NotFound(f"找不到编号为 {student_id} 的学生，可能已被删除")
            return _form(st)

    def save_student(self, form: StudentForm, *, card_confirm: str | None = None) -> StudentForm:
        """Validate every field at once, then insert or update. Raises ValidationError."""
        clean, problems = _validate_student(form, card_confirm)
        with self._sf.begin() as s:
            if clean.id_number:
                other = s.scalar(select(Student).where(Student.id_number == clean.id_number,
                                                       Student.id != (clean.id or -1)))
                if other:
                    problems["id_number"] = f"该身份证号已登记为学生“{other.name}”（{other.grade}{other.class_name}）"
            if clean.student_no:
                other = s.scalar(select(Student).where(Student.student_no == clean.student_no,
                                                       Student.id != (clean.id or -1)))
                if other:
                    problems["student_no"] = f"该学籍号已登记为学生“{other.name}”"
            if clean.household_id is not None and s.get(Household, clean.household_id) is None:
                problems["household_id"] = "所选家庭已不存在，请重新选择"
            if problems:
                raise ValidationError(problems)
            if clean.id is None:
                st = Student()
                s.add(st)
                action = "create"
            else:
                st = s.get(Student, clean.id)
                if st is None:
                    raise NotFound("该学生已被删除，无法保存")
                action = "update"
            _apply(st, clean)
            s.flush()
            s.add(AuditLog(action=action, entity="student", entity_id=st.id,
                           summary=f"{st.name} {mask_id(st.id_number)}"))
            s.flush()
            return _form(st)

    def delete_student(self, student_id: int) -> Changes:
        """Delete with a full snapshot in the audit log, so nothing is silently lost."""
        with self._sf.begin() as s:
            st = s.get(Student, student_id)
            if st is None:
                raise NotFound("该学生已被删除")
            # aid payment lines keep the student (FK RESTRICT): say so instead of an IntegrityError
            if s.execute(text("SELECT 1 FROM disbursement WHERE student_id = :i LIMIT 1"), {"i": st.id}).first():
                raise LedgerError(f"{st.name}已有资助发放记录，发放台账须保留，不能删除；"
                                  "如已离校，请把学籍状态改为转出或毕业")
            snap = dataclasses.asdict(_form(st))
            s.add(AuditLog(action="delete", entity="student", entity_id=st.id,
                           summary=f"删除学生 {st.name} {mask_id(st.id_number)}",
                           snapshot=json.dumps(snap, ensure_ascii=False, default=str)))
            s.delete(st)
        return Changes(frozenset({"student"}), frozenset({student_id}))

    # ---- households -----------------------------------------------------------------------------
    def get_household(self, household_id: int) -> HouseholdForm:
        with self._sf() as s:
            hh = s.get(Household, household_id)
            if hh is None:
                raise NotFound(f"找不到编号为 {household_id} 的家庭")
            return _household_form(hh)

    def save_household(self, form: HouseholdForm) -> HouseholdForm:
        clean, problems = _validate_household(form)
        with self._sf.begin() as s:
            if clean.household_no:
                other = s.scalar(select(Household).where(Household.household_no == clean.household_no,
                                                         Household.id != (clean.id or -1)))
                if other:
                    problems["household_no"] = f"户编号已被“{other.head_name}”家使用"
            if problems:
                raise ValidationError(problems)
            if clean.id is None:
                hh = Household()
                s.add(hh)
            else:
                hh = s.get(Household, clean.id)
                if hh is None:
                    raise NotFound("该家庭已被删除，无法保存")
            for f in ("household_no", "head_name", "head_id_number", "township", "village", "group_name",
                      "address", "phone", "poverty_status", "poverty_exit_year", "liaison_officer_id",
                      "notes"):
                v = getattr(clean, f)
                setattr(hh, f, (v or None) if f in ("household_no", "head_id_number", "poverty_status")
                        else v)
            s.flush()
            s.add(AuditLog(action="update" if clean.id else "create", entity="household",
                           entity_id=hh.id, summary=hh.head_name))
            s.flush()
            return _household_form(hh)

    def delete_household(self, household_id: int) -> Changes:
        with self._sf.begin() as s:
            hh = s.get(Household, household_id)
            if hh is None:
                raise NotFound("该家庭已被删除")
            if hh.students:
                raise LedgerError(f"“{hh.head_name}”家还有 {len(hh.students)} 名学生，请先删除或移出这些学生")
            s.add(AuditLog(action="delete", entity="household", entity_id=hh.id,
                           summary=f"删除家庭 {hh.head_name}",
                           snapshot=json.dumps(dataclasses.asdict(_household_form(hh)),
                                               ensure_ascii=False, default=str)))
            s.delete(hh)
        return Changes(frozenset({"household"}), frozenset({household_id}))

    def find_households(self, text: str, limit: int = 30) -> list[HouseholdChoice]:
        text = clean_text(text)
        stmt = select(Household).order_by(Household.head_name).limit(limit)
        if text:
            pattern = f"%{text}%"
            stmt = stmt.where(or_(Household.head_name.like(pattern), Household.village.like(pattern),
                                  Household.household_no.like(pattern),
                                  _prefix_range(Household.head_id_number, text.upper())))
        with self._sf() as s:
            return [HouseholdChoice(h.id, _household_label(h)) for h in s.scalars(stmt)]

    def list_officers(self) -> list[OfficerChoice]:
        """Liaison officers (联络员) to choose from in the household form."""
        with self._sf() as s:
            return [OfficerChoice(o.id, f"{o.name}（{o.phone}）" if o.phone else o.name)
                    for o in s.scalars(select(LiaisonOfficer).order_by(LiaisonOfficer.name))]

    def household_label(self, household_id: int) -> str:
        with self._sf() as s:
            hh = s.get(Household, household_id)
            return _household_label(hh) if hh else ""


class SchoolService:
    def __init__(self, session_factory: sessionmaker[Session]):
        self._sf = session_factory

    def get(self) -> SchoolInfo | None:
        with self._sf() as s:
            sc = s.scalar(select(School).limit(1))
            if sc is None:
                return None
            return SchoolInfo(sc.name, sc.county, sc.township, [x for x in sc.stages.split(",") if x],
                              sc.code, sc.officer, sc.headmaster, sc.phone)

    def save(self, info: SchoolInfo) -> SchoolInfo:
        problems = {}
        if not info.name.strip():
            problems["name"] = "请填写学校名称"
        bad = [x for x in info.stages if x not in enums.values(enums.Stage)]
        if bad:
            problems["stages"] = f"未知学段：{'、'.join(bad)}"
        if not info.stages:
            problems["stages"] = "请至少选择一个学段"
        if info.phone.strip():
            try:
                normalize_phone(info.phone)
            except ValueError as e:
                problems["phone"] = str(e)
        if problems:
            raise ValidationError(problems)
        with self._sf.begin() as s:
            sc = s.scalar(select(School).limit(1)) or School()
            s.add(sc)
            sc.name, sc.county, sc.township = info.name.strip(), info.county.strip(), info.township.strip()
            sc.stages = ",".join(x for x in enums.values(enums.Stage) if x in info.stages)
            sc.code, sc.officer, sc.headmaster = info.code.strip(), info.officer.strip(), info.headmaster.strip()
            sc.phone = info.phone.strip()
        return self.get()

    def student_count(self) -> int:
        with self._sf() as s:
            return s.scalar(select(func.count(Student.id)))


# ---- helpers ------------------------------------------------------------------------------------
def _row(st: Student, head, town, village, cats: list[str]) -> StudentRow:
    return StudentRow(
        id=st.id, name=st.name, gender=st.gender or "", id_number=mask_id(st.id_number),
        student_no=(st.student_no[0] + mask_id(st.student_no[1:])) if st.student_no else "",
        birth_date=st.birth_date.strftime("%Y-%m") if st.birth_date else "",
        stage=st.stage or "", grade=st.grade, class_name=st.class_name, residence=st.residence or "",
        enrolment=st.enrolment, difficulty_level=st.difficulty_level or "", categories="、".join(cats),
        head_name=head or "", relation_to_head=st.relation_to_head, township=town or "",
        village=village or "", phone=mask_phone(st.phone), bank_name=st.bank_name,
        bank_card_no=mask_card(st.bank_card_no))


def _form(st: Student) -> StudentForm:
    f = StudentForm(id=st.id, household_id=st.household_id, categories=[c.category for c in st.categories])
    for fld in dataclasses.fields(StudentForm):
        if fld.name in ("id", "household_id", "categories"):
            continue
        v = getattr(st, fld.name)
        setattr(f, fld.name, v if v is not None or fld.name == "birth_date" else "")
    return f


def _apply(st: Student, f: StudentForm) -> None:
    nullable = {"id_number", "student_no", "stage", "residence", "study_location", "difficulty_level",
                "gender", "bank_card_no"}
    for fld in dataclasses.fields(StudentForm):
        if fld.name in ("id", "categories"):
            continue
        v = getattr(f, fld.name)
        setattr(st, fld.name, (v or None) if fld.name in nullable else v)
    st.name_pinyin, st.name_initials = pinyin_keys(f.name)
    wanted = set(f.categories)
    st.categories = [c for c in st.categories if c.category in wanted] + [
        StudentCategory(category=c) for c in sorted(wanted - {c.category for c in st.categories})]


def _validate_student(form: StudentForm, card_confirm: str | None) -> tuple[StudentForm, dict[str, str]]:
    f = dataclasses.replace(form, categories=list(dict.fromkeys(form.categories)))
    p: dict[str, str] = {}
    for name in ("name", "ethnicity", "grade", "class_name", "study_school", "bank_name", "card_holder",
                 "relation_to_head", "card_holder_relation"):
        setattr(f, name, str(getattr(f, name) or "").strip())
    if not f.name:
        p["name"] = "请填写姓名"
    elif not _NAME.match(f.name):
        p["name"] = "姓名只能包含汉字、字母和间隔号“·”"
    if f.id_number.strip():
        try:
            info = parse_id_number(f.id_number)
            f.id_number, f.birth_date, f.gender = info.number, info.birth_date, info.gender.value
        except IdNumberError as e:
            p["id_number"] = str(e)
    else:
        f.id_number = ""
    if f.student_no.strip():
        try:
            f.student_no = normalize_student_no(f.student_no, f.id_number or None)
        except ValueError as e:
            p["student_no"] = str(e)
    else:
        f.student_no = ""
    if not f.id_number and "id_number" not in p and not f.student_no.startswith(("L", "J")):
        p["id_number"] = "请填写身份证号（无身份证号的学生请填写 L 或 J 字头学籍号）"
    if f.gender and f.gender not in enums.values(enums.Gender):
        p["gender"] = "性别只能是男或女"
    if f.stage and f.stage not in enums.values(enums.Stage):
        p["stage"] = f"未知学段“{f.stage}”"
    elif f.stage and f.grade and f.grade not in enums.GRADES[enums.Stage(f.stage)]:
        p["grade"] = f"{f.stage}没有“{f.grade}”"
    if f.grade and not f.stage:
        p["stage"] = "填写了年级，请同时选择学段"
    if f.residence and f.residence not in enums.values(enums.Residence):
        p["residence"] = "请选择寄宿或走读"
    if f.enrolment not in enums.values(enums.Enrolment):
        p["enrolment"] = "请选择在校状态"
    if f.enrolment == enums.Enrolment.ELSEWHERE and not f.study_location:
        p["study_location"] = "在外就读的学生请选择就读地"
    if f.study_location and f.study_location not in enums.values(enums.StudyLocation):
        p["study_location"] = "就读地选项无效"
    if f.difficulty_level and f.difficulty_level not in enums.values(enums.DifficultyLevel):
        p["difficulty_level"] = "认定等级选项无效"
    bad = [c for c in f.categories if c not in enums.values(enums.Category)]
    if bad:
        p["categories"] = f"未知资助对象类别：{'、'.join(bad)}"
    if f.phone.strip():
        try:
            f.phone = normalize_phone(f.phone)
        except ValueError as e:
            p["phone"] = str(e)
    else:
        f.phone = ""
    if f.bank_card_no.strip():
        try:
            card = check_bank_card(f.bank_card_no)
            f.bank_card_no = card.number
            if not card.luhn_passed and clean_text(card_confirm or "").replace("-", "") != card.number:
                p["bank_card_no"] = "卡号未通过校验（可能录错一位）；如确认无误，请在“再次输入卡号”中再输入一次"
        except ValueError as e:
            p["bank_card_no"] = str(e)
        if not f.bank_name:
            p["bank_name"] = "填写了银行卡号，请选择开户银行"
        if not f.card_holder:
            p["card_holder"] = "请填写持卡人姓名"
    else:
        f.bank_card_no = ""
    return f, p


def _validate_household(form: HouseholdForm) -> tuple[HouseholdForm, dict[str, str]]:
    f = dataclasses.replace(form)
    p: dict[str, str] = {}
    for name in ("household_no", "head_name", "township", "village", "group_name", "address", "notes"):
        setattr(f, name, str(getattr(f, name) or "").strip())
    f.household_no = clean_text(f.household_no)
    if not f.head_name:
        p["head_name"] = "请填写户主姓名"
    elif not _NAME.match(f.head_name):
        p["head_name"] = "姓名只能包含汉字、字母和间隔号“·”"
    if f.head_id_number.strip():
        try:
            f.head_id_number = parse_id_number(f.head_id_number).number
        except IdNumberError as e:
            p["head_id_number"] = f"户主{e}"
    else:
        f.head_id_number = ""
    if f.phone.strip():
        try:
            f.phone = normalize_phone(f.phone)
        except ValueError as e:
            p["phone"] = str(e)
    else:
        f.phone = ""
    if f.poverty_status and f.poverty_status not in enums.values(enums.PovertyStatus):
        p["poverty_status"] = "建档立卡类型选项无效"
    if f.poverty_exit_year is not None and not 2013 <= f.poverty_exit_year <= dt.date.today().year:
        p["poverty_exit_year"] = f"脱贫年度应在 2013 年至 {dt.date.today().year} 年之间"
    if f.poverty_exit_year and f.poverty_status not in (enums.PovertyStatus.OUT, enums.PovertyStatus.MONITORED):
        p["poverty_exit_year"] = "只有脱贫户（或监测户）才填写脱贫年度"
    return f, p


def _household_form(hh: Household) -> HouseholdForm:
    return HouseholdForm(
        id=hh.id, household_no=hh.household_no or "", head_name=hh.head_name,
        head_id_number=hh.head_id_number or "", township=hh.township, village=hh.village,
        group_name=hh.group_name, address=hh.address, phone=hh.phone,
        poverty_status=hh.poverty_status or "", poverty_exit_year=hh.poverty_exit_year,
        liaison_officer_id=hh.liaison_officer_id, notes=hh.notes,
        children=[(c.id, c.name, f"{c.grade}{c.class_name}") for c in hh.students])


def _household_label(hh: Household) -> str:
    place = " ".join(x for x in (hh.township, hh.village, hh.group_name) if x)
    no = f"，户编号 {hh.household_no}" if hh.household_no else ""
    return f"{hh.head_name}（{place}{no}）"
