"""`audit.services.write` is the one way to write an audit row, and it refuses what it must."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from waypoint.access.actor import Actor
from waypoint.audit import services as audit
from waypoint.audit.models import Action, AuditEvent, Basis, RecordType


@pytest.mark.django_db
def test_refuses_to_write_outside_a_transaction(coordinator, person, monkeypatch):
    """Tests run inside a transaction, so the connection is shown as outside one (the audit
    table's delete trigger stops a transactional test's flush on SQLite)."""
    monkeypatch.setattr(audit.transaction, "get_connection", lambda: SimpleNamespace(in_atomic_block=False))
    with pytest.raises(audit.AuditRefused, match="transaction"):
        audit.write(Actor(coordinator, basis=Basis.TEAM), action=Action.VIEW, record_type=RecordType.PERSON)
    monkeypatch.undo()
    assert not AuditEvent.objects.exists()
    with transaction.atomic():
        audit.write(Actor(coordinator, basis=Basis.TEAM), action=Action.VIEW, record_type=RecordType.PERSON)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_refuses_an_anonymous_user_or_no_user():
    for user in (AnonymousUser(), None):
        with pytest.raises(audit.AuditRefused, match="signed-in"):
            audit.write(
                Actor(user, basis=Basis.NONE), action=Action.SEARCH, record_type=RecordType.PERSON_SEARCH
            )
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_refuses_a_free_string_record_type(coordinator):
    with pytest.raises(audit.AuditRefused, match="RecordType"):
        audit.write(Actor(coordinator, basis=Basis.TEAM), action=Action.VIEW, record_type="reviews")


@pytest.mark.django_db
def test_takes_basis_reason_and_path_from_the_actor(coordinator, person):
    actor = Actor(coordinator, basis=Basis.BREAK_GLASS, break_glass_reason="Crisis call", path="/people/1/")
    event = audit.write(
        actor,
        person=person,
        action=Action.UPDATE,
        record_type=RecordType.PERSON,
        record_id=person.pk,
        fields_changed=["b", "a"],
    )
    assert (event.basis, event.break_glass_reason, event.path) == ("break_glass", "Crisis call", "/people/1/")
    assert event.fields_changed == ["a", "b"]


@pytest.mark.django_db
def test_a_change_under_break_glass_carries_the_reason(outsider, outsider_client, person):
    from django.urls import reverse

    from waypoint.access.services import start_break_glass

    reason = "Phoned duty in crisis, no team available"
    start_break_glass(
        by=Actor(outsider, basis=Basis.BREAK_GLASS, break_glass_reason=reason), person=person, reason=reason
    )
    response = outsider_client.post(
        reverse("patients:add_alert", args=[person.pk]), {"category": "other", "summary": "Synthetic alert"}
    )
    assert response.status_code == 302
    change = AuditEvent.objects.get(action=Action.CREATE, record_type=RecordType.ALERT)
    assert (change.basis, change.break_glass_reason) == (Basis.BREAK_GLASS, reason)
