"""Episode and transfer relationships: who may see the person, and when that ends."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.access.policy import access_for
from waypoint.accounts.factories import make_staff
from waypoint.episodes import services
from waypoint.episodes.factories import EpisodeFactory
from waypoint.episodes.models import Allocation
from waypoint.patients.factories import PersonFactory


def later(days):
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def off_books_episode(team, coordinator):
    """An episode for a person who is not on the team's books and has no referral: only the episode relates them."""
    return EpisodeFactory(person=PersonFactory(), team=team, opened_by=coordinator)


@pytest.mark.django_db
class TestEpisodeRelationship:
    def test_team_members_see_the_person_while_open(self, off_books_episode, coordinator, outsider):
        colleague = make_staff(team=off_books_episode.team, username="colleague")
        assert access_for(colleague, off_books_episode.person).basis == "episode"
        assert access_for(outsider, off_books_episode.person) is None

    def test_access_ends_after_discharge_and_the_grace_period(self, off_books_episode, coordinator, team):
        person = off_books_episode.person
        colleague = make_staff(team=team, username="colleague")
        services.assign_care_coordinator(
            by=Actor(coordinator, basis="team"), episode=off_books_episode, worker=coordinator
        )
        services.discharge(
            by=Actor(coordinator, basis="team"),
            episode=off_books_episode,
            data={
                "kind": "planned",
                "discharged_on": timezone.localdate(),
                "what_happened": "x",
                "getting_back_in_touch": "x",
                "crisis_numbers": "x",
            },
        )
        assert (
            not Allocation.objects.current().filter(person=person).exists()
        )  # allocation relationship ended
        for user in (coordinator, colleague):
            assert access_for(user, person).basis == "episode"
            assert access_for(user, person, now=later(27)).basis == "episode"
            assert access_for(user, person, now=later(29)) is None

    @override_settings(WAYPOINT_EPISODE_GRACE_DAYS=0)
    def test_grace_period_is_a_setting(self, team, coordinator):
        episode = EpisodeFactory(
            person=PersonFactory(),
            team=team,
            status="closed",
            ended_on=timezone.localdate() - datetime.timedelta(days=1),
            end_reason="discharged",
        )
        assert access_for(coordinator, episode.person) is None

    def test_leaving_the_team_ends_access(self, off_books_episode, team):
        leaver = make_staff(team=team, username="leaver")
        membership = leaver.memberships.get()
        membership.ended_on = timezone.localdate() - datetime.timedelta(days=1)
        membership.started_on = membership.ended_on
        membership.save()
        leaver = type(leaver).objects.get(pk=leaver.pk)
        assert access_for(leaver, off_books_episode.person) is None


@pytest.mark.django_db
class TestTransferRelationship:
    def test_both_teams_see_the_person_while_pending(
        self, off_books_episode, coordinator, outreach_team, outreach_worker
    ):
        person = off_books_episode.person
        assert access_for(outreach_worker, person) is None
        transfer = services.request_transfer(
            by=Actor(coordinator, basis="team"),
            episode=off_books_episode,
            to_team=outreach_team,
            data={"direction": "step_up", "reason": "r", "handover_summary": "h"},
        )
        assert access_for(outreach_worker, person).basis == "transfer"
        assert access_for(coordinator, person).basis == "episode"
        services.decline_transfer(
            by=Actor(outreach_worker, basis="team"), transfer=transfer, reason="Not our criteria"
        )
        assert access_for(outreach_worker, person) is None

    def test_after_acceptance_the_receiving_team_has_the_episode(
        self, off_books_episode, coordinator, outreach_team, outreach_worker
    ):
        transfer = services.request_transfer(
            by=Actor(coordinator, basis="team"),
            episode=off_books_episode,
            to_team=outreach_team,
            data={"direction": "step_up", "reason": "r", "handover_summary": "h"},
        )
        services.accept_transfer(by=Actor(outreach_worker, basis="team"), transfer=transfer)
        assert access_for(outreach_worker, off_books_episode.person).basis == "episode"
        # The sending team keeps access for the grace period after its episode closed.
        assert access_for(coordinator, off_books_episode.person, now=later(29)) is None
