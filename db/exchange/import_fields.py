"""The columns of a county list that the importer fills, the parsers of each, and the checked
row (Record) with its problems (Issue). db.exchange.import_rows checks whole lists with them."""
from __future__ import annotations

from dataclasses import dataclass

from db.exchange import import_values as iv
from db.validators import (
    NAME,
    IdNumberError,
    normalize_phone,
    parse_id_number,
)

_NAME = NAME

# student columns the importer fills (besides id, household_id and the pinyin keys)
STUDENT_COLUMNS = ("name", "gender", "ethnicity", "id_number", "student_no", "birth_date", "stage", "grade",
                   "class_name", "residence", "enrolment", "study_location", "study_school", "relation_to_head",
                   "difficulty_level", "phone", "bank_card_no", "bank_name", "card_holder",
                   "card_holder_relation", "notes",
                   "hukou", "major", "agri_major")                     # issue 9
HOUSEHOLD_KEYS = ("household_no", "head_name", "head_id_number", "township", "village", "group_name",
                  "address", "poverty_status", "poverty_exit_year", "household_phone", "household_notes",
                  "liaison_officer",
                  "helper_cadre")                                      # issue 9


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


def _helper_cadre(raw) -> str:
    name = iv.cell_text(raw)
    if not _NAME.match(name):
        raise ValueError("帮扶责任人姓名只能包含汉字、字母和间隔号“·”，未导入帮扶责任人")
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
    "household_phone": (_household_phone, True),
    "liaison_officer": (_officer, True),
    # issue 9
    "hukou": (_warn(iv.parse_hukou), False),
    "major": (iv.cell_text, False),
    "agri_major": (_warn(iv.parse_yes_no, prefix="是否涉农专业："), False),
    "helper_cadre": (_helper_cadre, True),
}
# Free text: field -> (longest value the column holds, 0 = no limit; goes to the household?)
_FREE_TEXT = {"notes": (0, False), "address": (200, True), "household_notes": (0, True)}
FIELD_NAMES = {"notes": "备注", "address": "家庭住址", "household_notes": "家庭备注"}
_CACHE_LIMIT = 50_000
_ABSENT = (None, None)      # identity matters: "no value", not "parsed to None"


@dataclass
class Issue:
    field: str
    value: object
    reason: str
    fatal: bool


I_NAME, I_ID, I_NO, I_LEVEL = (STUDENT_COLUMNS.index(c) for c in ("name", "id_number", "student_no", "difficulty_level"))


class Record:
    """One checked row, stored compactly (tuples in column order: 100,000 of them stay small)."""
    __slots__ = ("row", "data", "hdata", "categories", "issues", "asks")

    def __init__(self, row: int, data: tuple, hdata: tuple | None, categories: list[str] | None,
                 issues: list[Issue] | tuple = (), asks: tuple[str, ...] = ()) -> None:
        self.row = row
        self.data = data                      # STUDENT_COLUMNS order; None = not in the file
        self.hdata = hdata                    # HOUSEHOLD_KEYS order, or None: no household value
        self.categories = categories          # None: the file has no category column
        self.issues = issues or ()
        self.asks = asks                      # category words the officer decides (低保 without 城/乡)

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


def _categories(raw) -> tuple[list[str], list[str], str, tuple[str, ...]]:
    known, unknown = iv.parse_categories(raw)
    unknown, asks = iv.split_questions(unknown)
    return known, unknown, iv.poverty_from_category(raw), asks


def category_meaning(raw) -> str:
    """What a category cell was taken to mean, for the preview: '建档立卡（脱贫户）', '待定：低保'."""
    known, unknown, poverty, asks = _categories(raw)
    parts = ["、".join(known) + (f"（{poverty}）" if poverty else "")] if known else []
    parts += [f"待您确定：{'、'.join(asks)}"] if asks else []
    parts += [f"不能识别：{'、'.join(unknown)}"] if unknown else []
    return "；".join(parts) or "（空）"
