"""Sending what was recorded offline: once only, as the worker, with conflicts and refusals answered."""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.contacts.factories import ContactFactory
from waypoint.contacts.models import Attendance, Contact
from waypoint.notes.models import Note, NoteStatus, NoteType
from waypoint.offline import services
from waypoint.offline.models import Outcome, SyncReceipt

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def contact_item(appointment, **data):
    return {
        "id": str(uuid.uuid4()),
        "kind": "contact",
        "appointment_id": appointment.pk,
        "at": timezone.now().isoformat(),
        "data": {
            "attendance": Attendance.ATTENDED,
            "duration_minutes": "45",
            "activities": ["care_coordination"],
            "start_time": "10:00",
            **data,
        },
    }


def note_item(appointment, text="Seen at home. Settled (synthetic).", contact=None):
    return {
        "id": str(uuid.uuid4()),
        "kind": "note",
        "appointment_id": appointment.pk,
        "at": timezone.now().isoformat(),
        "text": text,
        "contact_item": contact["id"] if contact else None,
    }


def shown_item(appointment, at):
    return {"id": str(uuid.uuid4()), "kind": "shown", "appointment_id": appointment.pk, "at": at.isoformat()}


def test_a_contact_and_a_note_go_in_once_however_often_they_are_sent(coordinator, visit, person):
    contact = contact_item(visit)
    note = note_item(visit, contact=contact)
    first = services.sync(user=coordinator, items=[note, contact], path="/visits/sync/")
    again = services.sync(user=coordinator, items=[contact, note], path="/visits/sync/")
    assert {a["status"] for a in first} == {"saved"}
    assert sorted(first, key=lambda a: a["id"]) == sorted(again, key=lambda a: a["id"])
    recorded = Contact.objects.get(person=person)
    assert recorded.appointment == visit and recorded.recorded_by == coordinator
    assert recorded.duration_minutes == 45 and recorded.activities == ["care_coordination"]
    written = Note.objects.get(person=person)
    assert written.status == NoteStatus.DRAFT and written.author == coordinator
    assert written.text == "Seen at home. Settled (synthetic)."
    assert written.contact == recorded and written.note_type == NoteType.HOME_VISIT
    assert SyncReceipt.objects.count() == 2
    # Audited once, through the contacts and notes services, as the worker on their basis.
    created = AuditEvent.objects.filter(user=coordinator, action=Action.CREATE)
    assert sorted(created.values_list("record_type", flat=True)) == [RecordType.CONTACT, RecordType.NOTE]
    assert set(created.values_list("basis", flat=True)) == {"team"}


def test_the_same_item_sent_twice_in_one_batch_goes_in_once(coordinator, visit, person):
    contact = contact_item(visit)
    answers = services.sync(user=coordinator, items=[contact, dict(contact)])
    assert [a["status"] for a in answers] == ["saved", "saved"]
    assert Contact.objects.filter(person=person).count() == 1


def test_someone_else_recorded_the_visit_first_conflict_with_the_text_kept(coordinator, team, visit, person):
    colleague = make_staff(team=team, username="cc.first", first_name="Fran", last_name="First")
    theirs = ContactFactory(person=person, team=team, appointment=visit, date=TODAY, recorded_by=colleague)
    mine = contact_item(visit, attendance=Attendance.DID_NOT_ATTEND, duration_minutes="", activities=[])
    answer = services.sync(user=coordinator, items=[mine])[0]
    assert answer["status"] == "conflict"
    assert "Fran First recorded this visit first" in answer["message"]
    assert answer["link"] == reverse("contacts:contact", args=[person.pk, theirs.pk])
    assert Contact.objects.filter(person=person).count() == 1
    assert SyncReceipt.objects.get().outcome == Outcome.CONFLICT
    assert services.sync(user=coordinator, items=[mine])[0] == answer  # the same answer again


def test_a_note_about_a_conflicting_contact_is_still_kept_as_a_draft(coordinator, team, visit, person):
    ContactFactory(person=person, team=team, appointment=visit, date=TODAY, recorded_by=coordinator)
    contact = contact_item(visit)
    note = note_item(visit, contact=contact)
    answers = {a["id"]: a for a in services.sync(user=coordinator, items=[contact, note])}
    assert answers[contact["id"]]["status"] == "conflict"
    assert answers[note["id"]]["status"] == "saved"
    assert Note.objects.get(person=person).contact is None


def test_shown_offline_is_audited_at_sync_time_with_the_time_it_was_shown(coordinator, visit, person):
    shown_at = timezone.now() - timedelta(hours=2, minutes=13)
    item = shown_item(visit, shown_at)
    assert services.sync(user=coordinator, items=[item], path="/visits/sync/")[0]["status"] == "saved"
    row = AuditEvent.objects.get(record_type=RecordType.OFFLINE_VIEW)
    assert (row.user, row.person, row.action, row.record_id) == (
        coordinator,
        person,
        Action.VIEW,
        str(visit.pk),
    )
    assert row.occurred_at == shown_at.replace(microsecond=shown_at.microsecond)  # when it was shown
    assert row.basis == "team" and row.path == "/visits/sync/"
    assert SyncReceipt.objects.get().received_at > row.occurred_at  # written later, at sync
    services.sync(user=coordinator, items=[item])
    assert AuditEvent.objects.filter(record_type=RecordType.OFFLINE_VIEW).count() == 1


def test_a_shown_time_in_the_future_is_taken_as_now(coordinator, visit):
    services.sync(user=coordinator, items=[shown_item(visit, timezone.now() + timedelta(days=3))])
    row = AuditEvent.objects.get(record_type=RecordType.OFFLINE_VIEW)
    assert row.occurred_at <= timezone.now()


def test_nothing_for_a_visit_that_is_not_the_workers(coordinator, team, visit, person, stranger_visit):
    colleague = make_staff(team=team, username="cc.other")
    mine = contact_item(stranger_visit)
    answer = services.sync(user=coordinator, items=[mine])[0]
    assert answer["status"] == "refused"
    answer = services.sync(user=colleague, items=[contact_item(visit)])[0]  # not on the appointment
    assert answer["status"] == "refused"
    assert not Contact.objects.exists() and not SyncReceipt.objects.exists()


def test_another_users_item_id_is_not_theirs(coordinator, team, visit):
    item = contact_item(visit)
    services.sync(user=coordinator, items=[item])
    colleague = make_staff(team=team, username="cc.copycat")
    visit.staff.add(colleague)
    assert services.sync(user=colleague, items=[item])[0]["status"] == "rejected"


def test_bad_input_is_answered_with_a_message_and_nothing_recorded(coordinator, visit):
    answers = services.sync(
        user=coordinator,
        items=[
            contact_item(visit, duration_minutes="", activities=[]),
            {"id": "not-a-uuid", "kind": "contact", "appointment_id": visit.pk, "at": "now"},
            note_item(visit, text="   "),
        ],
    )
    assert [a["status"] for a in answers] == ["rejected", "rejected", "rejected"]
    assert "Enter how long the contact lasted" in next(a["message"] for a in answers if a.get("errors"))
    assert not Contact.objects.exists() and not Note.objects.exists()


def test_a_role_that_may_not_record_contacts_is_refused_by_the_contacts_service(
    team, visit, person, monkeypatch
):
    from waypoint.accounts import permissions

    student = make_staff(team=team, roles=[RoleCode.STUDENT], username="student.north")
    visit.staff.add(student)
    monkeypatch.setitem(permissions.table(), "record_contact", frozenset({RoleCode.CARE_COORDINATOR.value}))
    answer = services.sync(user=student, items=[contact_item(visit)])[0]
    assert answer["status"] == "refused"
    assert "Your role does not allow you to record a contact" in answer["message"]
    assert not Contact.objects.exists()


# --- The view: CSRF, JSON, permission ---


def test_the_view_needs_a_csrf_token(client, coordinator, visit):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    body = json.dumps({"items": [contact_item(visit)]})
    refused = strict.post(reverse("offline:sync"), body, content_type="application/json")
    assert refused.status_code == 403
    ticket = strict.get(reverse("offline:sync")).json()
    accepted = strict.post(
        reverse("offline:sync"), body, content_type="application/json", HTTP_X_CSRFTOKEN=ticket["csrf_token"]
    )
    assert accepted.status_code == 200
    assert accepted.json()["results"][0]["status"] == "saved"
    assert Contact.objects.count() == 1


def test_the_view_refuses_what_is_not_json(coordinator_client):
    response = coordinator_client.post(reverse("offline:sync"), {"text": "typed"})
    assert response.status_code == 400


def test_a_signed_out_phone_is_sent_to_sign_in(client, visit):
    response = client.get(reverse("offline:sync"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
