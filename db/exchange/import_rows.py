"""One source row -> a clean student record, its household keys and its problems.

Fatal problems (no name, an ID Excel has destroyed, a bad check character …) reject the row; the
rest are warnings and the doubtful value is left out (never guessed).
"""
from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

from db.exchange import import_values as iv
from db.exchange.reader import SourceRow
from db.validators import IdNumberError, check_bank_card, normalize_phone, normalize_student_no, parse_id_number

_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f·•A-Za-z]{1,30}$")   # Ext B–H: 𠮷

# student columns the importer fills (besides id, household_id and the pinyin keys)
STUDENT_COLUMNS = ("name", "gender", "ethnicity", "id_number", "student_no", "birth_date", "stage", "grade",
                   "class_name", "residence", "enrolment", "study_location", "study_school", "relation_to_head",
                   "difficulty_level", "phone", "bank_card_no", "bank_name", "card_holder",
                   "card_holder_relation", "notes")
HOUSEHOLD_KEYS = ("household_no", "head_name", "head_id_number", "township", "village", "group_name",
                  "address", "poverty_status", "poverty_exit_year", "household_phone", "household_notes",
                  "liaison_officer")


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


def _officer(raw) -> str:
    name = iv.cell_text(raw)
    if not _NAME.match(name):
        raise ValueError("帮扶联系人姓名只能包含汉字、字母和间隔号“·”，未导入帮扶联系人")
    return name


def _household_phone(raw) -> str:
    try:
        return normalize_phone(iv.cell_text(raw))
    except ValueError as e:
        raise ValueError(f"家庭{e}，未导入家庭联系电话") from None


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
    "household_phone": (_household_phone, True),
    "household_notes": (lambda raw: iv.plain_text(raw)[:500], True),
    "liaison_officer": (_officer, True),
}
_CACHE_LIMIT = 50_000
_ABSENT = (None, None)      # identity matters: "no value", not "parsed to None"


@dataclass
class Issue:
    field: str
    value: object
    reason: str
    fatal: bool


I_NAME, I_ID, I_NO = (STUDENT_COLUMNS.index(c) for c in ("name", "id_number", "student_no"))


class Record:
    """One checked row, stored compactly (tuples in column order: 100,000 of them stay small)."""
    __slots__ = ("row", "data", "hdata", "categories", "issues")

    def __init__(self, row: int, data: tuple, hdata: tuple | None, categories: list[str] | None,
                 issues: list[Issue] | tuple = ()) -> None:
        self.row = row
        self.data = data                      # STUDENT_COLUMNS order; None = not in the file
        self.hdata = hdata                    # HOUSEHOLD_KEYS order, or None: no household value
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
        return self.data[I_NAME]

    @property
    def id_number(self) -> str | None:
        return self.data[I_ID]

    @property
    def student_no(self) -> str | None:
        return self.data[I_NO]

    @property
    def ok(self) -> bool:
        return not any(i.fatal for i in self.issues)

    @property
    def key(self) -> str:
        return self.data[I_ID] or self.data[I_NO] or ""


def _shown(v: object) -> object:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    return v


def _blank(x: object) -> bool:
    return x is None or x == "" or (x.__class__ is str and x.isspace())


def _key(x: object) -> object:
    """Cache key of a raw cell: 1, 1.0 and True are equal in a dict but not as cells, so numbers
    are keyed with their type. Text and dates are their own key, which lets a whole column be
    looked up with map(cache.get, cells): a number is never found that way (None: look again)."""
    return (x.__class__, x) if x.__class__ in _NUMBERS else x


_NUMBERS = frozenset({int, float, bool})


class RowChecker:
    """Checks the rows of a list column by column. A repeating column (village, grade, household
    head …) is parsed once per distinct raw value and looked up for the rest, in list
    comprehensions; only the columns whose values are unique per child (name, ID, 学籍号, phone,
    card) are checked row by row. The problems of a row come out in a fixed order: name, ID,
    学籍号, the repeating columns as they stand in the file, then the checks across columns."""

    def __init__(self, fields=None) -> None:
        # a blank cell is as good as an absent one
        self._caches: dict[str, dict] = {f: {"": _ABSENT, None: _ABSENT} for f in _REPEATING}
        self._caches.update(grade={}, categories={})
        self._has_categories = fields is None or "categories" in fields
        self._with_errors: set[int] = set()

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
        if hit[1] is not None:
            self._with_errors.add(id(cache))    # only these caches can hand out a problem
        return hit

    def __call__(self, src: SourceRow) -> Record:
        return self.check([src.row], {f: (v,) for f, v in src.values.items()})[0]

    def check(self, rows: list[int], columns: dict[str, Sequence]) -> list[Record]:
        """rows: the sheet row numbers; columns: field -> raw cells, one per row, in file order."""
        n = len(rows)
        issues: list[list[Issue] | None] = [None] * n
        st: dict[str, list] = {}            # student field -> value per row (None: no value)
        hh: dict[str, list] = {}

        def bad(i: int, fld: str, reason: str, fatal: bool = False) -> None:
            col = columns.get(fld)
            found = issues[i]
            if found is None:
                found = issues[i] = []
            found.append(Issue(fld, _shown(col[i] if col is not None else None), reason, fatal))

        # name: every row needs one
        names = st["name"] = list(map(iv.cell_text, columns.get("name", repeat(None, n))))
        for i, name in enumerate(names):
            if not name:
                bad(i, "name", "姓名为空", True)
            elif not _NAME.match(name):
                bad(i, "name", "姓名只能包含汉字、字母和间隔号“·”", True)

        # ID number, then 学籍号 (usually G + the same ID: already checked)
        infos: list = [None] * n
        ids: list = [None] * n
        raw_ids = columns.get("id_number")
        if raw_ids is not None:
            for i, x in enumerate(raw_ids):
                if x is None or x == "" or (x.__class__ is str and x.isspace()):
                    continue
                try:
                    info = infos[i] = parse_id_number(x)
                except IdNumberError as e:
                    bad(i, "id_number", str(e), True)
                    continue
                ids[i] = info.number
                if info.converted_from_15:
                    bad(i, "id_number", f"15 位旧身份证号已转换为 18 位：{info.number}，请核对")
        st["id_number"] = ids
        nos: list = [None] * n
        raw_nos = columns.get("student_no")
        if raw_nos is not None:
            for i, x in enumerate(raw_nos):
                if x is None or x == "" or (x.__class__ is str and x.isspace()):
                    continue
                info = infos[i]
                if info is not None and x.__class__ is str and x[1:] == info.number and x[:1] in "Gg":
                    nos[i] = x if x[0] == "G" else "G" + info.number
                    continue
                try:
                    nos[i] = normalize_student_no(x, ids[i])
                except ValueError as e:
                    bad(i, "student_no", f"{e}，学籍号未导入")
        st["student_no"] = nos
        for i in [i for i, x in enumerate(ids) if x is None] if None in ids else ():
            if (raw_ids is None or _blank(raw_ids[i])) and not (nos[i] or "").startswith(("L", "J")):
                bad(i, "id_number", "身份证号为空（无身份证号的学生须有 L 或 J 字头学籍号）", True)

        # repeating columns: one parse per distinct value
        for fld, raw in columns.items():
            spec = _REPEATING.get(fld)
            if spec is None:
                continue
            fn, to_household = spec
            cache = self._caches[fld]
            hits = list(map(cache.get, raw))
            if None in hits:                    # new values, and numbers (keyed with their type)
                parse = self._parse
                for i in [i for i, h in enumerate(hits) if h is None]:
                    x = raw[i]
                    key = (x.__class__, x) if x.__class__ in _NUMBERS else x
                    hit = cache.get(key)        # the same value may have been parsed earlier in this batch
                    hits[i] = parse(cache, key, fn, x) if hit is None else hit
            (hh if to_household else st)[fld] = list(map(_first, hits))
            if id(cache) in self._with_errors and any(map(_second, hits)):
                for i, h in enumerate(hits):
                    if h[1] is not None:
                        bad(i, fld, h[1])

        # across columns: the ID decides birth date and gender
        births, genders = st.get("birth_date"), st.get("gender")
        if births is None:
            births = st["birth_date"] = [None] * n
        if genders is None:
            genders = st["gender"] = [None] * n
        for i, info in enumerate(infos):
            if info is None:
                continue
            if births[i] is not None and births[i] != info.birth_date:
                bad(i, "birth_date", f"出生日期与身份证号不一致，以身份证号为准（{info.birth_date:%Y-%m-%d}）")
            if genders[i] is not None and genders[i] != info.gender.value:
                bad(i, "gender", f"性别与身份证号不一致，以身份证号为准（{info.gender.value}）")
            births[i], genders[i] = info.birth_date, info.gender.value

        raw_grades = columns.get("grade")
        if raw_grades is not None:
            stages = st.get("stage") or [None] * n
            grades = [None] * n
            cache = self._caches["grade"]
            for i, x in enumerate(raw_grades):
                if _blank(x):
                    continue
                stage = stages[i] or ""
                key = (stage, _key(x))
                hit = cache.get(key) or self._parse(cache, key, lambda raw, stage=stage: iv.parse_grade(raw, stage), x)
                if hit[1] is None:
                    grades[i] = hit[0][0]
                    if stages[i] is None:
                        stages[i] = hit[0][1]
                else:
                    bad(i, "grade", hit[1])
            st["grade"], st["stage"] = grades, stages

        raw_phones = columns.get("phone")
        if raw_phones is not None:
            phones = st["phone"] = [None] * n
            for i, x in enumerate(raw_phones):
                if not (x is None or x == "" or (x.__class__ is str and x.isspace())):
                    try:
                        phones[i] = normalize_phone(iv.cell_text(x))
                    except ValueError as e:
                        bad(i, "phone", f"{e}，未导入电话")
        raw_cards = columns.get("bank_card_no")
        if raw_cards is not None:
            cards = st["bank_card_no"] = [None] * n
            for i, x in enumerate(raw_cards):
                if x is None or x == "" or (x.__class__ is str and x.isspace()):
                    continue
                try:
                    card = check_bank_card(x)
                except ValueError as e:
                    bad(i, "bank_card_no", f"{e}，未导入卡号")
                    continue
                cards[i] = card.number
                if not card.luhn_passed:
                    bad(i, "bank_card_no", "银行卡号未通过校验（可能录错一位），已导入，请核对")

        cats: Sequence = repeat(None, n)    # None: the file has no category column
        if self._has_categories:
            cats = [[]] * n                 # shared empty lists are never changed
            raw_cats = columns.get("categories")
            if raw_cats is not None:
                cache = self._caches["categories"]
                poverty = hh.get("poverty_status")
                hits = list(map(cache.get, raw_cats))
                for i, x in enumerate(raw_cats):
                    if x is None or x == "" or (x.__class__ is str and x.isspace()):
                        continue
                    hit = hits[i] or cache.get(_key(x)) or self._parse(cache, _key(x), _categories, x)
                    cats[i], unknown, from_category = hit[0]
                    if unknown:
                        bad(i, "categories", f"未识别的资助对象类别：{'、'.join(unknown)}，未导入这些类别")
                    if from_category:
                        if poverty is None:
                            poverty = hh["poverty_status"] = [None] * n
                        if poverty[i] is None:
                            poverty[i] = from_category

        data = zip(*[st.get(c) or repeat(None, n) for c in STUDENT_COLUMNS])
        if hh:
            hdata, last = [], None
            for h in zip(*[hh.get(c) or repeat(None, n) for c in HOUSEHOLD_KEYS]):
                if h != last:                   # brothers and sisters share one tuple
                    last = None if h.count(None) == len(h) else h
                hdata.append(last)
        else:
            hdata = repeat(None, n)
        return list(map(Record, rows, data, hdata, cats, [x or () for x in issues]))


_first, _second = operator.itemgetter(0), operator.itemgetter(1)


def _categories(raw) -> tuple[list[str], list[str], str]:
    return (*iv.parse_categories(raw), iv.poverty_from_category(raw))


def validate(src: SourceRow) -> Record:
    """One row on its own (RowChecker does the same for many rows, faster)."""
    return RowChecker()(src)
