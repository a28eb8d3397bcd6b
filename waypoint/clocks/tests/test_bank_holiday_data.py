"""The bundled England and Wales bank holidays (2020-2030) and their loading into the database."""

import json
from collections import Counter
from datetime import date

import pytest

from waypoint.clocks.bank_holidays import BUNDLED_FILE, bundled_bank_holidays
from waypoint.clocks.models import BankHoliday

from .bank_holiday_rules import easter_sunday, england_and_wales

YEARS = range(2020, 2031)


@pytest.fixture(scope="module")
def entries():
    return json.loads(BUNDLED_FILE.read_text("utf-8"))


def test_file_is_a_list_of_date_and_title(entries):
    assert isinstance(entries, list)
    for entry in entries:
        assert set(entry) == {"date", "title"}
        assert date.fromisoformat(entry["date"]).isoformat() == entry["date"]
        assert entry["title"].strip() == entry["title"] != ""


def test_sorted_without_duplicates(entries):
    dates = [entry["date"] for entry in entries]
    assert dates == sorted(dates)
    assert len(set(dates)) == len(dates)


def test_eight_or_more_per_year_for_2020_to_2030(entries):
    per_year = Counter(date.fromisoformat(e["date"]).year for e in entries)
    assert set(per_year) == set(YEARS)
    assert all(per_year[year] >= 8 for year in YEARS)
    assert per_year[2022] == 10  # Platinum Jubilee and the State Funeral
    assert per_year[2023] == 9  # Coronation


def test_no_bank_holiday_falls_at_a_weekend(entries):
    weekend = [e for e in entries if date.fromisoformat(e["date"]).weekday() >= 5]
    assert weekend == []


def test_matches_the_rules_every_year(entries):
    expected = [(d.isoformat(), title) for year in YEARS for d, title in england_and_wales(year)]
    assert [(e["date"], e["title"]) for e in entries] == expected


@pytest.mark.parametrize(
    ("year", "dates"),
    [
        (2020, ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"]),
        (2021, ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"]),
        (
            2022,
            ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"],
        ),
        (2023, ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"]),
        (2024, ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"]),
        (2025, ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"]),
        (2026, ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"]),
        (2027, ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"]),
    ],
)
def test_known_years_exactly(entries, year, dates):
    """Hand-checked against GOV.UK's published lists."""
    in_file = [e["date"] for e in entries if e["date"].startswith(f"{year}-")]
    assert in_file == [f"{year}-{md}" for md in dates]


@pytest.mark.parametrize(
    ("day", "title"),
    [
        ("2022-06-03", "Platinum Jubilee bank holiday"),
        ("2022-09-19", "Bank holiday for the State Funeral of Queen Elizabeth II"),
        ("2023-05-08", "Bank holiday for the coronation of King Charles III"),
        ("2020-05-08", "Early May bank holiday (VE Day)"),
        ("2022-06-02", "Spring bank holiday"),
        ("2026-12-28", "Boxing Day (substitute day)"),
    ],
)
def test_one_offs_and_moved_days(entries, day, title):
    assert {"date": day, "title": title} in entries


def test_moved_days_are_not_also_on_the_usual_date(entries):
    dates = {e["date"] for e in entries}
    assert "2020-05-04" not in dates  # Early May moved to Friday 8 May for VE Day
    assert "2022-05-30" not in dates  # Spring bank holiday moved to Thursday 2 June


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2020, "04-12"), (2024, "03-31"), (2025, "04-20"), (2026, "04-05"), (2038, "04-25"), (2285, "03-22")],
)
def test_easter_algorithm(year, easter):
    assert easter_sunday(year).isoformat() == f"{year}-{easter}"


def test_bundled_reader_gives_dates_and_titles(entries):
    rows = bundled_bank_holidays()
    assert len(rows) == len(entries)
    assert rows[0] == (date(2020, 1, 1), "New Year's Day")


def test_migration_loaded_the_bundled_file(db, entries):
    assert BankHoliday.objects.count() == len(entries)
    assert BankHoliday.objects.filter(division="england-and-wales").count() == len(entries)
    good_friday = BankHoliday.objects.get(date=date(2026, 4, 3))
    assert (good_friday.title, good_friday.division) == ("Good Friday", "england-and-wales")
    assert str(good_friday) == "Good Friday (3 April 2026)"
