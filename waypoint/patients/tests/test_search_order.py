"""Name search orders results the same whichever plan it lets the database use (search.py,
`trigram_order`): family name, given name, date of birth; only people the user may see."""

import datetime

import pytest

from waypoint.patients import selectors
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.patients.search import SAME_ORDER_WITHOUT_THE_INDEX, trigram_order


@pytest.mark.parametrize(
    ("query", "driven_by_trigrams"),
    [
        ("Synthwell", True),
        ("syn", True),
        ("Sam Synthwell", True),
        ("Synthwell 17/05/1980", True),  # the date is matched exactly, the word by trigrams
        ("sy", False),  # no trigram in two letters: the ordered walk is faster
        ("Sam Sy", False),
        ("999 000 0158", False),  # NHS number: exact index
        ("9990000158", False),
        ("17/05/1980", False),  # date of birth: exact index
        ("", False),
        ("   ", False),
    ],
)
def test_which_searches_let_the_trigram_indexes_drive(query, driven_by_trigrams):
    assert (trigram_order(query) == SAME_ORDER_WITHOUT_THE_INDEX) is driven_by_trigrams
    if not driven_by_trigrams:
        assert trigram_order(query) is None


@pytest.mark.django_db
def test_the_results_are_in_the_records_order_either_way(team, coordinator, other_team):
    born = datetime.date(1980, 5, 17)
    names = [
        ("Synthwell", "Zoe", born),
        ("Synthwell", "Adam", born + datetime.timedelta(days=2)),
        ("Synthwell", "Adam", born),
        ("Asynthby", "Mo", born),
        ("Synthwellson", "Bea", born),
    ]
    seen = [
        TeamRegistrationFactory(
            team=team, person__family_name=family, person__given_name=given, person__date_of_birth=day
        ).person
        for family, given, day in names
    ]
    TeamRegistrationFactory(team=other_team, person__family_name="Synthwell", person__given_name="Al")
    PersonFactory(family_name="Synthwell", given_name="Ann")  # on nobody's books
    expected = sorted(seen, key=lambda p: (p.family_name, p.given_name, p.date_of_birth))
    found = list(selectors.search_visible(coordinator, "synth"))  # ordered without the index
    assert [p.pk for p in found] == [p.pk for p in expected]
    short = list(selectors.search_visible(coordinator, "sy"))  # the default order
    assert [p.pk for p in short] == [p.pk for p in expected]
    assert [p.pk for p in selectors.search_visible(coordinator, "synth", limit=2)] == [
        p.pk for p in expected[:2]
    ]
