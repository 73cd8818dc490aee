"""残疾人证号 (RELIABILITY T14): the 18-character ID number of the holder, then the category digit
(1 视力 … 7 多重) and the grade digit (1 一级 … 4 四级); every part that disagrees is named."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.enums import DISABILITY_CATEGORIES, DISABILITY_GRADES
from db.validators import DisabilityCardError, id_check_char, parse_disability_card

BODY = "34162320120305123"
ID = BODY + id_check_char(BODY)               # 341623201203051236
X_ID = "11010519491231002X"                   # the GB 11643 example, check character X


def card(idn: str = ID, cat: int = 4, grade: int = 2) -> str:
    return f"{idn}{cat}{grade}"


def test_a_good_number_gives_its_parts():
    c = parse_disability_card(card(), id_number=ID, category="肢体", grade="二级")
    assert c == (ID + "42", ID, "肢体", "二级")


@pytest.mark.parametrize("raw", [f" {ID}42 ", ID.lower() + "42", "'" + ID + "42",
                                 "３４１６２３２０１２０３０５１２３６４２"])
def test_spaces_apostrophes_and_full_width_digits_are_cleaned(raw):
    assert parse_disability_card(raw).number == ID + "42"


def test_an_x_check_character_is_upper_cased():
    assert parse_disability_card(X_ID.lower() + "71").number == X_ID + "71"


@pytest.mark.parametrize("raw, parts, words", [
    ("", ("format",), "为空"),
    (ID, ("format",), "缺少末两位"),
    (ID + "4", ("format",), "应为 20 位.*现为 19 位"),
    (ID + "421", ("format",), "现为 21 位"),
    (ID[:17] + "0" + "42", ("id",), "校验位"),
    (ID + "82", ("category",), "第 19 位是残疾类别代码.*“8”"),
    (ID + "45", ("grade",), "第 20 位是残疾等级代码.*“5”"),
    (ID + "52", ("category",), "第 19 位残疾类别代码为 5（智力），与所填类别“肢体”（应为 4）不符"),
    (ID + "43", ("grade",), "第 20 位残疾等级代码为 3（三级），与所填等级“二级”（应为 2）不符"),
    (ID + "53", ("category", "grade"), "类别.*；.*等级"),
    (X_ID + "42", ("id",), "与身份证号不一致"),
])
def test_table_of_wrong_numbers(raw, parts, words):
    with pytest.raises(DisabilityCardError, match=words) as e:
        parse_disability_card(raw, id_number=ID, category="肢体", grade="二级")
    assert e.value.parts == parts


def test_a_number_stored_by_excel_is_refused():
    with pytest.raises(DisabilityCardError, match="Excel"):
        parse_disability_card(34162320120305123642)


def test_an_id_part_that_differs_in_a_digit_or_two_says_where():
    other_body = BODY[:-1] + "5"
    other = other_body + id_check_char(other_body)
    with pytest.raises(DisabilityCardError, match=r"第 17、18 位不同"):
        parse_disability_card(other + "42", id_number=ID)


ids = st.builds(lambda region, days, seq: (lambda b: b + id_check_char(b))(
    f"{region}{dt.date(2005, 1, 1) + dt.timedelta(days=days):%Y%m%d}{seq:03d}"),
    st.sampled_from(["341623", "110105", "440304"]), st.integers(0, 5000), st.integers(0, 999))


@given(ids, st.integers(0, 6), st.integers(0, 3))
def test_every_valid_number_round_trips(idn, c, g):
    got = parse_disability_card(f"{idn}{c + 1}{g + 1}", id_number=idn, category=DISABILITY_CATEGORIES[c],
                                grade=DISABILITY_GRADES[g])
    assert got.id_number == idn and got.category == DISABILITY_CATEGORIES[c] and got.grade == DISABILITY_GRADES[g]


@given(ids, st.integers(0, 6), st.integers(0, 6), st.integers(0, 3))
def test_a_category_digit_that_disagrees_is_named_and_only_it(idn, c, other, g):
    if other == c:
        return
    with pytest.raises(DisabilityCardError) as e:
        parse_disability_card(f"{idn}{other + 1}{g + 1}", id_number=idn, category=DISABILITY_CATEGORIES[c],
                              grade=DISABILITY_GRADES[g])
    assert e.value.parts == ("category",) and DISABILITY_CATEGORIES[c] in str(e.value)


@given(ids, st.integers(0, 3), st.integers(0, 9))
def test_a_grade_digit_that_disagrees_is_named_and_only_it(idn, g, digit):
    if digit == g + 1:
        return
    with pytest.raises(DisabilityCardError) as e:
        parse_disability_card(f"{idn}4{digit}", id_number=idn, category="肢体", grade=DISABILITY_GRADES[g])
    assert e.value.parts == ("grade",)


@given(ids, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_error_in_the_id_part_is_caught(idn, pos, delta):
    wrong = idn[:pos] + str((int(idn[pos]) + delta) % 10) + idn[pos + 1:]
    with pytest.raises(DisabilityCardError) as e:
        parse_disability_card(wrong + "42", id_number=idn, category="肢体", grade="二级")
    assert e.value.parts == ("id",)


@given(ids)
def test_the_number_is_text_of_twenty_characters(idn):
    got = parse_disability_card(idn + "71")
    assert isinstance(got.number, str) and len(got.number) == 20 and got.number.startswith(idn)
