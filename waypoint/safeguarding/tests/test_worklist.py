"""A referral to the local authority with no outcome after 10 working days is on the worklist."""

import datetime

import pytest

from waypoint.safeguarding.factories import ConcernFactory
from waypoint.safeguarding.worklist import referral_outcome_overdue
from waypoint.worklist.registry import Severity


@pytest.mark.django_db
def test_no_outcome_after_ten_working_days_is_overdue(person, django_assert_max_num_queries):
    monday = datetime.date(2026, 3, 2)
    ConcernFactory(person=person, referred_on=monday)
    # Ten working days after Monday 2 March is Monday 16 March: due that day, overdue after it.
    assert referral_outcome_overdue([person.pk], datetime.date(2026, 3, 16)) == []
    with django_assert_max_num_queries(2):
        items = referral_outcome_overdue([person.pk], datetime.date(2026, 3, 17))
    assert len(items) == 1
    assert items[0].due == datetime.date(2026, 3, 16) and items[0].severity == Severity.OVERDUE


@pytest.mark.django_db
def test_an_outcome_or_no_referral_is_not_due(person):
    monday = datetime.date(2026, 3, 2)
    ConcernFactory(person=person, referred_on=monday, outcome="NFA (synthetic)", outcome_on=monday)
    ConcernFactory(person=person)
    assert referral_outcome_overdue([person.pk], datetime.date(2026, 6, 1)) == []
