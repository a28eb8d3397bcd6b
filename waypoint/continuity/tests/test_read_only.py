"""Read-only mode: the setting, the flag file and its command, the banner, the refusal page, and
the services' own refusal."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from waypoint.accounts import permissions
from waypoint.audit import services as audit
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.continuity import state
from waypoint.patients import services as patient_services
from waypoint.patients.models import Alert


def _actor(user):
    from waypoint.access.actor import Actor

    return Actor(user=user, basis="team", break_glass_reason="", path="/test/")


def test_off_by_default(continuity_files):
    assert state.current() is None


def test_the_setting_turns_it_on(continuity_files, settings):
    settings.WAYPOINT_READ_ONLY = True
    assert state.current().source == "setting"


def test_the_command_turns_it_on_and_off(continuity_files, capsys):
    call_command("read_only", "on", "--reason", "Database upgrade")
    assert "Read-only mode is on" in capsys.readouterr().out
    now = state.current()
    assert now.source == "file" and now.reason == "Database upgrade" and now.since is not None
    call_command("read_only", "status")
    assert "Read-only mode is on since" in capsys.readouterr().out
    call_command("read_only", "off")
    assert "Read-only mode is off" in capsys.readouterr().out
    assert state.current() is None


def test_off_says_when_the_setting_still_holds(continuity_files, settings):
    from django.core.management.base import CommandError

    settings.WAYPOINT_READ_ONLY = True
    with pytest.raises(CommandError, match="WAYPOINT_READ_ONLY is set"):
        call_command("read_only", "off")


def test_a_flag_file_it_cannot_read_still_means_read_only(continuity_files):
    state.flag_path().write_text("not json")
    assert state.current() is not None
    state.flag_path().write_text(json.dumps({"since": "garbage"}))
    assert state.current() is not None


def test_the_flag_needs_no_database(continuity_files):
    # No database fixture: pytest-django makes any query here fail the test.
    state.turn_on()
    assert state.is_read_only()
    state.turn_off()


@pytest.mark.django_db
def test_every_page_shows_the_banner(read_only, coordinator_client, person):
    response = coordinator_client.get(reverse("patients:detail", args=[person.pk]))
    assert response.status_code == 200
    assert 'id="read-only-banner"' in response.content.decode()
    assert "Changes are paused" in response.content.decode()


@pytest.mark.django_db
def test_no_banner_when_off(continuity_files, coordinator_client, person):
    response = coordinator_client.get(reverse("patients:detail", args=[person.pk]))
    assert 'id="read-only-banner"' not in response.content.decode()


@pytest.mark.django_db
def test_a_write_is_refused_with_the_typing_kept(read_only, coordinator_client, person):
    url = reverse("patients:add_alert", args=[person.pk])
    response = coordinator_client.post(
        url, {"category": "staff_safety", "summary": "Do not visit alone, typed"}
    )
    assert response.status_code == 503
    body = response.content.decode()
    assert "Changes are paused" in body and "this was not saved" in body
    assert "Do not visit alone, typed" in body, "what was typed is shown back"
    assert not Alert.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_signing_in_and_out_still_work(read_only, client, coordinator):
    from django.conf import settings

    response = client.post(
        reverse("accounts:sign_in"),
        {"username": coordinator.username, "password": settings.WAYPOINT_DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert client.post(reverse("accounts:sign_out")).status_code in (200, 302)


# The services refuse too, whoever calls them ------------------------------------------------------


@pytest.mark.django_db
def test_a_service_refuses_while_read_only(read_only, coordinator, person):
    with pytest.raises(state.ChangesPaused):
        patient_services.add_alert(
            by=_actor(coordinator), person=person, data={"category": "staff_safety", "summary": "Synthetic"}
        )
    assert not Alert.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_require_refuses_everyone_even_the_trusts_own_commands(read_only, coordinator):
    with pytest.raises(state.ChangesPaused):
        permissions.require(_actor(coordinator), "add_alert")
    with pytest.raises(state.ChangesPaused):
        permissions.require(audit.SYSTEM, "add_alert")


@pytest.mark.django_db
def test_an_audited_change_is_refused_even_without_require(read_only, coordinator, person):
    from django.db import transaction

    with pytest.raises(state.ChangesPaused), transaction.atomic():
        audit.write(_actor(coordinator), action=Action.CREATE, record_type=RecordType.ALERT, person=person)
    with transaction.atomic():
        audit.write(_actor(coordinator), action=Action.VIEW, record_type=RecordType.PERSON, person=person)
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [Action.VIEW]


@pytest.mark.django_db
def test_a_session_the_database_refuses_is_kept_in_the_cache_while_read_only(
    read_only, database_refuses_writes
):
    from waypoint.continuity.sessions import SessionStore

    session = SessionStore()
    session["synthetic"] = 1
    session.save()  # created while the database takes writes
    database_refuses_writes.refuse()
    session["synthetic"] = 2
    session.save()  # refused by the database, kept in the cache
    assert SessionStore(session.session_key).load()["synthetic"] == 2
