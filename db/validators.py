"""Domain rules for the numbers that Excel files and tired fingers get wrong.

All functions are pure; messages are Chinese and name the rule that failed.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from db.enums import DISABILITY_CATEGORIES, DISABILITY_GRADES, Gender

_ID_CHECK = "10X98765432"
# Province-level region codes (GB/T 2260): the first two digits of every ID number.
_PROVINCES = frozenset({
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
    54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
})
_PROVINCE_PREFIXES = frozenset(str(p) for p in _PROVINCES)
# What copy-paste and spreadsheets add to numbers: full-width digits and letters, every kind of
# white space (tab, NBSP, ideographic space, line breaks) and zero-width marks. One table for every
# entry path (form, importer, duplicate tests), so that a number is the same number whichever way it came.
_FULLWIDTH = str.maketrans({**{0xFF10 + i: str(i) for i in range(10)},
                            **{0xFF21 + i: chr(0x41 + i) for i in range(26)},
                            **{0xFF41 + i: chr(0x61 + i) for i in range(26)},
                            "－": "-", "　": " ", "＇": "'", "\u200b": "", "\u200c": "", "\u200d": "",
                            "\u2060": "", "\ufeff": ""})
_QUOTES = "'‘’`\""
_SCI = re.compile(r"^[0-9](\.[0-9]+)?E\+?[0-9]+$", re.ASCII)
_WHITESPACE = re.compile(r"\s+")
# a quick test whether clean_text would change a str (what _FULLWIDTH, _WHITESPACE and _QUOTES touch)
NEEDS_CLEANING = re.compile("[\\s\uff07\uff0d\uff10-\uff19\uff21-\uff3a\uff41-\uff5a'‘’`\"\u200b-\u200d\u2060\ufeff]")
_CLEAN_ID = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)   # already clean: the usual case in a county list
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]|[0-9]{15}", re.ASCII)
# A person's name: CJK (the unified block, Extensions A to G and the compatibility blocks), letters,
# and the middle dot of minority names. Kept exactly as typed: 𠮷 (U+20BB7) is one character.
NAME = re.compile("^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\U0002f800-\U0002fa1f"
                  "·•A-Za-z]{1,30}$")
NAME_RULE = "姓名只能包含汉字、字母和间隔号“·”"
OLDEST_PUPIL, YOUNGEST_PUPIL = 25, 2        # years of age a school's pupil can plausibly have


class IdNumberError(ValueError):
    """The text cannot be a valid resident ID number; str(e) says why, in Chinese."""


class IdInfo(NamedTuple):
    number: str                 # normalised 18-character form
    birth_date: dt.date
    gender: Gender
    converted_from_15: bool = False


def clean_text(raw: object) -> str:
    """Strip what spreadsheets and copy-paste add: white space of every kind (tabs, NBSP, line
    breaks), zero-width marks, quotes around the value (Excel's leading apostrophe), full-width
    digits and letters."""
    s = "" if raw is None else str(raw)
    if s.isascii() and s.isalnum():         # nothing to clean (IDs, cards, phones as typed)
        return s
    s = _WHITESPACE.sub("", s.translate(_FULLWIDTH))
    return s.strip(_QUOTES)


def normalize_id_text(raw: object) -> str:
    """The one normalisation of a typed, pasted or imported ID number: clean_text, upper-case X.
    Nothing else is 'repaired'."""
    return clean_text(raw).upper()


def id_check_char(first17: str) -> str:
    """GB 11643 check character of 17 ASCII digits. The weights are 2**k mod 11 (7, 9, 10, 5 … 2 from
    the left), and 13 = 2 mod 11, so the weighted sum mod 11 is twice the digits read
    as a base-13 number, mod 11: one int() in C instead of 17 multiplications."""
    return _ID_CHECK[2 * int(first17, 13) % 11]


_MALE, _FEMALE = Gender.MALE, Gender.FEMALE
# birth-date part of an ID (YYYYMMDD) -> date; IDs of one school share a few thousand of them
_BIRTHS: dict[str, dt.date] = {}


def _id_birth(s: str, today: dt.date | None) -> dt.date:
    part = s[6:14]
    birth = _BIRTHS.get(part) if today is None else None
    if birth is None:
        try:
            birth = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
        except ValueError:
            raise IdNumberError(f"身份证号中的出生日期 {part} 不是有效日期") from None
        if birth > (today or dt.date.today()) or birth.year < 1900:
            raise IdNumberError(f"身份证号中的出生日期 {birth:%Y-%m-%d} 不合理")
        if today is None and len(_BIRTHS) < 100_000:
            _BIRTHS[part] = birth           # only dates already in the past are remembered
    return birth


def _check_18(s: str, today: dt.date | None, converted: bool = False) -> IdInfo:
    """The checks of a normalised 18-character number of ASCII digits (and a final X)."""
    if s[:2] not in _PROVINCE_PREFIXES:
        raise IdNumberError(f"身份证号前两位 {s[:2]} 不是有效的省级行政区划代码")
    birth = (_BIRTHS.get(s[6:14]) if today is None else None) or _id_birth(s, today)
    expected = _ID_CHECK[2 * int(s[:17], 13) % 11]                 # id_check_char, inlined
    if s[17] != expected:
        raise IdNumberError(f"身份证号校验位错误：最后一位应为 {expected}，请核对是否有数字录错")
    return IdInfo(s, birth, _MALE if s[16] in "13579" else _FEMALE, converted)


def excel_damage(raw: object) -> str | None:
    """The explanation when a value is what Excel made of a long number, else None."""
    if isinstance(raw, bool):
        return "身份证号不能是是/否值"
    if isinstance(raw, (int, float)):
        return "身份证号被 Excel 存成了数字，后几位已丢失，无法恢复；请把该列设为文本后重新录入"
    s = normalize_id_text(raw)
    if _SCI.match(s) or "E+" in s:
        return (f"身份证号显示为科学计数法（{s}），Excel 已丢失后几位数字，无法恢复；"
                "请向家长或原始名单要回完整的 18 位号码")
    return None


def parse_id_number(raw: object, *, today: dt.date | None = None) -> IdInfo:
    """Normalise and check a resident ID number (GB 11643-1999).

    A number (int/float) or scientific notation is refused: Excel has already lost digits.
    """
    if raw.__class__ is str and len(raw) == 18 and _CLEAN_ID.fullmatch(raw):
        return _check_18(raw, today)            # fast path: the same checks, nothing to clean
    damage = excel_damage(raw)
    if damage:
        raise IdNumberError(damage)
    s = normalize_id_text(raw)
    if not s:
        raise IdNumberError("身份证号为空")
    if len(s) == 15:
        if not _ID_SHAPE.fullmatch(s):
            raise IdNumberError("15 位身份证号只能由数字组成")
        body = s[:6] + "19" + s[6:]
        return _check_18(body + id_check_char(body), today, True)
    if len(s) != 18:
        raise IdNumberError(f"身份证号应为 18 位，现为 {len(s)} 位")
    if not _ID_SHAPE.fullmatch(s):
        raise IdNumberError("身份证号前 17 位必须是数字，最后一位是数字或 X")
    return _check_18(s, today)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def pupil_age_problem(birth: dt.date, today: dt.date) -> str | None:
    """Why a birth date is implausible for a pupil (older than 25 or younger than 2), else None."""
    age = age_on(birth, today)
    if age > OLDEST_PUPIL:
        return f"出生日期 {birth:%Y-%m-%d} 表示该学生已 {age} 岁，不像在校学生，请核对"
    if age < YOUNGEST_PUPIL:
        return f"出生日期 {birth:%Y-%m-%d} 表示该学生还不满 {YOUNGEST_PUPIL} 岁，不像在校学生，请核对"
    return None


def parse_student_id(raw: object, *, today: dt.date | None = None) -> IdInfo:
    """parse_id_number for a pupil: an old 15-digit number whose conversion (with "19", as the
    standard says) gives a birth date no pupil can have is refused with the reason. Such numbers
    are the 18-digit IDs of children born after 2000 cut to 15 digits, not real old IDs."""
    info = parse_id_number(raw, today=today)
    if info.converted_from_15:
        problem = pupil_age_problem(info.birth_date, today or dt.date.today())
        if problem:
            raise IdNumberError(
                f"15 位旧身份证号按国家标准补“19”后出生日期为 {info.birth_date:%Y-%m-%d}，学生不可能是这个年龄；"
                "15 位号码只发给 1999 年以前出生的人，这多半是截短或录错的号码，请核对原始 18 位身份证号")
    return info


def is_valid_id(raw: object) -> bool:
    try:
        parse_id_number(raw)
    except IdNumberError:
        return False
    return True


def normalize_student_no(raw: object, id_number: str | None = None) -> str:
    """学籍号: 'G' + the student's ID number, or 'L'/'J' + 18 letters and digits for children without
    a mainland ID. Raises ValueError with a Chinese message."""
    s = clean_text(raw).upper()
    if not s:
        raise ValueError("学籍号为空")
    if s[0] == "G":
        try:
            info = parse_id_number(s[1:])
        except IdNumberError as e:
            raise ValueError(f"G 字头学籍号应为 G+身份证号：{e}") from None
        if id_number and info.number != id_number:
            raise ValueError("G 字头学籍号中的身份证号与学生身份证号不一致")
        return "G" + info.number
    if s[0] in "LJ":
        if len(s) != 19 or not (s.isascii() and s[1:].isalnum()):
            raise ValueError(f"{s[0]} 字头学籍号应为 {s[0]} 加 18 位字母或数字")
        return s
    raise ValueError("学籍号应以 G（G+身份证号）、L 或 J 开头")


_LUHN_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")     # 2*d, minus 9 when above 9


def luhn_ok(digits: str) -> bool:
    """Luhn check of ASCII digits: every second digit from the right doubled (as bytes, in C)."""
    b = digits.encode("ascii")
    return (sum(b[::-2]) + sum(b[-2::-2].translate(_LUHN_DOUBLED)) - 48 * len(b)) % 10 == 0


class CardCheck(NamedTuple):
    number: str
    luhn_passed: bool


def check_bank_card(raw: object) -> CardCheck:
    """Bank card or passbook number: 16–19 digits. A Luhn failure is not fatal (some rural credit
    co-operative cards do not use it); the caller must then ask for the number twice."""
    if raw.__class__ is str and 16 <= len(raw) <= 19 and raw.isascii() and raw.isdigit():
        return CardCheck(raw, luhn_ok(raw))     # fast path: already clean
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise ValueError("银行卡号被存成了数字，可能已丢失位数；请按文本重新录入")
    s = clean_text(raw).replace("-", "")
    if not (s.isascii() and s.isdigit()):
        raise ValueError("银行卡号只能由数字组成")
    if not 16 <= len(s) <= 19:
        raise ValueError(f"银行卡号应为 16–19 位，现为 {len(s)} 位")
    return CardCheck(s, luhn_ok(s))


_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$", re.ASCII)


def normalize_phone(raw: object) -> str:
    s = clean_text(raw)
    if s.startswith("+86"):
        s = s[3:]
    if _MOBILE.match(s) or _LANDLINE.match(s):
        return s
    raise ValueError("电话号码应为 11 位手机号，或带区号的固定电话（如 0558-1234567）")


class DisabilityCard(NamedTuple):
    number: str                 # the 20 characters
    id_number: str              # its first 18: the holder's ID number
    category: str               # 视力 … 多重 (db.enums.DISABILITY_CATEGORIES), from the 19th digit
    grade: str                  # 一级 … 四级, from the 20th digit


class DisabilityCardError(ValueError):
    """str(e) names every part of a disability certificate number that is wrong; `parts` says which:
    "format", "id", "category", "grade"."""

    def __init__(self, message: str, parts: tuple[str, ...]):
        super().__init__(message)
        self.parts = parts


def _code_text(codes: tuple[str, ...]) -> str:
    return "、".join(f"{i} {c}" for i, c in enumerate(codes, 1))


def parse_disability_card(raw: object, *, id_number: str | None = None, category: str | None = None,
                          grade: str | None = None) -> DisabilityCard:
    """Check a 残疾人证号 (second-generation certificate: the holder's 18-character ID number, then one
    digit for the category and one for the grade) against the child's ID number, category and
    grade when they are given. Every part that disagrees is named in one message."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise DisabilityCardError("残疾人证号被 Excel 存成了数字，后几位已丢失；请按文本重新录入", ("format",))
    s = clean_text(raw).upper()
    if not s:
        raise DisabilityCardError("残疾人证号为空", ("format",))
    if len(s) == 18 and s == (id_number or s):
        raise DisabilityCardError("残疾人证号只填了身份证号，缺少末两位（残疾类别代码和残疾等级代码）", ("format",))
    if len(s) != 20:
        raise DisabilityCardError(
            f"残疾人证号应为 20 位（身份证号 18 位 + 残疾类别 1 位 + 残疾等级 1 位），现为 {len(s)} 位", ("format",))
    problems: dict[str, str] = {}
    try:
        holder = parse_id_number(s[:18]).number
    except IdNumberError as e:
        problems["id"] = f"残疾人证号前 18 位不是有效的身份证号（{e}）"
        holder = s[:18]
    if "id" not in problems and id_number and holder != id_number:
        diff = [str(i) for i, (a, b) in enumerate(zip(holder, id_number), 1) if a != b]
        problems["id"] = (f"残疾人证号前 18 位应与身份证号相同，第 {'、'.join(diff)} 位不同" if len(diff) <= 4 else
                          "残疾人证号前 18 位与身份证号不一致，请核对是否是这名儿童的证")
    cats, grades = DISABILITY_CATEGORIES, DISABILITY_GRADES
    found_cat = cats[int(s[18]) - 1] if s[18] in "1234567" else ""
    if not found_cat:
        problems["category"] = f"第 19 位是残疾类别代码（{_code_text(cats)}），现为“{s[18]}”"
    elif category and category != found_cat:
        want = f"应为 {cats.index(category) + 1}" if category in cats else "无此类别"
        problems["category"] = f"第 19 位残疾类别代码为 {s[18]}（{found_cat}），与所填类别“{category}”（{want}）不符"
    found_grade = grades[int(s[19]) - 1] if s[19] in "1234" else ""
    if not found_grade:
        problems["grade"] = f"第 20 位是残疾等级代码（{_code_text(grades)}），现为“{s[19]}”"
    elif grade and grade != found_grade:
        want = f"应为 {grades.index(grade) + 1}" if grade in grades else "无此等级"
        problems["grade"] = f"第 20 位残疾等级代码为 {s[19]}（{found_grade}），与所填等级“{grade}”（{want}）不符"
    if problems:
        raise DisabilityCardError("；".join(problems.values()), tuple(problems))
    return DisabilityCard(s, holder, found_cat, found_grade)


def mask_id(s: str | None) -> str:
    if not s:
        return ""
    if len(s) < 10:
        return "*" * len(s)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_card(s: str | None) -> str:
    if not s:
        return ""
    return s[:4] + "*" * max(len(s) - 8, 0) + s[-4:]


def mask_phone(s: str | None) -> str:
    if not s:
        return ""
    if len(s) <= 7:
        return "*" * len(s)
    return s[:3] + "*" * (len(s) - 7) + s[-4:]
