"""Brief interventions recorded from the contact form (issue 11, item 5): ticked on "Record a
contact" or "Record what happened", saved with the contact (same transaction) against the contact
and the person, audited, shown on the contact and on the Medicines tab, corrected by entered in
error (never deleted or changed)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from waypoint.access.policy import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, Basis, RecordType
from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.contacts.models import Attendance, Contact
from waypoint.medicines import contact_part, services
from waypoint.medicines.models import BriefIntervention, BriefInterventionEnteredInError

pytestmark = pytest.mark.django_db


def contact_post(team, staff, **overrides):
    today = timezone.localdate()
    data = {
        "team": team.pk,
        "date_day": today.day,
        "date_month": today.month,
        "date_year": today.year,
        "start_time": "00:01",
        "attendance": Attendance.ATTENDED,
        "mechanism": "01",
        "location_type": "home",
        "duration_minutes": "45",
        "staff": [staff.pk],
        "activities": ["care_coordination"],
    }
    data.update(overrides)
    return data


TICKED = {
    "brief-topics": ["smoking", "alcohol"],
    "brief-discussed_smoking": "Talked about cutting down; offered the stop smoking service",
    "brief-referral_smoking": "Stop smoking service",
    "brief-discussed_alcohol": "Within recommended limits; leaflet given",
}


def test_the_contact_form_offers_brief_interventions(coordinator_client, person):
    text = coordinator_client.get(reverse("contacts:record_contact", args=[person.pk])).content.decode()
    assert "Brief interventions given (optional)" in text
    assert 'name="brief-topics"' in text and 'name="brief-discussed_smoking"' in text
    assert "nhsuk-checkboxes__conditional" in text


def test_ticked_interventions_are_saved_with_the_contact_and_audited(
    coordinator_client, person, team, coordinator
):
    url = reverse("contacts:record_contact", args=[person.pk])
    response = coordinator_client.post(url, {**contact_post(team, coordinator), **TICKED})
    assert response.status_code == 302
    contact = Contact.objects.get(person=person)
    given = {b.topic: b for b in BriefIntervention.objects.filter(person=person)}
    assert set(given) == {"smoking", "alcohol"}
    assert all(b.contact_id == contact.pk and b.by == coordinator for b in given.values())
    assert given["smoking"].referral == "Stop smoking service"
    assert given["smoking"].given_on == timezone.localdate(contact.occurred_at)
    events = AuditEvent.objects.filter(
        person=person, record_type=RecordType.BRIEF_INTERVENTION, action=Action.CREATE
    )
    assert events.count() == 2
    assert all("discussed" in e.fields_changed and "offered" not in str(e.fields_changed) for e in events)
    shown = coordinator_client.get(reverse("contacts:contact", args=[person.pk, contact.pk])).content.decode()
    assert "Brief interventions at this contact" in shown and "Stop smoking service" in shown
    tab = coordinator_client.get(reverse("patients:record_medicines", args=[person.pk])).content.decode()
    assert "Smoking" in tab and reverse("contacts:contact", args=[person.pk, contact.pk]) in tab


def test_from_an_appointment_too(coordinator_client, person, team, coordinator):
    appointment = AppointmentFactory(
        person=person, team=team, booked_by=coordinator, date=timezone.localdate()
    )
    url = reverse("contacts:record_appointment", args=[person.pk, appointment.pk])
    response = coordinator_client.post(url, {**contact_post(team, coordinator), **TICKED})
    assert response.status_code == 302
    assert BriefIntervention.objects.filter(person=person, contact__appointment=appointment).count() == 2


def test_missing_discussion_is_shown_beside_the_field_and_nothing_typed_is_lost(
    coordinator_client, person, team, coordinator
):
    url = reverse("contacts:record_contact", args=[person.pk])
    data = {
        **contact_post(team, coordinator, duration_minutes=""),  # the contact form's own error too
        "brief-topics": ["diet"],
        "brief-discussed_diet": "",
        "brief-referral_diet": "Weight management group",
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Error: " in text
    assert "Enter what was discussed about diet" in text
    assert 'href="#id_brief-discussed_diet"' in text  # in the error summary, linking to the field
    assert 'id="id_brief-discussed_diet-error"' in text or "nhsuk-error-message" in text
    assert "Weight management group" in text  # kept
    assert 'value="diet" checked' in text
    assert not Contact.objects.filter(person=person).exists()
    assert not BriefIntervention.objects.exists()


def test_a_contact_the_person_did_not_attend_keeps_no_interventions(
    coordinator_client, person, team, coordinator
):
    url = reverse("contacts:record_contact", args=[person.pk])
    data = {**contact_post(team, coordinator, attendance=Attendance.DID_NOT_ATTEND), **TICKED}
    assert coordinator_client.post(url, data).status_code == 302
    assert Contact.objects.filter(person=person).exists()
    assert not BriefIntervention.objects.exists()


def test_the_contact_and_its_interventions_are_saved_together(
    coordinator_client, person, team, coordinator, monkeypatch
):
    def broken(**kwargs):
        raise DatabaseError("synthetic failure")

    monkeypatch.setattr(services, "record_brief_interventions_at_contact", broken)
    url = reverse("contacts:record_contact", args=[person.pk])
    with pytest.raises(DatabaseError):
        coordinator_client.post(url, {**contact_post(team, coordinator), **TICKED})
    assert not Contact.objects.filter(person=person).exists()


def test_not_offered_to_someone_who_may_not_record_them(team):
    records = make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="records")
    assert contact_part.form(None, user=records) is None


def test_entered_in_error_is_kept_audited_and_read_only(person, coordinator, team):
    contact = ContactFactory(person=person, team=team, recorded_by=coordinator)
    by = Actor(coordinator, Basis.TEAM)
    (given,) = services.record_brief_interventions_at_contact(
        by=by, person=person, contact=contact, items=[{"topic": "smoking", "discussed": "Synthetic"}]
    )
    services.brief_intervention_entered_in_error(by=by, intervention=given, reason="Wrong person")
    assert BriefIntervention.objects.filter(pk=given.pk).exists()
    assert not BriefIntervention.objects.current().filter(pk=given.pk).exists()
    assert AuditEvent.objects.filter(
        record_type=RecordType.BRIEF_INTERVENTION, action=Action.ENTERED_IN_ERROR, record_id=str(given.pk)
    ).exists()
    with pytest.raises(services.AlreadyEnteredInError):
        services.brief_intervention_entered_in_error(by=by, intervention=given, reason="Again")
    with pytest.raises(DatabaseError), transaction.atomic():  # the database trigger
        BriefIntervention.objects.filter(pk=given.pk).update(discussed="Changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        BriefInterventionEnteredInError.objects.filter(intervention=given).update(reason="Changed")
    other = ContactFactory(team=team, recorded_by=coordinator)
    with pytest.raises(ValueError):
        services.record_brief_interventions_at_contact(
            by=by, person=person, contact=other, items=[{"topic": "diet", "discussed": "x"}]
        )


def test_entered_in_error_page(client, outsider, person, coordinator, team):
    contact = ContactFactory(person=person, team=team, recorded_by=coordinator)
    (given,) = services.record_brief_interventions_at_contact(
        by=Actor(coordinator, Basis.TEAM),
        person=person,
        contact=contact,
        items=[{"topic": "alcohol", "discussed": "Synthetic advice"}],
    )
    url = reverse("medicines:brief_intervention_entered_in_error", args=[person.pk, given.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    coordinator_client = client
    bad = coordinator_client.post(url, {"reason": ""})
    assert "Enter why this is entered in error" in bad.content.decode()
    assert coordinator_client.post(url, {"reason": "Recorded on the wrong contact"}).status_code == 302
    shown = coordinator_client.get(reverse("contacts:contact", args=[person.pk, contact.pk])).content.decode()
    assert "<del>" in shown and "Entered in error" in shown and "Recorded on the wrong contact" in shown
    tab = coordinator_client.get(reverse("patients:record_medicines", args=[person.pk])).content.decode()
    assert "Entered in error</strong>" in tab


def test_the_contact_page_query_count_does_not_grow_with_interventions(
    coordinator_client, person, coordinator, team, django_assert_max_num_queries
):
    contact = ContactFactory(person=person, team=team, recorded_by=coordinator)
    by = Actor(coordinator, Basis.TEAM)

    def add(topics):
        services.record_brief_interventions_at_contact(
            by=by,
            person=person,
            contact=contact,
            items=[{"topic": t, "discussed": "Synthetic"} for t in topics],
        )

    add(["smoking"])
    url = reverse("contacts:contact", args=[person.pk, contact.pk])
    coordinator_client.get(url)
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url)
    add(["alcohol", "diet", "physical_activity", "sexual_health"])
    for given in BriefIntervention.objects.filter(topic="diet"):
        services.brief_intervention_entered_in_error(by=by, intervention=given, reason="Synthetic")
    with django_assert_max_num_queries(len(few)):
        text = coordinator_client.get(url).content.decode()
    assert text.count("<li>") >= 5
