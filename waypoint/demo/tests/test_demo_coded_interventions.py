"""The demo's coded interventions (issue 10 part 4 of the 4-week clock): only for seen referrals,
dated after the first attended contact and never in the future, with a code Waypoint offers."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from waypoint.accounts.factories import UserFactory
from waypoint.contacts.interventions import TERMS
from waypoint.contacts.models import CodedIntervention
from waypoint.demo.contacts_data import build_coded_interventions
from waypoint.patients.factories import PersonFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status

pytestmark = pytest.mark.django_db


def test_seen_referrals_get_some_and_unseen_ones_none(team):
    today = timezone.localdate()
    seen, unseen = [], []
    for n in range(30):
        person = PersonFactory()
        ReferralFactory(
            person=person,
            team=team,
            status=Status.IN_ASSESSMENT,
            received_at=timezone.now() - timedelta(days=40),
            first_contact_attended_at=timezone.now() - timedelta(days=n),
        )
        seen.append(person)
    for _ in range(5):
        person = PersonFactory()
        ReferralFactory(person=person, team=team, status=Status.IN_ASSESSMENT)
        unseen.append(person)
    made = build_coded_interventions(
        people=seen + unseen, staff={"coordinator": UserFactory()}, rng=random.Random(3)
    )
    rows = list(CodedIntervention.objects.select_related("person"))
    assert made["coded_interventions"] == len(rows) > 0
    assert {row.person for row in rows} <= set(seen)
    for row in rows:
        assert row.date <= today and TERMS[row.code] == row.term and row.team == team
        first = row.person.referrals.get().first_contact_attended_at
        assert row.date >= timezone.localdate(first)
