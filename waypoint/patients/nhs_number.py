"""NHS numbers: ten digits, the last a Modulus 11 check digit. Shown as 3-3-4 (e.g. 999 123 4560)."""

import re

_SEPARATORS = re.compile(r"[\s-]+")


def normalise_nhs_number(raw: str) -> str:
    """Remove spaces and hyphens; does not validate."""
    return _SEPARATORS.sub("", raw or "")


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no check digit can make them valid."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(raw: str) -> bool:
    digits = normalise_nhs_number(raw)
    if len(digits) != 10 or not digits.isdigit():
        return False
    return check_digit(digits[:9]) == int(digits[9])


def format_nhs_number(value: str | None) -> str:
    if not value:
        return ""
    digits = normalise_nhs_number(value)
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def nhs_number_problem(raw: str) -> str | None:
    """A plain-English message saying what is wrong with an NHS number, or None if it is valid."""
    digits = normalise_nhs_number(raw)
    if not digits.isdigit():
        return "NHS number must contain only numbers and spaces"
    if len(digits) != 10:
        return "NHS number must be 10 digits"
    if not is_valid_nhs_number(digits):
        return "NHS number is not valid: check each digit has been typed correctly"
    return None
