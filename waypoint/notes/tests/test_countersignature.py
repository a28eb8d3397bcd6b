"""Students' and support workers' signed notes wait for their supervisor's countersignature."""

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.access.models import Supervision
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.notes import services
from waypoint.notes.factories import NoteFactory
from waypoint.notes.models import Countersignature
from waypoint.notes.worklist import COUNTERSIGN_KIND
from waypoint.worklist.registry import due_for


@pytest.fixture
def student(team):
    return make_staff(
        team=team, roles=[RoleCode.STUDENT], username="student", first_name="Sam", last_name="Student"
    )


@pytest.fixture
def supervised(student, coordinator):
    return Supervision.objects.create(supervisee=student, supervisor=coordinator)


def _sign(user, person, team):
    note = NoteFactory(person=person, author=user, team=team)
    return services.sign_note(
        by=Actor(user, basis="team"),
        note=note,
        data={"text": "Seen at home (synthetic)."},
        version=note.version,
    )


def test_a_students_signed_note_awaits_their_supervisors_countersignature(
    student, supervised, person, team, coordinator
):
    note = _sign(student, person, team)
    request = Countersignature.objects.get(note=note)
    assert request.supervisor == coordinator and request.is_pending
    assert note.awaiting_countersignature
    items = [
        item
        for item in due_for([person.pk], timezone.localdate())[person.pk]
        if item.kind == COUNTERSIGN_KIND
    ]
    assert [item.what for item in items] == ["Note by Sam Student awaiting countersignature"]


def test_a_registered_clinicians_note_needs_no_countersignature(coordinator, person, team):
    note = _sign(coordinator, person, team)
    assert not Countersignature.objects.filter(note=note).exists()
    assert not note.awaiting_countersignature


def test_the_supervisor_countersigns_and_it_is_audited(student, supervised, person, team, coordinator):
    note = _sign(student, person, team)
    services.countersign_note(by=Actor(coordinator, basis="team"), note=note)
    request = Countersignature.objects.get(note=note)
    assert request.countersigned_by == coordinator and not request.is_pending
    row = AuditEvent.objects.get(action=Action.COUNTERSIGN)
    assert (row.user, row.person, row.record_type) == (coordinator, person, RecordType.NOTE_COUNTERSIGNATURE)
    with pytest.raises(services.NoteError, match="countersigned already"):
        services.countersign_note(by=Actor(coordinator, basis="team"), note=note)


def test_only_the_supervisor_or_the_teams_manager_may_countersign(student, supervised, person, team):
    note = _sign(student, person, team)
    colleague = make_staff(team=team, username="colleague")
    with pytest.raises(services.NoteError, match="Only the writer's supervisor"):
        services.countersign_note(by=Actor(colleague, basis="team"), note=note)
    manager = make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="manager")
    services.countersign_note(by=Actor(manager, basis="team"), note=note)


def test_the_note_page_shows_awaiting_then_the_countersign_action(
    client, student, supervised, person, team, coordinator
):
    note = _sign(student, person, team)
    client.force_login(student)
    page = client.get(reverse("notes:detail", args=[person.pk, note.pk])).content.decode()
    assert "Awaiting countersignature" in page and "Countersign this note" not in page
    client.force_login(coordinator)
    page = client.get(reverse("notes:detail", args=[person.pk, note.pk])).content.decode()
    assert "Countersign this note" in page
    listed = client.get(reverse("notes:to_countersign")).content.decode()
    assert person.full_name in listed
    response = client.post(reverse("notes:countersign", args=[person.pk, note.pk]))
    assert response.status_code == 302
    page = client.get(reverse("notes:detail", args=[person.pk, note.pk])).content.decode()
    assert "Countersigned" in page and "Awaiting countersignature" not in page
    assert person.full_name not in client.get(reverse("notes:to_countersign")).content.decode()


def test_the_list_of_notes_to_countersign_does_not_grow_in_queries(
    client, student, supervised, person, team, coordinator, django_assert_max_num_queries
):
    for _ in range(3):
        _sign(student, person, team)
    client.force_login(coordinator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("notes:to_countersign"))
    assert response.content.decode().count(person.full_name) == 3
