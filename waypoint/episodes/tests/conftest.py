"""Episode tests: a second team to transfer to, its member, an accepted referral."""

import pytest

from waypoint.access.policy import register_relationship
from waypoint.accounts.factories import TeamFactory, make_staff
from waypoint.accounts.models import RoleCode, TeamType
from waypoint.audit.models import Basis
from waypoint.episodes.relationships import (
    allocation_relationship,
    episode_relationship,
    transfer_relationship,
)
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status


@pytest.fixture(autouse=True)
def episode_providers_registered():
    """Put our providers back if another test's stand-in removed them."""
    register_relationship(Basis.ALLOCATION, allocation_relationship)
    register_relationship(Basis.EPISODE, episode_relationship)
    register_relationship(Basis.TRANSFER, transfer_relationship)


@pytest.fixture
def outreach_team(db):
    return TeamFactory(name="Assertive Outreach Team", team_type=TeamType.ASSERTIVE_OUTREACH)


@pytest.fixture
def outreach_worker(outreach_team):
    return make_staff(team=outreach_team, username="ao.worker", first_name="Otis", last_name="Outreach")


@pytest.fixture
def manager(team):
    return make_staff(
        team=team,
        roles=[RoleCode.TEAM_MANAGER],
        username="manager.north",
        first_name="Mo",
        last_name="Manager",
    )


@pytest.fixture
def accepted_referral(team, person, coordinator):
    return ReferralFactory(
        team=team,
        person=person,
        recorded_by=coordinator,
        status=Status.WAITING,
        decision="accept",
        urgency="routine",
    )
