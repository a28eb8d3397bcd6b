from hypothesis import given
from hypothesis import strategies as st

from waypoint.patients.factories import valid_test_nhs_number
from waypoint.patients.nhs_number import (
    check_digit,
    format_nhs_number,
    is_valid_nhs_number,
    nhs_number_problem,
    normalise_nhs_number,
)

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def test_known_examples():
    assert is_valid_nhs_number("943 476 5919")
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918")
    assert not is_valid_nhs_number("943476591")
    assert not is_valid_nhs_number("94347659199")
    assert not is_valid_nhs_number("94347659A9")
    assert format_nhs_number("9434765919") == "943 476 5919"


@given(nine_digits)
def test_the_computed_check_digit_is_always_valid(nine):
    digit = check_digit(nine)
    if digit is None:
        assert not any(is_valid_nhs_number(nine + str(d)) for d in range(10))
    else:
        assert is_valid_nhs_number(nine + str(digit))


@given(nine_digits, st.integers(min_value=0, max_value=9))
def test_exactly_one_check_digit_is_valid(nine, other):
    digit = check_digit(nine)
    if digit is not None and other != digit:
        assert not is_valid_nhs_number(nine + str(other))


@given(nine_digits, st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
def test_any_single_digit_error_is_caught(nine, position, change):
    digit = check_digit(nine)
    if digit is None:
        return
    number = list(nine + str(digit))
    number[position] = str((int(number[position]) + change) % 10)
    assert not is_valid_nhs_number("".join(number))


@given(nine_digits)
def test_spaces_and_hyphens_are_accepted_and_display_is_3_3_4(nine):
    digit = check_digit(nine)
    if digit is None:
        return
    number = nine + str(digit)
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    assert is_valid_nhs_number(spaced)
    assert is_valid_nhs_number(f" {number[:3]}-{number[3:6]}-{number[6:]} ")
    assert normalise_nhs_number(spaced) == number
    assert format_nhs_number(number) == spaced
    assert nhs_number_problem(spaced) is None


@given(st.integers(min_value=0, max_value=10**6))
def test_test_numbers_are_in_the_999_range_and_valid(n):
    number = valid_test_nhs_number(n)
    assert number.startswith("999") and is_valid_nhs_number(number)


def test_problems_are_plain_english():
    assert nhs_number_problem("12345") == "NHS number must be 10 digits"
    assert nhs_number_problem("12345abcde") == "NHS number must contain only numbers and spaces"
    assert "not valid" in nhs_number_problem("9434765918")
