"""Reading bank holiday files: our bundled JSON list and GOV.UK's bank-holidays.json."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from .models import BankHoliday, Division

DATA_DIR = Path(__file__).resolve().parent / "data"
BUNDLED_FILE = DATA_DIR / "bank-holidays-england-and-wales.json"


class BankHolidayFileError(ValueError):
    """The file is not in either format we read."""


def parse_bank_holidays(data, division: str = Division.ENGLAND_AND_WALES.value) -> list[tuple[date, str]]:
    """(date, title) pairs from either format, in date order.

    - our list: ``[{"date": "2026-04-03", "title": "Good Friday"}, ...]`` (all for `division`);
    - GOV.UK: ``{"england-and-wales": {"division": ..., "events": [{"date", "title", "notes",
      "bunting"}, ...]}, "scotland": {...}, ...}``: only `division`'s events are read.
    """
    if isinstance(data, dict):
        if division not in data:
            known = ", ".join(sorted(data)) or "none"
            raise BankHolidayFileError(f"The file has no {division!r} division (it has: {known}).")
        section = data[division]
        events = section.get("events") if isinstance(section, dict) else None
        if not isinstance(events, list):
            raise BankHolidayFileError(f"The {division!r} division has no list of events.")
    elif isinstance(data, list):
        events = data
    else:
        raise BankHolidayFileError("Expected a JSON list of holidays or GOV.UK's bank-holidays.json.")

    rows: dict[date, str] = {}
    for number, event in enumerate(events, start=1):
        try:
            day = date.fromisoformat(event["date"])
            title = str(event["title"]).strip()
        except (KeyError, TypeError, ValueError) as exc:
            raise BankHolidayFileError(
                f"Holiday {number} needs a YYYY-MM-DD date and a title ({exc})."
            ) from exc
        if not title:
            raise BankHolidayFileError(f"Holiday {number} ({day}) has no title.")
        rows[day] = title
    return sorted(rows.items())


def read_bank_holidays(
    path: Path | str, division: str = Division.ENGLAND_AND_WALES.value
) -> list[tuple[date, str]]:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise BankHolidayFileError(f"{path} is not valid JSON ({exc}).") from exc
    return parse_bank_holidays(data, division)


def bundled_bank_holidays() -> list[tuple[date, str]]:
    """The England and Wales bank holidays shipped with Waypoint (2020-2030), without the database."""
    return read_bank_holidays(BUNDLED_FILE, Division.ENGLAND_AND_WALES)


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def upsert_bank_holidays(rows: list[tuple[date, str]], division: str) -> UpsertResult:
    """Create or retitle BankHoliday rows for `division`. Idempotent; never deletes."""
    existing = {
        h.date: h for h in BankHoliday.objects.filter(division=division, date__in=[d for d, _ in rows])
    }
    to_create, to_update = [], []
    for day, title in rows:
        holiday = existing.get(day)
        if holiday is None:
            to_create.append(BankHoliday(division=division, date=day, title=title))
        elif holiday.title != title:
            holiday.title = title
            to_update.append(holiday)
    BankHoliday.objects.bulk_create(to_create)
    BankHoliday.objects.bulk_update(to_update, ["title"])
    return UpsertResult(len(to_create), len(to_update), len(rows) - len(to_create) - len(to_update))
