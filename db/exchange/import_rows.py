"""One source row -> a clean student record, its household keys and its problems.

Fatal problems (no name, an ID Excel has destroyed, a bad check character …) reject the row; the
rest are warnings and the doubtful value is left out (never guessed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from db.exchange import import_values as iv
from db.exchange.reader import SourceRow
from db.validators import IdNumberError, check_bank_card, normalize_phone, normalize_student_no, parse_id_number

_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·•A-Za-z]{1,30}$")

# student columns the importer fills (besides id, household_id and the pinyin keys)
STUDENT_COLUMNS = ("name", "gender", "ethnicity", "id_number", "student_no", "birth_date", "stage", "grade",
                   "class_name", "residence", "enrolment", "study_location", "study_school", "relation_to_head",
                   "difficulty_level", "phone", "bank_card_no", "bank_name", "card_holder",
                   "card_holder_relation", "notes")
HOUSEHOLD_KEYS = ("household_no", "head_name", "head_id_number", "township", "village", "group_name",
                  "address", "poverty_status", "poverty_exit_year")


def _warn(fn, suffix: str = "，未导入该项", prefix: str = ""):
    """A parser whose error message is made complete for the report."""
    def parse(raw):
        try:
            return fn(raw)
        except ValueError as e:
            raise ValueError(f"{prefix}{e}{suffix}") from None
    return parse


def _head_name(raw) -> str:
    head = iv.cell_text(raw)
    if not _NAME.match(head):
        raise ValueError("户主姓名只能包含汉字、字母和间隔号“·”，未导入户主")
    return head


def _head_id(raw) -> str:
    try:
        return parse_id_number(raw).number
    except IdNumberError as e:
        raise ValueError(f"户主{e}，未导入户主身份证号") from None


# Columns whose values repeat (a village, a grade, a household head): parsed once per distinct raw
# value. field -> (parser raising ValueError with the full message, goes to the household?)
_REPEATING: dict[str, tuple] = {
    "gender": (iv.parse_gender, False),
    "birth_date": (_warn(iv.parse_date, "", "出生日期"), False),
    "stage": (iv.parse_stage, False),
    "ethnicity": (_warn(iv.parse_ethnicity), False),
    "residence": (_warn(iv.parse_residence), False),
    "enrolment": (_warn(iv.parse_enrolment), False),
    "difficulty_level": (_warn(iv.parse_level), False),
    "study_location": (_warn(iv.parse_study_location), False),
    "poverty_status": (_warn(iv.parse_poverty_status), True),
    "poverty_exit_year": (_warn(iv.parse_year), True),
    "class_name": (iv.cell_text, False),
    "study_school": (iv.cell_text, False),
    "relation_to_head": (iv.cell_text, False),
    "bank_name": (iv.cell_text, False),
    "card_holder": (iv.cell_text, False),
    "card_holder_relation": (iv.cell_text, False),
    "township": (iv.cell_text, True),
    "village": (iv.cell_text, True),
    "group_name": (iv.cell_text, True),
    "household_no": (iv.cell_text, True),
    "head_name": (_head_name, True),
    "head_id_number": (_head_id, True),
    "notes": (lambda raw: iv.plain_text(raw)[:500], False),
    "address": (lambda raw: iv.plain_text(raw)[:200], True),
}
_CACHE_LIMIT = 50_000
_MISS = object()
_ABSENT = (None, None)      # identity matters: "no value", not "parsed to None"


@dataclass
class Issue:
    field: str
    value: object
    reason: str
    fatal: bool


_I_NAME, _I_ID, _I_NO = (STUDENT_COLUMNS.index(c) for c in ("name", "id_number", "student_no"))


class Record:
    """One checked row, stored compactly (tuples in column order: 100,000 of them stay small)."""
    __slots__ = ("row", "data", "hdata", "categories", "issues")

    def __init__(self, row: int, student: dict, household: dict, categories: list[str] | None,
                 issues: list[Issue] | tuple = ()) -> None:
        self.row = row
        self.data = tuple(map(student.get, STUDENT_COLUMNS))            # None = not in the file
        self.hdata = tuple(map(household.get, HOUSEHOLD_KEYS)) if household else None
        self.categories = categories          # None: the file has no category column
        self.issues = issues or ()

    @property
    def student(self) -> dict:
        return {c: v for c, v in zip(STUDENT_COLUMNS, self.data) if v is not None}

    @property
    def household(self) -> dict:
        return {c: v for c, v in zip(HOUSEHOLD_KEYS, self.hdata or ()) if v is not None}

    @property
    def name(self) -> str:
        return self.data[_I_NAME]

    @property
    def id_number(self) -> str | None:
        return self.data[_I_ID]

    @property
    def student_no(self) -> str | None:
        return self.data[_I_NO]

    @property
    def ok(self) -> bool:
        return not any(i.fatal for i in self.issues)

    @property
    def key(self) -> str:
        return self.data[_I_ID] or self.data[_I_NO] or ""


def _shown(v: object) -> object:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    return v


class RowChecker:
    """Checks rows one by one. Values of the repeating columns are parsed once per distinct raw
    value and remembered, so 100,000 rows cost little more than their distinct values."""

    def __init__(self, fields=None) -> None:
        # a blank cell is as good as an absent one
        self._caches: dict[str, dict] = {f: {"": _ABSENT, (type(None), None): _ABSENT} for f in _REPEATING}
        self._caches.update(grade={}, categories={})
        self._has_categories = fields is None or "categories" in fields
        self._layout: tuple | None = None
        self._plan: list[tuple] = []
        self._others: list[str] = []

    def _parse(self, cache: dict, key, fn, raw) -> tuple:
        if raw.__class__ is str and raw.isspace():
            hit = _ABSENT
        else:
            try:
                hit = (fn(raw), None)
            except (ValueError, IdNumberError) as e:
                hit = (None, str(e))
            if hit[1] is None and hit[0] == "":
                hit = _ABSENT
        if len(cache) < _CACHE_LIMIT:
            cache[key] = hit
        return hit

    def _prepare(self, layout: tuple) -> None:
        """The columns of this file, split once: repeating ones (memo) and the others."""
        self._layout = layout
        self._plan = [(f, _REPEATING[f][0], _REPEATING[f][1], self._caches[f]) for f in layout if f in _REPEATING]
        self._others = [f for f in layout if f not in _REPEATING]

    def __call__(self, src: SourceRow) -> Record:
        vals = src.values
        layout = tuple(vals)
        if layout != self._layout:
            self._prepare(layout)
        v = {f: x for f in self._others
             if (x := vals[f]) is not None and x != "" and (x.__class__ is not str or not x.isspace())}
        st: dict = {}
        hh: dict = {}
        issues: list[Issue] = []

        def bad(fld: str, reason: str, fatal: bool = False) -> None:
            issues.append(Issue(fld, _shown(src.values.get(fld)), reason, fatal))

        name = iv.cell_text(v.get("name"))
        if not name:
            bad("name", "姓名为空", True)
        elif not _NAME.match(name):
            bad("name", "姓名只能包含汉字、字母和间隔号“·”", True)
        st["name"] = name

        info = None
        if "id_number" in v:
            try:
                info = parse_id_number(v["id_number"])
                st["id_number"] = info.number
                if info.converted_from_15:
                    bad("id_number", f"15 位旧身份证号已转换为 18 位：{info.number}，请核对")
            except IdNumberError as e:
                bad("id_number", str(e), True)
        if "student_no" in v:
            raw_no = v["student_no"]
            if info is not None and raw_no.__class__ is str and raw_no[1:] == info.number and raw_no[:1] in "Gg":
                st["student_no"] = "G" + info.number            # the usual G + ID: already checked
            else:
                try:
                    st["student_no"] = normalize_student_no(raw_no, st.get("id_number"))
                except ValueError as e:
                    bad("student_no", f"{e}，学籍号未导入")
        if "id_number" not in st and "id_number" not in v:
            if not st.get("student_no", "").startswith(("L", "J")):
                bad("id_number", "身份证号为空（无身份证号的学生须有 L 或 J 字头学籍号）", True)

        caches = self._caches
        for fld, fn, to_household, cache in self._plan:
            x = vals[fld]
            key = x if x.__class__ is str else (x.__class__, x)
            hit = cache.get(key, _MISS)
            if hit is _MISS:
                hit = self._parse(cache, key, fn, x)
            if hit is _ABSENT:
                continue
            if hit[1] is None:
                (hh if to_household else st)[fld] = hit[0]
            else:
                bad(fld, hit[1])

        if info is not None:
            if st.get("birth_date") not in (None, info.birth_date):
                bad("birth_date", f"出生日期与身份证号不一致，以身份证号为准（{info.birth_date:%Y-%m-%d}）")
            if st.get("gender") not in (None, info.gender.value):
                bad("gender", f"性别与身份证号不一致，以身份证号为准（{info.gender.value}）")
            st["birth_date"], st["gender"] = info.birth_date, info.gender.value

        if "grade" in v:
            stage = st.get("stage", "")
            x = v["grade"]
            key = (stage, x)
            hit = caches["grade"].get(key) or self._parse(caches["grade"], key,
                                                          lambda raw: iv.parse_grade(raw, stage), x)
            if hit[1] is None:
                st["grade"] = hit[0][0]
                st.setdefault("stage", hit[0][1])
            else:
                bad("grade", hit[1])
        if "phone" in v:
            try:
                st["phone"] = normalize_phone(iv.cell_text(v["phone"]))
            except ValueError as e:
                bad("phone", f"{e}，未导入电话")
        if "bank_card_no" in v:
            try:
                card = check_bank_card(v["bank_card_no"])
                st["bank_card_no"] = card.number
                if not card.luhn_passed:
                    bad("bank_card_no", "银行卡号未通过校验（可能录错一位），已导入，请核对")
            except ValueError as e:
                bad("bank_card_no", f"{e}，未导入卡号")

        cats = None
        if self._has_categories:
            cats = []
            if "categories" in v:
                x = v["categories"]
                hit = caches["categories"].get(x) or self._parse(
                    caches["categories"], x, lambda raw: (*iv.parse_categories(raw), iv.poverty_from_category(raw)), x)
                cats, unknown, poverty = hit[0]
                if unknown:
                    bad("categories", f"未识别的资助对象类别：{'、'.join(unknown)}，未导入这些类别")
                if poverty and "poverty_status" not in hh:
                    hh["poverty_status"] = poverty
        return Record(src.row, st, hh, cats, issues)


def validate(src: SourceRow) -> Record:
    """One row on its own (RowChecker does the same for many rows, faster)."""
    return RowChecker()(src)
