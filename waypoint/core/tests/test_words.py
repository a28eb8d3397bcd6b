"""Issue 18, item 12: the shared words of the pages (articles, the one date format, the team a form
chooses for the user)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from waypoint.accounts.teams import team_to_preselect
from waypoint.config.jinja2 import local_datetime, nhs_date, with_article


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("initial assessment", "an initial assessment"),
        ("holistic needs assessment", "a holistic needs assessment"),
        ("carer's assessment", "a carer's assessment"),
        ("mental capacity assessment", "a mental capacity assessment"),
        ("advance statement", "an advance statement"),
        ("outcome measure", "an outcome measure"),
        ("care plan", "a care plan"),
    ],
)
def test_with_article(phrase, expected):
    assert with_article(phrase) == expected


def test_one_date_format_in_named_styles():
    day = date(2026, 12, 2)
    assert nhs_date(day) == "2 December 2026"
    assert nhs_date(day, "short") == "2 Dec 2026"
    moment = timezone.make_aware(datetime(2026, 12, 2, 14, 30, 5))
    assert local_datetime(moment) == "2 December 2026 at 14:30"
    assert local_datetime(moment, "short") == "2 Dec 2026 14:30"
    assert local_datetime(moment, "short_date") == "2 Dec 2026"
    assert local_datetime(moment, "long_date") == "2 December 2026"
    assert local_datetime(moment, "short_seconds") == "2 Dec 2026 14:30:05"


def test_no_template_writes_a_date_as_numbers_with_slashes():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.jinja") if "%d/%m/%Y" in p.read_text()]
    assert offenders == []


def test_the_team_to_preselect():
    assert team_to_preselect([3, 5], primary=5) == 5
    assert team_to_preselect([3, 5], primary=7) is None  # not offered: the user chooses
    assert team_to_preselect([3], primary=None) == 3  # the only team offered
    assert team_to_preselect([], primary=3) is None


def test_no_page_shows_an_mhsds_code_beside_words():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    shown = [
        str(p.relative_to(root))
        for p in root.rglob("*.jinja")
        if "reports" not in p.parts and "fhir" not in p.parts and "(MHSDS" in p.read_text()
    ]
    assert shown == []
