"""Log a call, view and update an enquiry, record a crisis response, close it: errors, audit, access."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.audit.models import AuditEvent, Basis
from waypoint.duty import services
from waypoint.duty.factories import DutyEnquiryFactory
from waypoint.duty.models import DutyEnquiry, EnquiryStatus
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory

SECRET = "Brother not answering for two days"


@pytest.mark.django_db
class TestLogCall:
    def test_log_a_call_linked_by_nhs_number_and_audited(self, coordinator_client, team, person):
        response = coordinator_client.post(
            reverse("duty:log_call"),
            {
                "caller_type": "carer",
                "caller_name": "Synthetic Sister",
                "nhs_number": person.nhs_number[:3] + " " + person.nhs_number[3:],
                "what_was_asked": SECRET,
            },
        )
        enquiry = DutyEnquiry.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "duty:enquiry", args=[enquiry.pk]
        )
        assert (enquiry.person, enquiry.team, enquiry.status) == (person, team, EnquiryStatus.OPEN)
        event = AuditEvent.objects.get(record_type="duty_enquiry", action="create")
        assert event.person == person and "what_was_asked" in event.fields_changed
        assert SECRET not in str(AuditEvent.objects.values_list())

    def test_unlinked_call_keeps_the_name_given(self, coordinator_client):
        coordinator_client.post(
            reverse("duty:log_call"),
            {
                "caller_type": "police",
                "person_description": "Jo Unknown, 40s",
                "what_was_asked": "Welfare check",
            },
        )
        enquiry = DutyEnquiry.objects.get()
        assert enquiry.person is None and enquiry.person_description == "Jo Unknown, 40s"

    def test_errors_beside_fields_and_everything_typed_is_kept(self, coordinator_client):
        response = coordinator_client.post(
            reverse("duty:log_call"),
            {
                "caller_name": "Kept Caller",
                "caller_contact": "07700 900123",
                "nhs_number": "999 000 0018",
                "person_description": "Kept description",
                "safety_concerns": "Kept concerns text",
                "received_time": "25:99",
            },
        )
        body = response.content.decode()
        assert response.status_code == 200 and "<title>Error: Log a call" in body
        assert "There is a problem" in body
        for message in (
            "Choose who called",
            "Enter what the caller asked",
            "No one you may see has this NHS number",
            "Enter a time in the 24-hour clock, like 14:30",
        ):
            assert message in body
        for kept in ("Kept Caller", "07700 900123", "999 000 0018", "Kept description", "Kept concerns text"):
            assert kept in body
        assert not DutyEnquiry.objects.exists()

    def test_a_person_outside_the_users_relationships_cannot_be_linked(self, outsider_client, person):
        body = outsider_client.post(
            reverse("duty:log_call"),
            {"caller_type": "gp", "nhs_number": person.nhs_number, "what_was_asked": "Anything"},
        ).content.decode()
        assert "No one you may see has this NHS number" in body
        assert person.family_name.upper() not in body
        assert not DutyEnquiry.objects.exists()

    def test_call_time_in_the_future_is_refused(self, coordinator_client):
        later = timezone.localtime() + datetime.timedelta(hours=2)
        body = coordinator_client.post(
            reverse("duty:log_call"),
            {
                "caller_type": "gp",
                "what_was_asked": "Anything",
                "received_on_day": str(later.day),
                "received_on_month": str(later.month),
                "received_on_year": str(later.year),
                "received_time": later.strftime("%H:%M"),
            },
        ).content.decode()
        assert "The time of the call must be now or in the past" in body

    def test_team_must_be_one_of_the_users(self, coordinator_client, other_team):
        assert coordinator_client.get(reverse("duty:log_call") + f"?team={other_team.pk}").status_code == 404


@pytest.mark.django_db
class TestEnquiryPage:
    def test_viewing_an_enquiry_about_a_person_is_audited(
        self, coordinator_client, coordinator, team, person
    ):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person=person)
        body = coordinator_client.get(reverse("duty:enquiry", args=[enquiry.pk])).content.decode()
        assert "<title>Duty enquiry – Waypoint</title>" in body
        assert reverse("patients:detail", args=[person.pk]) in body
        event = AuditEvent.objects.get(action="view", record_type="duty_enquiry")
        assert (event.person, event.record_id, event.basis) == (person, str(enquiry.pk), Basis.TEAM)

    def test_an_unlinked_enquiry_writes_no_person_audit_row(self, coordinator_client, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person_description="Someone")
        assert coordinator_client.get(reverse("duty:enquiry", args=[enquiry.pk])).status_code == 200
        assert not AuditEvent.objects.filter(record_type="duty_enquiry").exists()

    def test_another_teams_enquiry_is_404_and_not_audited(self, outsider_client, coordinator, team, person):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person=person)
        for name in ("duty:enquiry", "duty:close"):
            assert outsider_client.get(reverse(name, args=[enquiry.pk])).status_code == 404
            assert outsider_client.post(reverse(name, args=[enquiry.pk]), {"outcome": "x"}).status_code == 404
        assert not AuditEvent.objects.filter(record_type="duty_enquiry").exists()
        enquiry.refresh_from_db()
        assert enquiry.status == EnquiryStatus.OPEN

    def test_a_team_member_without_a_relationship_sees_the_call_but_not_who_it_is_about(
        self, client, coordinator, team
    ):
        stranger = PersonFactory(family_name="Hiddenname")
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person=stranger)
        client.force_login(make_staff(team=team))
        body = client.get(reverse("duty:enquiry", args=[enquiry.pk])).content.decode()
        assert "HIDDENNAME" not in body and "Hiddenname" not in body
        assert "A person on Waypoint you have no relationship with" in body
        event = AuditEvent.objects.get(record_type="duty_enquiry", action="view")
        assert event.person == stranger and event.basis == Basis.NONE

    def test_crisis_response_with_escalation_and_conveyance(
        self, coordinator_client, coordinator, team, person
    ):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person=person)
        today = timezone.localdate()
        response = coordinator_client.post(
            reverse("duty:enquiry", args=[enquiry.pk]),
            {
                "is_crisis": "on",
                "crisis_what_happened": "Synthetic crisis",
                "escalations": ["crisis_team", "ambulance"],
                "conveyed_by": "Ambulance crew",
                "conveyed_on_day": str(today.day),
                "conveyed_on_month": str(today.month),
                "conveyed_on_year": str(today.year),
                "conveyed_time": "11:30",  # after the call (received 11:00)
                "conveyed_to": "Urgent assessment, Testville hospital",
                "version": "1",
            },
        )
        assert response.status_code == 302
        enquiry.refresh_from_db()
        assert enquiry.is_crisis and enquiry.escalations == ["crisis_team", "ambulance"]
        assert timezone.localtime(enquiry.conveyed_at).strftime("%H:%M") == "11:30"
        update = AuditEvent.objects.get(record_type="duty_enquiry", action="update")
        assert "escalations" in update.fields_changed and "Synthetic crisis" not in str(update.fields_changed)
        page = coordinator_client.get(reverse("duty:enquiry", args=[enquiry.pk])).content.decode()
        assert "nhsuk-tag--red" in page and "Crisis" in page

    def test_the_log_shows_each_entry_with_its_time_and_a_conveyance_before_the_call_is_refused(
        self, coordinator_client, coordinator, team, person
    ):
        """Issue 18, item 10: entries are added, never written over; the time conveyed is checked."""
        enquiry = DutyEnquiryFactory(
            team=team, logged_by=coordinator, person=person, action_taken="At the call"
        )
        url = reverse("duty:enquiry", args=[enquiry.pk])
        coordinator_client.post(url, {"action_taken": "Rang the GP (synthetic)", "version": "1"})
        coordinator_client.post(url, {"action_taken": "Rang the sister (synthetic)", "version": "2"})
        page = coordinator_client.get(url).content.decode()
        assert (
            page.index("At the call") < page.index("Rang the GP (synthetic)") < page.index("Rang the sister")
        )
        assert "<h2>Log</h2>" in page and "Casey Coordinator" in page
        received = timezone.localtime(enquiry.received_at)
        before = received - datetime.timedelta(hours=1)
        body = coordinator_client.post(
            url,
            {
                "is_crisis": "on",
                "crisis_what_happened": "Kept crisis text",
                "conveyed_by": "Ambulance crew",
                "conveyed_on_day": str(before.day),
                "conveyed_on_month": str(before.month),
                "conveyed_on_year": str(before.year),
                "conveyed_time": before.strftime("%H:%M"),
                "conveyed_to": "Testville hospital",
                "version": "3",
            },
        ).content.decode()
        assert "The time conveyed must be after the call was received" in body
        assert "Kept crisis text" in body
        enquiry.refresh_from_db()
        assert enquiry.conveyed_at is None and enquiry.log_entries.count() == 2

    def test_crisis_errors_beside_fields_and_text_kept(self, coordinator_client, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        body = coordinator_client.post(
            reverse("duty:enquiry", args=[enquiry.pk]),
            {
                "is_crisis": "on",
                "action_taken": "Kept action text",
                "conveyed_to": "Kept destination",
                "conveyed_time": "10:30",
                "version": "1",
            },
        ).content.decode()
        for message in (
            "Enter what happened in the crisis",
            "Enter who conveyed the person",
            "Enter the date conveyed",
        ):
            assert message in body
        assert "Kept action text" in body and "Kept destination" in body and 'value="10:30"' in body

    def test_crisis_details_need_the_crisis_box_ticked(self, coordinator_client, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        body = coordinator_client.post(
            reverse("duty:enquiry", args=[enquiry.pk]),
            {"crisis_what_happened": "Kept crisis text", "escalations": ["police"], "version": "1"},
        ).content.decode()
        assert "Tick &#39;This is a crisis&#39; to record a crisis response" in body
        assert "Kept crisis text" in body

    def test_stale_update_is_refused_and_keeps_the_text(self, coordinator_client, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        services.update_enquiry(
            by=Actor(coordinator, basis="team"), enquiry=enquiry, data={"action_taken": "First"}, version=1
        )
        body = coordinator_client.post(
            reverse("duty:enquiry", args=[enquiry.pk]), {"action_taken": "My later text", "version": "1"}
        ).content.decode()
        assert "Someone else updated this enquiry" in body and "My later text" in body
        assert 'name="version" value="2"' in body
        assert [e.text for e in enquiry.log_entries.all()] == ["First"]

    def test_a_closed_enquiry_is_read_only(self, coordinator_client, coordinator, team):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator)
        services.close_enquiry(by=Actor(coordinator, basis="team"), enquiry=enquiry, outcome="Advice given")
        page = coordinator_client.get(reverse("duty:enquiry", args=[enquiry.pk])).content.decode()
        assert "Advice given" in page and 'name="action_taken"' not in page
        response = coordinator_client.post(
            reverse("duty:enquiry", args=[enquiry.pk]), {"action_taken": "Late", "version": "2"}
        )
        assert response.status_code == 302
        assert not enquiry.log_entries.exists()


@pytest.mark.django_db
class TestClose:
    def test_closing_needs_an_outcome_with_the_error_beside_the_field(
        self, coordinator_client, coordinator, team, person
    ):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person=person)
        url = reverse("duty:close", args=[enquiry.pk])
        body = coordinator_client.post(url, {"outcome": "  "}).content.decode()
        assert "<title>Error: Close enquiry – Waypoint</title>" in body
        assert 'id="id_outcome-error"' in body or "nhsuk-error-message" in body
        assert "Enter the outcome before closing the enquiry" in body
        enquiry.refresh_from_db()
        assert enquiry.status == EnquiryStatus.OPEN
        response = coordinator_client.post(url, {"outcome": "Advice given; carer reassured"})
        assert response.status_code == 302
        enquiry.refresh_from_db()
        assert enquiry.status == EnquiryStatus.CLOSED and enquiry.closed_by == coordinator
        actions = list(
            AuditEvent.objects.filter(record_type="duty_enquiry")
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions == ["view", "view", "update"]
        assert "carer reassured" not in str(AuditEvent.objects.values_list())


@pytest.mark.django_db
class TestPersonRecordSection:
    def test_the_persons_record_lists_their_duty_calls(self, coordinator_client, coordinator, team, person):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person=person, is_crisis=True)
        body = coordinator_client.get(reverse("patients:record_episodes", args=[person.pk])).content.decode()
        assert "Duty calls" in body and reverse("duty:enquiry", args=[enquiry.pk]) in body

    def test_calls_to_other_teams_are_listed_without_a_link(
        self, client, coordinator, team, other_team, person
    ):
        TeamRegistrationFactory(team=other_team, person=person)
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person=person)
        client.force_login(make_staff(team=other_team))
        body = client.get(reverse("patients:record_episodes", args=[person.pk])).content.decode()
        assert "Duty calls" in body and "North CMHT" in body
        assert reverse("duty:enquiry", args=[enquiry.pk]) not in body
