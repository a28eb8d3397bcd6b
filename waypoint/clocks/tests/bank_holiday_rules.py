"""The England and Wales bank holiday rules, written out independently of the bundled JSON.

Used by the data tests to check every entry of
`waypoint/clocks/data/bank-holidays-england-and-wales.json` (2020-2030). The one-off holidays
and moved days are facts from the proclamations, not rules, so they are listed by hand.
"""

from datetime import date, timedelta

MONDAY, FRIDAY, SATURDAY, SUNDAY = 0, 4, 5, 6

# One-off bank holidays proclaimed for particular years.
ONE_OFFS = {
    date(2022, 6, 3): "Platinum Jubilee bank holiday",
    date(2022, 9, 19): "Bank holiday for the State Funeral of Queen Elizabeth II",
    date(2023, 5, 8): "Bank holiday for the coronation of King Charles III",
}
# Regular bank holidays moved by proclamation: year -> (usual title, moved date, new title).
MOVED = {
    2020: ("Early May bank holiday", date(2020, 5, 8), "Early May bank holiday (VE Day)"),
    2022: ("Spring bank holiday", date(2022, 6, 2), "Spring bank holiday"),
}


def easter_sunday(year: int) -> date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(MONDAY - first.weekday()) % 7)


def last_monday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - MONDAY) % 7)


def england_and_wales(year: int) -> list[tuple[date, str]]:
    """Every England and Wales bank holiday in `year`, in date order."""
    holidays: list[tuple[date, str]] = []

    new_year = date(year, 1, 1)
    if new_year.weekday() >= SATURDAY:
        new_year += timedelta(days=7 - new_year.weekday())
        holidays.append((new_year, "New Year's Day (substitute day)"))
    else:
        holidays.append((new_year, "New Year's Day"))

    easter = easter_sunday(year)
    holidays.append((easter - timedelta(days=2), "Good Friday"))
    holidays.append((easter + timedelta(days=1), "Easter Monday"))
    holidays.append((first_monday(year, 5), "Early May bank holiday"))
    holidays.append((last_monday(year, 5), "Spring bank holiday"))
    holidays.append((last_monday(year, 8), "Summer bank holiday"))

    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == SATURDAY:  # Monday 27 and Tuesday 28 instead
        holidays.append((date(year, 12, 27), "Christmas Day (substitute day)"))
        holidays.append((date(year, 12, 28), "Boxing Day (substitute day)"))
    elif christmas.weekday() == SUNDAY:  # Boxing Day on Monday 26, Christmas on Tuesday 27
        holidays.append((boxing, "Boxing Day"))
        holidays.append((date(year, 12, 27), "Christmas Day (substitute day)"))
    elif christmas.weekday() == FRIDAY:  # Boxing Day falls on Saturday: Monday 28 instead
        holidays.append((christmas, "Christmas Day"))
        holidays.append((date(year, 12, 28), "Boxing Day (substitute day)"))
    else:
        holidays.append((christmas, "Christmas Day"))
        holidays.append((boxing, "Boxing Day"))

    if year in MOVED:
        usual_title, moved_to, new_title = MOVED[year]
        holidays = [(d, t) for d, t in holidays if t != usual_title]
        holidays.append((moved_to, new_title))
    holidays.extend((d, t) for d, t in ONE_OFFS.items() if d.year == year)
    return sorted(holidays)
