"""The privacy officer's list of changes to staff accounts, roles and team memberships."""

import pytest
from django.urls import reverse

from waypoint.accounts import services
from waypoint.accounts.factories import TeamFactory, make_staff
from waypoint.accounts.models import Membership, Role, RoleCode, User
from waypoint.audit.models import AuditEvent

URL = "/privacy/account-changes/"


@pytest.fixture
def sysadmin(db):
    return make_staff(
        roles=[RoleCode.SYSTEM_ADMINISTRATOR], username="sysadmin", first_name="Sid", last_name="Admin"
    )


def give_access(account, team, by):
    services.change_roles(account, roles=[Role.objects.get(code=RoleCode.CARE_COORDINATOR)], by=by)
    services.save_membership(
        Membership(user=account, team=team), by=by, changed_fields=["team", "started_on"]
    )


@pytest.mark.django_db
class TestAccountChanges:
    def test_the_url(self):
        assert reverse("audit:account_changes") == URL

    def test_privacy_officer_sees_changes_newest_first_and_pending_grants(
        self, client, privacy_officer, sysadmin, team
    ):
        account = make_staff(roles=[], username="kim.nurse", first_name="Kim", last_name="Nurse")
        give_access(account, team, sysadmin)
        services.change_roles(
            account,
            roles=[
                Role.objects.get(code=RoleCode.CARE_COORDINATOR),
                Role.objects.get(code=RoleCode.PRIVACY_OFFICER),
            ],
            by=sysadmin,
        )
        services.end_sessions(account, by=sysadmin)
        client.force_login(privacy_officer)
        response = client.get(URL)
        assert response.status_code == 200
        body = response.content.decode()
        ended = body.index("Ended all the account")
        asked = body.index("Asked for the role Privacy officer")
        added = body.index("Added to North CMHT")
        gave = body.index("Gave the role Care coordinator")
        assert body.index("Awaiting a second administrator (1)") < ended < asked < added < gave
        assert "Kim Nurse" in body and "Sid Admin" in body

    def test_access_given_by_the_administrator_who_created_the_account_is_flagged(
        self, client, privacy_officer, sysadmin, team
    ):
        """A second account for oneself is still possible; the review makes it stand out."""
        second_admin = make_staff(roles=[RoleCode.SYSTEM_ADMINISTRATOR], username="sysadmin2")
        sock = services.save_staff_account(
            User(username="sid.again"), by=sysadmin, changed_fields=["username", "password1"]
        )
        give_access(sock, team, sysadmin)
        created_by_other = services.save_staff_account(
            User(username="kim.nurse"), by=second_admin, changed_fields=["username"]
        )
        give_access(created_by_other, team, sysadmin)
        client.force_login(privacy_officer)
        body = client.get(URL).content.decode()
        assert body.count("Given by the administrator who created the account") == 2  # role and team

    def test_viewing_the_list_is_audited(self, client, privacy_officer):
        client.force_login(privacy_officer)
        client.get(URL)
        event = AuditEvent.objects.get(record_type="account_changes")
        assert (event.user, event.action, event.basis, event.person) == (
            privacy_officer,
            "view",
            "privacy_review",
            None,
        )

    @pytest.mark.parametrize("roles", [[RoleCode.SYSTEM_ADMINISTRATOR], [RoleCode.CARE_COORDINATOR], []])
    def test_everyone_else_gets_404(self, client, roles, team):
        client.force_login(make_staff(team=team, roles=roles, username="someone"))
        assert client.get(URL).status_code == 404
        assert not AuditEvent.objects.filter(record_type="account_changes").exists()

    def test_query_count_does_not_grow_with_rows(
        self, client, privacy_officer, sysadmin, django_assert_max_num_queries
    ):
        def every_kind_of_change(number):
            account = make_staff(roles=[], username=f"worker{number}")
            give_access(account, TeamFactory(name=f"Team {number}"), sysadmin)
            services.change_roles(
                account, roles=[Role.objects.get(code=RoleCode.PRIVACY_OFFICER)], by=sysadmin
            )
            services.end_sessions(account, by=sysadmin)

        client.force_login(privacy_officer)
        every_kind_of_change(0)
        with django_assert_max_num_queries(20) as baseline:
            assert client.get(URL).status_code == 200
        for number in range(1, 8):
            every_kind_of_change(number)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            assert client.get(URL).status_code == 200
