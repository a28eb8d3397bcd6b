"""The audit of page views keeps working while the database refuses writes: rows go to the spool,
with the time of each view, and are loaded afterwards, once."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.continuity import spool, state

VIEWED_AT = datetime(2026, 11, 30, 18, 5, 7, tzinfo=UTC)


def _spooled():
    path = spool.spool_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.django_db
def test_a_view_is_spooled_when_the_database_refuses_it_and_loaded_afterwards(
    read_only, database_refuses_writes, coordinator_client, coordinator, person
):
    coordinator_client.get(reverse("home"))  # the session's first touch, before the database refuses
    database_refuses_writes.refuse()
    viewed_at = timezone.now().replace(microsecond=0) + timedelta(seconds=5)
    with time_machine.travel(viewed_at, tick=False):
        response = coordinator_client.get(reverse("patients:detail", args=[person.pk]))
    assert response.status_code == 200, "the page is still readable"
    rows = _spooled()
    assert len(rows) == 1
    row = rows[0]
    assert row["person_id"] == person.pk and row["user_id"] == coordinator.pk
    assert row["action"] == Action.VIEW and row["record_type"] == RecordType.PERSON and row["basis"] == "team"
    assert datetime.fromisoformat(row["occurred_at"]) == viewed_at

    database_refuses_writes.lift()  # the database takes writes again
    with pytest.raises(CommandError, match="still read-only"):
        call_command("load_audit_spool")
    state.turn_off()
    assert AuditEvent.objects.filter(person=person).count() == 0
    call_command("load_audit_spool")
    event = AuditEvent.objects.get(person=person)
    assert event.occurred_at == viewed_at, "the time of the view is kept"
    assert (event.user, event.action, event.record_type, event.basis) == (
        coordinator,
        Action.VIEW,
        RecordType.PERSON,
        "team",
    )
    assert event.path == reverse("patients:detail", args=[person.pk])

    call_command("load_audit_spool")
    assert AuditEvent.objects.filter(person=person).count() == 1, "loading again duplicates nothing"
    assert spool.count_pending() == 0


@pytest.mark.django_db
def test_while_the_database_takes_writes_read_only_views_are_audited_as_usual(
    read_only, coordinator_client, person
):
    coordinator_client.get(reverse("patients:detail", args=[person.pk]))
    assert AuditEvent.objects.filter(person=person, action=Action.VIEW).count() == 1
    assert _spooled() == []


def test_the_spool_is_appended_to_one_line_at_a_time(continuity_files):
    for number in range(3):
        spool.append(
            {
                "user_id": number,
                "record_type": "person",
                "action": "view",
                "basis": "team",
                "occurred_at": VIEWED_AT,
            }
        )
    assert [row["user_id"] for row in _spooled()] == [0, 1, 2]
    assert spool.count_pending() == 3


@pytest.mark.django_db
def test_a_load_left_unfinished_is_picked_up_again(continuity_files, coordinator, person):
    spool.append(
        {
            "user_id": coordinator.pk,
            "person_id": person.pk,
            "record_type": "person",
            "action": "view",
            "basis": "team",
            "occurred_at": VIEWED_AT,
        }
    )
    claimed = spool._claim(spool.spool_path())  # as if the last load stopped after renaming the file
    assert claimed.exists() and not spool.spool_path().exists()
    spool.append(
        {
            "user_id": coordinator.pk,
            "person_id": person.pk,
            "record_type": "person",
            "action": "view",
            "basis": "team",
            "occurred_at": VIEWED_AT,
        }
    )
    assert spool.load() == 2
    assert AuditEvent.objects.filter(person=person).count() == 2
    assert spool.load() == 0
