import datetime as dt

import pytest

from db.errors import ValidationError
from db.terms import Term, parse_month_day, parse_term, term_of


@pytest.mark.parametrize("text,year,season", [
    ("2020秋", 2020, "秋"), ("2021春", 2021, "春"), ("2020年秋季学期", 2020, "秋"),
    ("2021年春季学期", 2021, "春"), (" 2020 年 秋季 ", 2020, "秋"), ("2020-2021学年第一学期", 2020, "秋"),
    ("2020-2021学年第二学期", 2021, "春"),
])
def test_parse_term_forms(text, year, season):
    assert parse_term(text) == Term(year, season)


@pytest.mark.parametrize("bad", ["", "2020", "2020冬", "秋2020", "20秋", "2020-2022学年第一学期", "1899秋", None])
def test_bad_terms_are_refused_in_chinese(bad):
    with pytest.raises(ValidationError) as e:
        parse_term(bad)
    assert "学期" in str(e.value)


def test_school_year_labels_and_order():
    autumn, spring = parse_term("2020秋"), parse_term("2021春")
    assert autumn.school_year == spring.school_year == "2020-2021"
    assert autumn.label == "2020年秋季学期" and spring.short == "2021春"
    assert autumn.key < spring.key and autumn.next() == spring and spring.next() == Term(2021, "秋")
    assert Term.from_key(autumn.key) == autumn


def test_deadlines_default_and_edited():
    assert parse_term("2021春").deadline() == dt.date(2021, 6, 15)
    assert parse_term("2020秋").deadline() == dt.date(2020, 9, 25)
    assert parse_term("2020秋").deadline("10-8") == dt.date(2020, 10, 8)
    with pytest.raises(ValidationError):
        parse_month_day("13-01")


def test_term_of_a_date():
    assert term_of(dt.date(2021, 1, 10)) == Term(2020, "秋")
    assert term_of(dt.date(2021, 3, 1)) == Term(2021, "春")
    assert term_of(dt.date(2021, 9, 1)) == Term(2021, "秋")
