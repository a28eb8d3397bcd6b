"""The synthetic Trust has safeguarding concerns, incidents at each degree of harm and MDT meetings."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from waypoint.incidents.models import Harm, Incident, IncidentAction
from waypoint.meetings.models import Discussion, Meeting, MeetingKind
from waypoint.safeguarding.models import About, Concern, HouseholdMember, Status


@pytest.mark.django_db
def test_demo_trust_has_concerns_incidents_and_meetings():
    call_command("build_demo_trust", size=300, verbosity=0, stdout=StringIO())
    concerns = list(Concern.objects.all())
    assert {c.about for c in concerns} >= {About.PERSON, About.CHILD}
    assert {c.status for c in concerns} == {Status.OPEN, Status.CLOSED}
    children = [c for c in concerns if c.about == About.CHILD]
    assert children and all(c.household_member.person_id == c.person_id for c in children)
    assert HouseholdMember.objects.count() == len(children) + 1
    assert {i.harm for i in Incident.objects.all()} == set(Harm.values)
    today = timezone.localdate()
    mdt = Meeting.objects.filter(kind=MeetingKind.MDT)
    assert mdt.filter(held_on__lt=today).count() == 2 and mdt.filter(held_on__gte=today).count() == 1
    assert Meeting.objects.filter(kind=MeetingKind.REFLECTIVE).exists()
    assert Discussion.objects.filter(note__signed_at__isnull=False).count() == 4
    assert IncidentAction.objects.filter(task__isnull=False, incident__harm=Harm.MODERATE).exists()
    upcoming = mdt.get(held_on__gte=today)
    manager = upcoming.chair
    from waypoint.meetings.selectors import agenda_for

    reasons = [reason for row in agenda_for(upcoming, manager, today) for reason in row.reasons]
    assert any(reason.startswith("Discharge planned for") for reason in reasons)
    call_command("build_demo_trust", size=1, verbosity=0, stdout=StringIO())
    assert Concern.objects.count() == len(concerns)
    assert HouseholdMember.objects.count() == len(children) + 1
