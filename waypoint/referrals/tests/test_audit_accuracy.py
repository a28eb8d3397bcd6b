"""Referral audit rows say the recorder's own basis; the waiting-list CSV is an export (issue 8, item 11)."""

import pytest
from django.urls import reverse

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, Basis, RecordType
from waypoint.referrals.tests.test_views import referral_post


@pytest.mark.django_db
class TestReferralAudit:
    def test_a_referral_for_someone_on_the_team_says_team(self, client, person, team):
        client.force_login(make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="admin.north"))
        url = reverse("referrals:new") + f"?nhs_number={person.nhs_number}"
        client.post(url, referral_post(team))
        row = AuditEvent.objects.get(record_type=RecordType.REFERRAL, action=Action.CREATE)
        assert row.basis == Basis.TEAM

    def test_a_referral_by_someone_with_no_relationship_says_none(self, client, other_team, person):
        client.force_login(
            make_staff(team=other_team, roles=[RoleCode.RECORDS_OFFICER], username="admin.south")
        )
        url = reverse("referrals:new") + f"?nhs_number={person.nhs_number}"
        client.post(url, referral_post(other_team, **{"referral-claim_reason": "GP letter received today"}))
        row = AuditEvent.objects.get(record_type=RecordType.REFERRAL, action=Action.CREATE)
        assert row.basis == Basis.NONE  # not "referral": they had no relationship when they recorded it
        assert row.break_glass_reason == "GP letter received today"

    def test_the_waiting_list_csv_is_audited_as_an_export(self, coordinator_client, team):
        url = reverse("referrals:waiting_list")
        coordinator_client.get(url)
        coordinator_client.get(url, {"format": "csv"})
        actions = list(
            AuditEvent.objects.filter(record_type=RecordType.WAITING_LIST)
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions == [Action.VIEW, Action.EXPORT]
