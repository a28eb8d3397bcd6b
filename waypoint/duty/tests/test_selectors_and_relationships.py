"""Who is on duty, the month rota, and the duty relationship: access to open referrals for that day only."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from waypoint.access.policy import access_for, registered_bases
from waypoint.audit.models import Basis
from waypoint.clocks.models import BankHoliday
from waypoint.duty import selectors
from waypoint.duty.factories import DutyShiftFactory
from waypoint.duty.models import DutyRole
from waypoint.patients.factories import PersonFactory
from waypoint.patients.models import Person
from waypoint.referrals.models import Status


@pytest.mark.django_db
class TestOnDuty:
    def test_on_duty_today_lists_teams_for_duty_and_backup_today_only(self, coordinator, team, other_team):
        today = timezone.localdate()
        DutyShiftFactory(team=team, worker=coordinator, role=DutyRole.BACKUP, date=today)
        DutyShiftFactory(team=other_team, worker=coordinator, date=today + datetime.timedelta(days=1))
        assert selectors.on_duty_today(coordinator) == [team.pk]
        with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
            assert selectors.on_duty_today(coordinator) == [other_team.pk]

    def test_month_rota_has_working_days_only_with_workers_and_bank_holidays(
        self, coordinator, manager, team
    ):
        first = datetime.date(2026, 12, 1)
        DutyShiftFactory(team=team, worker=coordinator, date=datetime.date(2026, 12, 2))
        DutyShiftFactory(team=team, worker=manager, date=datetime.date(2026, 12, 2), role=DutyRole.BACKUP)
        BankHoliday.objects.get_or_create(
            date=datetime.date(2026, 12, 25), defaults={"title": "Christmas Day"}
        )
        days = selectors.month_rota(team, first)
        assert [row.day.weekday() < 5 for row in days] == [True] * 23
        second = next(row for row in days if row.day == datetime.date(2026, 12, 2))
        assert (second.duty, second.backup) == (coordinator, manager)
        assert [row.day.day for row in days if row.bank_holiday] == [25, 28]  # Boxing Day moves to Monday

    def test_may_edit_rota_needs_manager_role_and_membership(self, manager, coordinator, team, other_team):
        assert selectors.may_edit_rota(manager, team)
        assert not selectors.may_edit_rota(coordinator, team)
        assert not selectors.may_edit_rota(manager, other_team)


@pytest.mark.django_db
class TestDutyRelationship:
    def test_registered_by_the_app(self):
        assert Basis.DUTY in registered_bases()

    def test_duty_gives_access_to_an_open_referrals_person_for_that_day_only(
        self, outsider, other_team, team, make_referral
    ):
        """The outsider belongs to South; put on North's duty for today, they see North's open referrals."""
        person = PersonFactory()
        make_referral(team=team, person=person)
        DutyShiftFactory(team=team, worker=outsider, date=timezone.localdate())
        assert access_for(outsider, person).basis == Basis.DUTY
        assert person in Person.objects.visible_to(outsider)
        with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
            assert access_for(outsider, person) is None
            assert not Person.objects.visible_to(outsider).filter(pk=person.pk).exists()
        with time_machine.travel(timezone.now() - datetime.timedelta(days=1)):
            assert access_for(outsider, person) is None

    def test_backup_also_has_access(self, outsider, team, make_referral):
        person = PersonFactory()
        make_referral(team=team, person=person)
        DutyShiftFactory(team=team, worker=outsider, role=DutyRole.BACKUP)
        assert access_for(outsider, person).basis == Basis.DUTY

    def test_no_access_to_closed_referrals_or_other_teams_referrals(
        self, outsider, team, other_team, make_referral
    ):
        closed = PersonFactory()
        make_referral(team=team, person=closed, status=Status.CLOSED)
        elsewhere = PersonFactory()
        third_team = type(team).objects.create(name="East CMHT", team_type="cmht", base="East")
        make_referral(team=third_team, person=elsewhere)
        DutyShiftFactory(team=team, worker=outsider)
        assert access_for(outsider, closed) is None
        assert access_for(outsider, elsewhere) is None

    def test_the_date_is_the_local_date(self, outsider, team, make_referral):
        """00:30 on a summer morning in London is still the previous evening in UTC."""
        person = PersonFactory()
        make_referral(team=team, person=person)
        summer_morning = datetime.datetime(2027, 6, 14, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 15 June
        local_day = datetime.date(2027, 6, 15)
        DutyShiftFactory(team=team, worker=outsider, date=local_day)
        with time_machine.travel(summer_morning):
            assert access_for(outsider, person).basis == Basis.DUTY
