"""Amounts typed as yuan: parsed exactly to fen (db.money), refused when ambiguous."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.aid.common import amount_fen
from db.errors import ValidationError
from db.money import format_yuan, parse_yuan


@pytest.mark.parametrize("text,fen", [("312.5", 31250), ("312.50", 31250), ("0.01", 1), ("1,234.56", 123456),
                                      ("625元", 62500), (" 7 ", 700), ("0", 0)])
def test_yuan_text_to_fen(text, fen):
    assert amount_fen(text) == fen


@pytest.mark.parametrize("text", ["1.005", "-0.01", "abc", "", "1e3", "1.2.3"])
def test_bad_yuan_text_is_refused_with_a_field(text):
    with pytest.raises(ValidationError) as e:
        amount_fen(text)
    assert "amount" in e.value.problems


def test_ints_are_fen_and_bools_are_not_amounts():
    assert amount_fen(31250) == 31250
    with pytest.raises(ValidationError):
        amount_fen(-1)
    with pytest.raises(ValidationError):
        amount_fen(True)


@given(st.integers(0, 10**11 - 1))
def test_format_then_parse_round_trips_to_the_fen(fen):
    assert parse_yuan(format_yuan(fen)) == fen
