"""One source row -> a clean student record, its household keys and its problems.

Fatal problems (no name, an ID Excel has destroyed, a bad check character …) reject the row; the
rest are warnings and the doubtful value is left out (never guessed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

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
_SIMPLE = {  # field -> parser for the plain ones
    "ethnicity": iv.parse_ethnicity, "residence": iv.parse_residence, "enrolment": iv.parse_enrolment,
    "difficulty_level": iv.parse_level, "study_location": iv.parse_study_location,
    "poverty_status": iv.parse_poverty_status, "poverty_exit_year": iv.parse_year,
}
_TEXT = ("class_name", "study_school", "relation_to_head", "bank_name", "card_holder_relation", "township",
         "village", "group_name", "household_no")
_FREE = ("notes", "address")


@dataclass
class Issue:
    field: str
    value: object
    reason: str
    fatal: bool


@dataclass
class Record:
    row: int
    student: dict
    household: dict
    categories: list[str] | None            # None: the file has no category column
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.fatal for i in self.issues)

    @property
    def key(self) -> str:
        return self.student.get("id_number") or self.student.get("student_no") or ""


def _shown(v: object) -> object:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    return v


def validate(src: SourceRow) -> Record:
    v = src.values
    st: dict = {}
    hh: dict = {}
    issues: list[Issue] = []

    def bad(fld: str, reason: str, fatal: bool = False) -> None:
        issues.append(Issue(fld, _shown(v.get(fld)), reason, fatal))

    def has(fld: str) -> bool:
        x = v.get(fld)
        return x is not None and x != "" and (x.__class__ is not str or bool(x.strip()))

    name = iv.cell_text(v.get("name"))
    if not name:
        bad("name", "姓名为空", True)
    elif not _NAME.match(name):
        bad("name", "姓名只能包含汉字、字母和间隔号“·”", True)
    st["name"] = name

    info = None
    if has("id_number"):
        try:
            info = parse_id_number(v["id_number"])
            st["id_number"] = info.number
            if info.converted_from_15:
                bad("id_number", f"15 位旧身份证号已转换为 18 位：{info.number}，请核对")
        except IdNumberError as e:
            bad("id_number", str(e), True)
    if has("student_no"):
        try:
            st["student_no"] = normalize_student_no(v["student_no"], st.get("id_number"))
        except ValueError as e:
            bad("student_no", f"{e}，学籍号未导入")
    if "id_number" not in st and not any(i.field == "id_number" for i in issues):
        if not st.get("student_no", "").startswith(("L", "J")):
            bad("id_number", "身份证号为空（无身份证号的学生须有 L 或 J 字头学籍号）", True)

    if has("gender"):
        try:
            st["gender"] = iv.parse_gender(v["gender"])
        except ValueError as e:
            bad("gender", str(e))
    if has("birth_date"):
        try:
            st["birth_date"] = iv.parse_date(v["birth_date"])
        except ValueError as e:
            bad("birth_date", f"出生日期{e}")
    if info is not None:
        if st.get("birth_date") not in (None, info.birth_date):
            bad("birth_date", f"出生日期与身份证号不一致，以身份证号为准（{info.birth_date:%Y-%m-%d}）")
        if st.get("gender") not in (None, info.gender.value):
            bad("gender", f"性别与身份证号不一致，以身份证号为准（{info.gender.value}）")
        st["birth_date"], st["gender"] = info.birth_date, info.gender.value

    stage = ""
    if has("stage"):
        try:
            stage = st["stage"] = iv.parse_stage(v["stage"])
        except ValueError as e:
            bad("stage", str(e))
    if has("grade"):
        try:
            st["grade"], own = iv.parse_grade(v["grade"], stage)
            st.setdefault("stage", own)
        except ValueError as e:
            bad("grade", str(e))

    for fld in _SIMPLE:
        if has(fld):
            try:
                (hh if fld in HOUSEHOLD_KEYS else st)[fld] = _SIMPLE[fld](v[fld])
            except ValueError as e:
                bad(fld, f"{e}，未导入该项")
    for fld in _TEXT:
        if has(fld):
            (hh if fld in HOUSEHOLD_KEYS else st)[fld] = iv.cell_text(v[fld])
    for fld in _FREE:
        if has(fld):
            (hh if fld in HOUSEHOLD_KEYS else st)[fld] = iv.plain_text(v[fld])[:200]
    for fld in ("card_holder",):
        if has(fld):
            st[fld] = iv.cell_text(v[fld])
    if has("phone"):
        try:
            st["phone"] = normalize_phone(iv.cell_text(v["phone"]))
        except ValueError as e:
            bad("phone", f"{e}，未导入电话")
    if has("bank_card_no"):
        try:
            card = check_bank_card(v["bank_card_no"])
            st["bank_card_no"] = card.number
            if not card.luhn_passed:
                bad("bank_card_no", "银行卡号未通过校验（可能录错一位），已导入，请核对")
        except ValueError as e:
            bad("bank_card_no", f"{e}，未导入卡号")

    if has("head_name"):
        head = iv.cell_text(v["head_name"])
        if _NAME.match(head):
            hh["head_name"] = head
        else:
            bad("head_name", "户主姓名只能包含汉字、字母和间隔号“·”，未导入户主")
    if has("head_id_number"):
        try:
            hh["head_id_number"] = parse_id_number(v["head_id_number"]).number
        except IdNumberError as e:
            bad("head_id_number", f"户主{e}，未导入户主身份证号")

    cats = None
    if "categories" in v:
        cats, unknown = iv.parse_categories(v["categories"])
        if unknown:
            bad("categories", f"未识别的资助对象类别：{'、'.join(unknown)}，未导入这些类别")
        if "poverty_status" not in hh and (ps := iv.poverty_from_category(v["categories"])):
            hh["poverty_status"] = ps
    return Record(src.row, st, hh, cats, issues)
