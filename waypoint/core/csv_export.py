"""The one CSV writer for every download Waypoint offers, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula ("CSV injection"): a name typed as
`=HYPERLINK("https://evil.example", "Click")` would become a live link in the waiting list.
As OWASP recommends, such a cell is written with a single quote in front (`'=HYPERLINK(...`), so
the spreadsheet shows the text as typed and runs nothing.

Numbers: a value Waypoint itself computes as a number (an `int`, `float` or `Decimal`, such as
days waited) is written as it is, so `-3` stays a number a spreadsheet can add up. Text that is
only a plain number (`-3`, `-0.5`, ASCII digits, at most one point) cannot be a formula and is
written as it is too. Every other text starting with one of those characters is quoted,
including `-1+1` and `-2 days`. Dates and times are written as `2026-03-27 14:30`, which start
with a digit and are never changed.
"""

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet should see it: formula-like text gets a leading single quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """`csv.writer` with every cell passed through `safe_cell`."""

    def __init__(self, handle: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle: Any, **kwargs: Any) -> SafeWriter:
    """Use instead of `csv.writer` for anything a person may open in a spreadsheet."""
    return SafeWriter(handle, **kwargs)
