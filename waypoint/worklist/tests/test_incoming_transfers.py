"""Issue 18, item 7: a transfer to a team waits on that team's worklist and on its coordinators'
My caseload until someone decides it; other teams do not see it."""

import pytest
from django.urls import reverse

from waypoint.access.actor import Actor
from waypoint.episodes import services
from waypoint.episodes.factories import EpisodeFactory
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def transfer(other_team, outsider, team):
    person = TeamRegistrationFactory(team=other_team, person=PersonFactory(family_name="Movingnorth")).person
    episode = EpisodeFactory(person=person, team=other_team, opened_by=outsider)
    return services.request_transfer(
        by=Actor(outsider, basis="team"),
        episode=episode,
        to_team=team,
        data={"direction": "step_up", "reason": "Needs more (synthetic)", "handover_summary": "Synthetic"},
    )


def test_the_receiving_teams_coordinator_sees_it_on_my_caseload(coordinator_client, transfer):
    page = coordinator_client.get(reverse("worklist:my_caseload")).content.decode()
    assert "Transfers waiting for a decision" in page and "MOVINGNORTH" in page
    assert reverse("episodes:decide_transfer", args=[transfer.person_id, transfer.pk]) in page


def test_the_receiving_teams_manager_sees_it_on_the_team_worklist(client, manager, transfer):
    client.force_login(manager)
    page = client.get(reverse("worklist:team")).content.decode()
    assert "Transfers waiting for a decision" in page and "MOVINGNORTH" in page


def test_the_sending_team_does_not_see_it_as_incoming(outsider_client, transfer):
    page = outsider_client.get(reverse("worklist:my_caseload")).content.decode()
    assert "Transfers waiting for a decision" not in page


def test_decided_transfers_leave_the_list(coordinator, coordinator_client, transfer):
    services.decline_transfer(by=Actor(coordinator, basis="team"), transfer=transfer, reason="Synthetic")
    page = coordinator_client.get(reverse("worklist:my_caseload")).content.decode()
    assert "Transfers waiting for a decision" not in page


def test_the_query_count_does_not_grow_with_the_transfers(coordinator, other_team, outsider, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from waypoint.episodes.selectors import incoming_transfers

    def add(n):
        for index in range(n):
            person = TeamRegistrationFactory(team=other_team).person
            episode = EpisodeFactory(person=person, team=other_team, opened_by=outsider)
            services.request_transfer(
                by=Actor(outsider, basis="team"),
                episode=episode,
                to_team=team,
                data={
                    "direction": "step_up",
                    "reason": f"Synthetic {index}",
                    "handover_summary": "Synthetic",
                },
            )

    add(1)
    incoming_transfers([team.pk], user=coordinator)  # warm: the user's teams are read once per user
    with CaptureQueriesContext(connection) as one:
        assert len(incoming_transfers([team.pk], user=coordinator)) == 1
    add(5)
    incoming_transfers([team.pk], user=coordinator)
    with CaptureQueriesContext(connection) as six:
        assert len(incoming_transfers([team.pk], user=coordinator)) == 6
    assert len(six) == len(one)
