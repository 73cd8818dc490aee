import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from hypothesis import strategies as st

from db.enums import Gender
from db.exchange.import_rows import RowChecker
from db.money import format_yuan, parse_yuan
from db.registry.dto import StudentForm
from db.registry.rules import validate_student
from db.validators import (
    IdNumberError,
    check_bank_card,
    id_check_char,
    luhn_ok,
    mask_card,
    mask_id,
    mask_phone,
    normalize_id_text,
    normalize_phone,
    normalize_student_no,
    parse_id_number,
)

VALID = "11010519491231002X"   # the GB 11643 example


def make(body17: str) -> str:
    return body17 + id_check_char(body17)


def test_check_character_of_the_standard_example():
    assert id_check_char(VALID[:17]) == "X"
    info = parse_id_number(VALID)
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == Gender.FEMALE
    assert not info.converted_from_15


@pytest.mark.parametrize("raw", [
    "11010519491231002x", " 110105 19491231002X\t", "'11010519491231002X",
    "１１０１０５１９４９１２３１００２ｘ", "110105194912310\n02X",
])
def test_messy_forms_normalise(raw):
    assert parse_id_number(raw).number == VALID


def test_gender_from_the_17th_digit():
    male = make("34162320100503001")
    assert parse_id_number(male).gender == Gender.MALE


def test_fifteen_digit_id_is_converted():
    info = parse_id_number("341623100503001")
    assert info.converted_from_15
    assert info.number == make("34162319100503001")
    assert info.birth_date == dt.date(1910, 5, 3)


@pytest.mark.parametrize("raw, words", [
    ("110105194912310021", "校验位错误"),
    ("1101051949123100", "18 位"),
    ("11010519491332002X", "不是有效日期"),
    ("00010519491231002X", "行政区划"),
    ("3.41623E+17", "科学计数法"),
    (341623201005030010, "数字"),
    (3.41623201005030e17, "数字"),
    ("", "为空"),
    ("1101051949123100AX", "前 17 位"),
])
def test_bad_ids_are_refused_with_a_reason(raw, words):
    with pytest.raises(IdNumberError, match=words):
        parse_id_number(raw)


def test_future_birth_date_is_refused():
    body = "34162320990101001"
    with pytest.raises(IdNumberError, match="不合理"):
        parse_id_number(make(body), today=dt.date(2026, 1, 1))


def test_student_no_forms():
    assert normalize_student_no("g" + VALID.lower()) == "G" + VALID
    assert normalize_student_no("L" + "2" * 18) == "L" + "2" * 18
    with pytest.raises(ValueError, match="不一致"):
        normalize_student_no("G" + VALID, make("34162320100503001"))
    with pytest.raises(ValueError, match="开头"):
        normalize_student_no("X123")


def test_bank_card_luhn_and_lengths():
    assert luhn_ok("6228480402564890018")
    assert check_bank_card("6228 4804 0256 4890 018").luhn_passed
    assert not check_bank_card("6228480402564890017").luhn_passed
    with pytest.raises(ValueError, match="16–19"):
        check_bank_card("123456")
    with pytest.raises(ValueError, match="数字"):
        check_bank_card(6228480402564890018)


def test_phones():
    assert normalize_phone("138 0558 1234") == "13805581234"
    assert normalize_phone("+8613805581234") == "13805581234"
    assert normalize_phone("0558-1234567") == "0558-1234567"
    with pytest.raises(ValueError):
        normalize_phone("12345")


def test_masks_hide_the_middle():
    assert mask_id(VALID) == "110105********002X"
    assert mask_card("6228480402564890018") == "6228***********0018"
    assert mask_phone("13805581234") == "138****1234"
    assert mask_phone("0558-1234567") == "055*****4567"
    assert mask_id(None) == "" and mask_card("") == ""


@pytest.mark.parametrize("text, fen", [("312.5", 31250), ("0.1", 10), ("1,250", 125000), ("625.00元", 62500),
                                       ("0", 0)])
def test_parse_yuan(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text, words", [("-1", "负数"), ("1.005", "两位小数"), ("abc", "不是有效金额"),
                                         ("", "不是有效金额")])
def test_parse_yuan_refuses(text, words):
    with pytest.raises(ValueError, match=words):
        parse_yuan(text)


def test_format_yuan():
    assert format_yuan(31250) == "312.50"
    assert format_yuan(123456789) == "1,234,567.89"
    assert format_yuan(-5) == "-0.05"


# ---- properties -----------------------------------------------------------------------------------


@st.composite
def id_bodies(draw):
    region = draw(st.sampled_from(["341623", "110105", "440305", "650102"]))
    day = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2020, 12, 31)))
    seq = draw(st.integers(0, 999))
    return f"{region}{day:%Y%m%d}{seq:03d}"


@given(id_bodies())
def test_any_generated_id_round_trips(body):
    number = make(body)
    info = parse_id_number(number)
    assert info.number == number
    assert info.birth_date.strftime("%Y%m%d") == body[6:14]


@given(id_bodies(), st.integers(0, 16), st.integers(1, 9))
def test_a_single_wrong_digit_is_always_caught(body, pos, delta):
    number = make(body)
    wrong = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1:]
    with pytest.raises(IdNumberError):
        parse_id_number(wrong)


@given(st.one_of(id_bodies().map(make), st.text("0123456789X", min_size=18, max_size=18)))
def test_the_fast_path_for_clean_ids_agrees_with_the_general_path(number):
    """A clean 18-character ID takes a shortcut; the same ID with a space (general path) must give
    the same result or the same refusal."""
    def outcome(raw):
        try:
            return parse_id_number(raw)
        except IdNumberError as e:
            return str(e)
    assert outcome(number) == outcome(f" {number}")


@given(st.text("0123456789", min_size=1, max_size=19))
def test_luhn_agrees_with_the_textbook_definition(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    assert luhn_ok(digits) == (total % 10 == 0)


def test_non_ascii_digits_are_refused_not_crashed():
    with pytest.raises(IdNumberError):
        parse_id_number("３４１６２３２０１０٠٥０３１２３４")    # Arabic-Indic zero in the date
    with pytest.raises(ValueError):
        check_bank_card("622848００１２３４５６７８٩")


@given(st.text("0123456789", min_size=17, max_size=17))
def test_check_character_agrees_with_the_weights_of_the_standard(first17):
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    assert id_check_char(first17) == "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


# ---- one normalisation for every entry path (issue 10, items 2 and 5) -----------------------------

_NOISE = [" ", "\t", "\u00a0", "\u3000", "\u200b", "\n"]
_FULL = {str(d): chr(0xFF10 + d) for d in range(10)}


@hst.composite
def messy_ids(draw):
    """A valid ID (sometimes with a wrong check character), written the ways real files write it."""
    birth = draw(hst.dates(dt.date(1960, 1, 1), dt.date(2018, 12, 31)))
    body = f"{draw(hst.sampled_from(['341623', '110105', '440304', '650102']))}{birth:%Y%m%d}" \
           f"{draw(hst.integers(0, 999)):03d}"
    check = id_check_char(body)
    if draw(hst.booleans()) and draw(hst.booleans()):
        check = draw(hst.sampled_from([c for c in "0123456789X" if c != check]))
    chars = []
    for ch in body + check:
        if ch.isdigit() and draw(hst.integers(0, 3)) == 0:
            ch = _FULL[ch]
        elif ch == "X":
            ch = draw(hst.sampled_from(["X", "x", "ｘ", "Ｘ"]))
        if draw(hst.integers(0, 6)) == 0:
            ch = draw(hst.sampled_from(_NOISE)) + ch
        chars.append(ch)
    text = "".join(chars)
    quote = draw(hst.sampled_from(["", "'", "‘", "`"]))
    return quote + text + draw(hst.sampled_from(["", " ", "\t", "\u00a0"]))


def _import_path(raw: str) -> str | None:
    rec = RowChecker(today=dt.date(2026, 1, 1)).check([2], {"name": ["王一"], "id_number": [raw]})[0]
    return rec.id_number if rec.ok else None


def _form_path(raw: str) -> str | None:
    form, problems = validate_student(StudentForm(name="王一", id_number=raw), today=dt.date(2026, 1, 1))
    return None if "id_number" in problems else form.id_number


@settings(max_examples=400, deadline=None)
@given(messy_ids())
def test_the_form_and_the_importer_read_every_messy_id_the_same(raw):
    form, imported = _form_path(raw), _import_path(raw)
    assert form == imported
    if form is not None:
        assert form.isascii() and len(form) == 18 and form == normalize_id_text(raw)


def test_a_full_width_digit_never_passes_the_fast_path_as_it_is():
    number = "341622201005263186"
    odd = number[:8] + "１" + number[9:]
    assert parse_id_number(odd).number == number
    assert _import_path(odd) == number
