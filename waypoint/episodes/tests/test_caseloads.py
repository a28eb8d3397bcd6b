import pytest
from django.urls import reverse

from waypoint.access.actor import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.episodes.selectors import team_members_with_caseloads
from waypoint.episodes.services import NotATeamMember, allocate, end_allocation
from waypoint.patients.factories import PersonFactory
from waypoint.referrals.factories import ReferralFactory


@pytest.fixture
def manager(team):
    return make_staff(
        team=team,
        roles=[RoleCode.TEAM_MANAGER],
        username="manager.north",
        first_name="Mo",
        last_name="Manager",
    )


@pytest.mark.django_db
class TestCaseloads:
    def test_counts_and_weights_current_allocations_only(self, team, manager, coordinator):
        for weight in (1, 3):
            allocate(
                by=Actor(manager, basis="team"),
                referral=ReferralFactory(team=team),
                worker=coordinator,
                kind="care_coordinator",
                weight=weight,
            )
        ended = allocate(
            by=Actor(manager, basis="team"),
            referral=ReferralFactory(team=team),
            worker=coordinator,
            kind="care_coordinator",
        )
        end_allocation(by=Actor(manager, basis="team"), allocation=ended)
        allocate(
            by=Actor(manager, basis="team"),
            referral=ReferralFactory(team=team),
            worker=coordinator,
            kind="assessing",
        )
        row = next(member for member in team_members_with_caseloads(team) if member.pk == coordinator.pk)
        assert (row.coordinating_count, row.coordinating_weight, row.assessing_count) == (2, 4, 1)

    def test_worker_must_be_in_the_team(self, team, manager, outsider):
        with pytest.raises(NotATeamMember):
            allocate(
                by=Actor(manager, basis="team"),
                referral=ReferralFactory(team=team),
                worker=outsider,
                kind="assessing",
            )

    def test_the_old_caseloads_page_is_the_team_worklist(self, client, team, manager):
        """Issue 18: the two overlapping manager pages are one; old links and bookmarks still work."""
        client.force_login(manager)
        response = client.get(reverse("episodes:caseloads") + f"?team={team.pk}")
        assert response.status_code == 302
        assert response["Location"] == reverse("worklist:team") + f"?team={team.pk}"
        worker = make_staff(team=team, username="wendy", first_name="Wendy", last_name="Worker")
        allocate(
            by=Actor(manager, basis="team"),
            referral=ReferralFactory(team=team, person=PersonFactory()),
            worker=worker,
            kind="care_coordinator",
        )
        page = client.get(response["Location"]).content.decode()
        assert "Wendy Worker" in page and reverse("worklist:coordinator", args=[worker.pk]) in page
        assert "Transfers to and from" in page
        assert 'href="/allocation/caseloads/"' not in page  # no longer in the navigation

    def test_allocation_form_error_beside_the_field(self, client, team, manager, person):
        referral = ReferralFactory(team=team, person=person)
        client.force_login(manager)
        response = client.post(reverse("episodes:allocate", args=[referral.pk]), {"kind": "assessing"})
        assert "Choose a worker" in response.content.decode()

    def test_coordinator_cannot_see_caseloads(self, coordinator_client):
        assert coordinator_client.get(reverse("episodes:caseloads")).status_code == 404
