"""The bulk path of the synthetic Trust at a tiny size (issue 19): the same code that builds
250,000 people, with the thresholds lowered so 60 people take it. Runs on SQLite and PostgreSQL."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from waypoint.audit.models import AuditEvent
from waypoint.contacts.models import Contact
from waypoint.demo.management.commands import build_demo_trust as command
from waypoint.episodes.models import Allocation, AllocationKind, Episode, EpisodeStatus
from waypoint.notes.models import Note
from waypoint.patients.models import Person
from waypoint.patients.nhs_number import check_digit


@pytest.fixture
def tiny_big_trust(db, monkeypatch):
    # 10 people built as the demo is; the other 50 as a big Trust's are: 12% current, the rest
    # discharged; the named teams hold 4 current people, so numbered CMHTs take the others.
    monkeypatch.setattr(command, "ALL_CURRENT", 10)
    monkeypatch.setattr(command, "NAMED_TEAMS_HOLD", 4)
    monkeypatch.setattr(command, "TEAM_SIZE", 5)
    call_command("build_demo_trust", size=60, verbosity=0)


def test_bulk_people_are_consistent(tiny_big_trust):
    today = timezone.localdate()
    people = list(Person.objects.all())
    assert len(people) == 60
    numbers = [person.nhs_number for person in people]
    assert len(set(numbers)) == 60
    for number in numbers:
        assert number.startswith("999") and check_digit(number[:9]) == int(number[9])

    # Every person has an episode, or is on the pathway (referred, not yet seen) if current.
    discharged = Episode.objects.filter(status=EpisodeStatus.CLOSED)
    assert discharged.count() >= 40
    assert all(e.ended_on and e.ended_on < today and e.started_on < e.ended_on for e in discharged)
    closed_people = set(discharged.values_list("person_id", flat=True))
    for person in people:
        if person.pk in closed_people:
            assert not Allocation.objects.current().filter(person=person).exists()
    assert Person.objects.annotate(n=Count("team_registrations")).filter(n=0).count() == 0

    # Contacts, notes and audit rows: each note belongs to a contact of the same person.
    assert Contact.objects.count() > 40 * 2
    assert Note.objects.count() > 0
    assert not Note.objects.filter(contact__isnull=False).exclude(contact__person_id=F("person_id")).exists()
    assert AuditEvent.objects.count() > Contact.objects.count()

    # Current people outside the named teams have contacts in bulk, from their coordinator.
    numbered = Person.objects.filter(
        team_registrations__team__name__startswith="Testville CMHT", team_registrations__ended_on__isnull=True
    )
    assert numbered.exists()
    assert all(Contact.objects.filter(person=person).exists() for person in numbered)

    # Caseloads: no care coordinator carries more than about 30.
    loads = (
        Allocation.objects.current()
        .filter(kind=AllocationKind.CARE_COORDINATOR)
        .values("worker")
        .annotate(n=Count("id"))
    )
    assert loads and max(row["n"] for row in loads) <= 35
