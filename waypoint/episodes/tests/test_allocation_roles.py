"""Allocation offers only staff whose roles may hold that allocation (issue 18, item 3)."""

import pytest
from django.urls import reverse

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.episodes import services
from waypoint.episodes.models import AllocationKind


@pytest.fixture
def others(team):
    return {
        role: make_staff(
            team=team, roles=[role], username=f"alloc.{role}", first_name="Alloc", last_name=role.label
        )
        for role in (
            RoleCode.RECORDS_OFFICER,
            RoleCode.STUDENT,
            RoleCode.SUPPORT_WORKER,
            RoleCode.PSYCHIATRIST,
        )
    }


def test_allocating_a_care_coordinator_offers_only_care_coordinators(
    client, manager, accepted_referral, coordinator, others
):
    client.force_login(manager)
    url = reverse("episodes:allocate", args=[accepted_referral.pk])
    page = client.get(url + "?kind=care_coordinator").content.decode()
    assert coordinator.display_name in page
    for user in others.values():
        assert user.display_name not in page
    assessing = client.get(url + "?kind=assessing").content.decode()
    assert others[RoleCode.PSYCHIATRIST].display_name in assessing
    assert others[RoleCode.STUDENT].display_name not in assessing
    response = client.post(url, {"kind": "care_coordinator", "worker": others[RoleCode.STUDENT].pk})
    assert response.status_code == 200
    assert "Choose a worker from the team" in response.content.decode()


def test_the_service_refuses_a_worker_whose_role_cannot_hold_it(manager, accepted_referral, others):
    with pytest.raises(services.RoleCannotHold, match="cannot be allocated as care coordinator"):
        services.allocate(
            by=Actor(manager, basis="team"),
            referral=accepted_referral,
            worker=others[RoleCode.RECORDS_OFFICER],
            kind=AllocationKind.CARE_COORDINATOR,
        )
