"""The duty board: today's duty, every open enquiry and referral waiting for triage, oldest and most
urgent first, carried over day after day; the handover; a constant number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import Membership
from waypoint.audit.models import AuditEvent
from waypoint.duty import services
from waypoint.duty.factories import DutyEnquiryFactory, DutyShiftFactory, HandoverFactory
from waypoint.duty.models import DutyRole, Handover
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


@pytest.mark.django_db
class TestBoard:
    def test_crises_first_then_oldest_and_referrals_by_urgency_then_age(
        self, coordinator_client, coordinator, team, make_referral
    ):
        DutyEnquiryFactory(
            team=team, logged_by=coordinator, received_at=ago(hours=1), what_was_asked="Oldest plain"
        )
        DutyEnquiryFactory(
            team=team,
            logged_by=coordinator,
            received_at=ago(minutes=10),
            what_was_asked="New crisis",
            is_crisis=True,
        )
        DutyEnquiryFactory(
            team=team, logged_by=coordinator, received_at=ago(days=2), what_was_asked="Two days open"
        )
        DutyEnquiryFactory(
            team=team,
            logged_by=coordinator,
            received_at=ago(days=3),
            what_was_asked="Old crisis",
            is_crisis=True,
        )
        make_referral(
            team=team,
            person=PersonFactory(family_name="Routineold"),
            urgency_requested="routine",
            received_at=ago(days=9),
        )
        make_referral(
            team=team,
            person=PersonFactory(family_name="Urgentnew"),
            urgency_requested="urgent",
            received_at=ago(hours=2),
        )
        make_referral(
            team=team,
            person=PersonFactory(family_name="Urgentold"),
            urgency_requested="urgent",
            received_at=ago(days=1),
        )
        make_referral(
            team=team,
            person=PersonFactory(family_name="Veryurgent"),
            urgency_requested="very_urgent",
            received_at=ago(hours=1),
        )
        body = coordinator_client.get(reverse("duty:board")).content.decode()
        order = ["Old crisis", "New crisis", "Two days open", "Oldest plain"]
        assert [body.index(text) for text in order] == sorted(body.index(text) for text in order)
        people = ["VERYURGENT", "URGENTOLD", "URGENTNEW", "ROUTINEOLD"]
        assert [body.index(name) for name in people] == sorted(body.index(name) for name in people)
        assert "Open enquiries (4)" in body and "2 are crises, shown first" in body
        assert "Referrals waiting for triage (4)" in body

    def test_rows_link_to_triage_records_and_enquiries(
        self, coordinator_client, coordinator, team, person, make_referral
    ):
        enquiry = DutyEnquiryFactory(team=team, logged_by=coordinator, person=person)
        referral = make_referral(team=team)
        body = coordinator_client.get(reverse("duty:board")).content.decode()
        assert f'href="{reverse("referrals:triage", args=[referral.pk])}"' in body
        assert f'href="{reverse("patients:detail", args=[person.pk])}"' in body
        assert f'href="{reverse("duty:enquiry", args=[enquiry.pk])}"' in body
        assert reverse("duty:log_call") in body and "Log a call" in body

    def test_names_are_shown_only_for_people_the_user_may_see(self, coordinator_client, coordinator, team):
        DutyEnquiryFactory(team=team, logged_by=coordinator, person=PersonFactory(family_name="Notvisible"))
        body = coordinator_client.get(reverse("duty:board")).content.decode()
        assert "NOTVISIBLE" not in body and "A person on Waypoint you have no relationship with" in body

    def test_today_duty_and_backup_shown_to_team_members(
        self, coordinator_client, coordinator, manager, team
    ):
        DutyShiftFactory(team=team, worker=coordinator)
        DutyShiftFactory(team=team, worker=manager, role=DutyRole.BACKUP)
        DutyShiftFactory(team=team, worker=manager, date=timezone.localdate() + datetime.timedelta(days=1))
        body = coordinator_client.get(reverse("duty:board")).content.decode()
        assert re.search(r"Duty worker\s*</dt>\s*<dd[^>]*>\s*Casey Coordinator", body)
        assert re.search(r"Back-up\s*</dt>\s*<dd[^>]*>\s*Mo Manager", body)
        assert "You are on duty today" in body

    def test_open_items_carry_over_until_closed(
        self, coordinator_client, coordinator, team, make_referral, on_a_working_day
    ):
        closed = DutyEnquiryFactory(team=team, logged_by=coordinator, what_was_asked="Closed one")
        services.close_enquiry(by=Actor(coordinator, basis="team"), enquiry=closed, outcome="Done")
        DutyEnquiryFactory(team=team, logged_by=coordinator, what_was_asked="Still open")
        make_referral(team=team, person=PersonFactory(family_name="Waiting"), received_at=ago(minutes=5))
        services.write_handover(
            by=Actor(coordinator, basis="team"), team=team, note="Ring the carer back at 09:00"
        )
        on_a_working_day.shift(datetime.timedelta(days=1))  # tomorrow
        coordinator_client.force_login(coordinator)  # a new day, a new session
        body = coordinator_client.get(reverse("duty:board")).content.decode()
        assert "Still open" in body and "Closed one" not in body
        assert "Carried over" in body and "open since 24 November" in body
        assert "WAITING" in body and body.count("open since 24 November") == 2
        assert "Ring the carer back at 09:00" in body and "Latest handover" in body
        on_a_working_day.shift(datetime.timedelta(days=7))  # and a week later
        coordinator_client.force_login(coordinator)
        assert "Still open" in coordinator_client.get(reverse("duty:board")).content.decode()

    def test_latest_handover_is_shown(self, coordinator_client, coordinator, team):
        HandoverFactory(team=team, written_by=coordinator, note="Older note", written_at=ago(days=2))
        HandoverFactory(team=team, written_by=coordinator, note="Newest note", written_at=ago(hours=16))
        body = coordinator_client.get(reverse("duty:board")).content.decode()
        assert "Newest note" in body and "Older note" not in body

    def test_board_is_for_the_users_teams_only(self, coordinator_client, team, other_team, coordinator):
        DutyEnquiryFactory(team=other_team, what_was_asked="South's call")
        assert "South&#39;s call" not in coordinator_client.get(reverse("duty:board")).content.decode()
        assert coordinator_client.get(reverse("duty:board") + f"?team={other_team.pk}").status_code == 404
        assert coordinator_client.get(reverse("duty:board") + "?team=abc").status_code == 404

    def test_a_member_of_two_teams_can_choose(self, client, team, other_team):
        both = make_staff(team=team)
        Membership.objects.create(user=both, team=other_team, is_primary=False)
        client.force_login(both)
        DutyEnquiryFactory(team=other_team, what_was_asked="South call")
        body = client.get(reverse("duty:board") + f"?team={other_team.pk}").content.decode()
        assert "South CMHT" in body and "South call" in body

    def test_board_view_is_audited_without_a_person(self, coordinator_client, team):
        coordinator_client.get(reverse("duty:board"))
        event = AuditEvent.objects.get(record_type="duty_board")
        assert event.person is None and event.record_id == str(team.pk)

    def test_query_count_does_not_grow_with_rows(
        self, coordinator_client, coordinator, team, make_referral, django_assert_max_num_queries
    ):
        url = reverse("duty:board")
        DutyShiftFactory(team=team, worker=coordinator)
        HandoverFactory(team=team, written_by=coordinator)

        def add_rows():
            person = TeamRegistrationFactory(team=team).person
            DutyEnquiryFactory(team=team, logged_by=make_staff(team=team), person=person, is_crisis=True)
            DutyEnquiryFactory(
                team=team, logged_by=coordinator, person=PersonFactory(), received_at=ago(days=3)
            )
            DutyEnquiryFactory(team=team, logged_by=coordinator)
            make_referral(team=team, person=PersonFactory())

        add_rows()
        with django_assert_max_num_queries(30) as baseline:
            coordinator_client.get(url)
        for _ in range(15):
            add_rows()
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            body = coordinator_client.get(url).content.decode()
        assert "Open enquiries (48)" in body and "Referrals waiting for triage (16)" in body


@pytest.mark.django_db
class TestHandoverPage:
    def test_lists_open_items_and_saves_the_note(self, coordinator_client, coordinator, team, make_referral):
        DutyEnquiryFactory(team=team, logged_by=coordinator, is_crisis=True)
        make_referral(team=team, person=PersonFactory(family_name="Triageme"))
        page = coordinator_client.get(reverse("duty:handover")).content.decode()
        assert "<title>Hand over – North CMHT – Waypoint</title>" in page
        assert (
            "Still open: 1 enquiry" in page
            and "Waiting for triage: 1 referral" in page
            and "TRIAGEME" in page
        )
        response = coordinator_client.post(reverse("duty:handover"), {"note": "All calm"})
        assert (
            response.status_code == 302 and response["Location"] == reverse("duty:board") + f"?team={team.pk}"
        )
        assert Handover.objects.get().note == "All calm"

    def test_a_handover_needs_a_note(self, coordinator_client):
        body = coordinator_client.post(reverse("duty:handover"), {"note": ""}).content.decode()
        assert "<title>Error: Hand over" in body and "Enter a handover note" in body
        assert not Handover.objects.exists()

    def test_query_count_does_not_grow_with_rows(
        self, coordinator_client, coordinator, team, make_referral, django_assert_max_num_queries
    ):
        url = reverse("duty:handover")
        DutyEnquiryFactory(team=team, logged_by=coordinator, person=PersonFactory())
        make_referral(team=team)
        with django_assert_max_num_queries(30) as baseline:
            coordinator_client.get(url)
        for _ in range(10):
            DutyEnquiryFactory(team=team, logged_by=make_staff(team=team), person=PersonFactory())
            make_referral(team=team)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            coordinator_client.get(url)
