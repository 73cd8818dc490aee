"""Pure rules of the registry (no session): what a valid student and household look like, and the
order categories are listed in. Each check adds its problems to one dict, so a form shows them all.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

from db import enums
from db.registry.dto import HouseholdForm, StudentForm
from db.validators import (
    IdNumberError,
    check_bank_card,
    clean_text,
    normalize_phone,
    normalize_student_no,
    parse_id_number,
)

# A person's name: CJK (with the extension blocks), letters and the middle dot of minority names.
NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f·•A-Za-z]{1,30}$")   # Ext B–H: 𠮷
NAME_RULE = "姓名只能包含汉字、字母和间隔号“·”"
CATEGORY_ORDER = {c: i for i, c in enumerate(enums.values(enums.Category))}
GRADE_ORDER = [g for gs in enums.GRADES.values() for g in gs]
Problems = dict[str, str]


def sort_categories(cats) -> list[str]:
    """Categories in the official order (建档立卡 first)."""
    return sorted(cats, key=lambda c: (CATEGORY_ORDER.get(c, 99), c))


def _strip(f, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(f, name, str(getattr(f, name) or "").strip())


def validate_student(form: StudentForm, card_confirm: str | None = None) -> tuple[StudentForm, Problems]:
    """A cleaned copy of the form and every problem found in it."""
    f = dataclasses.replace(form, categories=list(dict.fromkeys(form.categories)))
    _strip(f, ("name", "ethnicity", "grade", "class_name", "study_school", "bank_name", "card_holder",
               "relation_to_head", "card_holder_relation"))
    p: Problems = {}
    _check_name(f.name, "name", p)
    _check_identity(f, p)
    _check_schooling(f, p)
    _check_choices(f, p)
    _check_phone(f, "phone", p)
    _check_card(f, card_confirm, p)
    return f, p


def _check_name(name: str, field: str, p: Problems, *, missing: str = "请填写姓名") -> None:
    if not name:
        p[field] = missing
    elif not NAME.match(name):
        p[field] = NAME_RULE


def _check_identity(f: StudentForm, p: Problems) -> None:
    """ID number (which fixes birth date and gender) and 学籍号; one of them is needed."""
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


def _check_schooling(f: StudentForm, p: Problems) -> None:
    if f.stage and f.stage not in enums.values(enums.Stage):
        p["stage"] = f"未知学段“{f.stage}”"
    elif f.stage and f.grade and f.grade not in enums.GRADES[enums.Stage(f.stage)]:
        p["grade"] = f"{f.stage}没有“{f.grade}”"
    if f.grade and not f.stage:
        p["stage"] = "填写了年级，请同时选择学段"
    if f.enrolment not in enums.values(enums.Enrolment):
        p["enrolment"] = "请选择在校状态"
    if f.enrolment == enums.Enrolment.ELSEWHERE and not f.study_location:
        p["study_location"] = "在外就读的学生请选择就读地"
    if f.study_location and f.study_location not in enums.values(enums.StudyLocation):
        p["study_location"] = "就读地选项无效"


def _check_choices(f: StudentForm, p: Problems) -> None:
    if f.residence and f.residence not in enums.values(enums.Residence):
        p["residence"] = "请选择寄宿或走读"
    if f.difficulty_level and f.difficulty_level not in enums.values(enums.DifficultyLevel):
        p["difficulty_level"] = "认定等级选项无效"
    bad = [c for c in f.categories if c not in enums.values(enums.Category)]
    if bad:
        p["categories"] = f"未知资助对象类别：{'、'.join(bad)}"


def _check_phone(f, field: str, p: Problems) -> None:
    value = getattr(f, field)
    if not value.strip():
        setattr(f, field, "")
        return
    try:
        setattr(f, field, normalize_phone(value))
    except ValueError as e:
        p[field] = str(e)


def _check_card(f: StudentForm, card_confirm: str | None, p: Problems) -> None:
    """A card that fails the Luhn check is accepted only when typed a second time the same."""
    if not f.bank_card_no.strip():
        f.bank_card_no = ""
        return
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


def validate_household(form: HouseholdForm, *, today: dt.date) -> tuple[HouseholdForm, Problems]:
    f = dataclasses.replace(form)
    _strip(f, ("household_no", "head_name", "township", "village", "group_name", "address", "notes"))
    f.household_no = clean_text(f.household_no)
    p: Problems = {}
    _check_name(f.head_name, "head_name", p, missing="请填写户主姓名")
    if f.head_id_number.strip():
        try:
            f.head_id_number = parse_id_number(f.head_id_number).number
        except IdNumberError as e:
            p["head_id_number"] = f"户主{e}"
    else:
        f.head_id_number = ""
    _check_phone(f, "phone", p)
    _check_poverty(f, today, p)
    return f, p


def _check_poverty(f: HouseholdForm, today: dt.date, p: Problems) -> None:
    if f.poverty_status and f.poverty_status not in enums.values(enums.PovertyStatus):
        p["poverty_status"] = "建档立卡类型选项无效"
    if f.poverty_exit_year is not None and not 2013 <= f.poverty_exit_year <= today.year:
        p["poverty_exit_year"] = f"脱贫年度应在 2013 年至 {today.year} 年之间"
    if f.poverty_exit_year and f.poverty_status not in (enums.PovertyStatus.OUT, enums.PovertyStatus.MONITORED):
        p["poverty_exit_year"] = "只有脱贫户（或监测户）才填写脱贫年度"
