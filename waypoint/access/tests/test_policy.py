from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from waypoint.access import policy
from waypoint.access.actor import Actor
from waypoint.access.models import BreakGlass
from waypoint.access.services import review_break_glass, start_break_glass
from waypoint.accounts.models import Membership
from waypoint.audit.models import AuditEvent, Basis
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.patients.models import Person, TeamRegistration


@pytest.mark.django_db
class TestTeamRelationship:
    def test_member_of_the_team_sees_the_person_on_team_basis(self, coordinator, person):
        assert policy.access_for(coordinator, person).basis == Basis.TEAM
        assert list(Person.objects.visible_to(coordinator)) == [person]

    def test_other_team_sees_nothing(self, outsider, person):
        assert policy.access_for(outsider, person) is None
        assert not Person.objects.visible_to(outsider).exists()

    def test_relationship_ends_when_registration_ends(self, coordinator, person):
        person.team_registrations.update(ended_on=timezone.localdate() - timedelta(days=1))
        assert policy.access_for(coordinator, person) is None

    def test_relationship_ends_when_membership_ends(self, coordinator, person):
        Membership.objects.filter(user=coordinator).update(
            started_on=timezone.localdate() - timedelta(days=10),
            ended_on=timezone.localdate() - timedelta(days=1),
        )
        coordinator.refresh_from_db()
        assert policy.access_for(coordinator, person) is None

    def test_inactive_user_sees_nothing(self, coordinator, person):
        coordinator.is_active = False
        assert policy.access_for(coordinator, person) is None
        assert not Person.objects.visible_to(coordinator).exists()

    def test_visible_to_has_no_duplicates_with_two_bases(self, coordinator, person, team):
        TeamRegistrationFactory(person=person, team=team)
        start_break_glass(
            by=Actor(coordinator, basis="break_glass", break_glass_reason="Synthetic test reason"),
            person=person,
            reason="Synthetic test reason",
        )
        assert Person.objects.visible_to(coordinator).count() == 1


@pytest.fixture
def relationship_registry(monkeypatch):
    """A copy of the registered providers for one test: whatever the test registers or removes,
    the real registry (every app's providers) is back for the tests that run after it."""
    monkeypatch.setattr(policy, "_providers", dict(policy._providers))
    return policy._providers


@pytest.mark.django_db
class TestExtensionPoint:
    def test_a_registered_provider_grants_access_on_its_basis(self, outsider, person, relationship_registry):
        def stand_in(user, now):
            # A provider returns rows with a person_id column: here, everyone on this person's team.
            return TeamRegistration.objects.filter(person=person).values("person_id")

        assert policy.access_for(outsider, person) is None
        policy.register_relationship("stand_in", stand_in)
        assert policy.access_for(outsider, person).basis == "stand_in"
        assert person in Person.objects.visible_to(outsider)
        relationship_registry.pop("stand_in")
        assert policy.access_for(outsider, person) is None

    def test_a_stand_in_for_a_real_basis_is_undone_after_the_test(self, relationship_registry):
        """The root conftest's registry check errors this test if the real providers are not back."""
        policy.register_relationship(Basis.DUTY, lambda user, now: TeamRegistration.objects.none())
        relationship_registry.pop(Basis.TEAM)
        assert Basis.TEAM not in policy.registered_bases()

    def test_every_app_provider_is_registered(self):
        """Fails when an earlier test (in any order: pytest-randomly) left the registry changed."""
        from waypoint.access.relationships import team_relationship
        from waypoint.duty.relationships import duty_relationship

        assert policy._providers[Basis.DUTY] is duty_relationship
        assert policy._providers[Basis.TEAM] is team_relationship
        assert {
            Basis.TEAM,
            Basis.REFERRAL,
            Basis.ALLOCATION,
            Basis.EPISODE,
            Basis.TRANSFER,
            Basis.DUTY,
            Basis.TASK,
        } <= set(policy.registered_bases())


@pytest.mark.django_db
class TestBreakGlass:
    def test_grants_time_limited_access_and_is_audited(self, outsider, person, settings):
        settings.WAYPOINT_BREAK_GLASS_MINUTES = 120
        grant = start_break_glass(
            by=Actor(outsider, basis="break_glass", break_glass_reason="Phoned duty in crisis"),
            person=person,
            reason="Phoned duty in crisis",
        )
        access = policy.access_for(outsider, person)
        assert access.basis == Basis.BREAK_GLASS
        assert access.break_glass_reason == "Phoned duty in crisis"
        event = AuditEvent.objects.get(action="break_glass")
        assert event.break_glass_reason == "Phoned duty in crisis"
        assert event.record_id == str(grant.pk)
        with time_machine.travel(timezone.now() + timedelta(minutes=121)):
            assert policy.access_for(outsider, person) is None
        with time_machine.travel(timezone.now() + timedelta(minutes=119)):
            assert policy.access_for(outsider, person) is not None

    def test_break_glass_does_not_open_other_people(self, outsider, person, team):
        other = TeamRegistrationFactory(team=team).person
        start_break_glass(
            by=Actor(outsider, basis="break_glass", break_glass_reason="Phoned duty in crisis"),
            person=person,
            reason="Phoned duty in crisis",
        )
        assert policy.access_for(outsider, other) is None

    def test_journey_through_the_pages(self, outsider_client, outsider, person):
        url = reverse("access:break_glass")
        response = outsider_client.post(url, {"nhs_number": person.nhs_number, "reason": "", "confirm": ""})
        body = response.content.decode()
        assert "Enter why you need to see this record" in body
        assert "Confirm that you understand" in body
        assert not BreakGlass.objects.exists()
        response = outsider_client.post(
            url, {"nhs_number": person.nhs_number, "reason": "Phoned duty in crisis", "confirm": "on"}
        )
        assert response.status_code == 302
        response = outsider_client.get(reverse("patients:detail", args=[person.pk]))
        assert response.status_code == 200
        assert "Emergency access" in response.content.decode()
        view = AuditEvent.objects.filter(action="view", person=person).get()
        assert view.basis == Basis.BREAK_GLASS
        assert view.break_glass_reason == "Phoned duty in crisis"

    def test_unknown_nhs_number_is_refused_beside_the_field(self, outsider_client):
        response = outsider_client.post(
            reverse("access:break_glass"),
            {"nhs_number": "999 000 0018", "reason": "Phoned duty", "confirm": "on"},
        )
        assert "No person with this NHS number is registered" in response.content.decode()


@pytest.mark.django_db
class TestPrivacyReview:
    def test_privacy_officer_lists_and_reviews(self, client, privacy_officer, outsider, person):
        grant = start_break_glass(
            by=Actor(outsider, basis="break_glass", break_glass_reason="Phoned duty in crisis"),
            person=person,
            reason="Phoned duty in crisis",
        )
        client.force_login(privacy_officer)
        listing = client.get(reverse("access:break_glass_list"))
        assert "Phoned duty in crisis" in listing.content.decode()
        response = client.post(reverse("access:break_glass_review", args=[grant.pk]), {"comment": ""})
        assert "Enter a comment" in response.content.decode()
        response = client.post(
            reverse("access:break_glass_review", args=[grant.pk]), {"comment": "Appropriate"}
        )
        assert response.status_code == 302
        grant.refresh_from_db()
        assert grant.reviewed_by == privacy_officer and grant.review_comment == "Appropriate"
        assert AuditEvent.objects.filter(action="review", basis=Basis.PRIVACY_REVIEW, person=person).exists()
        reviewed = client.get(reverse("access:break_glass_list"), {"show": "reviewed"})
        assert "Appropriate" in reviewed.content.decode()

    def test_other_staff_cannot_see_reviews(self, coordinator_client):
        assert coordinator_client.get(reverse("access:break_glass_list")).status_code == 404

    def test_review_list_query_count_does_not_grow(
        self, client, privacy_officer, outsider, django_assert_max_num_queries
    ):
        client.force_login(privacy_officer)
        for _ in range(2):
            start_break_glass(
                by=Actor(outsider, basis="break_glass", break_glass_reason="Synthetic reason"),
                person=PersonFactory(),
                reason="Synthetic reason",
            )
        with django_assert_max_num_queries(12) as few:
            client.get(reverse("access:break_glass_list"))
        for _ in range(15):
            start_break_glass(
                by=Actor(outsider, basis="break_glass", break_glass_reason="Synthetic reason"),
                person=PersonFactory(),
                reason="Synthetic reason",
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("access:break_glass_list"))

    def test_review_is_recorded_by_service(self, privacy_officer, outsider, person):
        grant = start_break_glass(
            by=Actor(outsider, basis="break_glass", break_glass_reason="Synthetic reason"),
            person=person,
            reason="Synthetic reason",
        )
        review_break_glass(by=Actor(privacy_officer, basis="team"), grant=grant, comment="Fine")
        assert BreakGlass.objects.awaiting_review().count() == 0
