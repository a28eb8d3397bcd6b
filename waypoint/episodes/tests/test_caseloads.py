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

    def test_caseloads_page_query_count_does_not_grow(
        self, client, team, manager, django_assert_max_num_queries
    ):
        client.force_login(manager)
        url = reverse("episodes:caseloads")
        with django_assert_max_num_queries(30) as baseline:
            client.get(url)
        for n in range(8):
            worker = make_staff(team=team, username=f"extra{n}")
            allocate(
                by=Actor(manager, basis="team"),
                referral=ReferralFactory(team=team, person=PersonFactory()),
                worker=worker,
                kind="care_coordinator",
            )
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            response = client.get(url)
        assert response.content.decode().count("nhsuk-table__row") == 1 + 8 + 1  # header, 8 workers, manager

    def test_allocation_form_error_beside_the_field(self, client, team, manager, person):
        referral = ReferralFactory(team=team, person=person)
        client.force_login(manager)
        response = client.post(reverse("episodes:allocate", args=[referral.pk]), {"kind": "assessing"})
        assert "Choose a worker" in response.content.decode()

    def test_coordinator_cannot_see_caseloads(self, coordinator_client):
        assert coordinator_client.get(reverse("episodes:caseloads")).status_code == 404
