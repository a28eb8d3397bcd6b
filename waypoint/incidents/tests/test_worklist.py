"""An incident naming a person not reviewed within 5 working days is on their worklist."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from waypoint.incidents.factories import IncidentFactory, IncidentPersonFactory
from waypoint.incidents.worklist import review_overdue


@pytest.mark.django_db
def test_not_reviewed_after_five_working_days(person, django_assert_max_num_queries):
    monday = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    incident = IncidentFactory(reported_at=monday, occurred_at=monday)
    IncidentPersonFactory(incident=incident, person=person)
    assert review_overdue([person.pk], datetime.date(2026, 3, 9)) == []  # due Monday 9 March
    with django_assert_max_num_queries(2):
        items = review_overdue([person.pk], datetime.date(2026, 3, 10))
    assert [item.due for item in items] == [datetime.date(2026, 3, 9)]
