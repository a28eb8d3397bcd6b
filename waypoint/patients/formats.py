"""The formats MHSDS checks for a postcode and a GP practice's ODS code, in one place: the person
and GP practice forms refuse a bad one when it is typed, and the data quality report finds the ones
already held (reports/quality.py)."""

import re

# The UK postcode format (the outward code, a space optional, the inward code), as MHSDS checks it.
# The NHS pseudo-postcodes (ZZ99 3VZ, no fixed abode) fit it.
POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2})$")
# A GP practice's ODS code: one letter and five digits (MHSDS GMPReg / OrgIDGPPrac).
GP_PRACTICE_CODE = re.compile(r"^[A-Z][0-9]{5}$")


def normalise_postcode(value: str) -> str:
    """Upper case, one space before the inward code: "sw1a1aa" -> "SW1A 1AA"."""
    compact = "".join(value.split()).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_problem(value: str) -> str | None:
    if not POSTCODE.match(normalise_postcode(value)):
        return "Enter a real postcode, like SW1A 1AA (or ZZ99 3VZ for no fixed abode)"
    return None


def gp_practice_code_problem(value: str) -> str | None:
    if not GP_PRACTICE_CODE.match(value.strip().upper()):
        return "Enter the practice's ODS code: one letter then five numbers, like A81001"
    return None
