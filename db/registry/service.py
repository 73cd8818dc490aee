"""The needy-student registry: the student list (filtered and sorted in SQL), one student's form, and
households (db.registry.households). Validation rules live in db.registry.rules."""
from __future__ import annotations

import dataclasses
import re

from sqlalchemy import func, or_, select

from db import audit, enums
from db.access.guard import own_students, require_own_student
from db.access.roles import Perm, PermissionDenied, classes_text, require
from db.changes import Changes
from db.context import ServiceContext
from db.errors import LedgerError, NotFound, ValidationError
from db.models.aid import Disbursement
from db.models.registry import Household, Student, StudentCategory
from db.pinyin import pinyin_keys
from db.query import like_pattern, prefix_match, prefix_range
from db.registry.assessments import AssessmentsMixin
from db.registry.dto import FilterOptions, StudentForm, StudentQuery, StudentRow
from db.registry.households import HouseholdsMixin
from db.registry.rules import validate_student
from db.registry.selection import student_condition
from db.validators import clean_text, mask_card, mask_id, mask_phone

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


class RegistryService(HouseholdsMixin, AssessmentsMixin):
    """Students (the list, search, the form), households (HouseholdsMixin) and the 认定 history
    (AssessmentsMixin)."""

    def __init__(self, ctx: ServiceContext):
        self._ctx = ctx

    # ---- the list -------------------------------------------------------------------------------
    def _conditions(self, q: StudentQuery) -> list:
        conds = []
        text = clean_text(q.text)
        if text:
            upper = text.upper()
            if _ID_LIKE.match(upper):
                conds.append(prefix_match(Student.id_number, upper, narrow=len(upper) >= 8))
            elif _NO_LIKE.match(upper):
                narrow = len(upper) >= 9
                cond = prefix_match(Student.student_no, upper, narrow=narrow)
                if upper[0] == "G" and _ID_LIKE.match(upper[1:]):   # G + ID: the ID itself counts too
                    cond = or_(cond, prefix_match(Student.id_number, upper[1:], narrow=narrow))
                conds.append(cond)
            elif _LETTERS.match(text.lower()):
                low = text.lower()
                conds.append(or_(prefix_range(Student.name_initials, low),
                                 prefix_range(Student.name_pinyin, low)))
            else:
                pattern = like_pattern(text)
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
        own = own_students(self._ctx.actor)
        if own is not None:                  # a 班主任/录入员 lists the students of their own classes
            conds.append(own)
        return conds

    def count(self, q: StudentQuery) -> int:
        with self._ctx.read() as s:
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
        with self._ctx.read() as s:
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
        with self._ctx.read() as s:
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
    def get_student(self, student_id: int, *, reveal: bool = False) -> StudentForm:
        """The student's form. A logged-in user gets the ID, card and phone numbers masked unless
        `reveal` (roles that may see them; each reveal is audited). A database without users shows
        them in full."""
        if reveal:
            require(self._ctx.actor, Perm.FULL_NUMBERS)
        with self._ctx.read() as s:
            st = s.get(Student, student_id)
            if st is None:
                raise NotFound(f"找不到编号为 {student_id} 的学生，可能已被删除")
            form = _form(st)
        actor = self._ctx.actor
        require_own_student(actor, form.grade, form.class_name)
        if not actor.role:
            return form
        if reveal:
            audit.log_event(self._ctx, "reveal", "student", student_id,
                            summary=f"查看完整号码：{form.name} {mask_id(form.id_number)}")
            return form
        return masked_form(form)

    def save_student(self, form: StudentForm, *, card_confirm: str | None = None) -> StudentForm:
        """Validate every field at once, then insert or update. Raises ValidationError. A number left
        masked as the form showed it keeps the stored value."""
        if form.id is not None and self._ctx.actor.role:
            form, kept = self._unmask(form)
            if "bank_card_no" in kept:
                card_confirm = form.bank_card_no        # the stored card was confirmed when it was typed
        clean, problems = validate_student(form, card_confirm, today=self._ctx.clock.today())
        with self._ctx.write() as s:
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
            before = None
            if clean.id is None:
                st = Student()
                s.add(st)
            else:
                st = s.get(Student, clean.id)
                if st is None:
                    raise NotFound("该学生已被删除，无法保存")
                before = _form(st)
            _apply(st, clean)
            s.flush()
            after = _form(st)
            audit.record(s, self._ctx, "update" if before else "create", "student", st.id,
                         summary=f"{st.name} {mask_id(st.id_number)}", before=before, after=after)
            return after

    def _unmask(self, form: StudentForm) -> tuple[StudentForm, set[str]]:
        with self._ctx.read() as s:
            st = s.get(Student, form.id)
            if st is None:
                return form, set()
            stored = _form(st)
        shown = masked_form(stored)
        keep = {f: getattr(stored, f) for f in MASKED_FIELDS
                if "*" in (getattr(form, f) or "") and getattr(form, f) == getattr(shown, f)}
        return (dataclasses.replace(form, **keep) if keep else form), set(keep)

    def printable(self, kind, sel):
        """The selection `kind` (a db.docs.kinds.DocKind) may print for the acting user: unchanged for a
        user who sees every class; for a 班主任/录入员 the students of own classes among those `sel` names
        (as ids), and a school-wide document refused."""
        actor = self._ctx.actor
        if not actor.classes:
            return sel
        if not kind.per_student:
            raise PermissionDenied(f"当前用户“{actor.name}”只能打印本班学生的文书，{kind.title}是全校的，请找资助专干打印")
        with self._ctx.read() as s:
            ids = tuple(s.scalars(select(Student.id).where(student_condition(sel), own_students(actor))
                                  .order_by(Student.id)))
        if not ids:
            raise PermissionDenied(f"所选范围内没有“{actor.name}”所教班级（{classes_text(actor.classes)}）的学生")
        return dataclasses.replace(sel, student_ids=ids, household_ids=(), class_name="", all=False)

    def deletion_blocker(self, student_id: int) -> str | None:
        """Why a student cannot be deleted (aid lines keep it), said before anyone is asked to confirm."""
        with self._ctx.read() as s:
            st = s.get(Student, student_id)
            return _blocker(s, st) if st is not None else None

    def delete_student(self, student_id: int) -> Changes:
        """Delete with a full snapshot in the audit log, so nothing is silently lost."""
        with self._ctx.write() as s:
            st = s.get(Student, student_id)
            if st is None:
                raise NotFound("该学生已被删除")
            # aid payment lines keep the student (FK RESTRICT): say so instead of an IntegrityError
            why = _blocker(s, st)
            if why:
                raise LedgerError(why)
            audit.record(s, self._ctx, "delete", "student", st.id,
                         summary=f"删除学生 {st.name} {mask_id(st.id_number)}", before=_form(st))
            s.delete(st)
        return Changes(frozenset({"student"}), frozenset({student_id}))


# ---- helpers ------------------------------------------------------------------------------------
MASKED_FIELDS = ("id_number", "student_no", "phone", "bank_card_no")


def masked_form(f: StudentForm) -> StudentForm:
    """The form as a user sees it before asking for the full numbers."""
    return dataclasses.replace(
        f, id_number=mask_id(f.id_number), phone=mask_phone(f.phone), bank_card_no=mask_card(f.bank_card_no),
        student_no=(f.student_no[0] + mask_id(f.student_no[1:])) if f.student_no else "")


def _blocker(s, st: Student) -> str | None:
    n = s.scalar(select(func.count(Disbursement.id)).where(Disbursement.student_id == st.id))
    if not n:
        return None
    return (f"{st.name}已有 {n} 条资助发放记录，发放台账须保留，不能删除；"
            "如已离校，请把学籍状态改为转出或毕业")


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
        setattr(f, fld.name, v if v is not None or fld.name in ("birth_date", "agri_major") else "")
    return f


def _apply(st: Student, f: StudentForm) -> None:
    """The form onto the row; difficulty_level is not the form's to set (it mirrors the 认定 history)."""
    nullable = {"id_number", "student_no", "stage", "residence", "study_location", "gender", "bank_card_no",
                "hukou"}
    for fld in dataclasses.fields(StudentForm):
        if fld.name in ("id", "categories", "difficulty_level"):
            continue
        if fld.name == "agri_major":
            st.agri_major = f.agri_major
            continue
        v = getattr(f, fld.name)
        setattr(st, fld.name, (v or None) if fld.name in nullable else v)
    st.name_pinyin, st.name_initials = pinyin_keys(f.name)
    wanted = set(f.categories)
    st.categories = [c for c in st.categories if c.category in wanted] + [
        StudentCategory(category=c) for c in sorted(wanted - {c.category for c in st.categories})]


