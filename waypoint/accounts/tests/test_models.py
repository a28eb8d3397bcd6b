"""Staff, roles, teams and memberships."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory, make_staff
from waypoint.accounts.models import Membership, Role, RoleCode, User


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.mark.django_db
class TestRoles:
    def test_has_role(self):
        user = make_staff(roles=[RoleCode.AMHP, RoleCode.CARE_COORDINATOR])
        assert user.has_role(RoleCode.AMHP)
        assert user.has_role("care_coordinator")
        assert not user.has_role(RoleCode.PRIVACY_OFFICER)
        assert not user.has_role("no_such_role")

    def test_no_roles(self):
        user = UserFactory()
        assert user.role_codes() == set()
        assert not user.has_role(RoleCode.CARE_COORDINATOR)

    def test_roles_are_read_once_per_instance(self, django_assert_num_queries):
        user = make_staff(roles=[RoleCode.BIA])
        user = User.objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            assert user.has_role(RoleCode.BIA)
            assert not user.has_role(RoleCode.AMHP)
            assert user.role_codes() == {"bia"}

    def test_every_role_exists_after_migrating(self):
        assert set(Role.objects.values_list("code", flat=True)) == set(RoleCode.values)

    def test_role_str_is_its_label(self):
        assert str(Role.objects.get(code=RoleCode.RECORDS_OFFICER)) == "Admin and records officer"


@pytest.mark.django_db
class TestUser:
    def test_display_name(self):
        assert UserFactory(first_name="Casey", last_name="Coordinator").display_name == "Casey Coordinator"
        nameless = UserFactory(username="nameless", first_name="", last_name="")
        assert nameless.display_name == "nameless"
        assert str(nameless) == "nameless"


@pytest.mark.django_db
class TestPrimaryTeam:
    def test_no_membership(self):
        assert UserFactory().primary_team() is None

    def test_single_membership(self, team):
        assert UserFactory(team=team).primary_team() == team

    def test_primary_membership_wins(self, team, other_team, today):
        user = UserFactory()
        Membership.objects.create(
            user=user, team=team, is_primary=False, started_on=today - timedelta(days=30)
        )
        Membership.objects.create(user=user, team=other_team, is_primary=True, started_on=today)
        assert user.primary_team() == other_team

    def test_earliest_start_breaks_a_tie(self, team, other_team, today):
        user = UserFactory()
        Membership.objects.create(user=user, team=other_team, is_primary=False, started_on=today)
        Membership.objects.create(
            user=user, team=team, is_primary=False, started_on=today - timedelta(days=9)
        )
        assert user.primary_team() == team

    def test_ended_primary_membership_is_ignored(self, team, other_team, today):
        user = UserFactory()
        Membership.objects.create(
            user=user,
            team=team,
            is_primary=True,
            started_on=today - timedelta(days=100),
            ended_on=today - timedelta(days=1),
        )
        Membership.objects.create(user=user, team=other_team, is_primary=False, started_on=today)
        assert user.primary_team() == other_team
        assert user.current_team_ids() == [other_team.pk]

    def test_only_ended_memberships(self, team, today):
        user = UserFactory()
        Membership.objects.create(
            user=user, team=team, started_on=today - timedelta(days=10), ended_on=today - timedelta(days=1)
        )
        assert user.primary_team() is None
        assert user.current_team_ids() == []


@pytest.mark.django_db
class TestCurrentMemberships:
    @pytest.fixture
    def memberships(self, today):
        user = UserFactory()
        teams = {name: TeamFactory(name=name) for name in ["Open", "Ends today", "Ended", "Starts later"]}
        spec = {
            "Open": (today - timedelta(days=50), None),
            "Ends today": (today - timedelta(days=50), today),
            "Ended": (today - timedelta(days=50), today - timedelta(days=1)),
            "Starts later": (today + timedelta(days=1), None),
        }
        for name, (started_on, ended_on) in spec.items():
            Membership.objects.create(user=user, team=teams[name], started_on=started_on, ended_on=ended_on)
        return user

    def names(self, queryset):
        return sorted(queryset.values_list("team__name", flat=True))

    def test_current_excludes_ended_and_future(self, memberships):
        assert self.names(Membership.objects.current()) == ["Ends today", "Open"]
        assert self.names(memberships.current_memberships()) == ["Ends today", "Open"]
        assert len(memberships.current_team_ids()) == 2

    def test_current_on_a_given_date(self, memberships, today):
        assert self.names(Membership.objects.current(on=today + timedelta(days=1))) == [
            "Open",
            "Starts later",
        ]
        assert self.names(Membership.objects.current(on=today - timedelta(days=1))) == [
            "Ended",
            "Ends today",
            "Open",
        ]
        assert self.names(Membership.objects.current(on=today - timedelta(days=51))) == []

    def test_membership_str(self, coordinator, team):
        assert str(Membership.objects.get(user=coordinator)) == f"{coordinator} in {team}"


@pytest.mark.django_db
class TestMembershipConstraint:
    def test_ending_before_starting_is_refused(self, team):
        user = UserFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(
                user=user, team=team, started_on=date(2026, 3, 2), ended_on=date(2026, 3, 1)
            )
        assert not Membership.objects.filter(user=user).exists()

    def test_updating_to_end_before_start_is_refused(self, team):
        membership = Membership.objects.create(user=UserFactory(), team=team, started_on=date(2026, 3, 2))
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.filter(pk=membership.pk).update(ended_on=date(2026, 1, 1))
        membership.refresh_from_db()
        assert membership.ended_on is None

    def test_ending_on_the_start_day_is_allowed(self, team):
        membership = Membership.objects.create(
            user=UserFactory(), team=team, started_on=date(2026, 3, 2), ended_on=date(2026, 3, 2)
        )
        assert membership.pk is not None

    def test_model_validation_reports_it_too(self, team):
        membership = Membership(
            user=UserFactory(), team=team, started_on=date(2026, 3, 2), ended_on=date(2026, 3, 1)
        )
        with pytest.raises(ValidationError):
            membership.full_clean()
